package consoletest

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"yingji/internal/bulletin"
	"yingji/internal/delivery"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/incidents"
	"yingji/internal/notices"
	"yingji/internal/testkit"
	"yingji/internal/warnings"
)

// The tests below follow the bureau chief and the city's deputy chief as they
// decide from a phone: what the command post tells them, where a notice
// takes them, what it says.

// TestCommandPostShowsFirstReport: a newly registered incident owes its 首报
// within the plan's window, before any activation. The command post read
// the open incidents without their discovery time and so never showed the
// 首报 — the leader read "暂无报告时限" while the incident page said it was
// due within the hour.
func TestCommandPostShowsFirstReport(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		in := newIncident(t, env)
		page := loggedIn(t, base, "chief").get("/")
		wantStatus(t, page, 200)
		card := page.Body[strings.Index(page.Body, "h-next"):]
		card = card[:strings.Index(card, "</section>")]
		if !strings.Contains(card, "首报 · ") || !strings.Contains(card, in.Number) {
			t.Errorf("the next deadline is not the 首报 of %s:\n%s", in.Number, card)
		}
	})
}

// TestInboxNoAlertLinkOnOtherNotices: the inbox names a paged alert after
// its notice (P1 标题); every other notice — an approval waiting, a report to
// sign — showed "P0" linked to /alerts/0, a page that does not exist.
func TestInboxNoAlertLinkOnOtherNotices(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	in := newIncident(t, env)
	if _, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "影响恶劣"); err != nil {
		t.Fatal(err)
	}
	page := loggedIn(t, base, "chief").get("/notices")
	wantBody(t, page, "待审批", `href="/incidents/`+itoa(in.ID)+`"`)
	if strings.Contains(page.Body, `href="/alerts/0"`) || strings.Contains(page.Body, ">P0 ") {
		t.Errorf("an approval's notice links to an alert:\n%s", page.Body[strings.Index(page.Body, "h-nc-mine"):][:600])
	}
}

// TestNoticeTakesLeaderToTheReport: a report waiting for his signature — the
// inbox's line and the SMS link take the leader to the report itself, not
// to the incident, where it sat below the tasks and the timeline.
func TestNoticeTakesLeaderToTheReport(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	gw, set := testkit.SMSPaging(t, env)
	in := activeIncident(t, env)
	r, err := env.App.Reports.CreateReport(ctx, env.Users["duty"], in.ID, "daily")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Reports.RequestSignoff(ctx, env.Users["duty"], r.ID); err != nil {
		t.Fatal(err)
	}
	page := loggedIn(t, base, "chief").get("/notices")
	wantBody(t, page, "报告待签发", `href="/reports/`+itoa(r.ID)+`"`)
	w := &delivery.Worker{DB: env.DB, Channels: set, Name: "t"}
	for i := 0; i < 3; i++ {
		w.Step(ctx)
	}
	var sms string
	for _, m := range gw.Texts() {
		if strings.HasPrefix(m, testkit.LeaderPhones["chief"]+":") && strings.Contains(m, "待您签发") {
			sms = m
		}
	}
	if !strings.HasSuffix(sms, "/reports/"+itoa(r.ID)) {
		t.Errorf("the SMS link is not the report's: %q in %q", sms, gw.Texts())
	}
}

