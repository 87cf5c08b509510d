package store_test

import (
	"context"
	"fmt"
	"net/netip"
	"syscall"
	"testing"
	"time"

	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/store/storetest"
)

// BenchmarkIngest measures DB.Ingest, the lean group-commit write path, per
// signal (ns/op), in groups of 3200 signals (32 webhooks of 100, what the
// committer takes at once under `yingji bench ingest`): all new alerts, and
// half repeating one of 1000 known alerts as the benchmark sends. The
// landings are prepared outside the timer, as the request goroutines
// prepare them in parallel with the committer.
func BenchmarkIngest(b *testing.B) {
	for _, dup := range []int{0, 50} {
		b.Run(fmt.Sprintf("sqlite/dup%d", dup), func(b *testing.B) {
			w := storetest.Open(b, "sqlite")
			db := w.DB
			sigs := make([]signal.Signal, b.N)
			for i := range sigs {
				key := fmt.Sprint("new-", i)
				if i%100 < dup {
					key = fmt.Sprint("known-", (i*7919)%1000)
				}
				sigs[i] = signal.Signal{Format: signal.FormatAlertmanager, Rule: "HighCPU", Title: "主机 CPU 使用率过高", Detail: "CPU above 90% for 5 minutes\nhttp://prometheus:9090/graph",
					Severity: signal.Medium, Status: signal.Firing, At: time.Now(), DstIP: netip.MustParseAddr("10.1.2.3"),
					Labels: map[string]string{"alertname": "HighCPU", "instance": "10.1.2.3:9100", "job": "node", "severity": "warning"}, Key: key}
			}
			const group = 3200
			var batches [][]store.Landing
			for i := 0; i < b.N; i += group {
				batch := make([]store.Landing, 0, group)
				for j := i; j < min(i+group, b.N); j++ {
					l := store.Landing{OrgID: w.Org.ID, Signal: &sigs[j]}
					l.Prepare(time.Now())
					batch = append(batch, l)
				}
				batches = append(batches, batch)
			}
			b.ResetTimer()
			cpu0 := processCPU()
			for _, batch := range batches {
				if err := db.Ingest(context.Background(), batch); err != nil {
					b.Fatal(err)
				}
			}
			// CPU rather than wall time: the machine may be shared, and fsync
			// waits are not work.
			b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// processCPU is this process's user + system CPU time in nanoseconds.
func processCPU() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}
