package consoletest

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"yingji/internal/demo"
	"yingji/internal/duty"
	"yingji/internal/registry"
	"yingji/internal/rota"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// In a real browser the duty officer records a call on /duty and registers
// it as an incident from the log entry; the browser lands on the incident.
func TestBrowserDutyLogToIncident(t *testing.T) {
	env, base := browserEnv(t)
	b := uiBrowser(t, base, "duty")
	run(t, b, "record",
		chromedp.Navigate(base+"/duty"),
		chromedp.WaitVisible(chromedp.CSS("#log-what")),
		chromedp.SendKeys(chromedp.CSS("#log-place"), "青神县人民医院"),
		chromedp.SendKeys(chromedp.CSS("#log-what"), "县医院预约挂号系统无法访问，疑似遭受勒索病毒攻击。"),
		chromedp.SendKeys(chromedp.CSS("#log-reporter_unit"), "青神县人民医院信息科"),
		chromedp.SendKeys(chromedp.CSS("#log-reporter_name"), "周敏"),
		chromedp.SendKeys(chromedp.CSS("#log-reporter_phone"), "13990300002"),
		chromedp.Click(chromedp.CSS(`#log-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
		chromedp.WaitVisible(chromedp.CSS(`form.log-incident select[name=category]`)),
		chromedp.SetValue(chromedp.CSS(`form.log-incident select[name=category]`), env.Plan.Categories[0].Key),
		chromedp.SendKeys(chromedp.CSS(`form.log-incident input[name=title]`), "县医院挂号系统疑遭勒索病毒"),
		chromedp.Click(chromedp.CSS(`form.log-incident button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS("#log-form")),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
	)
	loc := value(t, b, chromedp.Location())
	if !strings.Contains(loc, "/incidents/") {
		t.Fatalf("landed on %s", loc)
	}
	txt := value(t, b, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"县医院挂号系统疑遭勒索病毒", "疑似遭受勒索病毒攻击", "值班接报：青神县人民医院信息科 周敏"} {
		if !strings.Contains(txt, want) {
			t.Fatalf("incident page lacks %q:\n%s", want, txt)
		}
	}
}

// TestDutyScreenshots writes /duty (with the demo roster, a log entry and a
// sensitive period) and a unit page at desktop and phone width to
// docs/screenshots when YINGJI_SCREENSHOTS=1.
func TestDutyScreenshots(t *testing.T) {
	if os.Getenv("YINGJI_SCREENSHOTS") != "1" {
		t.Skip("set YINGJI_SCREENSHOTS=1 to write docs/screenshots")
	}
	env := testkit.Open(t, "sqlite")
	if err := demo.World(ctx, env.App, env.Plan); err != nil {
		t.Fatal(err)
	}
	u, loc := env.Users, env.Plan.Location
	if _, _, err := env.App.Rota.AddLog(ctx, u["duty"], rota.LogInput{LogFields: duty.LogFields{At: time.Date(2026, 11, 28, 8, 40, 0, 0, loc), Place: "青神县人民医院",
		What: "县医院门户网站首页被篡改，出现不明图片。", Measures: "已电话通知医院信息科断开外网访问，保存页面截图。", Informed: "王副局长",
		ReporterUnit: "青神县人民医院信息科", ReporterName: "周敏", ReporterPhone: "13990300002"}}); err != nil {
		t.Fatal(err)
	}
	if err := env.App.Rota.DeclarePeriod(ctx, u["chief"], &duty.Period{Name: "县第十八届人民代表大会第五次会议", Level: "一级",
		Start: time.Date(2026, 11, 27, 0, 0, 0, 0, loc), End: time.Date(2026, 11, 30, 18, 0, 0, 0, loc), MinLeaders: 1, MinOfficers: 2}); err != nil {
		t.Fatal(err)
	}
	var unitID int64
	env.DB.Read(ctx, func(q *store.Q) error {
		l, err := q.ListUnits(registry.Filter{OrgIDs: []int64{u["duty"].OrgID}, Q: "青神县人民政府", Limit: 1})
		if len(l) > 0 {
			unitID = l[0].ID
		}
		return err
	})
	base := newServer(t, env)
	b := uiBrowser(t, base, "chief")
	for _, s := range []struct{ name, path string }{{"duty", "/duty"}, {"unit", "/registry/units/" + itoa(unitID)}, {"registry", "/registry"}} {
		screenshot(t, b, base, s.name, s.path)
	}
}