// TestDecisionNoticeSaysTheDecision: the duty officer whose request the chief
// turned down read "审批结果" in his inbox and "审批已有结果" by SMS — not
// whether it was granted, nor the chief's opinion, which he needs to ask
// again. The city deputy told of a county's activation read "已启动应急响应",
// words the plan does not use (启动预案).
func TestDecisionNoticeSaysTheDecision(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	gw, set := testkit.SMSPaging(t, env)
	for u, phone := range map[string]string{"duty": "13800000021", "citydeputy": "13800000022"} {
		if _, err := env.App.Notices.SetContacts(ctx, env.Users[u], u, notices.Contacts{Phone: phone}); err != nil {
			t.Fatal(err)
		}
	}
	in := newIncident(t, env)
	a, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "影响恶劣")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Incidents.Decide(ctx, env.Users["chief"], a.ID, incidents.Decision{Opinion: "攻击来源尚不清楚，请核实后再报"}); err != nil {
		t.Fatal(err)
	}
	wantBody(t, loggedIn(t, base, "duty").get("/notices"), "启动预案：不同意", "攻击来源尚不清楚，请核实后再报")
	if a, err = env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "已核实，境外僵尸网络攻击"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Incidents.Decide(ctx, env.Users["chief"], a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
		t.Fatal(err)
	}
	wantBody(t, loggedIn(t, base, "citydeputy").get("/notices"), "启动预案（报告）")
	w := &delivery.Worker{DB: env.DB, Channels: set, Name: "t"}
	for i := 0; i < 4; i++ {
		w.Step(ctx)
	}
	texts := gw.Texts()
	for _, want := range [][2]string{{"13800000021:", "启动预案申请未获批准，请查看意见。"}, {"13800000021:", "启动预案申请已获批准。"},
		{"13800000022:", "经县局领导小组决定启动预案。"}} {
		if !slices.ContainsFunc(texts, func(m string) bool {
			return strings.HasPrefix(m, want[0]+"【应急】事件"+in.Number) && strings.Contains(m, want[1])
		}) {
			t.Errorf("no SMS %s …%s:\n%s", want[0], want[1], strings.Join(texts, "\n"))
		}
	}
}

