package alerts_test

import (
	"fmt"
	"testing"

	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// The handler over 1,000 new alerts: a quarter on a key website (matched,
// priority raised, the plan rule applied and the two people on duty paged),
// the rest unmatched; one transaction, history step and audit record per
// alert. Reports handled alerts per second.
//
//	go test ./internal/alerts -run XXX -bench BenchmarkHandle1000 -benchtime 5x
func BenchmarkHandle1000(b *testing.B) {
	testkit.EachB(b, func(b *testing.B, env *testkit.Env) {
		world(b, env)
		const n = 1000
		handled := 0
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if err := env.DB.Write(ctx, func(tx *store.Tx) error {
				for j := range n {
					s := signal.Signal{Format: signal.FormatSuricata, Rule: fmt.Sprintf("bench %d-%d", i, j), Title: "基准告警", Severity: signal.High, Status: signal.Firing}
					if j%4 == 0 {
						s.Domain = "www.qingshen.gov.cn"
					}
					if _, _, err := tx.UpsertAlert(env.Users["duty"].OrgID, 0, &s); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			res, err := env.App.Alerts.Tick(ctx, "bench")
			if err != nil || res.Handled != n {
				b.Fatalf("%+v %v", res, err)
			}
			handled += res.Handled
		}
		b.ReportMetric(float64(handled)/b.Elapsed().Seconds(), "alerts/s")
	})
}
