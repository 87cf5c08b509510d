package intake_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"yingji/internal/core"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// BenchmarkIngestAlertmanager measures one Alertmanager webhook of 100
// alerts (half repeats) through the use case: parse, group commit, answer.
// ns/op is per webhook; divide by 100 for per alert.
func BenchmarkIngestAlertmanager(b *testing.B) {
	env := testkit.Open(b, "sqlite")
	duty := env.Users["duty"]
	src, _, err := env.App.Intake.CreateSource(ctx, duty, duty.OrgID, "bench", signal.FormatAlertmanager)
	if err != nil {
		b.Fatal(err)
	}
	bodies := make([]string, 64)
	for i := range bodies {
		var sb strings.Builder
		sb.WriteString(`{"version":"4","status":"firing","receiver":"yingji","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am","alerts":[`)
		for j := 0; j < 100; j++ {
			if j > 0 {
				sb.WriteByte(',')
			}
			fp := fmt.Sprintf("new-%d-%d", i, j)
			if j%2 == 0 {
				fp = fmt.Sprintf("known-%d", j)
			}
			fmt.Fprintf(&sb, `{"status":"firing","labels":{"alertname":"HighCPU","instance":"10.1.%d.%d:9100","job":"node","severity":"warning"},"annotations":{"summary":"主机 CPU 使用率过高","description":"CPU above 90%%"},"startsAt":"2026-11-30T02:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus:9090/graph","fingerprint":%q}`, i, j, fp)
		}
		sb.WriteString("]}")
		bodies[i] = sb.String()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := env.App.Intake.Ingest(ctx, src, signal.FormatAlertmanager, []byte(bodies[i%len(bodies)])); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOneAlertPerRequest is the measurement behind group commit: 32
// concurrent requests of one alert each, committed one DB.Write (with its
// audit record, as every other change) per request, or through the group
// commit of the lean path. ns/op is per alert.
func BenchmarkOneAlertPerRequest(b *testing.B) {
	for _, mode := range []string{"write-per-request", "group-commit"} {
		b.Run(mode, func(b *testing.B) {
			env := testkit.Open(b, "sqlite")
			duty := env.Users["duty"]
			src, _, err := env.App.Intake.CreateSource(ctx, duty, duty.OrgID, "bench", signal.FormatJSON)
			if err != nil {
				b.Fatal(err)
			}
			var n atomic.Int64
			b.SetParallelism(16) // 32 clients on 2 cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					s := []signal.Signal{{Format: signal.FormatJSON, Rule: "r", Title: "t", Severity: signal.Medium, Status: signal.Firing,
						Key: fmt.Sprint(n.Add(1) % 1000)}}
					if mode == "group-commit" {
						if _, err := env.App.Intake.Submit(ctx, src, s); err != nil {
							b.Fatal(err)
						}
						continue
					}
					err := env.DB.Write(ctx, func(tx *store.Tx) error {
						id, _, err := tx.UpsertAlert(src.OrgID, src.ID, &s[0])
						if err != nil {
							return err
						}
						return tx.Audit(core.AuditEntry(user.System(), "intake.ingest", "alert", id, src.OrgID, nil))
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
