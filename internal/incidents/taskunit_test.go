package incidents_test

import (
	"reflect"
	"testing"

	"yingji/internal/event"
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// TestTaskUnitEntryStoresTheUnit: linking a networked unit to a task
// stores the unit's name, not a sentence, and reads as it always has.
func TestTaskUnitEntryStoresTheUnit(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		in := testkit.NewIncident(t, env, "network_attack")
		testkit.Activate(t, env, in)
		u := testkit.Unit(5, "县教育局")
		testkit.AddUnit(t, env, u)
		v := testkit.View(t, env, in.ID)
		task := v.Tasks[0]
		for _, id := range []int64{u.ID, 0} {
			if _, err := env.App.Incidents.SetTaskUnit(ctx, duty, in.ID, task.ID, id); err != nil {
				t.Fatal(err)
			}
		}
		var es []*incident.Entry
		env.DB.Read(ctx, func(q *store.Q) (err error) { es, err = q.TaskHistory(in.ID, task.ID); return err })
		if len(es) < 2 {
			t.Fatalf("%d entries", len(es))
		}
		set, unset := es[len(es)-2], es[len(es)-1]
		if !reflect.DeepEqual(set.Data, map[string]string{"title": task.Title, "unit": "县教育局"}) || unset.Data["unit"] != "" {
			t.Fatalf("data %v, %v", set.Data, unset.Data)
		}
		for _, c := range []struct {
			e    *incident.Entry
			want string
		}{{set, "任务“" + task.Title + "”：备注：关联联网单位：县教育局"}, {unset, "任务“" + task.Title + "”：备注：关联联网单位：（无）"}} {
			if got := event.Entry(c.e).Text(i18n.ZH); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		}
	})
}
