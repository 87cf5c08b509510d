package reports_test

import (
	"testing"
	"time"

	"yingji/internal/incidents"
	"yingji/internal/testkit"
)

// The deadlines an incident shows depend on when it was activated, in
// Shanghai wall-clock time, and never on the server's time zone.
func TestDeadlinesAroundFivePM(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	ny, _ := time.LoadLocation("America/New_York")
	at := func(d, hm string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04:05", d+" "+hm, sh)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		activated time.Time
		firstDue  time.Time
	}{
		{at("2026-11-28", "09:20:00"), at("2026-11-28", "17:00:00")},
		// 在每日17时前: any activation before 17:00 owes that day (issue 11:
		// the shipped plan's 2h lead, not in the seed, is gone).
		{at("2026-11-28", "15:00:00"), at("2026-11-28", "17:00:00")},
		{at("2026-11-28", "15:30:00"), at("2026-11-28", "17:00:00")},
		{at("2026-11-28", "16:59:59"), at("2026-11-28", "17:00:00")},
		{at("2026-11-28", "17:00:00"), at("2026-11-29", "17:00:00")},
		{at("2026-11-28", "17:00:01"), at("2026-11-29", "17:00:00")},
		{at("2026-11-28", "23:59:00"), at("2026-11-29", "17:00:00")},
		{at("2026-11-29", "00:01:00"), at("2026-11-29", "17:00:00")},
		{at("2026-12-31", "20:00:00"), at("2027-01-01", "17:00:00")},
	}
	env := testkit.Open(t, "sqlite")
	duty, chief := env.Users["duty"], env.Users["chief"]
	for _, local := range []*time.Location{time.UTC, ny, sh} {
		saved := time.Local
		time.Local = local
		for _, tt := range tests {
			env.Clock.Set(tt.activated.Add(-time.Minute))
			in := testkit.NewIncident(t, env, "network_attack")
			a, err := env.App.Incidents.RequestActivation(ctx, duty, in.ID, "r")
			if err != nil {
				t.Fatal(err)
			}
			env.Clock.Set(tt.activated)
			if _, err := env.App.Incidents.Decide(ctx, chief, a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
				t.Fatal(err)
			}
			v, err := env.App.Incidents.GetIncident(ctx, duty, in.ID)
			if err != nil {
				t.Fatal(err)
			}
			v.Deadlines = testkit.OfKind(v.Deadlines, "daily_report")
			if len(v.Deadlines) != 1 || v.Deadlines[0].Kind != "daily_report" || !v.Deadlines[0].Due.Equal(tt.firstDue) {
				t.Errorf("TZ=%s activated %s: deadlines %+v, want daily at %s", local, tt.activated, v.Deadlines, tt.firstDue)
			}
			if got := v.Deadlines[0].Due.Format(time.RFC3339); got[len(got)-6:] != "+08:00" {
				t.Errorf("due %s not rendered in the plan's zone", got)
			}
			// After that deadline passes without a report it shows as overdue beside the next one.
			env.Clock.Set(tt.firstDue.Add(time.Second))
			v, _ = env.App.Incidents.GetIncident(ctx, duty, in.ID)
			v.Deadlines = testkit.OfKind(v.Deadlines, "daily_report")
			if len(v.Deadlines) != 2 || v.Deadlines[0].State != "overdue" || !v.Deadlines[1].Due.Equal(tt.firstDue.AddDate(0, 0, 1)) {
				t.Errorf("after the first deadline: %+v", v.Deadlines)
			}
		}
		time.Local = saved
	}
}
