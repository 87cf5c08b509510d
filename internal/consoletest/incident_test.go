package consoletest

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"yingji/internal/accounts"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

func countIncidents(t *testing.T, env *testkit.Env) int {
	t.Helper()
	var n int
	env.DB.Read(ctx, func(q *store.Q) error {
		list, err := q.Incidents(incident.Filter{Limit: 500}, nil)
		n = len(list)
		return err
	})
	return n
}

func TestRegisterForm(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		duty := loggedIn(t, base, "duty")
		form := url.Values{"title": {""}, "category": {"network_attack"}, "level": {"2"}, "discovered_at": {"2026-11-28T08:30"},
			"discovery_method": {"网站监测告警"}, "description": {"门户网站无法访问"}}
		r := duty.post("/incidents", form)
		wantStatus(t, r, http.StatusBadRequest)
		// The error sits next to the field, and what was typed is kept.
		wantBody(t, r, `id="err-title"`, "此项必填", `aria-describedby="err-title"`, "门户网站无法访问", `value="网站监测告警"`, `value="2026-11-28T08:30"`)
		form.Set("title", "门户网站遭篡改")
		form.Set("discovered_at", "2026-11-28T23:30")
		r = duty.post("/incidents", form)
		wantStatus(t, r, http.StatusBadRequest)
		wantBody(t, r, `id="err-discovered_at"`, "发现时间不能晚于当前时间")
		form.Set("discovered_at", "2026-11-28T08:30")
		form.Set("category", "no_such")
		wantBody(t, duty.post("/incidents", form), `id="err-category"`)
		if n := countIncidents(t, env); n != 0 {
			t.Fatalf("bad forms created %d incidents", n)
		}
		// Forged: 403 and nothing created.
		form.Set("category", "network_attack")
		form.Set("csrf", "forged")
		wantStatus(t, duty.do("POST", "/incidents", form), http.StatusForbidden)
		if n := countIncidents(t, env); n != 0 {
			t.Fatal("forged form created an incident")
		}
		form.Del("csrf")
		r = duty.post("/incidents", form)
		wantStatus(t, r, http.StatusSeeOther)
		page := duty.get(r.Location)
		wantStatus(t, page, http.StatusOK)
		// 08:30 in the plan's zone, whatever the server's.
		wantBody(t, page, "QS-2026-001", "门户网站遭篡改", "事件 QS-2026-001 已登记", "2026年11月28日 08:30", "橙 Ⅱ", "提请领导小组决定启动")
		// The city deputy registers for his own bureau nothing, but may assign
		// a task to the county (四(五)): the form offers the county and only
		// the category a superior may assign.
		city := loggedIn(t, base, "citydeputy")
		if !strings.Contains(city.get("/").Body, `href="/incidents/new"`) {
			t.Fatal("the city deputy is not offered the register form to assign a task")
		}
		cf := city.get("/incidents/new")
		wantStatus(t, cf, http.StatusOK)
		wantBody(t, cf, `name="org_id"`, "青神县公安局", `value="assigned_task"`, `id="instructions"`)
		if strings.Contains(cf.Body, `value="network_attack"`) || strings.Contains(cf.Body, "本单位") {
			t.Fatal("the city deputy is offered what he may not register")
		}
		wantStatus(t, loggedIn(t, base, "secadmin").get("/incidents/new"), http.StatusForbidden)
	})
}

var approvalRe = regexp.MustCompile(`/approvals/(\d+)/decision`)

