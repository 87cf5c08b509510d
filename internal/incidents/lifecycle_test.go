package incidents_test

import (
	"sync"
	"testing"
	"time"
	"yingji/internal/accounts"
	"yingji/internal/event"
	"yingji/internal/report"
	"yingji/internal/user"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

func TestLifecycle(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, city := env.Users["duty"], env.Users["citydeputy"]
		in := testkit.NewIncident(t, env, "harmful_info")
		if in.Number != "QS-2026-001" || in.Status != incident.Reported {
			t.Fatalf("incident %+v", in)
		}
		if second := testkit.NewIncident(t, env, "harmful_info"); second.Number != "QS-2026-002" {
			t.Fatalf("second number %s", second.Number)
		}

		a, err := env.App.Incidents.RequestActivation(ctx, duty, in.ID, "重要会议期间门户网站遭攻击，影响恶劣")
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != incident.Pending {
			t.Fatalf("approval %+v", a)
		}
		// The city deputy has a notice waiting.
		var inbox []*store.Message
		env.DB.Read(ctx, func(q *store.Q) error { inbox, err = q.Inbox(city.ID, 10); return err })
		if len(inbox) != 1 || inbox[0].Kind != "approval_requested" {
			t.Fatalf("inbox %+v", inbox)
		}
		pending, err := env.App.Incidents.ApprovalsFor(ctx, city)
		if err != nil || len(pending) != 1 || pending[0].ID != a.ID {
			t.Fatalf("pending for city: %v %v", pending, err)
		}
		if got, _ := env.App.Incidents.ApprovalsFor(ctx, env.Users["chief"]); len(got) != 0 {
			t.Fatalf("chief may not approve: %v", got)
		}

		env.Clock.Add(20 * time.Minute) // 09:20 Shanghai
		if _, err := env.App.Incidents.Decide(ctx, city, a.ID, incidents.Decision{Approve: true, Opinion: "同意启动预案。"}); err != nil {
			t.Fatal(err)
		}
		v := testkit.View(t, env, in.ID)
		if v.Incident.Status != incident.Active || v.Incident.ActivatedAt == nil {
			t.Fatalf("status %s", v.Incident.Status)
		}
		if len(v.Tasks) == 0 {
			t.Fatal("no tasks from the plan")
		}
		for _, tk := range v.Tasks {
			if tk.Department == "" || tk.Phase == "" || tk.Status != incident.TaskTodo {
				t.Fatalf("task %+v", tk)
			}
		}
		if !v.Can["request_termination"] || v.Can["request_activation"] {
			t.Fatalf("can %v", v.Can)
		}

		// A department member works a task of his department; another department's task is refused.
		xj := env.Users["xingjing"]
		var own, other *incident.Task
		for _, tk := range v.Tasks {
			if tk.Department == "xingjing" && own == nil {
				own = tk
			}
			if tk.Department != "xingjing" && other == nil {
				other = tk
			}
		}
		doing := "doing"
		// xingjing is a leading-group member, so he may change any task.
		if _, err := env.App.Incidents.UpdateTask(ctx, xj, in.ID, other.ID, incidents.TaskPatch{Status: &doing}); err != nil {
			t.Fatal(err)
		}
		done, note := "done", "已赶赴现场，完成取证"
		tk, err := env.App.Incidents.UpdateTask(ctx, duty, in.ID, other.ID, incidents.TaskPatch{Status: &done, Note: &note})
		if err != nil || tk.Status != incident.TaskDone {
			t.Fatalf("task %v %v", tk, err)
		}
		_ = own

		open, err := env.App.Incidents.OpenTasksBeforeTermination(ctx, duty, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		testkit.CloseOpenTasks(t, env, duty, in.ID, "本次事件不涉及")
		a2, err := env.App.Incidents.RequestTermination(ctx, duty, in.ID, "攻击已得到有效控制，网站恢复运行")
		if err != nil {
			t.Fatal(err)
		}
		env.Clock.Add(time.Hour)
		if _, err := env.App.Incidents.Decide(ctx, city, a2.ID, incidents.Decision{Approve: true, Opinion: "同意终止。"}); err != nil {
			t.Fatal(err)
		}
		v, _ = env.App.Incidents.GetIncident(ctx, duty, in.ID)
		if v.Incident.Status != incident.Terminated {
			t.Fatalf("status %s", v.Incident.Status)
		}
		var summary *report.Deadline
		for i, d := range v.Deadlines {
			if d.Kind == "summary" {
				summary = &v.Deadlines[i]
			}
		}
		if summary == nil || !summary.Due.Equal(v.Incident.TerminatedAt.AddDate(0, 0, 7)) {
			t.Fatalf("summary deadline %+v", v.Deadlines)
		}
		// The summary goes through sign-off; submitting it closes the incident.
		testkit.SubmitSummary(t, env, in.ID)
		v, _ = env.App.Incidents.GetIncident(ctx, duty, in.ID)
		if d := testkit.OfKind(v.Deadlines, "summary"); v.Incident.Status != incident.Closed || len(d) != 1 || d[0].State != "on_time" {
			t.Fatalf("after summary: %s %+v", v.Incident.Status, v.Deadlines)
		}
		entries, err := env.App.Incidents.Timeline(ctx, duty, in.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		kinds := []incident.EntryKind{incident.EntryCreated, incident.EntryActivationRequested, incident.EntryActivationApproved,
			incident.EntryTasksCreated, incident.EntryTaskUpdated, incident.EntryTaskUpdated}
		for range open { // each closed as not applicable
			kinds = append(kinds, incident.EntryTaskUpdated)
		}
		kinds = append(kinds, incident.EntryTerminationRequested,
			incident.EntryTerminationApproved, event.KindReportDrafted, event.KindReportSignoffRequested, event.KindReportSigned,
			incident.EntrySummaryFiled)
		if len(entries) != len(kinds) {
			t.Fatalf("timeline has %d entries, want %d", len(entries), len(kinds))
		}
		for i, k := range kinds {
			if entries[i].Kind != k {
				t.Errorf("entry %d is %s, want %s", i, entries[i].Kind, k)
			}
		}
		testkit.AuditCount(t, env)
	})
}

func TestApprovalRules(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := testkit.NewIncident(t, env, "virus_outbreak")
		a, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "病毒疫情蔓延")
		if err != nil {
			t.Fatal(err)
		}
		before := testkit.AuditCount(t, env)
		// The county's own leaders hold no approver role of the plan; the requester never decides.
		for _, name := range []string{"chief", "deputy", "duty", "admin"} {
			_, err := env.App.Incidents.Decide(ctx, env.Users[name], a.ID, incidents.Decision{Approve: true, Opinion: "同意"})
			testkit.WantCode(t, err, errs.Forbidden)
		}
		// The city deputy who asked cannot decide either: make him the requester of a city-level check.
		if _, err := env.App.Incidents.Decide(ctx, env.Users["citydeputy"], a.ID, incidents.Decision{Approve: true, Opinion: ""}); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("empty opinion: %v", err)
		}
		if after := testkit.AuditCount(t, env); after != before {
			t.Fatalf("refused decisions wrote %d audit records", after-before)
		}
		// Rejection returns the incident to where it was, with the opinion on the timeline.
		if _, err := env.App.Incidents.Decide(ctx, env.Users["citydeputy"], a.ID, incidents.Decision{Approve: false, Opinion: "情况尚不明确，请进一步核实"}); err != nil {
			t.Fatal(err)
		}
		v, _ := env.App.Incidents.GetIncident(ctx, env.Users["duty"], in.ID)
		if v.Incident.Status != incident.Reported || len(v.Tasks) != 0 {
			t.Fatalf("after reject: %s, %d tasks", v.Incident.Status, len(v.Tasks))
		}
		// Decided once.
		_, err = env.App.Incidents.Decide(ctx, env.Users["citydeputy"], a.ID, incidents.Decision{Approve: true, Opinion: "同意"})
		testkit.WantCode(t, err, errs.Conflict)
		// A request from the wrong status.
		_, err = env.App.Incidents.RequestTermination(ctx, env.Users["duty"], in.ID, "x")
		testkit.WantCode(t, err, errs.Conflict)
		// A second open request for the same incident is a conflict.
		if _, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "补充情况后再次申请"); err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Incidents.RequestActivation(ctx, env.Users["deputy"], in.ID, "again")
		testkit.WantCode(t, err, errs.Conflict)
		// The city deputy cannot register or request for a county.
		_, err = env.App.Incidents.RequestTermination(ctx, env.Users["citydeputy"], in.ID, "x")
		testkit.WantCode(t, err, errs.Forbidden)
	})
}

