package incidents_test

import (
	"testing"
	"time"

	"yingji/internal/accounts"
	"yingji/internal/bench"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// BenchmarkListNeedToKnow measures list pages of a reader without a role
// over 100,000 incidents of his bureau on SQLite: one who reported 1,000 of
// them (first page and a page deep in his own), and one who may see none,
// the case where the filter must pass over every row. p99-ms as in
// BenchmarkListIncidents.
func BenchmarkListNeedToKnow(b *testing.B) {
	env := testkit.Open(b, "sqlite")
	duty := env.Users["duty"]
	mk := func(name, dept string) *user.User {
		u, err := env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: "青神县公安局", Department: dept, Username: name, DisplayName: name, Password: testkit.Password})
		if err != nil {
			b.Fatal(err)
		}
		return u
	}
	jj, xx := mk("jjofficer", "jiaojing"), mk("xxofficer", "xinxi")
	var planID int64
	env.DB.Read(ctx, func(q *store.Q) error { p, err := q.LatestPlan(env.Plan.Key); planID = p.ID; return err })
	if err := bench.SeedIncidents(ctx, env.DB, duty.OrgID, planID, duty.ID, 2025, 99_000); err != nil {
		b.Fatal(err)
	}
	if err := bench.SeedIncidents(ctx, env.DB, duty.OrgID, planID, jj.ID, 2024, 1_000); err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		who  *user.User
		f    incident.Filter
		want int
	}{
		{"reporter-first-page", jj, incident.Filter{Limit: 50}, 50},
		{"reporter-deep-page", jj, incident.Filter{Limit: 50, Before: 99_500}, 50},
		{"sees-none", xx, incident.Filter{Limit: 50}, 0},
		{"duty-first-page", duty, incident.Filter{Limit: 50}, 50},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				t0 := time.Now()
				list, err := env.App.Incidents.ListIncidents(ctx, c.who, c.f)
				times = append(times, time.Since(t0))
				if err != nil || len(list) != c.want {
					b.Fatalf("%d items, %v", len(list), err)
				}
			}
			b.ReportMetric(float64(bench.Summarise(times).P99.Microseconds())/1000, "p99-ms")
		})
	}
}