func TestLifecycleThroughForms(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		duty, city := loggedIn(t, base, "duty"), loggedIn(t, base, "citydeputy")
		// 四(一)1: harmful information is activated with the city's approval.
		in, err := env.App.Incidents.CreateIncident(ctx, env.Users["duty"], incidents.NewIncident{Title: "境外网站散布涉我县有害信息", Category: "harmful_info", Level: 3,
			DiscoveredAt: env.Clock.Now().Add(-10 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		path := "/incidents/" + itoa(in.ID)
		wantBody(t, duty.get(path), "申请市局批准启动")

		// The city deputy may not ask for activation: 403, nothing changes.
		wantStatus(t, city.post(path+"/activation", url.Values{"reason": {"x"}}), http.StatusForbidden)
		// A request without a reason comes back with the error named.
		wantBody(t, duty.submit(path+"/activation", url.Values{"reason": {""}}), "理由：此项必填")
		if st := incidentStatus(t, env, in.ID); st != incident.Reported {
			t.Fatalf("status %s", st)
		}
		wantStatus(t, duty.do("POST", path+"/activation", url.Values{"csrf": {"forged"}, "reason": {"影响恶劣"}}), http.StatusForbidden)
		if st := incidentStatus(t, env, in.ID); st != incident.Reported {
			t.Fatalf("forged request changed status to %s", st)
		}
		wantStatus(t, duty.post(path+"/activation", url.Values{"reason": {"影响恶劣"}}), http.StatusSeeOther)
		if st := incidentStatus(t, env, in.ID); st != incident.ActivationRequested {
			t.Fatalf("status %s", st)
		}
		// Duty cannot decide its own request; the page offers no decision.
		page := duty.get(path)
		if strings.Contains(page.Body, `id="decide-form"`) || strings.Contains(page.Body, `id="activation-form"`) {
			t.Fatal("duty is offered actions it may not take")
		}
		// The city deputy finds it in the inbox and on the command post.
		inbox := city.get("/approvals")
		wantBody(t, inbox, in.Number, "影响恶劣", "张值班")
		wantBody(t, city.get("/"), in.Number, "去审批")
		aid := approvalRe.FindStringSubmatch(inbox.Body)[1]
		wantBody(t, city.submit("/approvals/"+aid+"/decision", url.Values{"decision": {"approve"}, "opinion": {""}, "back": {"/approvals"}}), "审批意见：此项必填")
		wantStatus(t, duty.post("/approvals/"+aid+"/decision", url.Values{"decision": {"approve"}, "opinion": {"自批"}}), http.StatusForbidden)
		wantBody(t, city.submit("/approvals/"+aid+"/decision", url.Values{"decision": {"approve"}, "opinion": {"同意启动，注意舆情"}, "back": {"/approvals"}}), "已同意", "没有等待您审批的申请")
		if st := incidentStatus(t, env, in.ID); st != incident.Active {
			t.Fatalf("status %s", st)
		}
		page = duty.get(path)
		wantBody(t, page, "批准启动预案，意见：同意启动，注意舆情", `id="termination-form"`, "预案启动")

		// Tasks: duty finishes one; an officer outside the leading group
		// may change only the tasks of its own department.
		v := testkit.View(t, env, in.ID)
		var own, other *incident.Task
		for _, task := range v.Tasks {
			if task.Department != "wangjian" && own == nil {
				own = task
			}
		}
		for _, task := range v.Tasks {
			if task.Department != own.Department && other == nil {
				other = task
			}
		}
		if _, err := env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: "青神县公安局", Department: own.Department, Username: "xjstaff",
			DisplayName: "部门民警", Password: testkit.Password}); err != nil {
			t.Fatal(err)
		}
		taskPath := func(t *incident.Task) string { return path + "/tasks/" + itoa(t.ID) }
		xj := loggedIn(t, base, "xjstaff")
		wantStatus(t, xj.post(taskPath(other), url.Values{"status": {"done"}}), http.StatusForbidden)
		wantStatus(t, city.post(taskPath(other), url.Values{"status": {"done"}}), http.StatusForbidden)
		wantStatus(t, xj.post(taskPath(own), url.Values{"status": {"doing"}, "note": {"已派员"}}), http.StatusSeeOther)
		wantStatus(t, duty.do("POST", taskPath(other), url.Values{"csrf": {"x"}, "status": {"done"}}), http.StatusForbidden)
		wantBody(t, duty.submit(taskPath(other), url.Values{"status": {"done"}, "note": {"已完成"}}), "已更新", "状态由“待办”改为“已完成”")
		xjUser, _ := userByName(env, "xjstaff")
		r := duty.post(taskPath(own), url.Values{"save": {"assign"}, "assignee_id": {itoa(xjUser.ID)}})
		wantStatus(t, r, http.StatusSeeOther)
		wantBody(t, duty.get(path), "承办人改为部门民警")
		// 刑警's dashboard lists its task.
		wantBody(t, xj.get("/"), own.Title)
		// Bad move: a finished task cannot be "finished" again.
		r = duty.post(taskPath(other), url.Values{"status": {"done"}})
		wantStatus(t, r, http.StatusSeeOther)

		wantStatus(t, duty.post(path+"/notes", url.Values{"text": {"已协调运营商清洗流量"}}), http.StatusSeeOther)
		wantBody(t, duty.get(path), "记录：已协调运营商清洗流量")

		// Issue 11: termination waits until every task is done or 不适用
		// with a reason; the page lists them above the request.
		wantBody(t, duty.get(path), `id="term-open"`)
		wantBody(t, duty.submit(path+"/termination", url.Values{"reason": {"攻击已停止，网站恢复"}}), "须逐项办结或注明不适用理由")
		wantBody(t, duty.get(taskPath(own)), `id="na-form"`)
		wantBody(t, duty.submit(taskPath(own), url.Values{"status": {"na"}, "reason": {""}}), "须填写理由")
		wantStatus(t, duty.post(taskPath(own), url.Values{"status": {"na"}, "reason": {"本次攻击未涉及刑事案件"}}), http.StatusSeeOther)
		wantBody(t, duty.get(taskPath(own)), "不适用理由：本次攻击未涉及刑事案件")
		testkit.CloseOpenTasks(t, env, env.Users["duty"], in.ID, "本次事件不涉及")
		wantStatus(t, duty.post(path+"/termination", url.Values{"reason": {"攻击已停止，网站恢复"}}), http.StatusSeeOther)
		page = city.get(path)
		wantBody(t, page, `id="decide-na"`, "本次攻击未涉及刑事案件")
		wantBody(t, city.get("/approvals"), `class="small na-tasks"`, "本次攻击未涉及刑事案件")
		wantBody(t, page, `id="decide-form"`, "审批：预案终止")
		aid = approvalRe.FindStringSubmatch(page.Body)[1]
		wantStatus(t, city.post("/approvals/"+aid+"/decision", url.Values{"decision": {"approve"}, "opinion": {"同意终止"}}), http.StatusSeeOther)
		if st := incidentStatus(t, env, in.ID); st != incident.Terminated {
			t.Fatalf("status %s", st)
		}
		wantBody(t, duty.get(path), `id="summary-form"`, "处置工作总结")
		wantStatus(t, duty.post(path+"/summary", url.Values{"body": {"攻击持续约两小时，已恢复。"}}), http.StatusSeeOther)
		// The summary goes to a leader for sign-off (签发); submitting the signed summary closes the incident.
		if st := incidentStatus(t, env, in.ID); st != incident.Terminated {
			t.Fatalf("status before sign-off %s", st)
		}
		reports, err := env.App.Reports.ListReports(ctx, env.Users["duty"], in.ID)
		if err != nil || len(reports) != 1 {
			t.Fatalf("reports %v %v", reports, err)
		}
		if _, err := env.App.Reports.SignReport(ctx, env.Users["chief"], reports[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Reports.SubmitReport(ctx, env.Users["duty"], reports[0].ID); err != nil {
			t.Fatal(err)
		}
		if st := incidentStatus(t, env, in.ID); st != incident.Closed {
			t.Fatalf("status %s", st)
		}
		wantBody(t, duty.get(path), "当前没有需要您办理的操作", "处置工作总结", "SHA-256")
	})
}

func TestVisibility(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		// A second county under the city, with its own duty officer.
		err := env.DB.Write(ctx, func(tx *store.Tx) error {
			city, err := tx.OrgByName("眉山市公安局")
			if err != nil {
				return err
			}
			return tx.CreateOrg(&user.Org{Name: "丹棱县公安局", Code: "DL", ParentID: city.ID, PlanKey: env.Plan.Key})
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: "丹棱县公安局", Username: "dlduty", DisplayName: "丹棱值班", Roles: []string{user.RoleDutyOfficer}, Password: testkit.Password}); err != nil {
			t.Fatal(err)
		}
		base := newServer(t, env)
		in := newIncident(t, env)
		path := "/incidents/" + itoa(in.ID)
		dl, city := loggedIn(t, base, "dlduty"), loggedIn(t, base, "citydeputy")
		wantStatus(t, dl.get(path), http.StatusNotFound)
		wantStatus(t, dl.post(path+"/notes", url.Values{"text": {"窥探"}}), http.StatusNotFound)
		if r := dl.get("/incidents"); strings.Contains(r.Body, in.Number) {
			t.Fatal("another county sees the incident in its list")
		}
		if r := dl.get("/"); strings.Contains(r.Body, in.Number) {
			t.Fatal("another county sees the incident on its command post")
		}
		// The city sees both counties and may filter by organisation.
		r := city.get("/incidents")
		wantBody(t, r, in.Number, "丹棱县公安局", `name="org"`)
		qs := orgID(t, env, "青神县公安局")
		wantBody(t, city.get("/incidents?org="+qs), in.Number)
		if r := city.get("/incidents?org=" + orgID(t, env, "丹棱县公安局")); strings.Contains(r.Body, in.Number) {
			t.Fatal("org filter ignored")
		}
		// A county may not filter by an organisation it cannot see.
		wantStatus(t, dl.get("/incidents?org="+qs), http.StatusBadRequest)
		wantStatus(t, dl.get("/events?incident="+itoa(in.ID)), http.StatusNotFound)
		wantStatus(t, city.get(path), http.StatusOK)
	})
}