// Two leaders deciding the same approval at the same moment: exactly one wins.
func TestConcurrentDecisions(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		// A second approver in the city bureau.
		if _, err := env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: "眉山市公安局", Username: "citydeputy2", DisplayName: "周副局长",
			Roles: []string{"city_deputy"}, Password: testkit.Password}); err != nil {
			t.Fatal(err)
		}
		var second = env.Users["citydeputy"]
		env.DB.Read(ctx, func(q *store.Q) error { u, err := q.UserByName("citydeputy2"); second = u; return err })
		for round := 0; round < 5; round++ {
			in := testkit.NewIncident(t, env, "harmful_info")
			a, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "攻击")
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			results := make([]error, 2)
			for i, u := range []*struct{ approve bool }{{true}, {false}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					who := env.Users["citydeputy"]
					if i == 1 {
						who = second
					}
					_, results[i] = env.App.Incidents.Decide(ctx, who, a.ID, incidents.Decision{Approve: u.approve, Opinion: "意见"})
				}()
			}
			wg.Wait()
			ok, conflict := 0, 0
			for _, err := range results {
				switch errs.CodeOf(err) {
				case errs.Conflict:
					conflict++
				default:
					if err != nil {
						t.Fatalf("unexpected: %v", err)
					}
					ok++
				}
			}
			if ok != 1 || conflict != 1 {
				t.Fatalf("round %d: %d won, %d conflicts (%v)", round, ok, conflict, results)
			}
		}
		testkit.AuditCount(t, env)
	})
}

