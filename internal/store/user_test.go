package store_test

import (
	"maps"
	"testing"

	"yingji/internal/store"
	"yingji/internal/store/storetest"
	"yingji/internal/user"
)

// UserNames reads the names of the users asked for and no others; repeats,
// 0 (no user) and unknown ids add nothing.
func TestUserNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, w *storetest.World) {
		var others []*user.User
		w.Write(t, func(tx *store.Tx) error {
			for _, n := range []string{"甲", "乙", "丙"} {
				u := &user.User{OrgID: w.Org.ID, Department: "cyber", Username: "u" + n, DisplayName: "值班员" + n, Roles: []string{"duty_officer"}, PasswordHash: "x"}
				if err := tx.CreateUser(u); err != nil {
					return err
				}
				others = append(others, u)
			}
			return nil
		})
		for _, c := range []struct {
			ids  []int64
			want map[int64]string
		}{
			{nil, map[int64]string{}},
			{[]int64{0}, map[int64]string{}},
			{[]int64{w.User.ID, others[2].ID, w.User.ID, 0, 99999}, map[int64]string{w.User.ID: "值班员", others[2].ID: "值班员丙"}},
		} {
			var got map[int64]string
			if err := w.DB.Read(w.Ctx, func(q *store.Q) (err error) { got, err = q.UserNames(c.ids); return err }); err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, c.want) {
				t.Errorf("UserNames(%v) = %v, want %v", c.ids, got, c.want)
			}
		}
	})
}
