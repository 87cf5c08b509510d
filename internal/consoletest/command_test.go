package consoletest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/incident"
	"yingji/internal/testkit"
)

// The correction form (修改事件信息): offered to the duty officer, refused
// input changes nothing, an escalation shows on the page and timeline.
func TestConsoleCorrectIncident(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	in := newIncident(t, env)
	duty := loggedIn(t, base, "duty")
	path := "/incidents/" + itoa(in.ID)
	page := duty.get(path)
	wantBody(t, page, `id="correct-form"`, "修改事件信息", `name="reason"`, `id="c-category"`)
	if city := loggedIn(t, base, "citydeputy").get(path); strings.Contains(city.Body, `id="correct-form"`) {
		t.Fatal("the city deputy is offered the correction form")
	}
	form := url.Values{"title": {in.Title}, "level": {"4"}, "category": {in.Category}, "description": {in.Description}, "reason": {""}}
	r := duty.post(path+"/correct", form)
	wantStatus(t, r, http.StatusSeeOther)
	if got, _ := env.App.Incidents.GetIncident(ctx, env.Users["duty"], in.ID); got.Incident.Level != in.Level {
		t.Fatal("a correction without a reason changed the level")
	}
	wantBody(t, duty.get(r.Location), "此项必填")
	form.Set("level", "2")
	form.Set("reason", "涉及多个政府网站，影响扩大")
	wantStatus(t, duty.post(path+"/correct", form), http.StatusSeeOther)
	page = duty.get(path)
	wantBody(t, page, "事件级别由Ⅲ级调整为Ⅱ级（升级）", "涉及多个政府网站，影响扩大")
	if got, _ := env.App.Incidents.GetIncident(ctx, env.Users["duty"], in.ID); got.Incident.Level != 2 {
		t.Fatalf("level %d", got.Incident.Level)
	}
}

// Gap 7 of issue 11 in a real browser: the city deputy posts a 批示 to 网监科
// on a county incident; the duty officer sees it on the command post,
// acknowledges it and reports 落实情况; the incident page shows it done.
func TestBrowserInstruction(t *testing.T) {
	env, base := browserEnv(t)
	in := activeIncident(t, env)
	path := base + "/incidents/" + itoa(in.ID)

	city := uiBrowser(t, base, "citydeputy")
	run(t, city, "post the instruction",
		chromedp.Navigate(path),
		chromedp.WaitVisible(chromedp.CSS("#instructions details summary")),
		chromedp.Click(chromedp.CSS("#instructions details summary")),
		chromedp.WaitVisible(chromedp.CSS("#instr-text")),
		chromedp.SendKeys(chromedp.CSS("#instr-text"), "请网监科立即固定证据，查明攻击来源，及时报告。"),
		chromedp.Click(chromedp.CSS(`#instruction-form input[name=departments][value=wangjian]`)),
		chromedp.Click(chromedp.CSS(`#instruction-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
		chromedp.WaitVisible(chromedp.CSS(`#instructions li[data-status=open]`)),
	)

	duty := uiBrowser(t, base, "duty")
	run(t, duty, "acknowledge on the command post",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#my-instructions li[data-status=open] .ack-form button`)),
	)
	if txt := value(t, duty, chromedp.Text(chromedp.CSS("#my-instructions"))); !strings.Contains(txt, "请网监科立即固定证据") || !strings.Contains(txt, "陈副局长") || !strings.Contains(txt, in.Title) {
		t.Fatalf("command post:\n%s", txt)
	}
	run(t, duty, "acknowledge and report",
		chromedp.Click(chromedp.CSS(`#my-instructions .ack-form button`)),
		chromedp.WaitVisible(chromedp.CSS(`#my-instructions li[data-status=acknowledged] textarea[name=result]`)),
		chromedp.SendKeys(chromedp.CSS(`#my-instructions textarea[name=result]`), "已固定证据，攻击来源为境外IP，已封堵。"),
		chromedp.Click(chromedp.CSS(`#my-instructions .done-form button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
		chromedp.WaitNotPresent(chromedp.CSS(`#my-instructions li[data-instruction]`)),
	)
	run(t, duty, "the incident page",
		chromedp.Navigate(path+"#instructions"),
		chromedp.WaitVisible(chromedp.CSS(`#instructions li[data-status=done]`)),
	)
	txt := value(t, duty, chromedp.Text(chromedp.CSS("#instructions")))
	for _, want := range []string{"陈副局长", "已落实", "网监", "已固定证据，攻击来源为境外IP，已封堵。", "张值班"} {
		if !strings.Contains(txt, want) {
			t.Fatalf("incident page lacks %q:\n%s", want, txt)
		}
	}
	v, err := env.App.Incidents.GetIncident(ctx, env.Users["duty"], in.ID)
	if err != nil || len(v.Instructions) != 1 || v.Instructions[0].Status != incident.InstructionDone {
		t.Fatalf("record: %+v %v", v, err)
	}
}

// TestBrowserCorrection: the duty officer escalates an active incident from
// the console's 修改事件信息 form with a reason (issue 11, gap 5); the page
// shows the new level and the timeline says what changed and why.
func TestBrowserCorrection(t *testing.T) {
	env, base := browserEnv(t)
	in := activeIncident(t, env)
	path := base + "/incidents/" + itoa(in.ID)
	duty := uiBrowser(t, base, "duty")
	run(t, duty, "escalate with a reason",
		chromedp.Navigate(path),
		chromedp.WaitVisible(chromedp.CSS("#correct summary")),
		chromedp.Click(chromedp.CSS("#correct summary")),
		chromedp.WaitVisible(chromedp.CSS("#c-level")),
		chromedp.SetValue(chromedp.CSS("#c-level"), "2"),
		chromedp.SendKeys(chromedp.CSS("#c-reason"), "受影响单位增至5家，升级为重大事件"),
		chromedp.Click(chromedp.CSS(`#correct-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
	)
	page := value(t, duty, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"修改事件信息", "受影响单位增至5家，升级为重大事件", "Ⅱ级"} {
		if !strings.Contains(page, want) {
			t.Fatalf("page lacks %q:\n%s", want, page)
		}
	}
	v, err := env.App.Incidents.GetIncident(ctx, env.Users["duty"], in.ID)
	if err != nil || v.Incident.Level != 2 {
		t.Fatalf("level after the correction: %v %v", v, err)
	}
}