func TestBadInputChangesNothing(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		before := testkit.AuditCount(t, env)
		good := incidents.NewIncident{Title: "t", Category: "network_attack", Level: 2, DiscoveredAt: env.Clock.Now()}
		cases := []struct {
			name  string
			mod   func(n *incidents.NewIncident)
			field string
		}{
			{"no title", func(n *incidents.NewIncident) { n.Title = "  " }, "title"},
			{"unknown category", func(n *incidents.NewIncident) { n.Category = "ufo" }, "category"},
			{"level 0", func(n *incidents.NewIncident) { n.Level = 0 }, "level"},
			{"level 5", func(n *incidents.NewIncident) { n.Level = 5 }, "level"},
			{"future", func(n *incidents.NewIncident) { n.DiscoveredAt = env.Clock.Now().Add(time.Hour) }, "discovered_at"},
			{"no time", func(n *incidents.NewIncident) { n.DiscoveredAt = time.Time{} }, "discovered_at"},
			{"bad gb class", func(n *incidents.NewIncident) { n.GBClass = "nope" }, "gb_class"},
		}
		for _, c := range cases {
			n := good
			c.mod(&n)
			_, err := env.App.Incidents.CreateIncident(ctx, duty, n)
			testkit.WantCode(t, err, errs.Invalid)
			if e := errs.As(err); e.Field != c.field {
				t.Errorf("%s: field %q, want %q", c.name, e.Field, c.field)
			}
		}
		_, err := env.App.Incidents.CreateIncident(ctx, env.Users["citydeputy"], good)
		testkit.WantCode(t, err, errs.Forbidden)
		list, _ := env.App.Incidents.ListIncidents(ctx, duty, incident.Filter{})
		if len(list) != 0 || testkit.AuditCount(t, env) != before {
			t.Fatalf("bad input wrote something: %d incidents", len(list))
		}

		// Tasks: wrong incident, bad status, not editable before activation.
		in := testkit.NewIncident(t, env, "network_attack")
		a, _ := env.App.Incidents.RequestActivation(ctx, duty, in.ID, "r")
		env.App.Incidents.Decide(ctx, env.Users["chief"], a.ID, incidents.Decision{Approve: true, Opinion: "同意"})
		other := testkit.NewIncident(t, env, "network_attack")
		v, _ := env.App.Incidents.GetIncident(ctx, duty, in.ID)
		task := v.Tasks[0]
		st := "finished"
		_, err = env.App.Incidents.UpdateTask(ctx, duty, in.ID, task.ID, incidents.TaskPatch{Status: &st})
		testkit.WantCode(t, err, errs.Invalid)
		st = "doing"
		_, err = env.App.Incidents.UpdateTask(ctx, duty, other.ID, task.ID, incidents.TaskPatch{Status: &st})
		testkit.WantCode(t, err, errs.NotFound)
		_, err = env.App.Incidents.UpdateTask(ctx, env.Users["citydeputy"], in.ID, task.ID, incidents.TaskPatch{Status: &st})
		testkit.WantCode(t, err, errs.Forbidden)
		var bad int64 = env.Users["citydeputy"].ID
		_, err = env.App.Incidents.UpdateTask(ctx, duty, in.ID, task.ID, incidents.TaskPatch{AssigneeID: &bad})
		testkit.WantCode(t, err, errs.Invalid)
		done := "done"
		env.App.Incidents.UpdateTask(ctx, duty, in.ID, task.ID, incidents.TaskPatch{Status: &done})
		todo := "todo"
		_, err = env.App.Incidents.UpdateTask(ctx, duty, in.ID, task.ID, incidents.TaskPatch{Status: &todo})
		testkit.WantCode(t, err, errs.Conflict)
		// Filing a summary of an active incident is not allowed.
		_, err = env.App.Reports.FileSummary(ctx, duty, in.ID, "", "x")
		testkit.WantCode(t, err, errs.Conflict)
	})
}

