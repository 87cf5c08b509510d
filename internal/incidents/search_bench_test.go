package incidents_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"yingji/internal/bench"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// BenchmarkIncidentSearch searches incidents by substring on both databases
// over YINGJI_BENCH_INCIDENTS incidents (default 1,000,000), titled
// "压测事件 N" with numbers BN-2025-N, as the duty officer: a rare title
// substring, a number's tail, a two-character query (PostgreSQL's index
// answers it; SQLite's trigrams cannot and it scans) and one matching every
// row (the first page); and the plain first page of the list for
// comparison. p99 of single calls is reported as p99-ms.
func BenchmarkIncidentSearch(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("YINGJI_BENCH_INCIDENTS")); err == nil && v > 0 {
		n = v
	}
	for _, kind := range testkit.Kinds {
		b.Run(kind, func(b *testing.B) {
			env := testkit.Open(b, kind)
			duty := env.Users["duty"]
			var planID int64
			env.DB.Read(ctx, func(q *store.Q) error { p, err := q.LatestPlan(env.Plan.Key); planID = p.ID; return err })
			t0 := time.Now()
			for from := 0; from < n; from += 100_000 {
				if err := env.DB.Raw(ctx, bench.SeedIncidentsSQL(duty.OrgID, planID, duty.ID, 2025, from, min(100_000, n-from))); err != nil {
					b.Fatal(err)
				}
			}
			if kind == "postgres" {
				if err := env.DB.Raw(ctx, `ANALYZE incidents`); err != nil {
					b.Fatal(err)
				}
			}
			b.Logf("%s: %d incidents seeded in %s", kind, n, time.Since(t0).Round(time.Second))
			for _, q := range []struct{ name, text string }{
				{"list-first-page", ""},
				{"title-rare", "压测事件 " + strconv.Itoa(n/2+1234)},
				{"number-tail", "2025-" + strconv.Itoa(n/3+777)},
				{"two-chars", "7b"}, // matches nothing; SQLite scans
				{"no-match", "不存在的事件"},
				{"common", "压测"}, // every row: the first page
			} {
				b.Run(q.name, func(b *testing.B) {
					var times []time.Duration
					for b.Loop() {
						t0 := time.Now()
						_, err := env.App.Incidents.ListIncidents(ctx, duty, incident.Filter{Text: q.text, Limit: 50})
						times = append(times, time.Since(t0))
						if err != nil {
							b.Fatal(err)
						}
					}
					s := bench.Summarise(times)
					b.ReportMetric(float64(s.P99.Microseconds())/1000, "p99-ms")
				})
			}
		})
	}
}
