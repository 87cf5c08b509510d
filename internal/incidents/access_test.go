package incidents_test

import (
	"bytes"
	"testing"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/report"
	"yingji/internal/reports"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// TestNeedToKnowReadPaths: a 交警 officer with no role reads none of an
// incident he has no part in, by any read path, and is told "not found";
// the department that owns a task and a named assignee do read it.
func TestNeedToKnowReadPaths(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		jj := testkit.Officer(t, env, "jjofficer", "jiaojing")
		xx := testkit.Officer(t, env, "xxofficer", "xinxi") // 信息通信科 owns a task of network_attack
		in := testkit.NewIncident(t, env, "network_attack")
		if _, err := env.App.Incidents.GetIncident(ctx, xx, in.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("信息通信科 before any task: %v", err)
		}
		testkit.Activate(t, env, in)
		duty := env.Users["duty"]
		if _, err := env.App.Incidents.AddNote(ctx, duty, in.ID, "已固定攻击日志"); err != nil {
			t.Fatal(err)
		}
		r, err := env.App.Reports.CreateReport(ctx, duty, in.ID, report.Followup)
		if err != nil {
			t.Fatal(err)
		}
		v := testkit.View(t, env, in.ID)
		taskID := v.Tasks[0].ID

		notFound := func(what string, err error) {
			t.Helper()
			if errs.CodeOf(err) != errs.NotFound {
				t.Errorf("%s: want not found, got %v", what, err)
			}
		}
		_, err = env.App.Incidents.GetIncident(ctx, jj, in.ID)
		notFound("incident", err)
		_, err = env.App.Dashboard.IncidentPage(ctx, jj, in.ID, 0, 50)
		notFound("incident page", err)
		_, err = env.App.Incidents.Timeline(ctx, jj, in.ID, 0, 100)
		notFound("timeline", err)
		_, err = env.App.Incidents.TaskHistory(ctx, jj, in.ID, taskID)
		notFound("task history", err)
		_, err = env.App.Reports.ListReports(ctx, jj, in.ID)
		notFound("reports", err)
		_, err = env.App.Reports.GetReport(ctx, jj, r.ID)
		notFound("report", err)
		_, _, err = env.App.Reports.ReportDocument(ctx, jj, r.ID, "pdf")
		notFound("report document", err)
		_, _, err = env.App.Dashboard.Changes(ctx, jj, in.ID, 0)
		notFound("live updates", err)
		_, err = env.App.Incidents.TaskUnits(ctx, jj, in.ID)
		notFound("task units", err)
		_, err = env.App.Incidents.AddNote(ctx, jj, in.ID, "x")
		notFound("note", err)
		if list, err := env.App.Incidents.ListIncidents(ctx, jj, incident.Filter{Text: "DDoS"}); err != nil || len(list) != 0 {
			t.Errorf("search: %d %v", len(list), err)
		}
		if d, err := env.App.Dashboard.Dashboard(ctx, jj); err != nil || d.Total != 0 || len(d.Incidents) != 0 {
			t.Errorf("command post: %+v %v", d, err)
		}
		if _, changed, err := env.App.Dashboard.Changes(ctx, jj, 0, 0); err != nil || changed {
			t.Errorf("live updates of all: %v %v", changed, err)
		}
		if tl, err := env.App.Reports.Timeliness(ctx, jj, reports.TimelinessFilter{}); err != nil || len(tl.Rows) != 0 || len(tl.Incidents) != 0 {
			t.Errorf("timeliness: %+v %v", tl, err)
		}

		// The department owning a task reads it, in the list and directly.
		if _, err := env.App.Incidents.GetIncident(ctx, xx, in.ID); err != nil {
			t.Fatalf("信息通信科 after activation: %v", err)
		}
		if list, err := env.App.Incidents.ListIncidents(ctx, xx, incident.Filter{}); err != nil || len(list) != 1 {
			t.Fatalf("信息通信科 list: %d %v", len(list), err)
		}
		// Named as a task's assignee, the 交警 officer reads it too.
		if _, err := env.App.Incidents.UpdateTask(ctx, duty, in.ID, taskID, incidents.TaskPatch{AssigneeID: &jj.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Reports.GetReport(ctx, jj, r.ID); err != nil {
			t.Fatalf("assignee: %v", err)
		}
		if d, err := env.App.Dashboard.Dashboard(ctx, jj); err != nil || d.Total != 1 {
			t.Fatalf("assignee's command post: %v %v", d.Total, err)
		}
		// The demo users read what they read before.
		for _, name := range []string{"duty", "chief", "deputy", "xingjing", "citydeputy", "admin"} {
			if list, err := env.App.Incidents.ListIncidents(ctx, env.Users[name], incident.Filter{}); err != nil || len(list) != 1 {
				t.Errorf("%s: %d %v", name, len(list), err)
			}
		}
	})
}

// TestNeedToKnowListPages: the list filters in SQL, so a page of a
// need-to-know reader is full and the cursor walks on past hidden incidents.
func TestNeedToKnowListPages(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		xx := testkit.Officer(t, env, "xxofficer", "xinxi")
		var mine []int64
		for i := 0; i < 9; i++ {
			in := testkit.NewIncident(t, env, "network_attack")
			if i%3 == 0 {
				testkit.Activate(t, env, in) // its tasks include one of 信息通信科
				mine = append(mine, in.ID)
			}
		}
		p1, err := env.App.Incidents.ListIncidents(ctx, xx, incident.Filter{Limit: 2})
		if err != nil || len(p1) != 2 || p1[0].ID != mine[2] || p1[1].ID != mine[1] {
			t.Fatalf("page 1: %v %v", p1, err)
		}
		p2, err := env.App.Incidents.ListIncidents(ctx, xx, incident.Filter{Limit: 2, Before: p1[1].ID})
		if err != nil || len(p2) != 1 || p2[0].ID != mine[0] {
			t.Fatalf("page 2: %v %v", p2, err)
		}
	})
}

// TestPlanWidensVisibility: a plan with visibility: organisation opens its
// incidents to every user of the organisation; a category may keep
// need-to-know.
func TestPlanWidensVisibility(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		jj := testkit.Officer(t, env, "jjofficer", "jiaojing")
		_, data := testkit.DefaultPlan(t)
		data = bytes.Replace(data, []byte(`version: "`+env.Plan.Version+`"`), []byte("version: \"test-wide\"\nvisibility: organisation"), 1)
		data = bytes.Replace(data, []byte("    gb_class: content\n"), []byte("    gb_class: content\n    visibility: need_to_know\n"), 1)
		if _, _, err := env.App.Plans.InstallPlan(ctx, user.System(), "wide.yaml", data); err != nil {
			t.Fatal(err)
		}
		open := testkit.NewIncident(t, env, "network_attack")
		closed := testkit.NewIncident(t, env, "harmful_info")
		if _, err := env.App.Incidents.GetIncident(ctx, jj, open.ID); err != nil {
			t.Fatalf("open plan: %v", err)
		}
		_, err := env.App.Incidents.GetIncident(ctx, jj, closed.ID)
		testkit.WantCode(t, err, errs.NotFound)
		if list, err := env.App.Incidents.ListIncidents(ctx, jj, incident.Filter{}); err != nil || len(list) != 1 || list[0].ID != open.ID {
			t.Fatalf("list: %v %v", list, err)
		}
	})
}
