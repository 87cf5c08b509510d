package alerts_test

import (
	"fmt"
	"testing"

	"yingji/internal/testkit"
)

// The handler's sweep of linked alerts among 100,000, of which 500 are
// linked to an incident: "quiet" is the usual tick (nothing changed: one
// read, no write transaction), "changed" a tick after 200 linked alerts'
// sources said "resolved" (200 timeline entries and audit records in one
// transaction, then set back). Each also without migration 025's
// alerts_linked, the index the sweep reads (the planner then has 017's
// alerts_incident).
//
//	go test ./internal/alerts -run XXX -bench BenchmarkStatusSweep -benchtime 20x
func BenchmarkStatusSweep(b *testing.B) {
	testkit.EachB(b, func(b *testing.B, env *testkit.Env) {
		in := testkit.NewIncident(b, env, "harmful_info")
		org := env.Users["duty"].OrgID
		const alerts, linked = 100_000, 500
		for _, q := range []string{
			fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
				INSERT INTO alerts (org_id, fingerprint, format, rule, title, severity, priority, status, state, handled_at, first_seen, last_seen, updated_at)
				SELECT %d, 'fp-' || i, 'alertmanager', 'SiteDown', '网站无法访问', 3, 3, 'firing', 'open', 1, 0, 0, 0 FROM n`, alerts, org),
			fmt.Sprintf(`UPDATE alerts SET incident_id = %d, state = 'promoted', noted_status = status WHERE id %% %d = 0`, in.ID, alerts/linked),
		} {
			if err := env.DB.Raw(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
		if env.URL != "" {
			if err := env.DB.Raw(ctx, `ANALYZE`); err != nil {
				b.Fatal(err)
			}
		}
		run := func(b *testing.B, changed bool) {
			noted := 0
			for i := 0; i < b.N; i++ {
				if changed {
					b.StopTimer()
					if err := env.DB.Raw(ctx, `UPDATE alerts SET status = 'resolved' WHERE id IN
						(SELECT id FROM alerts WHERE incident_id IS NOT NULL ORDER BY org_id, fingerprint LIMIT 200)`); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				res, err := env.App.Alerts.Tick(ctx, "bench")
				if err != nil {
					b.Fatal(err)
				}
				noted += res.Noted
				if changed {
					b.StopTimer()
					if err := env.DB.Raw(ctx, `UPDATE alerts SET status = 'firing', noted_status = 'firing' WHERE incident_id IS NOT NULL`); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
			}
			if want := map[bool]int{true: 200 * b.N}[changed]; noted != want {
				b.Fatalf("noted %d, want %d", noted, want)
			}
			if changed {
				b.ReportMetric(float64(noted)/b.Elapsed().Seconds(), "entries/s")
			}
		}
		for _, index := range []bool{true, false} {
			if !index {
				if err := env.DB.Raw(ctx, `DROP INDEX alerts_linked`); err != nil {
					b.Fatal(err)
				}
			}
			name := map[bool]string{true: "alerts_linked", false: "alerts_incident"}[index]
			b.Run(name+"/quiet", func(b *testing.B) { run(b, false) })
			b.Run(name+"/changed", func(b *testing.B) { run(b, true) })
		}
	})
}
