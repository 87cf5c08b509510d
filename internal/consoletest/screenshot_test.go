package consoletest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/testkit"
)

// seedScene fills the demo world with what a command post looks like on a
// busy afternoon: incidents at every level, one waiting for the city's
// decision, work done and work overdue. It returns the active incident.
func seedScene(t *testing.T, env *testkit.Env) (*incident.Incident, *incident.Incident) {
	t.Helper()
	duty, city := env.Users["duty"], env.Users["citydeputy"]
	mk := func(title, cat string, level int, desc string) *incident.Incident {
		in, err := env.App.Incidents.CreateIncident(ctx, duty, incidents.NewIncident{Title: title, Category: cat, Level: level,
			DiscoveredAt: env.Clock.Now().Add(-25 * time.Minute), DiscoveryMethod: "网站监测告警", Description: desc})
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	activate := func(in *incident.Incident, reason, opinion string) {
		a, err := env.App.Incidents.RequestActivation(ctx, duty, in.ID, reason)
		if err != nil {
			t.Fatal(err)
		}
		decider := city // 四(一)、(四); the county's 组长 decides 四(二)、(三)
		if env.Plan.ActivationRule(in.Category).ByOwnOrganisation() {
			decider = env.Users["chief"]
		}
		if _, err := env.App.Incidents.Decide(ctx, decider, a.ID, incidents.Decision{Approve: true, Opinion: opinion}); err != nil {
			t.Fatal(err)
		}
	}
	main := mk("县政府门户网站遭受DDoS攻击", "network_attack", 2, "县政府门户网站自 08:35 起访问中断，监测显示大量异常流量，疑似分布式拒绝服务攻击。")
	activate(main, "全县重要会议期间门户网站遭攻击，影响恶劣，建议启动预案。", "同意启动，注意做好舆情引导，每日报告进展。")
	env.Clock.Add(40 * time.Minute)
	env.App.Incidents.AddNote(ctx, duty, main.ID, "已联系电信运营商开展流量清洗，网站部分恢复访问。")
	v := testkit.View(t, env, main.ID)
	done, doing := "done", "doing"
	note := "已通知领导小组全体成员到位。"
	for i, task := range v.Tasks[:3] {
		st := &done
		if i == 2 {
			st = &doing
		}
		if _, err := env.App.Incidents.UpdateTask(ctx, duty, main.ID, task.ID, incidents.TaskPatch{Status: st, Note: &note}); err != nil {
			t.Fatal(err)
		}
	}
	xj := env.Users["deputy"].ID
	if _, err := env.App.Incidents.UpdateTask(ctx, duty, main.ID, v.Tasks[3].ID, incidents.TaskPatch{AssigneeID: &xj}); err != nil {
		t.Fatal(err)
	}
	virus := mk("多家单位终端感染勒索病毒", "virus_outbreak", 1, "县内三家单位办公终端文件被加密，勒索信息相同。")
	activate(virus, "病毒在多家单位扩散，须统一处置。", "同意启动。")
	mk("境外网站散布涉我县有害信息", "harmful_info", 3, "境外网站发布涉我县不实信息，转载量上升。")
	pend := mk("微信公众号恶意炒作征地补偿问题", "malicious_hype", 4, "某公众号发文炒作征地补偿，评论区出现串联苗头。")
	if _, err := env.App.Incidents.RequestActivation(ctx, duty, pend.ID, "炒作有扩散趋势，建议启动预案统一处置。"); err != nil {
		t.Fatal(err)
	}
	// Into the afternoon: some one-hour tasks are now overdue and the 17:00
	// daily report is a few hours away.
	env.Clock.Add(2*time.Hour + 10*time.Minute)
	return main, pend
}

// TestScreenshots writes the README's screenshots to docs/screenshots when
// YINGJI_SCREENSHOTS=1: the command post, an incident page and the
// approval inbox, at desktop and phone width.
func TestScreenshots(t *testing.T) {
	if os.Getenv("YINGJI_SCREENSHOTS") != "1" {
		t.Skip("set YINGJI_SCREENSHOTS=1 to write docs/screenshots")
	}
	env := testkit.Open(t, "sqlite")
	main, _ := seedScene(t, env)
	rep := seedReport(t, env, main.ID)
	base := newServer(t, env)
	duty, city := chromium(t), chromium(t)
	uiLogin(t, duty, base, "duty", testkit.Password)
	uiLogin(t, city, base, "citydeputy", testkit.Password)
	// YINGJI_SCREENSHOTS_LANG=en and YINGJI_SCREENSHOTS_DIR=… take the
	// English pages elsewhere, for checking rather than for the README.
	if os.Getenv("YINGJI_SCREENSHOTS_LANG") == "en" {
		run(t, duty, "english", chromedp.Navigate(base+"/lang?to=en"))
		run(t, city, "english", chromedp.Navigate(base+"/lang?to=en"))
	}
	shots := []struct {
		name string
		ctx  bool // true: the city deputy's browser
		path string
	}{
		{"command-post", false, "/"},
		{"incident", false, "/incidents/" + itoa(main.ID)},
		{"approvals", true, "/approvals"},
		{"report", false, "/reports/" + itoa(rep)},
		{"timeliness", true, "/timeliness"},
	}
	for _, s := range shots {
		b := duty
		if s.ctx {
			b = city
		}
		screenshot(t, b, base, s.name, s.path)
	}
}

// screenshot writes the page at path, as the browser b sees it, to
// docs/screenshots (or $YINGJI_SCREENSHOTS_DIR) as NAME-desktop.png and
// NAME-phone.png.
func screenshot(t *testing.T, b context.Context, base, name, path string) {
	t.Helper()
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if d := os.Getenv("YINGJI_SCREENSHOTS_DIR"); d != "" {
		dir = d
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, w := range screens {
		run(t, b, name, w.emulate(), chromedp.Navigate(base+path),
			chromedp.WaitVisible(chromedp.CSS("main h1")))
		png := value(t, b, chromedp.FullScreenshot(100))
		if err := os.WriteFile(filepath.Join(dir, name+"-"+w.name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
