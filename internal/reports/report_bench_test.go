package reports_test

import (
	"fmt"
	"testing"
	"time"

	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// BenchmarkDraftDaily10k drafts a daily report through the service (one
// transaction: read 10,000 timeline entries, the tasks and approvals, draft,
// write the report with its sources, timeline entry and audit record), and
// renders the DOCX and PDF of a report over that record.
func BenchmarkDraftDaily10k(b *testing.B) {
	testkit.EachB(b, func(b *testing.B, env *testkit.Env) {
		in := activeIncidentB(b, env)
		env.Clock.Set(sh("2026-11-28", "10:00:00"))
		err := env.DB.Write(ctx, func(tx *store.Tx) error {
			for i := 0; i < 10_000; i++ {
				if err := tx.AddEntry(&incident.Entry{IncidentID: in.ID, ActorID: env.Users["duty"].ID, Kind: incident.EntryNote,
					Data: map[string]string{"text": fmt.Sprintf("第%d次巡查，未发现新的攻击流量", i)}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		env.Clock.Set(sh("2026-11-28", "15:00:00"))
		var last *report.Report
		for b.Loop() {
			r, err := env.App.Reports.CreateReport(ctx, env.Users["duty"], in.ID, "daily")
			if err != nil {
				b.Fatal(err)
			}
			if len(r.Sources) < 10_000 {
				b.Fatalf("%d sources", len(r.Sources))
			}
			last = r
			b.StopTimer()
			if err := env.DB.Raw(ctx, `DELETE FROM reports WHERE id = ?`, r.ID); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		_ = last
	})
}

// BenchmarkReportDocument renders a daily report over 50 notes (about
// five pages) as DOCX and PDF through the service.
func BenchmarkReportDocument(b *testing.B) {
	env := testkit.Open(b, "sqlite")
	in := activeIncidentB(b, env)
	for i := 0; i < 50; i++ {
		env.Clock.Add(time.Minute)
		env.App.Incidents.AddNote(ctx, env.Users["duty"], in.ID, fmt.Sprintf("第%d次巡查，未发现新的攻击流量，网站访问正常", i))
	}
	env.Clock.Set(sh("2026-11-28", "15:00:00"))
	r, err := env.App.Reports.CreateReport(ctx, env.Users["duty"], in.ID, "daily")
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []string{"docx", "pdf"} {
		b.Run(f, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := env.App.Reports.ReportDocument(ctx, env.Users["duty"], r.ID, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func activeIncidentB(b *testing.B, env *testkit.Env) *incident.Incident {
	env.Clock.Set(sh("2026-11-28", "09:00:00"))
	in, err := env.App.Incidents.CreateIncident(ctx, env.Users["duty"], incidents.NewIncident{Title: "县政府门户网站遭受DDoS攻击", Category: "network_attack",
		Level: 3, DiscoveredAt: env.Clock.Now().Add(-10 * time.Minute)})
	if err != nil {
		b.Fatal(err)
	}
	a, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "重要会议期间门户网站遭攻击")
	if err != nil {
		b.Fatal(err)
	}
	env.Clock.Set(sh("2026-11-28", "09:20:00"))
	if _, err := env.App.Incidents.Decide(ctx, env.Users["chief"], a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
		b.Fatal(err)
	}
	return in
}
