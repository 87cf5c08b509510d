package reports_test

import (
	"testing"
	"time"

	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/report"
	"yingji/internal/reports"
	"yingji/internal/testkit"
)

// fileKind drafts a report of kind now, has the chief sign it and submits
// it at submitAt.
func fileKind(t *testing.T, env *testkit.Env, in *incident.Incident, kind string, submitAt time.Time) *report.Report {
	t.Helper()
	r, err := env.App.Reports.CreateReport(ctx, env.Users["duty"], in.ID, kind)
	if err != nil {
		t.Fatalf("draft %s: %v", kind, err)
	}
	if _, err := env.App.Reports.SignReport(ctx, env.Users["chief"], r.ID); err != nil {
		t.Fatal(err)
	}
	env.Clock.Set(submitAt)
	if r, err = env.App.Reports.SubmitReport(ctx, env.Users["duty"], r.ID); err != nil {
		t.Fatal(err)
	}
	return r
}

// cityRow finds incident id's obligation of kind in the city's timeliness view.
func cityRow(t *testing.T, env *testkit.Env, id int64, kind string, from, to time.Time) *report.Obligation {
	t.Helper()
	tl, err := env.App.Reports.Timeliness(ctx, env.Users["citydeputy"], reports.TimelinessFilter{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range tl.Rows {
		if row.Incident.ID == id && row.Obligation.Kind == kind {
			o := row.Obligation
			return &o
		}
	}
	return nil
}

// Issue 11 gap 3: an incident registered two days after discovery produced
// no deadline and no flag; the city saw nothing late.
func TestFirstReportLateToCity(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		env.Clock.Set(sh("2026-11-30", "10:00:00"))
		in, err := env.App.Incidents.CreateIncident(ctx, duty, incidents.NewIncident{
			Title: "某单位网站被植入暗链", Category: "network_attack", Level: 3,
			DiscoveredAt: sh("2026-11-28", "10:00:00"), DiscoveryMethod: "群众举报", Description: "两天前发现，今日才登记",
		})
		if err != nil {
			t.Fatal(err)
		}
		v, err := env.App.Incidents.GetIncident(ctx, duty, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !v.LateRegistration || v.RegistrationDelay != 48*time.Hour {
			t.Fatalf("late registration %v %v", v.LateRegistration, v.RegistrationDelay)
		}
		entries, err := env.App.Incidents.Timeline(ctx, duty, in.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var flagged bool
		for _, e := range entries {
			flagged = flagged || (e.Kind == report.EntryLateRegistration && e.Data["delay_s"] == "172800" && e.Data["window_s"] == "14400")
		}
		if !flagged {
			t.Fatalf("no late-registration entry: %+v", entries)
		}
		from, to := sh("2026-11-01", "00:00:00"), sh("2026-12-31", "00:00:00")
		// Due 4 hours after discovery, not registration; not activated: the
		// city sees it missing.
		o := cityRow(t, env, in.ID, report.ObligationInitial, from, to)
		if o == nil || !o.Due.Equal(sh("2026-11-28", "14:00:00")) || o.State != "overdue" {
			t.Fatalf("city sees %+v", o)
		}
		fileKind(t, env, in, report.Initial, sh("2026-11-30", "10:30:00"))
		o = cityRow(t, env, in.ID, report.ObligationInitial, from, to)
		if o == nil || o.State != "late" || o.Late != 44*time.Hour+30*time.Minute {
			t.Fatalf("after the 首报 the city sees %+v", o)
		}

		// Registered at once: no flag, no entry; a level II incident owes
		// its 首报 within the hour.
		env.Clock.Set(sh("2026-11-30", "11:00:00"))
		in2, err := env.App.Incidents.CreateIncident(ctx, duty, incidents.NewIncident{
			Title: "门户网站遭DDoS攻击", Category: "network_attack", Level: 2,
			DiscoveredAt: sh("2026-11-30", "10:50:00"), DiscoveryMethod: "监测告警",
		})
		if err != nil {
			t.Fatal(err)
		}
		v2, _ := env.App.Incidents.GetIncident(ctx, duty, in2.ID)
		if v2.LateRegistration {
			t.Fatal("flagged an incident registered at once")
		}
		if d := testkit.OfKind(v2.Deadlines, report.ObligationInitial); len(d) != 1 || !d[0].Due.Equal(sh("2026-11-30", "11:50:00")) || d[0].State != "due_soon" {
			t.Fatalf("level II 首报 %+v", v2.Deadlines)
		}
		fileKind(t, env, in2, report.Initial, sh("2026-11-30", "11:40:00"))
		if o := cityRow(t, env, in2.ID, report.ObligationInitial, from, to); o == nil || o.State != "on_time" {
			t.Fatalf("on-time 首报 %+v", o)
		}
	})
}

// Issue 11 gap 4: "a second daily report drafted after today's deadline was
// met gets due_at: null and, submitted the next day, does not meet that
// day's deadline."
func TestDailyDraftedAfterTodayMet(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := activeIncident(t, env, sh("2026-11-28", "09:20:00"))
		env.Clock.Set(sh("2026-11-28", "15:00:00"))
		fileDaily(t, env, in, sh("2026-11-28", "15:30:00"))
		env.Clock.Set(sh("2026-11-28", "16:00:00"))
		r, err := env.App.Reports.CreateReport(ctx, env.Users["duty"], in.ID, "daily")
		if err != nil {
			t.Fatal(err)
		}
		if r.DueAt == nil || !r.DueAt.Equal(sh("2026-11-29", "17:00:00")) {
			t.Fatalf("second daily bound to %v, want the 29th 17:00", r.DueAt)
		}
		if _, err := env.App.Reports.SignReport(ctx, env.Users["chief"], r.ID); err != nil {
			t.Fatal(err)
		}
		env.Clock.Set(sh("2026-11-29", "10:00:00"))
		if _, err := env.App.Reports.SubmitReport(ctx, env.Users["duty"], r.ID); err != nil {
			t.Fatal(err)
		}
		o := cityRow(t, env, in.ID, report.ObligationDaily, sh("2026-11-29", "00:00:00"), sh("2026-11-29", "23:00:00"))
		if o == nil || o.State != "on_time" || o.ReportID != r.ID {
			t.Fatalf("the 29th: %+v", o)
		}
	})
}

