package incidents_test

import (
	"strconv"
	"strings"
	"testing"

	"yingji/internal/dashboard"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/testkit"
)

func taskByKey(t *testing.T, env *testkit.Env, id int64, key string) *incident.Task {
	t.Helper()
	v := testkit.View(t, env, id)
	for _, tk := range v.Tasks {
		if tk.TemplateKey == key {
			return tk
		}
	}
	t.Fatalf("no task %s", key)
	return nil
}

// Issue 11, gap 2: "终止预案,同时报告市委、市政府和上级公安机关…预案终止后一周
// 内上报处置工作总结". Before, every task locked at termination (409
// tasks_locked), including these, while they could be ticked done with the
// incident still active; and termination was approved with 21 tasks open.
func TestTerminationAsTheSeedWritesIt(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, city := env.Users["duty"], env.Users["citydeputy"]
		in := testkit.NewIncident(t, env, "harmful_info")
		testkit.Activate(t, env, in)
		done, na, todo := "done", "na", "todo"

		// Reporting the termination cannot be done before termination.
		gov := taskByKey(t, env, in.ID, "end_report_gov")
		_, err := env.App.Incidents.UpdateTask(ctx, duty, in.ID, gov.ID, incidents.TaskPatch{Status: &done})
		testkit.WantKey(t, err, errs.Conflict, "error.task_after_termination")
		// Nor waved away as not applicable: the seed orders it (同时报告).
		why := "不报了"
		_, err = env.App.Incidents.UpdateTask(ctx, duty, in.ID, gov.ID, incidents.TaskPatch{Status: &na, Reason: &why})
		testkit.WantKey(t, err, errs.Conflict, "error.task_after_termination")

		// Termination cannot be requested while tasks are open; the refusal names them.
		_, err = env.App.Incidents.RequestTermination(ctx, duty, in.ID, "有害信息传播已得到控制")
		testkit.WantKey(t, err, errs.Conflict, "error.tasks_open")
		open, err := env.App.Incidents.OpenTasksBeforeTermination(ctx, duty, in.ID)
		if err != nil || len(open) == 0 {
			t.Fatalf("open %d %v", len(open), err)
		}
		for _, tk := range open {
			if tk.Phase == "termination" && tk.TemplateKey != "end_assess" {
				t.Errorf("task %s after termination listed as open", tk.TemplateKey)
			}
		}
		// 不适用 needs a reason.
		_, err = env.App.Incidents.UpdateTask(ctx, duty, in.ID, open[0].ID, incidents.TaskPatch{Status: &na})
		testkit.WantCode(t, err, errs.Invalid)
		if _, err := env.App.Incidents.UpdateTask(ctx, duty, in.ID, open[0].ID, incidents.TaskPatch{Status: &done}); err != nil {
			t.Fatal(err)
		}
		testkit.CloseOpenTasks(t, env, duty, in.ID, "本次事件未涉及电子邮件")
		a, err := env.App.Incidents.RequestTermination(ctx, duty, in.ID, "有害信息传播已得到控制")
		if err != nil {
			t.Fatal(err)
		}
		// The approver sees the tasks closed as not applicable, with the reasons.
		entries, err := env.App.Incidents.Timeline(ctx, city, in.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var req *incident.Entry
		for _, e := range entries {
			if e.Kind == incident.EntryTerminationRequested {
				req = e
			}
		}
		if req == nil || req.Data["na_count"] != strconv.Itoa(len(open)-1) || !strings.Contains(req.Data["na_items"], "本次事件未涉及电子邮件") {
			t.Fatalf("termination request %+v", req)
		}
		// A task reopened while the request waits blocks the approval.
		if _, err := env.App.Incidents.UpdateTask(ctx, duty, in.ID, open[1].ID, incidents.TaskPatch{Status: &todo}); err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Incidents.Decide(ctx, city, a.ID, incidents.Decision{Approve: true, Opinion: "同意终止"})
		testkit.WantKey(t, err, errs.Conflict, "error.tasks_open")
		reason := "本次事件未涉及电子邮件"
		if _, err := env.App.Incidents.UpdateTask(ctx, duty, in.ID, open[1].ID, incidents.TaskPatch{Status: &na, Reason: &reason}); err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Incidents.Decide(ctx, city, a.ID, incidents.Decision{Approve: true, Opinion: "同意终止"}); err != nil {
			t.Fatal(err)
		}

		// After termination: the reporting tasks are workable until done ...
		for _, key := range []string{"end_report_gov", "end_report_superior"} {
			tk := taskByKey(t, env, in.ID, key)
			note := "已书面报告"
			if _, err := env.App.Incidents.UpdateTask(ctx, duty, in.ID, tk.ID, incidents.TaskPatch{Status: &done, Note: &note}); err != nil {
				t.Fatalf("%s after termination: %v", key, err)
			}
		}
		v := testkit.View(t, env, in.ID)
		sum := taskByKey(t, env, in.ID, "summary")
		if !v.TaskCan[sum.ID]["update"] || v.TaskCan[open[0].ID]["update"] || !dashboard.MayEditTask(duty, v, sum) {
			t.Errorf("task can after termination: summary %v, other %v", v.TaskCan[sum.ID], v.TaskCan[open[0].ID])
		}
		// ... every other task is locked as before.
		_, err = env.App.Incidents.UpdateTask(ctx, duty, in.ID, open[1].ID, incidents.TaskPatch{Status: &todo})
		testkit.WantKey(t, err, errs.Conflict, "error.tasks_locked")

		// The summary drafted now does not claim 有效处置: the summary task is still open.
		r, err := env.App.Reports.FileSummary(ctx, duty, in.ID, "", "处置工作总结正文")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(r.Fields.Impact, "有效处置") || !strings.Contains(r.Fields.Impact, "尚有1项处置任务未完成") {
			t.Errorf("summary impact %q", r.Fields.Impact)
		}
		if !strings.Contains(r.Fields.Measures, "不适用（本次事件未涉及电子邮件）") {
			t.Errorf("summary measures %q", r.Fields.Measures)
		}
		testkit.AuditCount(t, env) // verifies the chain
	})
}

