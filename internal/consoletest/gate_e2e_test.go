package consoletest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/testkit"
)

// TestGatedTaskInBrowser: 四(一)2 关闭本地网站和网上服务,需报经分管领导批准.
// The duty officer is offered no "完成" on the gated task, asks for approval
// on the task page; the county 副组长 approves there with an opinion; then
// the task can be finished. Who may press what comes from the service.
func TestGatedTaskInBrowser(t *testing.T) {
	env, base := browserEnv(t)
	in, err := env.App.Incidents.CreateIncident(ctx, env.Users["duty"], incidents.NewIncident{
		Title: "本地论坛大量传播有害信息", Category: "harmful_info", Level: 3, DiscoveredAt: env.Clock.Now().Add(-10 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	a, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "有害信息大范围传播")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Incidents.Decide(ctx, env.Users["citydeputy"], a.ID, incidents.Decision{Approve: true, Opinion: "同意启动"}); err != nil {
		t.Fatal(err)
	}
	v := testkit.View(t, env, in.ID)
	var gate *incident.Task
	for _, tk := range v.Tasks {
		if tk.TemplateKey == "request_local_closure" {
			gate = tk
		}
	}
	taskURL := base + "/incidents/" + itoa(in.ID) + "/tasks/" + itoa(gate.ID)

	duty, deputy := chromium(t), chromium(t)
	uiLogin(t, duty, base, "duty", testkit.Password)
	run(t, duty, "request approval on the task",
		chromedp.Navigate(taskURL),
		chromedp.WaitVisible(chromedp.CSS("#task-approval-form")),
	)
	if value(t, duty, chromedp.Evaluate[bool](`document.querySelector('button[name="status"][value="done"]') !== null`)) {
		t.Fatal("duty is offered 完成 on a gated task before approval")
	}
	if value(t, duty, chromedp.Evaluate[bool](`document.querySelector('#task-decide-form') !== null`)) {
		t.Fatal("duty is offered the decision")
	}
	run(t, duty, "send the request",
		chromedp.SendKeys(chromedp.CSS("#approval-reason"), "该论坛持续传播有害信息，拟关闭"),
		chromedp.Click(chromedp.CSS("#task-approval-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
		chromedp.WaitVisible(chromedp.CSS("#task-approval")),
	)

	uiLogin(t, deputy, base, "deputy", testkit.Password)
	run(t, deputy, "approve on the task",
		chromedp.Navigate(taskURL),
		chromedp.WaitVisible(chromedp.CSS("#task-decide-form")),
		chromedp.SendKeys(chromedp.CSS("#task-opinion"), "同意关闭，依法固定证据"),
		chromedp.Click(chromedp.CSS(`#task-decide-form button[value="approve"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
	)
	if txt := value(t, deputy, chromedp.Text(chromedp.CSS("#task-approval"))); !strings.Contains(txt, "同意关闭，依法固定证据") {
		t.Fatalf("approval on the task: %q", txt)
	}

	run(t, duty, "finish after approval",
		chromedp.Navigate(taskURL),
		chromedp.WaitVisible(chromedp.CSS(`button[name="status"][value="done"]`)),
		chromedp.Click(chromedp.CSS(`button[name="status"][value="done"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-task-status="done"]`)),
	)
	if tl := value(t, duty, chromedp.Text(chromedp.CSS("#timeline"))); !strings.Contains(tl, "报批结果：同意") {
		t.Fatalf("timeline lacks the decision: %s", tl)
	}
}