func TestVisibility(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := testkit.NewIncident(t, env, "assigned_task")
		// The city sees the county's incidents; a user of another county does not.
		if list, err := env.App.Incidents.ListIncidents(ctx, env.Users["citydeputy"], incident.Filter{}); err != nil || len(list) != 1 {
			t.Fatalf("city list: %v %v", list, err)
		}
		dp := testkit.OtherCounty(t, env)
		if list, _ := env.App.Incidents.ListIncidents(ctx, dp, incident.Filter{}); len(list) != 0 {
			t.Fatalf("other county sees %d incidents", len(list))
		}
		_, err := env.App.Incidents.GetIncident(ctx, dp, in.ID)
		testkit.WantCode(t, err, errs.NotFound)
		_, err = env.App.Incidents.AddNote(ctx, dp, in.ID, "x")
		testkit.WantCode(t, err, errs.NotFound)
	})
}

func TestListFiltersAndPages(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		for i := 0; i < 7; i++ {
			cat := "network_attack"
			if i%2 == 0 {
				cat = "virus_outbreak"
			}
			in, err := env.App.Incidents.CreateIncident(ctx, duty, incidents.NewIncident{Title: "事件" + string(rune('A'+i)), Category: cat, Level: 1 + i%4, DiscoveredAt: env.Clock.Now()})
			if err != nil {
				t.Fatal(err)
			}
			_ = in
		}
		page1, _ := env.App.Incidents.ListIncidents(ctx, duty, incident.Filter{Limit: 3})
		page2, _ := env.App.Incidents.ListIncidents(ctx, duty, incident.Filter{Limit: 3, Before: page1[2].ID})
		if len(page1) != 3 || len(page2) != 3 || page2[0].ID >= page1[2].ID {
			t.Fatalf("pages %d %d", len(page1), len(page2))
		}
		if l, _ := env.App.Incidents.ListIncidents(ctx, duty, incident.Filter{Category: "virus_outbreak"}); len(l) != 4 {
			t.Fatalf("category filter: %d", len(l))
		}
		if l, _ := env.App.Incidents.ListIncidents(ctx, duty, incident.Filter{Level: 1}); len(l) != 2 {
			t.Fatalf("level filter: %d", len(l))
		}
		if l, _ := env.App.Incidents.ListIncidents(ctx, duty, incident.Filter{Text: "事件C"}); len(l) != 1 {
			t.Fatalf("text filter: %d", len(l))
		}
		if l, _ := env.App.Incidents.ListIncidents(ctx, duty, incident.Filter{Statuses: []incident.Status{incident.Active}}); len(l) != 0 {
			t.Fatalf("status filter: %d", len(l))
		}
		_, err := env.App.Incidents.ListIncidents(ctx, duty, incident.Filter{Statuses: []incident.Status{"nope"}})
		testkit.WantCode(t, err, errs.Invalid)
	})
}
