package incidents_test

import (
	"testing"
	"time"

	"yingji/internal/bench"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// BenchmarkListIncidents measures list pages of 50 over 100,000 incidents on
// SQLite: the first page, a page deep in the keyset, and a status filter.
// The p99 of single calls is reported as p99-ms.
func BenchmarkListIncidents(b *testing.B) {
	env := testkit.Open(b, "sqlite")
	duty := env.Users["duty"]
	var planID int64
	env.DB.Read(ctx, func(q *store.Q) error { p, err := q.LatestPlan(env.Plan.Key); planID = p.ID; return err })
	if err := bench.SeedIncidents(ctx, env.DB, duty.OrgID, planID, duty.ID, 2025, 100_000); err != nil {
		b.Fatal(err)
	}
	filters := map[string]incident.Filter{
		"first-page":  {Limit: 50},
		"deep-page":   {Limit: 50, Before: 50_000},
		"active-only": {Limit: 50, Statuses: []incident.Status{incident.Active}},
		"level-1":     {Limit: 50, Level: 1},
	}
	for name, f := range filters {
		b.Run(name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				t0 := time.Now()
				list, err := env.App.Incidents.ListIncidents(ctx, duty, f)
				times = append(times, time.Since(t0))
				if err != nil || len(list) != 50 {
					b.Fatalf("%d items, %v", len(list), err)
				}
			}
			s := bench.Summarise(times)
			b.ReportMetric(float64(s.P99.Microseconds())/1000, "p99-ms")
		})
	}
}

// BenchmarkLifecycle runs whole lifecycles (create → activate → approve →
// terminate → approve) through the service layer on both databases.
func BenchmarkLifecycle(b *testing.B) {
	testkit.EachB(b, func(b *testing.B, env *testkit.Env) {
		env.DB.Now = time.Now
		a := bench.Actors{Duty: env.Users["duty"], Approver: env.Users["citydeputy"]}
		t0 := time.Now()
		n := 0
		for b.Loop() {
			if err := bench.Lifecycle(ctx, env.App.Incidents, a); err != nil {
				b.Fatal(err)
			}
			n++
		}
		b.ReportMetric(float64(n)/time.Since(t0).Seconds(), "lifecycles/s")
	})
}
