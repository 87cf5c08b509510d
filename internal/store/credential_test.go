package store_test

import (
	"testing"
	"time"

	"yingji/internal/store"
	"yingji/internal/store/storetest"
	"yingji/internal/user"
)

// The second factor's storage on both databases: a step is accepted once
// (the conditional update is what stops two logins racing with one code),
// recovery codes once, and password history keeps the last five.
func TestAuthStorage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, w *storetest.World) {
		duty := w.User
		write := func(f func(tx *store.Tx) error) { t.Helper(); w.Write(t, f) }
		var got []bool
		write(func(tx *store.Tx) error {
			if err := tx.StartTOTP(duty.ID, "SECRET"); err != nil {
				return err
			}
			for _, st := range []int64{100, 100, 99, 101} {
				ok, err := tx.UseTOTPStep(duty.ID, st, st == 100)
				if err != nil {
					return err
				}
				got = append(got, ok)
			}
			return nil
		})
		if want := []bool{true, false, false, true}; !equal(got, want) {
			t.Fatalf("steps accepted %v, want %v", got, want)
		}
		var tp *store.TOTP
		w.DB.Read(w.Ctx, func(q *store.Q) error { var err error; tp, err = q.TOTP(duty.ID); return err })
		if tp == nil || !tp.Confirmed || tp.LastStep != 101 {
			t.Fatalf("totp %+v", tp)
		}
		got = nil
		write(func(tx *store.Tx) error {
			if err := tx.ReplaceRecoveryCodes(duty.ID, []string{"h1", "h2"}); err != nil {
				return err
			}
			for _, h := range []string{"h1", "h1", "h3", "h2"} {
				ok, err := tx.UseRecoveryCode(duty.ID, h)
				if err != nil {
					return err
				}
				got = append(got, ok)
			}
			return nil
		})
		if want := []bool{true, false, false, true}; !equal(got, want) {
			t.Fatalf("recovery codes accepted %v, want %v", got, want)
		}
		write(func(tx *store.Tx) error {
			for _, h := range []string{"a", "b", "c", "d", "e", "f", "g"} {
				if err := tx.AddPasswordHistory(duty.ID, h, user.PasswordHistory); err != nil {
					return err
				}
			}
			return tx.DeleteTOTP(duty.ID)
		})
		var hist []string
		w.DB.Read(w.Ctx, func(q *store.Q) error {
			var err error
			hist, err = q.PasswordHistory(duty.ID, 10)
			tp, _ = q.TOTP(duty.ID)
			return err
		})
		if !equal(hist, []string{"g", "f", "e", "d", "c"}) || tp != nil {
			t.Fatalf("history %v, totp after delete %+v", hist, tp)
		}
		// Tokens: an expired one and a revoked one find nobody.
		var live, revoked int64
		write(func(tx *store.Tx) error {
			var err error
			if live, err = tx.CreateToken(duty.ID, "live", "", tx.Now.Add(time.Hour)); err != nil {
				return err
			}
			if _, err = tx.CreateToken(duty.ID, "expired", "", tx.Now.Add(-time.Second)); err != nil {
				return err
			}
			if revoked, err = tx.CreateToken(duty.ID, "revoked", "", tx.Now.Add(time.Hour)); err != nil {
				return err
			}
			_, err = tx.RevokeToken(revoked)
			return err
		})
		w.DB.Read(w.Ctx, func(q *store.Q) error {
			for _, c := range []struct {
				hash string
				ok   bool
			}{{"live", true}, {"expired", false}, {"revoked", false}} {
				_, tok, err := q.UserByToken(c.hash)
				if (err == nil) != c.ok || c.ok && tok.ID != live {
					t.Errorf("%s: %v", c.hash, err)
				}
			}
			return nil
		})
	})
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