func orgID(t *testing.T, env *testkit.Env, name string) string {
	var id int64
	env.DB.Read(ctx, func(q *store.Q) error { o, err := q.OrgByName(name); id = o.ID; return err })
	return strconv.FormatInt(id, 10)
}

func TestListFiltersAndPaging(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		for i := 0; i < 52; i++ {
			newIncident(t, env)
		}
		in, err := env.App.Incidents.CreateIncident(ctx, env.Users["duty"], incidents.NewIncident{Title: "数据泄露线索", Category: "network_attack", Level: 1,
			DiscoveredAt: env.Clock.Now().Add(-time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		duty := loggedIn(t, base, "duty")
		r := duty.get("/incidents")
		wantBody(t, r, "QS-2026-053", "QS-2026-004", `rel="next"`)
		if strings.Contains(r.Body, "QS-2026-003<") {
			t.Fatal("first page too long")
		}
		next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(r.Body)[1]
		r = duty.get(strings.ReplaceAll(next, "&amp;", "&"))
		wantBody(t, r, "QS-2026-003", "QS-2026-001")
		wantBody(t, duty.get("/incidents?level=1"), in.Number)
		if r := duty.get("/incidents?level=1"); strings.Contains(r.Body, "QS-2026-001<") {
			t.Fatal("level filter ignored")
		}
		r = duty.get("/incidents?q=" + url.QueryEscape("数据泄露"))
		wantBody(t, r, in.Number)
		if strings.Contains(r.Body, "QS-2026-002<") {
			t.Fatal("text filter ignored")
		}
		wantBody(t, duty.get("/incidents?status=active"), "没有符合条件的事件")
		wantStatus(t, duty.get("/incidents?status=bogus"), http.StatusBadRequest)
		wantStatus(t, duty.get("/incidents?level=x"), http.StatusBadRequest)
	})
}