// Issue 11 gap 4: activation at 15:30 owed nothing that day. Now it owes
// 17:00, and a 首报 submitted that day after activation meets it.
func TestFirstReportMeetsActivationDay(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := activeIncident(t, env, sh("2026-11-28", "15:30:00"))
		v, _ := env.App.Incidents.GetIncident(ctx, env.Users["duty"], in.ID)
		if d := testkit.OfKind(v.Deadlines, report.ObligationDaily); len(d) == 0 || !d[0].Due.Equal(sh("2026-11-28", "17:00:00")) {
			t.Fatalf("activation at 15:30 owes %+v", v.Deadlines)
		}
		env.Clock.Set(sh("2026-11-28", "15:40:00"))
		fileKind(t, env, in, report.Initial, sh("2026-11-28", "16:10:00"))
		o := cityRow(t, env, in.ID, report.ObligationDaily, sh("2026-11-28", "00:00:00"), sh("2026-11-28", "23:00:00"))
		if o == nil || o.State != "on_time" {
			t.Fatalf("the day of activation: %+v", o)
		}
		// The next daily answers the 29th.
		env.Clock.Set(sh("2026-11-28", "16:30:00"))
		r, err := env.App.Reports.CreateReport(ctx, env.Users["duty"], in.ID, "daily")
		if err != nil {
			t.Fatal(err)
		}
		if r.DueAt == nil || !r.DueAt.Equal(sh("2026-11-29", "17:00:00")) {
			t.Fatalf("daily after the 首报 bound to %v", r.DueAt)
		}
	})
}

