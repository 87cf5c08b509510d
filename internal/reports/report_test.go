package reports_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"yingji/internal/app"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/report"
	"yingji/internal/reports"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func sh(day, hms string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", day+" "+hms, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// activeIncident registers an incident and has it activated at the given time.
func activeIncident(t *testing.T, env *testkit.Env, activated time.Time) *incident.Incident {
	t.Helper()
	env.Clock.Set(activated.Add(-5 * time.Minute))
	in := testkit.NewIncident(t, env, "network_attack")
	a, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "重要会议期间门户网站遭攻击")
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Set(activated)
	if _, err := env.App.Incidents.Decide(ctx, env.Users["chief"], a.ID, incidents.Decision{Approve: true, Opinion: "同意启动预案。"}); err != nil {
		t.Fatal(err)
	}
	return in
}

// fileDaily drafts, signs and submits a daily report, submitting at submitAt.
func fileDaily(t *testing.T, env *testkit.Env, in *incident.Incident, submitAt time.Time) *report.Report {
	t.Helper()
	r, err := env.App.Reports.CreateReport(ctx, env.Users["duty"], in.ID, "daily")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Reports.SignReport(ctx, env.Users["chief"], r.ID); err != nil {
		t.Fatal(err)
	}
	env.Clock.Set(submitAt)
	r, err = env.App.Reports.SubmitReport(ctx, env.Users["duty"], r.ID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReportFlow(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, chief, deputy := env.Users["duty"], env.Users["chief"], env.Users["deputy"]
		in := activeIncident(t, env, sh("2026-11-28", "09:20:00"))
		env.Clock.Set(sh("2026-11-28", "10:00:00"))
		if _, err := env.App.Incidents.AddNote(ctx, duty, in.ID, "已启用流量清洗，网站恢复访问"); err != nil {
			t.Fatal(err)
		}
		env.Clock.Set(sh("2026-11-28", "15:00:00"))
		before := testkit.AuditCount(t, env)

		// Bad input changes nothing.
		_, err := env.App.Reports.CreateReport(ctx, duty, in.ID, "weekly")
		testkit.WantCode(t, err, errs.Invalid)
		_, err = env.App.Reports.CreateReport(ctx, duty, in.ID, "summary") // not terminated
		testkit.WantCode(t, err, errs.Conflict)
		_, err = env.App.Reports.CreateReport(ctx, env.Users["citydeputy"], in.ID, "daily") // city may read, not write
		testkit.WantCode(t, err, errs.Forbidden)
		if got := testkit.AuditCount(t, env); got != before {
			t.Fatalf("failed drafts wrote %d audit records", got-before)
		}

		r, err := env.App.Reports.CreateReport(ctx, duty, in.ID, "daily")
		if err != nil {
			t.Fatal(err)
		}
		if r.Seq != 1 || r.Title != "县政府门户网站遭受DDoS攻击每日情况报告（第1期）" || r.Status != report.StatusDraft {
			t.Fatalf("draft %d %q %s", r.Seq, r.Title, r.Status)
		}
		if r.DueAt == nil || !r.DueAt.Equal(sh("2026-11-28", "17:00:00")) {
			t.Fatalf("bound to %v", r.DueAt)
		}
		if !strings.Contains(r.Fields.Course, "已启用流量清洗") || !strings.Contains(r.Fields.Measures, "启动《") || len(r.Sources) == 0 {
			t.Fatalf("draft fields %+v sources %v", r.Fields, r.Sources)
		}
		_, err = env.App.Reports.CreateReport(ctx, duty, in.ID, "daily") // one open daily at a time
		testkit.WantCode(t, err, errs.Conflict)

		// Edit: unknown field refused, then a real edit.
		_, err = env.App.Reports.EditReport(ctx, duty, r.ID, reports.ReportPatch{Fields: map[string]string{"colour": "red"}})
		testkit.WantCode(t, err, errs.Invalid)
		_, err = env.App.Reports.EditReport(ctx, duty, r.ID, reports.ReportPatch{Fields: map[string]string{"signer": "自己"}})
		testkit.WantCode(t, err, errs.Invalid)
		r, err = env.App.Reports.EditReport(ctx, duty, r.ID, reports.ReportPatch{Fields: map[string]string{"next_steps": "继续加强监测。"}})
		if err != nil || r.Fields.NextSteps != "继续加强监测。" {
			t.Fatalf("edit: %v %+v", err, r)
		}
		if _, err := env.App.Reports.RequestSignoff(ctx, duty, r.ID); err != nil {
			t.Fatal(err)
		}
		var inbox []*store.Message
		env.DB.Read(ctx, func(q *store.Q) error { inbox, err = q.Inbox(chief.ID, 10); return err })
		if len(inbox) == 0 || inbox[0].Kind != "report_signoff_requested" {
			t.Fatalf("chief inbox %+v", inbox)
		}

		// Signing: the duty officer is no leader; nobody signs his own draft.
		_, err = env.App.Reports.SignReport(ctx, duty, r.ID)
		testkit.WantCode(t, err, errs.Forbidden)
		_, err = env.App.Reports.SubmitReport(ctx, duty, r.ID) // not signed
		testkit.WantCode(t, err, errs.Conflict)
		own, err := env.App.Reports.CreateReport(ctx, deputy, in.ID, "followup")
		if err != nil {
			t.Fatal(err)
		}
		if own.Title != "关于县政府门户网站遭受DDoS攻击的续报（续报一）" {
			t.Fatalf("followup title %q", own.Title)
		}
		_, err = env.App.Reports.SignReport(ctx, deputy, own.ID)
		testkit.WantCode(t, err, errs.Forbidden)
		if errs.As(err).Key != "error.sign_own_report" {
			t.Fatalf("key %s", errs.As(err).Key)
		}

		r, err = env.App.Reports.SignReport(ctx, chief, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.DocNumber != "青公网安〔2026〕1号" || r.Fields.Signer != "李局长" || len(r.SHA256) != 64 || r.SHA256 != r.Hash() {
			t.Fatalf("signed %q %q %q", r.DocNumber, r.Fields.Signer, r.SHA256)
		}
		_, err = env.App.Reports.EditReport(ctx, duty, r.ID, reports.ReportPatch{Fields: map[string]string{"impact": "改"}})
		testkit.WantCode(t, err, errs.Conflict)

		env.Clock.Set(sh("2026-11-28", "16:59:59"))
		r, err = env.App.Reports.SubmitReport(ctx, duty, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		v, err := env.App.Reports.GetReport(ctx, duty, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Report.Status != report.StatusSubmitted || len(v.Submissions) != 3 || v.Submissions[0].RecipientName != "市委" || v.Report.SHA256 != r.SHA256 {
			t.Fatalf("submitted %+v %+v", v.Report, v.Submissions)
		}
		iv, _ := env.App.Incidents.GetIncident(ctx, duty, in.ID)
		if d := testkit.OfKind(iv.Deadlines, "daily_report"); len(d) == 0 || d[0].State != "on_time" {
			t.Fatalf("deadlines %+v", iv.Deadlines)
		}

		// A correction is a new version; the submitted one stays as it was.
		c, err := env.App.Reports.CorrectReport(ctx, duty, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Version != 2 || c.Supersedes != r.ID || c.Seq != 1 || c.Status != report.StatusDraft || !c.DueAt.Equal(*r.DueAt) {
			t.Fatalf("correction %+v", c)
		}
		_, err = env.App.Reports.CorrectReport(ctx, duty, r.ID)
		testkit.WantCode(t, err, errs.Conflict)
		old, _ := env.App.Reports.GetReport(ctx, duty, r.ID)
		if old.Report.SupersededBy != c.ID || old.Report.SHA256 != r.SHA256 || old.Report.Hash() != r.SHA256 {
			t.Fatalf("old version changed: %+v", old.Report)
		}

		// Documents render for drafts and signed versions.
		for _, f := range []string{"docx", "pdf"} {
			b, name, err := env.App.Reports.ReportDocument(ctx, duty, r.ID, f)
			if err != nil || len(b) < 1000 || !strings.HasSuffix(name, "."+f) {
				t.Fatalf("%s: %v %d %s", f, err, len(b), name)
			}
		}
		_, _, err = env.App.Reports.ReportDocument(ctx, duty, r.ID, "odt")
		testkit.WantCode(t, err, errs.Invalid)

		// Every step left a timeline entry.
		entries, _ := env.App.Incidents.Timeline(ctx, duty, in.ID, 0, 0)
		seen := map[incident.EntryKind]int{}
		for _, e := range entries {
			seen[e.Kind]++
		}
		for _, k := range []incident.EntryKind{event.KindReportDrafted, event.KindReportEdited, event.KindReportSignoffRequested,
			event.KindReportSigned, event.KindReportSubmitted, event.KindReportCorrected} {
			if seen[k] == 0 {
				t.Errorf("no %s entry", k)
			}
		}
		testkit.AuditCount(t, env)

		// The next daily report covers only what came after the first one.
		env.Clock.Set(sh("2026-11-29", "09:00:00"))
		if _, err := env.App.Incidents.AddNote(ctx, duty, in.ID, "未发现新的攻击流量"); err != nil {
			t.Fatal(err)
		}
		r2, err := env.App.Reports.CreateReport(ctx, duty, in.ID, "daily")
		if err != nil {
			t.Fatal(err)
		}
		if r2.Seq != 2 || strings.Contains(r2.Fields.Course, "已启用流量清洗") || !strings.Contains(r2.Fields.Course, "未发现新的攻击流量") {
			t.Fatalf("second daily %d %q", r2.Seq, r2.Fields.Course)
		}
		if !r2.DueAt.Equal(sh("2026-11-29", "17:00:00")) {
			t.Fatalf("second daily due %v", r2.DueAt)
		}
		for _, id := range r2.Sources {
			if id <= r.LastEntryID {
				t.Fatalf("source %d was in the first report (last %d)", id, r.LastEntryID)
			}
		}
	})
}

// Drafting is deterministic: the same record gives the same draft.
func TestDraftDeterministic(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	in := activeIncident(t, env, sh("2026-11-28", "09:20:00"))
	a, err := env.App.Reports.CreateReport(ctx, env.Users["duty"], in.ID, "initial")
	if err != nil {
		t.Fatal(err)
	}
	b, err := env.App.Reports.CreateReport(ctx, env.Users["duty"], in.ID, "initial")
	if err != nil {
		t.Fatal(err)
	}
	if a.Fields != b.Fields || a.Title != b.Title {
		t.Fatalf("drafts differ:\n%+v\n%+v", a.Fields, b.Fields)
	}
}

// Submission at 16:59:59 and 17:00:00 is on time, at 17:00:01 late; the
// report counts for the deadline it was bound to when drafted.
func TestDailyTimeliness(t *testing.T) {
	cases := []struct {
		name      string
		activated time.Time
		draftAt   time.Time
		submitAt  time.Time
		due       time.Time
		state     string
	}{
		{"just before", sh("2026-11-28", "09:20:00"), sh("2026-11-28", "15:00:00"), sh("2026-11-28", "16:59:59"), sh("2026-11-28", "17:00:00"), "on_time"},
		{"at the deadline", sh("2026-11-28", "09:20:00"), sh("2026-11-28", "15:00:00"), sh("2026-11-28", "17:00:00"), sh("2026-11-28", "17:00:00"), "on_time"},
		{"one second late", sh("2026-11-28", "09:20:00"), sh("2026-11-28", "15:00:00"), sh("2026-11-28", "17:00:01"), sh("2026-11-28", "17:00:00"), "late"},
		{"drafted after the deadline", sh("2026-11-28", "09:20:00"), sh("2026-11-28", "17:30:00"), sh("2026-11-28", "18:00:00"), sh("2026-11-28", "17:00:00"), "late"},
		// 在每日17时前: activated before 17:00, the day counts (issue 11; the
		// old 2h lead made it owe nothing that day).
		{"activated 16:59: today", sh("2026-11-28", "16:59:00"), sh("2026-11-28", "18:00:00"), sh("2026-11-29", "16:00:00"), sh("2026-11-28", "17:00:00"), "late"},
		{"activated 15:30: today", sh("2026-11-28", "15:30:00"), sh("2026-11-28", "16:30:00"), sh("2026-11-28", "16:50:00"), sh("2026-11-28", "17:00:00"), "on_time"},
		{"activated 17:00: tomorrow", sh("2026-11-28", "17:00:00"), sh("2026-11-28", "18:00:00"), sh("2026-11-29", "16:00:00"), sh("2026-11-29", "17:00:00"), "on_time"},
		{"activated 17:01: tomorrow", sh("2026-11-28", "17:01:00"), sh("2026-11-28", "23:50:00"), sh("2026-11-29", "00:10:00"), sh("2026-11-29", "17:00:00"), "on_time"},
		{"late across midnight", sh("2026-11-28", "09:20:00"), sh("2026-11-28", "23:50:00"), sh("2026-11-29", "00:10:00"), sh("2026-11-28", "17:00:00"), "late"},
	}
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		for _, tc := range cases {
			in := activeIncident(t, env, tc.activated)
			env.Clock.Set(tc.draftAt)
			r, err := env.App.Reports.CreateReport(ctx, env.Users["duty"], in.ID, "daily")
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if r.DueAt == nil || !r.DueAt.Equal(tc.due) {
				t.Fatalf("%s: bound to %v, want %v", tc.name, r.DueAt, tc.due)
			}
			if _, err := env.App.Reports.SignReport(ctx, env.Users["chief"], r.ID); err != nil {
				t.Fatal(err)
			}
			env.Clock.Set(tc.submitAt)
			if _, err := env.App.Reports.SubmitReport(ctx, env.Users["duty"], r.ID); err != nil {
				t.Fatal(err)
			}
			tl, err := env.App.Reports.Timeliness(ctx, env.Users["duty"], reports.TimelinessFilter{From: tc.due.Add(-time.Hour), To: tc.due.Add(time.Second)})
			if err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, row := range tl.Rows {
				if row.Incident.ID == in.ID && row.Obligation.Due.Equal(tc.due) {
					found = true
					if string(row.Obligation.State) != tc.state {
						t.Errorf("%s: state %s, want %s", tc.name, row.Obligation.State, tc.state)
					}
					if tc.state == "late" && row.Obligation.Late != tc.submitAt.Sub(tc.due) {
						t.Errorf("%s: late by %v", tc.name, row.Obligation.Late)
					}
				}
			}
			if !found {
				t.Errorf("%s: obligation not in the timeliness view: %+v", tc.name, tl.Rows)
			}
		}
	})
}

func inboxKinds(t *testing.T, env *testkit.Env, user string) map[string]int {
	t.Helper()
	out := map[string]int{}
	err := env.DB.Read(ctx, func(q *store.Q) error {
		msgs, err := q.Inbox(env.Users[user].ID, 1000)
		for _, m := range msgs {
			out[m.Kind]++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func tick(t *testing.T, svc *reports.Service, holder string) reports.TickResult {
	t.Helper()
	res, err := svc.SchedulerTick(ctx, holder)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Reminders at 16:00 and 16:45, the escalation after 17:00, each once,
// however often the scheduler ticks and across a restart.
func TestReminders(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := activeIncident(t, env, sh("2026-11-28", "09:20:00"))
		env.Clock.Set(sh("2026-11-28", "15:30:00"))
		r, err := env.App.Reports.CreateReport(ctx, env.Users["xingjing"], in.ID, "daily")
		if err != nil {
			t.Fatal(err)
		}
		_ = r
		for _, at := range []string{"15:59:59", "16:00:00", "16:00:30", "16:30:00"} {
			env.Clock.Set(sh("2026-11-28", at))
			tick(t, env.App.Reports, "node-a")
		}
		if got := inboxKinds(t, env, "duty"); got["report_reminder"] != 1 {
			t.Fatalf("after 16:00 duty has %v", got)
		}
		if got := inboxKinds(t, env, "xingjing"); got["report_reminder"] != 1 {
			t.Fatalf("the author is reminded too: %v", got)
		}
		if got := inboxKinds(t, env, "chief"); got["report_reminder"] != 0 {
			t.Fatalf("the leader is not reminded before the deadline: %v", got)
		}

		// Restart: a new service on the same database sends nothing twice.
		db2, err := store.Open(ctx, env.URL, env.Dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db2.Close()
		db2.Now = env.Clock.Now
		svc2 := app.New(db2, nil).Reports
		env.Clock.Set(sh("2026-11-28", "16:31:00"))
		if res := tick(t, svc2, "node-b"); res.Leader {
			t.Fatal("node-b took the lease while node-a held it")
		}
		env.Clock.Set(sh("2026-11-28", "16:45:00")) // node-a is gone; its lease has run out
		if res := tick(t, svc2, "node-b"); !res.Leader {
			t.Fatal("node-b did not take over the expired lease")
		}
		tick(t, svc2, "node-b")
		if got := inboxKinds(t, env, "duty"); got["report_reminder"] != 2 {
			t.Fatalf("after 16:45 duty has %v", got)
		}
		env.Clock.Set(sh("2026-11-28", "17:00:00"))
		tick(t, svc2, "node-b")
		if got := inboxKinds(t, env, "chief"); got["report_overdue"] != 0 {
			t.Fatalf("not overdue at 17:00:00 exactly: %v", got)
		}
		env.Clock.Set(sh("2026-11-28", "17:00:01"))
		tick(t, svc2, "node-b")
		tick(t, svc2, "node-b")
		for _, u := range []string{"chief", "deputy", "xingjing", "duty"} {
			if got := inboxKinds(t, env, u); got["report_overdue"] != 1 {
				t.Fatalf("%s: escalation %v", u, got)
			}
		}
		if got := inboxKinds(t, env, "citydeputy"); len(got) != 1 { // only the activation request
			t.Fatalf("city deputy is not in the county's leading group: %v", got)
		}
		testkit.AuditCount(t, env)
	})
}

// Catch-up: reminders missed while no node ran are sent once if the
// deadline is still ahead (only the latest), else recorded as skipped.
func TestReminderCatchUp(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := activeIncident(t, env, sh("2026-11-28", "09:20:00"))
		env.Clock.Set(sh("2026-11-28", "16:50:00")) // down from before 16:00 to 16:50
		res := tick(t, env.App.Reports, "n")
		if res.Sent != 1 || res.Skipped != 1 {
			t.Fatalf("catch-up before the deadline: %+v", res)
		}
		env.Clock.Set(sh("2026-11-29", "18:00:00")) // down again over the next deadline
		res = tick(t, env.App.Reports, "n")
		// Day 1: escalation skipped (missed: the next deadline passed too);
		// day 2: both reminders skipped, escalation sent.
		if res.Sent != 1 || res.Skipped != 3 {
			t.Fatalf("catch-up after the deadline: %+v", res)
		}
		var rems []*store.Reminder
		env.DB.Read(ctx, func(q *store.Q) error {
			var err error
			rems, err = q.Reminders(in.ID)
			return err
		})
		outcomes := map[string]int{}
		for _, r := range rems {
			outcomes[r.Stage+"/"+r.Outcome]++
		}
		want := map[string]int{"before_60m/skipped_superseded": 1, "before_15m/sent": 1, "overdue/skipped_late": 1,
			"before_60m/skipped_late": 1, "before_15m/skipped_late": 1, "overdue/sent": 1}
		for k, n := range want {
			if outcomes[k] != n {
				t.Errorf("%s: %d, want %d (all %v)", k, outcomes[k], n, outcomes)
			}
		}
		if res := tick(t, env.App.Reports, "n"); res.Sent+res.Skipped != 0 {
			t.Fatalf("second tick did something: %+v", res)
		}
	})
}

// Two nodes on one database ticking at once send each reminder once.
func TestTwoSchedulers(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		for i := 0; i < 3; i++ {
			activeIncident(t, env, sh("2026-11-28", "09:20:00"))
		}
		db2, err := store.Open(ctx, env.URL, env.Dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db2.Close()
		db2.Now = env.Clock.Now
		nodes := []*reports.Service{env.App.Reports, app.New(db2, nil).Reports}
		for _, at := range []string{"16:00:00", "16:45:00", "17:00:01"} {
			env.Clock.Set(sh("2026-11-28", at))
			var wg sync.WaitGroup
			for i, svc := range nodes {
				for j := 0; j < 3; j++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if _, err := svc.SchedulerTick(ctx, []string{"a", "b"}[i]); err != nil {
							t.Error(err)
						}
					}()
				}
			}
			wg.Wait()
			env.Clock.Add(reports.SchedulerLease + time.Second) // let the other node win the next round sometimes
		}
		got := inboxKinds(t, env, "duty")
		if got["report_reminder"] != 6 || got["report_overdue"] != 3 {
			t.Fatalf("duty inbox %v, want 6 reminders and 3 escalations", got)
		}
	})
}

// The summary is due 7 days after termination; submitting it closes the
// incident; the city sees the county's timeliness.
func TestSummaryAndCityView(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, city := env.Users["duty"], env.Users["citydeputy"]
		in := activeIncident(t, env, sh("2026-11-28", "09:20:00"))
		fileDaily(t, env, in, sh("2026-11-28", "16:00:00"))
		// 29th: nothing filed (missed); terminate on the 30th at 10:00.
		env.Clock.Set(sh("2026-11-30", "09:00:00"))
		testkit.CloseOpenTasks(t, env, duty, in.ID, "本次事件不涉及")
		a, err := env.App.Incidents.RequestTermination(ctx, duty, in.ID, "已恢复")
		if err != nil {
			t.Fatal(err)
		}
		env.Clock.Set(sh("2026-11-30", "10:00:00"))
		if _, err := env.App.Incidents.Decide(ctx, city, a.ID, incidents.Decision{Approve: true, Opinion: "同意终止"}); err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Reports.CreateReport(ctx, duty, in.ID, "daily") // no daily after termination, nothing overdue
		testkit.WantCode(t, err, errs.Conflict)
		s, err := env.App.Reports.CreateReport(ctx, duty, in.ID, "summary")
		if err != nil {
			t.Fatal(err)
		}
		if !s.DueAt.Equal(sh("2026-12-07", "10:00:00")) || s.Title != "县政府门户网站遭受DDoS攻击处置工作总结" {
			t.Fatalf("summary %v %q", s.DueAt, s.Title)
		}
		if _, err := env.App.Reports.SignReport(ctx, env.Users["deputy"], s.ID); err != nil {
			t.Fatal(err)
		}
		env.Clock.Set(sh("2026-12-07", "10:00:01"))
		if _, err := env.App.Reports.SubmitReport(ctx, duty, s.ID); err != nil {
			t.Fatal(err)
		}
		v, _ := env.App.Incidents.GetIncident(ctx, duty, in.ID)
		if v.Incident.Status != incident.Closed {
			t.Fatalf("status %s", v.Incident.Status)
		}
		tl, err := env.App.Reports.Timeliness(ctx, city, reports.TimelinessFilter{From: sh("2026-11-01", "00:00:00"), To: sh("2026-12-31", "00:00:00")})
		if err != nil {
			t.Fatal(err)
		}
		if len(tl.Orgs) != 1 || tl.Orgs[0].Org.Name != "青神县公安局" {
			t.Fatalf("orgs %+v", tl.Orgs)
		}
		c := tl.Orgs[0].Tally
		// 28th on time, 29th missed, summary one second late; no 首报 and no
		// 终报 were filed: both missing.
		if c.OnTime != 1 || c.Missing != 3 || c.Late != 1 || c.LateMax != time.Second {
			t.Fatalf("tally %+v rows %+v", c, tl.Rows)
		}
		// The county cannot ask for the city's view; bad periods are refused.
		_, err = env.App.Reports.Timeliness(ctx, duty, reports.TimelinessFilter{OrgID: city.OrgID})
		testkit.WantCode(t, err, errs.Invalid)
		_, err = env.App.Reports.Timeliness(ctx, city, reports.TimelinessFilter{From: sh("2026-12-01", "00:00:00"), To: sh("2026-11-01", "00:00:00")})
		testkit.WantCode(t, err, errs.Invalid)
	})
}

// A late report answers the deadline it missed, never the next one: after
// the 28th's report goes in late, the 29th is still owed.
func TestLateDailyNotCreditedToNext(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := activeIncident(t, env, sh("2026-11-28", "09:20:00"))
		env.Clock.Set(sh("2026-11-28", "17:30:00"))
		r, err := env.App.Reports.CreateReport(ctx, env.Users["duty"], in.ID, "daily")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Reports.SignReport(ctx, env.Users["chief"], r.ID); err != nil {
			t.Fatal(err)
		}
		env.Clock.Set(sh("2026-11-28", "18:00:00"))
		if _, err := env.App.Reports.SubmitReport(ctx, env.Users["duty"], r.ID); err != nil {
			t.Fatal(err)
		}
		v, err := env.App.Incidents.GetIncident(ctx, env.Users["duty"], in.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range v.Deadlines {
			if d.Due.Equal(sh("2026-11-29", "17:00:00")) && d.State != "upcoming" {
				t.Fatalf("the 29th shows %s after the 28th's late report", d.State)
			}
		}
	})
}
