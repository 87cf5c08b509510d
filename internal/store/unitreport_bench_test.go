package store_test

import (
	"fmt"
	"testing"

	"yingji/internal/store"
	"yingji/internal/store/storetest"
)

// BenchmarkUnitReportOfAlert measures the read an alert's page makes for
// an alert a unit reported (which report made it), with 50,000 unit
// reports each behind its own alert, for the newest report (an alert just
// in: a scan in id order reads every report before it) and the oldest.
// Migration 024's unit_reports_alert makes it one index lookup; without it
// (move 024 away and run again) the time grows with the table.
func BenchmarkUnitReportOfAlert(b *testing.B) {
	const reports = 50_000
	for _, kind := range storetest.Kinds {
		b.Run(kind, func(b *testing.B) {
			db, _, _ := storetest.OpenDB(b, kind)
			rows := &store.Bulk{Alerts: reports, Reports: reports}
			if err := rows.Write(ctx, db); err != nil {
				b.Fatal(err)
			}
			for _, c := range []struct {
				name  string
				alert int64
			}{{"newest", reports}, {"oldest", 1}} {
				b.Run(c.name, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						err := db.Read(ctx, func(q *store.Q) error {
							id, _, _, err := q.UnitReportOfAlert(c.alert)
							if err == nil && id != c.alert {
								err = fmt.Errorf("report %d, want %d", id, c.alert)
							}
							return err
						})
						if err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