// TestInstructionAuthorToldOfResult: the city deputy gave a 批示 and the duty
// side reported its 落实; nothing told him — he had to open the incident
// again and again to see whether it was done. Now his inbox (and SMS) says
// so and leads to the 批示.
func TestInstructionAuthorToldOfResult(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	in := activeIncident(t, env)
	ins, err := env.App.Incidents.PostInstruction(ctx, env.Users["citydeputy"], in.ID, incidents.NewInstruction{
		Text: "请网监大队24小时监控，及时固定证据。", Departments: []string{"wangjian"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Incidents.AckInstruction(ctx, env.Users["duty"], ins.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Incidents.DoneInstruction(ctx, env.Users["duty"], ins.ID, "已安排两人轮班监控，固定证据12条。"); err != nil {
		t.Fatal(err)
	}
	wantBody(t, loggedIn(t, base, "citydeputy").get("/notices"), "批示已落实", `href="/incidents/`+itoa(in.ID)+`#instr-`+itoa(ins.ID)+`"`)
}

// TestBulletinWaitsForLeader: the duty officer drafted a 通报 and was told
// "请送领导签发" — but nothing reached the leader: no notice, nothing on his
// command post. Now the leaders who may sign are told and led to it, and
// its text is open on the page he signs from.
func TestBulletinWaitsForLeader(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	in := activeIncident(t, env)
	b, err := env.App.Bulletins.Draft(ctx, env.Users["duty"], bulletin.Input{IncidentID: in.ID, Title: "关于防范DDoS攻击的通报",
		Body: "县融媒体中心网站遭受DDoS攻击。", Actions: "请各单位检查防护措施。", Deadline: env.Clock.Now().Add(48 * time.Hour),
		Contact: "张值班", Phone: "028-38888888"})
	if err != nil {
		t.Fatal(err)
	}
	chief := loggedIn(t, base, "chief")
	wantBody(t, chief.get("/notices"), "通报待签发", `href="/bulletins/`+itoa(b.ID)+`"`)
	wantBody(t, chief.get("/bulletins/"+itoa(b.ID)), "<details open>", "请各单位检查防护措施。")
	if strings.Contains(loggedIn(t, base, "duty").get("/notices").Body, "通报待签发") {
		t.Error("the author is told to sign his own 通报")
	}
}

// TestGatedTaskRefusalInWords: marking a task that needs the leader's
// approval done before it is approved was refused with "（当前审批状态：）"
// — empty before any request, "pending" or "rejected" after: an English
// word, or nothing, where the officer needed to be told what to do.
func TestGatedTaskRefusalInWords(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	in := testkit.NewIncident(t, env, "harmful_info")
	testkit.Activate(t, env, in)
	v, err := env.App.Incidents.GetIncident(ctx, env.Users["duty"], in.ID)
	if err != nil {
		t.Fatal(err)
	}
	var gate int64
	for _, tk := range v.Tasks {
		if tk.TemplateKey == "request_local_closure" {
			gate = tk.ID
		}
	}
	done := "done"
	say := func() string {
		t.Helper()
		_, err := env.App.Incidents.UpdateTask(ctx, env.Users["duty"], in.ID, gate, incidents.TaskPatch{Status: &done})
		e, ok := err.(*errs.Error)
		if !ok {
			t.Fatalf("not refused: %v", err)
		}
		return i18n.T(i18n.ZH, e.Key, e.Args...)
	}
	before := say()
	if _, err := env.App.Incidents.RequestTaskApproval(ctx, env.Users["duty"], in.ID, gate, "拟关闭涉事网站"); err != nil {
		t.Fatal(err)
	}
	pending := say()
	for _, msg := range []string{before, pending} {
		if strings.ContainsAny(msg, "abcdefghijklmnopqrstuvwxyz") || strings.Contains(msg, "：）") || !strings.Contains(msg, "提请审批") {
			t.Errorf("refusal not in words: %s", msg)
		}
	}
	// The console's task page says the same.
	duty := loggedIn(t, base, "duty")
	r := duty.post("/incidents/"+itoa(in.ID)+"/tasks/"+itoa(gate), url.Values{"status": {"done"}})
	if r.Status == 303 {
		r = duty.get(r.Location)
	}
	wantBody(t, r, "经领导批准后再办结")
	if strings.Contains(r.Body, "pending") {
		t.Errorf("the task page shows a status in English:\n%s", r.Body)
	}
}

// TestApprovalCardSaysWhatHappened: the card the city deputy decides from
// named the incident, the requester and his reason — not the incident's
// category (which also says whose decision it is: 四(一)(四) the city's,
// 四(二)(三) the county's) nor what was registered. He had to open the
// incident to learn what he was approving.
func TestApprovalCardSaysWhatHappened(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	in := testkit.NewIncident(t, env, "harmful_info")
	if _, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "有害信息大范围传播"); err != nil {
		t.Fatal(err)
	}
	city := loggedIn(t, base, "citydeputy")
	wantBody(t, city.get("/approvals"), "<dt>事件类别</dt><dd>有害信息大范围传播</dd>", "<dt>事件描述</dt><dd class=\"pre\">访问中断约20分钟</dd>")
	wantBody(t, city.get("/"), `<p class="small muted">有害信息大范围传播</p>`)
}

// TestCommandPostListsWarningToApprove: a warning (预警) waiting for the
// chief's approval was nowhere on his command post's 待我审批 — only the
// incidents' requests were; he learnt of it from a notice, if at all.
func TestCommandPostListsWarningToApprove(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		in := activeIncident(t, env)
		m, err := env.App.Warnings.Draft(ctx, env.Users["duty"], warnings.Input{IncidentID: in.ID, Level: "yellow",
			Headline: "关于防范勒索病毒的预警", Description: "近期发现勒索病毒在本地传播。", Instruction: "请及时更新补丁，备份重要数据。", Area: "青神县",
			Expires: env.Clock.Now().Add(72 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		page := loggedIn(t, base, "chief").get("/")
		appr := page.Body[strings.Index(page.Body, `id="h-appr"`):]
		appr = appr[:strings.Index(appr, "</section>")]
		if !strings.Contains(appr, `href="/warnings/`+itoa(m.ID)+`"`) || !strings.Contains(appr, "关于防范勒索病毒的预警") {
			t.Errorf("the warning to approve is not under 待我审批:\n%s", appr)
		}
		if strings.Contains(loggedIn(t, base, "duty").get("/").Body, `href="/warnings/`+itoa(m.ID)+`"`) {
			t.Error("the drafter is asked to approve his own warning")
		}
		// The warning's page names its incident by number and title (it read
		// "#1", the incident's id, which looked like the warning's own).
		wantBody(t, loggedIn(t, base, "chief").get("/warnings/"+itoa(m.ID)),
			`<a href="/incidents/`+itoa(in.ID)+`" id="warning-incident">`+in.Number+" "+in.Title+"</a>")
	})
}
