package store_test

import (
	"fmt"
	"testing"
	"time"

	"yingji/internal/store"
	"yingji/internal/store/storetest"
)

// BenchmarkSilencesOver measures the alert handler's sweep for silences
// that are over, run every 2 s inside its write transaction, among 100,000
// alerts of which 100 are silenced until later (the usual pass: nothing to
// wake). Migration 024's partial alerts_silenced holds only the silenced
// ones; without it (move 024 away and run again) each pass reads every
// alert.
func BenchmarkSilencesOver(b *testing.B) {
	for _, kind := range storetest.Kinds {
		b.Run(kind, func(b *testing.B) {
			db, _, _ := storetest.OpenDB(b, kind)
			now := storetest.Start
			rows := &store.Bulk{Alerts: 100_000, SilencedEvery: 1000, SilencedUntil: now.Add(time.Hour).UnixMilli()}
			if err := rows.Write(ctx, db); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				err := db.Read(ctx, func(q *store.Q) error {
					ids, err := q.SilencesOver(now, 500)
					if err == nil && len(ids) != 0 {
						err = fmt.Errorf("woke %d", len(ids))
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