// Issue 11, gap 6: 四(一)2 关闭本地网站和网上服务,需报经分管领导批准. Before,
// the duty officer marked the task done with the note "未经领导批准" and got
// 200. Now it needs the county 副组长's approval first, and the request,
// the decision and the opinion are on the task and the timeline.
func TestGatedTaskNeedsApproval(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, deputy := env.Users["duty"], env.Users["deputy"]
		in := testkit.NewIncident(t, env, "harmful_info")
		testkit.Activate(t, env, in)
		gate := taskByKey(t, env, in.ID, "request_local_closure")
		done, note := "done", "未经领导批准"

		_, err := env.App.Incidents.UpdateTask(ctx, duty, in.ID, gate.ID, incidents.TaskPatch{Status: &done, Note: &note})
		testkit.WantKey(t, err, errs.Conflict, "error.task_needs_approval")

		// Nothing to decide before a request.
		_, err = env.App.Incidents.DecideTaskApproval(ctx, deputy, in.ID, gate.ID, incidents.Decision{Approve: true, Opinion: "同意"})
		testkit.WantKey(t, err, errs.Conflict, "error.task_approval_not_pending")
		// An ungated task cannot be sent for approval.
		_, err = env.App.Incidents.RequestTaskApproval(ctx, duty, in.ID, taskByKey(t, env, in.ID, "record_spread").ID, "x")
		testkit.WantKey(t, err, errs.Conflict, "error.task_not_gated")

		tk, err := env.App.Incidents.RequestTaskApproval(ctx, duty, in.ID, gate.ID, "该网站持续传播有害信息，拟关闭")
		if err != nil || tk.Approval.Status != incident.Pending {
			t.Fatalf("request %+v %v", tk, err)
		}
		_, err = env.App.Incidents.RequestTaskApproval(ctx, duty, in.ID, gate.ID, "再次")
		testkit.WantKey(t, err, errs.Conflict, "error.task_approval_pending")
		v, _ := env.App.Incidents.GetIncident(ctx, deputy, in.ID)
		if !v.TaskCan[gate.ID]["decide_approval"] {
			t.Errorf("deputy may not decide: %v", v.TaskCan[gate.ID])
		}
		// Only the county's 分管领导 (副组长) decides: not the requester, not the
		// 组长, not the city (分管领导 here is the county's).
		for _, name := range []string{"duty", "chief", "citydeputy", "xingjing"} {
			_, err := env.App.Incidents.DecideTaskApproval(ctx, env.Users[name], in.ID, gate.ID, incidents.Decision{Approve: true, Opinion: "同意"})
			testkit.WantCode(t, err, errs.Forbidden)
			if v, _ := env.App.Incidents.GetIncident(ctx, env.Users[name], in.ID); v != nil && v.TaskCan[gate.ID]["decide_approval"] {
				t.Errorf("%s offered the decision", name)
			}
		}
		_, err = env.App.Incidents.DecideTaskApproval(ctx, deputy, in.ID, gate.ID, incidents.Decision{Approve: true})
		testkit.WantCode(t, err, errs.Invalid) // the opinion is required
		tk, err = env.App.Incidents.DecideTaskApproval(ctx, deputy, in.ID, gate.ID, incidents.Decision{Approve: true, Opinion: "同意关闭，依法留存证据"})
		if err != nil || tk.Approval.Status != incident.Approved || tk.Approval.DecidedBy != deputy.ID || tk.Approval.Opinion == "" {
			t.Fatalf("decide %+v %v", tk, err)
		}
		note = "已按批准关闭"
		if tk, err = env.App.Incidents.UpdateTask(ctx, duty, in.ID, gate.ID, incidents.TaskPatch{Status: &done, Note: &note}); err != nil || tk.Status != incident.TaskDone {
			t.Fatalf("done after approval: %+v %v", tk, err)
		}
		hist, err := env.App.Incidents.TaskHistory(ctx, duty, in.ID, gate.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []incident.EntryKind
		for _, e := range hist {
			kinds = append(kinds, e.Kind)
		}
		want := []incident.EntryKind{incident.EntryTaskApprovalRequested, incident.EntryTaskApprovalDecided, incident.EntryTaskUpdated}
		if len(kinds) != 3 || kinds[0] != want[0] || kinds[1] != want[1] || kinds[2] != want[2] {
			t.Fatalf("task history %v", kinds)
		}
		if hist[1].Data["opinion"] != "同意关闭，依法留存证据" || hist[1].Data["decision"] != "approved" {
			t.Errorf("decision entry %+v", hist[1].Data)
		}

		// A rejection leaves the task undone; it may be asked again.
		in2 := testkit.NewIncident(t, env, "harmful_info")
		testkit.Activate(t, env, in2)
		g2 := taskByKey(t, env, in2.ID, "request_local_closure")
		if _, err := env.App.Incidents.RequestTaskApproval(ctx, duty, in2.ID, g2.ID, "拟关闭"); err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Incidents.DecideTaskApproval(ctx, deputy, in2.ID, g2.ID, incidents.Decision{Approve: false, Opinion: "证据不足，暂不关闭"}); err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Incidents.UpdateTask(ctx, duty, in2.ID, g2.ID, incidents.TaskPatch{Status: &done})
		testkit.WantKey(t, err, errs.Conflict, "error.task_needs_approval")
		if _, err := env.App.Incidents.RequestTaskApproval(ctx, duty, in2.ID, g2.ID, "补充证据后再次报批"); err != nil {
			t.Fatal(err)
		}
		testkit.AuditCount(t, env) // verifies the chain
	})
}
