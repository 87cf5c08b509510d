package store_test

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/store/storetest"
)

// BenchmarkIngest measures DB.Ingest, the lean group-commit write path, per
// signal: batches of 1000 new alerts (b.N signals in all).
func BenchmarkIngest(b *testing.B) {
	for _, kind := range []string{"sqlite"} {
		b.Run(kind, func(b *testing.B) {
			w := storetest.Open(b, kind)
			db := w.DB
			sigs := make([]signal.Signal, b.N)
			for i := range sigs {
				sigs[i] = signal.Signal{Format: signal.FormatAlertmanager, Rule: "HighCPU", Title: "主机 CPU 使用率过高", Detail: "CPU above 90% for 5 minutes\nhttp://prometheus:9090/graph",
					Severity: signal.Medium, Status: signal.Firing, At: time.Now(), DstIP: netip.MustParseAddr("10.1.2.3"),
					Labels: map[string]string{"alertname": "HighCPU", "instance": "10.1.2.3:9100", "job": "node"}, Key: fmt.Sprint("k", i)}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i += 1000 {
				batch := make([]store.Landing, 0, 1000)
				for j := i; j < min(i+1000, b.N); j++ {
					batch = append(batch, store.Landing{OrgID: w.Org.ID, Signal: &sigs[j]})
				}
				if err := db.Ingest(context.Background(), batch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
