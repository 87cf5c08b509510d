package consoletest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"yingji/internal/reports"
	"yingji/internal/testkit"
)

// TestEndToEndReport walks a daily report through the console in two real
// browsers: duty drafts it from the incident page and asks for sign-off,
// the chief signs it in his own browser, duty submits it, and the page
// shows it submitted on time.
func TestEndToEndReport(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	env := testkit.Open(t, "sqlite")
	in := activeIncident(t, env)
	env.Clock.Set(env.Clock.Now().Add(6 * time.Hour)) // 15:00, the report is due at 17:00
	base := newServer(t, env)
	duty := chromium(t)
	chief := chromium(t)

	uiLogin(t, duty, base, "duty", testkit.Password)
	run(t, duty, "draft the daily report",
		chromedp.Navigate(base+"/incidents/"+itoa(in.ID)),
		chromedp.WaitVisible(chromedp.CSS(`#draft-report-form button[value="daily"]`)),
		chromedp.Click(chromedp.CSS(`#draft-report-form button[value="daily"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#report-status[data-status="draft"]`)),
	)
	reportURL := value(t, duty, chromedp.Location())
	run(t, duty, "edit and request sign-off",
		chromedp.SetValue(chromedp.CSS("#f-impact"), "网站已恢复访问，未发现数据泄露。"),
		chromedp.Click(chromedp.CSS("#edit-report-form button[type=submit]")),
		// The draft step left a .flash.ok of its own on the page: wait for
		// the save's message, or sign-off may be requested before the edit
		// lands.
		chromedp.WaitVisible(chromedp.Search(`//div[contains(@class,"flash")][contains(., "报告已保存")]`)),
		chromedp.Click(chromedp.CSS("#signoff-request-form button")),
		chromedp.WaitVisible(chromedp.CSS(`#report-status[data-status="signoff_requested"]`)),
	)

	uiLogin(t, chief, base, "chief", testkit.Password)
	run(t, chief, "sign from the command post",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#h-await`)),
		chromedp.Click(chromedp.CSS(`a.button[href^="/reports/"]`)),
		chromedp.WaitVisible(chromedp.CSS("#sign-form button")),
		chromedp.Click(chromedp.CSS("#sign-form button")),
		chromedp.WaitVisible(chromedp.CSS(`#report-status[data-status="signed"]`)),
	)

	run(t, duty, "submit",
		chromedp.Navigate(reportURL),
		chromedp.WaitVisible(chromedp.CSS("#submit-form button")),
		chromedp.Click(chromedp.CSS("#submit-form button")),
		chromedp.WaitVisible(chromedp.CSS(`#report-status[data-status="submitted"]`)),
	)
	status := value(t, duty, chromedp.Text(chromedp.CSS("#report-status")))
	mark := value(t, duty, chromedp.Text(chromedp.CSS("#report-mark")))
	doc := value(t, duty, chromedp.Text(chromedp.CSS("article.official")))
	if status != "已报送" || mark != "按时" {
		t.Fatalf("status %q mark %q", status, mark)
	}
	if !strings.Contains(doc, "网站已恢复访问，未发现数据泄露。") {
		t.Fatalf("document: %s", doc)
	}
}

// seedReport takes today's daily report of an incident through the whole
// flow (drafted by duty, signed by the chief, submitted) for the screenshots.
func seedReport(t *testing.T, env *testkit.Env, incidentID int64) int64 {
	t.Helper()
	duty, chief := env.Users["duty"], env.Users["chief"]
	r, err := env.App.Reports.CreateReport(ctx, duty, incidentID, "daily")
	if err != nil {
		t.Fatal(err)
	}
	impact := "县政府门户网站已恢复正常访问，未发现网页篡改和数据泄露；攻击流量仍有零星波动，舆情平稳。"
	next := "继续会同电信运营商监测流量，督促网站运维单位完成加固；暂无需要上级支援的事项。"
	if _, err := env.App.Reports.EditReport(ctx, duty, r.ID, reports.ReportPatch{Fields: map[string]string{"impact": impact, "next_steps": next}}); err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { _, err := env.App.Reports.RequestSignoff(ctx, duty, r.ID); return err },
		func() error { _, err := env.App.Reports.SignReport(ctx, chief, r.ID); return err },
		func() error { _, err := env.App.Reports.SubmitReport(ctx, duty, r.ID); return err },
	} {
		env.Clock.Add(5 * time.Minute)
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return r.ID
}