// Issue 11 gap 2: 终报 had no deadline and was not counted.
func TestFinalReportCounted(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, city := env.Users["duty"], env.Users["citydeputy"]
		in := activeIncident(t, env, sh("2026-11-28", "09:20:00"))
		env.Clock.Set(sh("2026-11-29", "09:00:00"))
		testkit.CloseOpenTasks(t, env, duty, in.ID, "本测试不涉及")
		a, err := env.App.Incidents.RequestTermination(ctx, duty, in.ID, "已恢复")
		if err != nil {
			t.Fatal(err)
		}
		from, to := sh("2026-11-01", "00:00:00"), sh("2026-12-31", "00:00:00")
		if o := cityRow(t, env, in.ID, report.ObligationFinal, from, to); o != nil {
			t.Fatalf("终报 owed before termination: %+v", o)
		}
		env.Clock.Set(sh("2026-11-29", "10:00:00"))
		if _, err := env.App.Incidents.Decide(ctx, city, a.ID, incidents.Decision{Approve: true, Opinion: "同意终止"}); err != nil {
			t.Fatal(err)
		}
		v, _ := env.App.Incidents.GetIncident(ctx, duty, in.ID)
		if d := testkit.OfKind(v.Deadlines, report.ObligationFinal); len(d) != 1 || !d[0].Due.Equal(sh("2026-11-29", "12:00:00")) || d[0].State != "upcoming" {
			t.Fatalf("终报 deadline %+v", v.Deadlines)
		}
		env.Clock.Set(sh("2026-11-29", "11:00:00"))
		fileKind(t, env, in, report.Final, sh("2026-11-29", "11:30:00"))
		if o := cityRow(t, env, in.ID, report.ObligationFinal, from, to); o == nil || o.State != "on_time" {
			t.Fatalf("终报 %+v", o)
		}
	})
}

// The scheduler reminds before the 终报 (the duty officers and the author of
// the open draft) and escalates once when it passes; it never reminds
// before the 首报.
func TestFinalReportReminders(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, city := env.Users["duty"], env.Users["citydeputy"]
		in := activeIncident(t, env, sh("2026-11-28", "09:20:00"))
		env.Clock.Set(sh("2026-11-28", "16:00:00"))
		fileDaily(t, env, in, sh("2026-11-28", "16:10:00"))
		env.Clock.Set(sh("2026-11-29", "09:00:00"))
		fileDaily(t, env, in, sh("2026-11-29", "09:10:00"))
		testkit.CloseOpenTasks(t, env, duty, in.ID, "本测试不涉及")
		a, err := env.App.Incidents.RequestTermination(ctx, duty, in.ID, "已恢复")
		if err != nil {
			t.Fatal(err)
		}
		env.Clock.Set(sh("2026-11-29", "10:00:00"))
		if _, err := env.App.Incidents.Decide(ctx, city, a.ID, incidents.Decision{Approve: true, Opinion: "同意终止"}); err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Reports.CreateReport(ctx, env.Users["xingjing"], in.ID, report.Final); err != nil {
			t.Fatal(err)
		}
		before := inboxKinds(t, env, "duty")["report_reminder"]
		env.Clock.Set(sh("2026-11-29", "11:00:30")) // 1h before 12:00
		tick(t, env.App.Reports, "node-a")
		if got := inboxKinds(t, env, "duty")["report_reminder"]; got != before+1 {
			t.Fatalf("duty reminders %d, want %d", got, before+1)
		}
		if got := inboxKinds(t, env, "xingjing")["report_reminder"]; got < 1 {
			t.Fatal("the author of the open 终报 is not reminded")
		}
		env.Clock.Set(sh("2026-11-29", "12:00:01"))
		tick(t, env.App.Reports, "node-a")
		if got := inboxKinds(t, env, "chief")["report_overdue"]; got != 1 {
			t.Fatalf("chief escalations %d (the 首报 is never escalated by the scheduler)", got)
		}
	})
}
