package demo_test

import (
	"context"
	"os"
	"testing"
	"time"

	"yingji/internal/demo"
	"yingji/internal/registry"
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
			if err := demo.World(ctx, env.App, env.Plan); err != nil {
				t.Fatal(err)
			}
		}
		loc := env.Plan.Location
		now, err := env.App.Rota.DutyNow(ctx, env.Users["duty"], 0)
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
			f := registry.Filter{OrgIDs: []int64{org}, Limit: 100}
			u, err := q.ListUnits(f)
			if err != nil {
				return err
			}
			w, err := q.ListWebsites(registry.Filter{OrgIDs: []int64{org}, KeySite: true, Limit: 100})
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

// After a seeded unit, expert and item of equipment were edited, the demo
// world starts again (serve --demo restarts): no error, the edits are kept
// and nothing is added twice. It used to exit with 统一社会信用代码…已登记.
func TestWorldKeepsEdits(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ctx := context.Background()
		if err := demo.World(ctx, env.App, env.Plan); err != nil {
			t.Fatal(err)
		}
		duty := env.Users["duty"]
		f := registry.Filter{OrgIDs: []int64{duty.OrgID}, Limit: 100}
		list := func() (u []*registry.Unit, w []*registry.Website, e []*registry.Expert, q []*registry.Equipment) {
			err := env.DB.Read(ctx, func(r *store.Q) (err error) {
				if u, err = r.ListUnits(f); err != nil {
					return err
				}
				if w, err = r.ListWebsites(f); err != nil {
					return err
				}
				if e, err = r.ListExperts(f); err != nil {
					return err
				}
				q, err = r.ListEquipment(f)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return
		}
		units, sites, experts, equipment := list()
		u := *units[0]
		u.Name, u.ContactPhone = u.Name+"（已更名）", "13990300099"
		if err := env.App.Units.UpdateUnit(ctx, duty, u.ID, &u); err != nil {
			t.Fatal(err)
		}
		e := *experts[0]
		e.Name = e.Name + "（已调离）"
		if err := env.App.Units.SaveExpert(ctx, duty, 0, e.ID, &e); err != nil {
			t.Fatal(err)
		}
		q := *equipment[0]
		q.Name = "应急处置车（已更换号牌）"
		if err := env.App.Units.SaveEquipment(ctx, duty, 0, q.ID, &q); err != nil {
			t.Fatal(err)
		}
		if err := demo.World(ctx, env.App, env.Plan); err != nil {
			t.Fatalf("restart after edits: %v", err)
		}
		units2, sites2, experts2, equipment2 := list()
		if len(units2) != len(units) || len(sites2) != len(sites) || len(experts2) != len(experts) || len(equipment2) != len(equipment) {
			t.Fatalf("added again: units %d→%d, sites %d→%d, experts %d→%d, equipment %d→%d", len(units), len(units2), len(sites), len(sites2),
				len(experts), len(experts2), len(equipment), len(equipment2))
		}
		found := false
		for _, x := range units2 {
			if x.ID == u.ID {
				found = x.Name == u.Name && x.ContactPhone == "13990300099"
			}
		}
		if !found {
			t.Fatalf("edit lost: %+v", units2)
		}
	})
}
