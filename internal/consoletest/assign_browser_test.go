package consoletest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/testkit"
)

// TestBrowserLeaderActivatesNetworkAttack: 四(三)1 "敏感时期和重要会议、活动期间,
// 本地互联网遭到网络攻击,启动预案". Duty registers the attack and asks the
// leading group; the county's 组长 decides on the incident page, worded as a
// decision of the leading group; the tasks (赶赴现场 first) show at once and
// the timeline says the city was informed.
func TestBrowserLeaderActivatesNetworkAttack(t *testing.T) {
	_, base := browserEnv(t)
	duty, chief := chromium(t), chromium(t)

	uiLogin(t, duty, base, "duty", testkit.Password)
	uiRegister(t, duty, base, "重要会议期间县政府门户网站遭受攻击", "2")
	if h := value(t, duty, chromedp.Text(chromedp.CSS("#activation-form h3"))); !strings.Contains(h, "提请领导小组决定启动") {
		t.Fatalf("activation form worded %q", h)
	}
	url := value(t, duty, chromedp.Location())
	run(t, duty, "ask the leading group",
		chromedp.SendKeys(chromedp.CSS("#act-reason"), "重要会议期间门户网站遭攻击"),
		chromedp.Click(chromedp.CSS("#activation-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-status="activation_requested"]`)),
	)

	uiLogin(t, chief, base, "chief", testkit.Password)
	run(t, chief, "open the incident",
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("#decide-form")),
	)
	if h := value(t, chief, chromedp.Text(chromedp.CSS("#decide-form h3"))); !strings.Contains(h, "领导小组决定启动") {
		t.Fatalf("decision form worded %q", h)
	}
	run(t, chief, "decide",
		chromedp.SendKeys(chromedp.CSS("#opinion"), "立即启动预案，网监科赶赴现场"),
		chromedp.Click(chromedp.CSS(`#decide-form button[value="approve"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)),
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-status="active"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-task-status="todo"]`)),
	)
	body := value(t, chief, chromedp.Text(chromedp.CSS("body")))
	for _, want := range []string{"赶赴案(事)发网站现场", "已报告市局", "立即启动预案，网监科赶赴现场"} {
		if !strings.Contains(body, want) {
			t.Fatalf("page lacks %q:\n%s", want, body)
		}
	}
}

// TestAssignThroughForms: 四(五) in the console. The city deputy assigns a
// task to the county with the register form; the county sees it active with
// its tasks and who assigned it, reports back (反馈), and asks for acceptance,
// which the city's decision form words as 验收.
func TestAssignThroughForms(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		duty, city := loggedIn(t, base, "duty"), loggedIn(t, base, "citydeputy")
		form := url.Values{"org_id": {itoa(env.Users["duty"].OrgID)}, "title": {"排查县内重点网站漏洞"}, "category": {"assigned_task"},
			"level": {"3"}, "discovered_at": {"2026-11-28T08:30"}, "instructions": {""}}
		r := city.post("/incidents", form)
		wantStatus(t, r, http.StatusBadRequest)
		wantBody(t, r, `id="err-instructions"`)
		form.Set("instructions", "11月30日前完成县内重点网站漏洞排查，结果报市局")
		r = city.post("/incidents", form)
		wantStatus(t, r, http.StatusSeeOther)
		path := r.Location
		page := duty.get(path)
		wantBody(t, page, `data-status="active"`, `id="assigned-by"`, "上级交办：", "交办任务，交办要求：11月30日前完成县内重点网站漏洞排查", `id="note-feedback"`, `data-task-status="todo"`)
		wantStatus(t, duty.post(path+"/notes", url.Values{"text": {"已排查12个网站，3处漏洞已整改"}, "feedback": {"1"}}), http.StatusSeeOther)
		wantBody(t, duty.get(path), "向上级反馈：已排查12个网站，3处漏洞已整改")
		testkit.CloseOpenTasks(t, env, env.Users["duty"], incidentIDOf(t, path), "本测试不涉及")
		wantStatus(t, duty.post(path+"/termination", url.Values{"reason": {"交办任务已完成，请验收"}}), http.StatusSeeOther)
		wantBody(t, city.get(path), `id="decide-form"`, "验收：上级交办任务办理结果", "验收通过，同意终止", "退回，继续办理")
	})
}

// incidentIDOf reads the id from an incident page's path (/incidents/ID).
func incidentIDOf(t *testing.T, path string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(strings.TrimPrefix(path, "/incidents/"), 10, 64)
	if err != nil {
		t.Fatalf("incident path %q", path)
	}
	return id
}
