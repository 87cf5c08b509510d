package consoletest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"yingji/internal/registry"
	"yingji/internal/rota"
	"yingji/internal/testkit"
)

// A handover in two real browsers: the day shift hands over with an open
// item, the night shift sees it and confirms.
func TestBrowserHandover(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	env := testkit.Open(t, "sqlite")
	u, loc := env.Users, env.Plan.Location
	if _, err := env.App.Rota.CreateRotation(ctx, u["duty"], loc, rota.RotationInput{Kind: "day_night", First: time.Date(2026, 11, 28, 0, 0, 0, 0, loc),
		Days: 2, DayStart: 8 * time.Hour, NightStart: 20 * time.Hour, Leaders: []int64{u["chief"].ID, u["deputy"].ID},
		Officers: []int64{u["duty"].ID, u["xingjing"].ID}}); err != nil {
		t.Fatal(err)
	}
	base := newServer(t, env)
	day, night := chromium(t), chromium(t)
	uiLogin(t, day, base, "duty", testkit.Password)
	run(t, day, "hand over",
		chromedp.Navigate(base+"/duty"),
		chromedp.WaitVisible(chromedp.CSS("#ho-notes")),
		chromedp.SendKeys(chromedp.CSS("#ho-notes"), "白班接报两起，均已处置。"),
		chromedp.SendKeys(chromedp.CSS("#ho-items"), "核查县医院网站告警"),
		chromedp.Click(chromedp.CSS(`form[action$="/handover"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
	)
	env.Clock.Set(time.Date(2026, 11, 28, 20, 5, 0, 0, loc))
	uiLogin(t, night, base, "xingjing", testkit.Password)
	run(t, night, "see and confirm",
		chromedp.Navigate(base+"/duty"),
		chromedp.WaitVisible(chromedp.CSS("#h-pending")),
		chromedp.Click(chromedp.CSS(`form[action$="/confirm"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
	)
	if txt := value(t, night, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(txt, "已确认接班") || strings.Contains(txt, "待确认的交接班") {
		t.Fatalf("after confirming:\n%s", txt)
	}
}

// An import with wrong rows in a real browser: the report names the rows
// and columns, and nothing is written.
func TestBrowserImportWithErrors(t *testing.T) {
	env, base := browserEnv(t)
	file := filepath.Join(t.TempDir(), "联网单位台账.csv")
	os.WriteFile(file, []byte("单位名称,单位类型,统一社会信用代码,联系电话\n甲公司,企业,"+registry.CreditCodeFor(1)+",028-38800001\n乙公司,工厂,"+
		registry.CreditCodeFor(2)+",123\n"), 0o644)
	b := uiBrowser(t, base, "duty")
	run(t, b, "import with errors",
		chromedp.Navigate(base+"/registry"),
		chromedp.WaitVisible(chromedp.CSS("#imp-file")),
		chromedp.SetUploadFiles(chromedp.CSS("#imp-file"), []string{file}),
		chromedp.Click(chromedp.CSS(`input[name="dry_run"]`)), // untick: a real import
		chromedp.Click(chromedp.CSS(`form[action="/registry/import"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash.error")),
	)
	txt := value(t, b, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"有误", "[单位类型]", "[联系电话]", "未导入任何数据"} {
		if !strings.Contains(txt, want) {
			t.Fatalf("report lacks %q:\n%s", want, txt)
		}
	}
	if units, _ := env.App.Units.ExportAll(ctx, env.Users["duty"], 0); len(units.Units) != 0 {
		t.Fatal("a file with wrong rows wrote units")
	}
}
