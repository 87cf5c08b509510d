package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"yingji/internal/deadline"
	"yingji/internal/incident"
)

// seedRule is the shipped plan's regime after issue 11: no lead before the
// daily 17:00, 首报 within 4h (1h for levels I and II is the service's
// choice of InitialWithin), 终报 within 2h of termination.
var seedRule = Rule{Daily: deadline.DailyRule{Hour: 17, Loc: sh}, DailyOn: true, SummaryWithin: 7 * 24 * time.Hour,
	InitialWithin: 4 * time.Hour, FinalWithin: 2 * time.Hour, DueSoon: time.Hour}

func submitted(id int64, kind string, due *time.Time, at time.Time) *incident.Report {
	return &incident.Report{ID: id, Kind: kind, DueAt: due, SubmittedAt: &at}
}

func obligationStates(obs []Obligation) string {
	var b []string
	for _, o := range obs {
		b = append(b, fmt.Sprintf("%s@%s=%s", o.Kind, o.Due.In(sh).Format("01-02 15:04"), o.State))
	}
	return strings.Join(b, " ")
}

func TestFirstReportObligation(t *testing.T) {
	discovered := at("2026-11-26", "09:00:00")
	closed := at("2026-11-29", "09:00:00")
	for _, c := range []struct {
		name    string
		in      incident.Incident
		reports []*incident.Report
		now     time.Time
		want    string
	}{
		{"not yet due", incident.Incident{DiscoveredAt: discovered}, nil, at("2026-11-26", "10:00:00"), "initial_report@11-26 13:00=upcoming"},
		{"due soon", incident.Incident{DiscoveredAt: discovered}, nil, at("2026-11-26", "12:00:00"), "initial_report@11-26 13:00=due_soon"},
		{"on time at the deadline", incident.Incident{DiscoveredAt: discovered}, []*incident.Report{submitted(1, Initial, nil, at("2026-11-26", "13:00:00"))},
			at("2026-11-26", "14:00:00"), "initial_report@11-26 13:00=on_time"},
		// Registered two days after discovery: the 首报 cannot be on time.
		{"registered two days late", incident.Incident{DiscoveredAt: discovered}, []*incident.Report{submitted(1, Initial, nil, at("2026-11-28", "10:00:00"))},
			at("2026-11-28", "11:00:00"), "initial_report@11-26 13:00=late"},
		{"overdue while open", incident.Incident{DiscoveredAt: discovered}, nil, at("2026-11-28", "11:00:00"), "initial_report@11-26 13:00=overdue"},
		{"missed once closed", incident.Incident{DiscoveredAt: discovered, ClosedAt: &closed}, nil, at("2026-11-30", "11:00:00"), "initial_report@11-26 13:00=missed"},
		{"a correction does not count", incident.Incident{DiscoveredAt: discovered}, []*incident.Report{{ID: 2, Kind: Initial, Supersedes: 1, SubmittedAt: ptr(at("2026-11-26", "10:00:00"))}},
			at("2026-11-26", "14:00:00"), "initial_report@11-26 13:00=overdue"},
	} {
		if got := obligationStates(Obligations(seedRule, &c.in, c.reports, c.now)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	// No window in the plan: no obligation (old plans, old incidents).
	r := seedRule
	r.InitialWithin = 0
	if obs := Obligations(r, &incident.Incident{DiscoveredAt: discovered}, nil, at("2026-11-28", "11:00:00")); len(obs) != 0 {
		t.Fatalf("no window: %v", obligationStates(obs))
	}
}

func TestActivationDayDaily(t *testing.T) {
	discovered := at("2026-11-28", "14:00:00")
	for _, c := range []struct {
		name      string
		activated time.Time
		reports   []*incident.Report
		now       time.Time
		want      string
	}{
		// Issue 11: activation at 15:30 owed nothing that day.
		{"15:30 owes 17:00 that day", at("2026-11-28", "15:30:00"), nil, at("2026-11-28", "15:31:00"),
			"initial_report@11-28 18:00=upcoming daily_report@11-28 17:00=upcoming"},
		{"首报 after activation meets the day", at("2026-11-28", "15:30:00"), []*incident.Report{submitted(1, Initial, nil, at("2026-11-28", "16:10:00"))}, at("2026-11-28", "17:30:00"),
			"initial_report@11-28 18:00=on_time daily_report@11-28 17:00=on_time daily_report@11-29 17:00=upcoming"},
		{"首报 after 17:00 that day meets it late", at("2026-11-28", "15:30:00"), []*incident.Report{submitted(1, Initial, nil, at("2026-11-28", "17:40:00"))}, at("2026-11-28", "18:30:00"),
			"initial_report@11-28 18:00=on_time daily_report@11-28 17:00=late daily_report@11-29 17:00=upcoming"},
		{"首报 before activation does not", at("2026-11-28", "15:30:00"), []*incident.Report{submitted(1, Initial, nil, at("2026-11-28", "15:00:00"))}, at("2026-11-28", "17:30:00"),
			"initial_report@11-28 18:00=on_time daily_report@11-28 17:00=overdue daily_report@11-29 17:00=upcoming"},
		{"activation at 17:00 owes the next day", at("2026-11-28", "17:00:00"), nil, at("2026-11-28", "17:01:00"),
			"initial_report@11-28 18:00=due_soon daily_report@11-29 17:00=upcoming"},
		{"首报 on the day does not meet the next day", at("2026-11-28", "17:10:00"), []*incident.Report{submitted(1, Initial, nil, at("2026-11-28", "17:20:00"))}, at("2026-11-29", "17:01:00"),
			"initial_report@11-28 18:00=on_time daily_report@11-29 17:00=overdue daily_report@11-30 17:00=upcoming"},
	} {
		in := &incident.Incident{DiscoveredAt: discovered, ActivatedAt: &c.activated}
		if got := obligationStates(Obligations(seedRule, in, c.reports, c.now)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

// Issue 11: "a second daily report drafted after today's deadline was met
// gets due_at: null and, submitted the next day, does not meet that day's
// deadline."
func TestBindDailyAfterTodayIsMet(t *testing.T) {
	activated := at("2026-11-27", "09:00:00")
	in := &incident.Incident{DiscoveredAt: activated.Add(-time.Hour), ActivatedAt: &activated}
	today := at("2026-11-28", "17:00:00")
	first := submitted(1, Daily, &today, at("2026-11-28", "15:00:00"))
	yday := at("2026-11-27", "17:00:00")
	prev := submitted(3, Daily, &yday, at("2026-11-27", "16:00:00"))
	for _, c := range []struct {
		name    string
		rule    Rule
		reports []*incident.Report
		now     time.Time
		want    time.Time
	}{
		{"drafted at 16:00 after today's went in", seedRule, []*incident.Report{prev, first}, at("2026-11-28", "16:00:00"), at("2026-11-29", "17:00:00")},
		{"same with a lead", rule, []*incident.Report{prev, first}, at("2026-11-28", "16:00:00"), at("2026-11-29", "17:00:00")},
		{"tomorrow's bound already", seedRule, []*incident.Report{prev, first, submitted(2, Daily, ptr(at("2026-11-29", "17:00:00")), at("2026-11-28", "16:30:00"))},
			at("2026-11-28", "16:40:00"), at("2026-11-30", "17:00:00")},
	} {
		got, ok := BindDaily(c.rule, in, c.reports, c.now)
		if !ok || !got.Equal(c.want) {
			t.Errorf("%s: %v %v, want %v", c.name, got.In(sh), ok, c.want.In(sh))
		}
	}
	// Submitted the next day, the second report meets that day's deadline.
	second := submitted(2, Daily, ptr(at("2026-11-29", "17:00:00")), at("2026-11-29", "10:00:00"))
	got := obligationStates(Obligations(seedRule, in, []*incident.Report{prev, first, second}, at("2026-11-29", "18:00:00")))
	if want := "initial_report@11-27 12:00=overdue daily_report@11-27 17:00=on_time daily_report@11-28 17:00=on_time daily_report@11-29 17:00=on_time daily_report@11-30 17:00=upcoming"; got != want {
		t.Errorf("next day:\n got %s\nwant %s", got, want)
	}
	// The day of activation met by the 首报: a daily drafted that evening
	// binds to the next day.
	act := at("2026-11-28", "15:30:00")
	in2 := &incident.Incident{DiscoveredAt: act.Add(-time.Hour), ActivatedAt: &act}
	d, ok := BindDaily(seedRule, in2, []*incident.Report{submitted(1, Initial, nil, at("2026-11-28", "16:00:00"))}, at("2026-11-28", "16:30:00"))
	if !ok || !d.Equal(at("2026-11-29", "17:00:00")) {
		t.Errorf("after the 首报 met the day: %v %v", d.In(sh), ok)
	}
}

func TestFinalReportObligation(t *testing.T) {
	activated := at("2026-11-28", "09:00:00")
	terminated := at("2026-11-29", "10:00:00")
	for _, c := range []struct {
		name    string
		reports []*incident.Report
		now     time.Time
		want    string
	}{
		{"owed at termination", nil, at("2026-11-29", "10:30:00"), "daily_report@11-28 17:00=missed final_report@11-29 12:00=upcoming summary@12-06 10:00=upcoming"},
		{"on time", []*incident.Report{submitted(1, Final, nil, at("2026-11-29", "11:00:00"))}, at("2026-11-29", "12:30:00"),
			"daily_report@11-28 17:00=missed final_report@11-29 12:00=on_time summary@12-06 10:00=upcoming"},
		{"late", []*incident.Report{submitted(1, Final, nil, at("2026-11-29", "12:00:01"))}, at("2026-11-29", "12:30:00"),
			"daily_report@11-28 17:00=missed final_report@11-29 12:00=late summary@12-06 10:00=upcoming"},
		{"overdue", nil, at("2026-11-29", "12:30:00"), "daily_report@11-28 17:00=missed final_report@11-29 12:00=overdue summary@12-06 10:00=upcoming"},
	} {
		in := &incident.Incident{ActivatedAt: &activated, TerminatedAt: &terminated}
		r := seedRule
		r.InitialWithin = 0
		if got := obligationStates(Obligations(r, in, c.reports, c.now)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	// Not terminated: no 终报 owed.
	in := &incident.Incident{ActivatedAt: &activated}
	for _, o := range Obligations(seedRule, in, nil, at("2026-11-29", "10:30:00")) {
		if o.Kind == ObligationFinal {
			t.Fatal("终报 owed before termination")
		}
	}
}

// BenchmarkObligations30Days: one incident active for 30 days with a daily
// report each day, a 首报, a 终报 and a summary — what the timeliness view
// computes per incident.
func BenchmarkObligations30Days(b *testing.B) {
	discovered := at("2026-11-01", "08:00:00")
	activated := at("2026-11-01", "09:00:00")
	terminated := at("2026-12-01", "10:00:00")
	reports := []*incident.Report{submitted(1, Initial, nil, at("2026-11-01", "09:30:00"))}
	for d := 0; d < 30; d++ {
		due := time.Date(2026, 11, 1+d, 17, 0, 0, 0, sh)
		reports = append(reports, submitted(int64(d+2), Daily, &due, due.Add(-time.Hour)))
	}
	reports = append(reports, submitted(40, Final, nil, terminated.Add(time.Hour)), submitted(41, Summary, nil, terminated.Add(48*time.Hour)))
	in := &incident.Incident{DiscoveredAt: discovered, ActivatedAt: &activated, TerminatedAt: &terminated}
	now := at("2026-12-10", "00:00:00")
	b.ReportAllocs()
	for b.Loop() {
		if obs := Obligations(seedRule, in, reports, now); len(obs) != 33 {
			b.Fatalf("%d obligations", len(obs))
		}
	}
}
