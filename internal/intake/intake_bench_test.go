package intake_test

import (
	"fmt"
	"strings"
	"testing"

	"yingji/internal/signal"
	"yingji/internal/testkit"
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
