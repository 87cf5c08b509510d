package demo_test

import (
	"context"
	"os"
	"testing"
	"time"

	"yingji/internal/demo"
	"yingji/internal/store"
	"yingji/internal/store/pgtest"
	"yingji/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// World arranges two weeks of 24-hour duty from today 08:00 and a few
// registry entries; run twice, it adds nothing.
func TestWorld(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ctx := context.Background()
		for range 2 {
			if err := demo.World(ctx, env.Svc, env.Plan); err != nil {
				t.Fatal(err)
			}
		}
		loc := env.Plan.Location
		now, err := env.Svc.DutyNow(ctx, env.Users["duty"], 0)
		if err != nil {
			t.Fatal(err)
		}
		if now.Current == nil || now.Current.Leader == nil || now.Current.Leader.Username != "chief" || len(now.Current.Officers) != 1 {
			t.Fatalf("now: %+v", now.Current)
		}
		if got := now.Current.Shift.Start.In(loc); got != time.Date(2026, 11, 28, 8, 0, 0, 0, loc) {
			t.Fatalf("first shift starts %v", got)
		}
		org := env.Users["duty"].OrgID
		err = env.DB.Read(ctx, func(q *store.Q) error {
			sh, err := q.ShiftsBetween(org, time.Date(2026, 1, 1, 0, 0, 0, 0, loc), time.Date(2027, 1, 1, 0, 0, 0, 0, loc))
			if err != nil {
				return err
			}
			if len(sh) != demo.RosterDays || sh[1].LeaderID != env.Users["deputy"].ID {
				t.Errorf("%d shifts, second led by %d", len(sh), sh[1].LeaderID)
			}
			f := store.RegistryFilter{OrgIDs: []int64{org}, Limit: 100}
			u, err := q.ListUnits(f)
			if err != nil {
				return err
			}
			w, err := q.ListWebsites(store.RegistryFilter{OrgIDs: []int64{org}, KeySite: true, Limit: 100})
			if err != nil {
				return err
			}
			e, err := q.ListExperts(f)
			if err != nil {
				return err
			}
			if len(u) != 3 || len(w) != 2 || len(e) != 2 {
				t.Errorf("%d units, %d key sites, %d experts", len(u), len(w), len(e))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
