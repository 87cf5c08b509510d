package consoletest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// In a real browser: the duty officer registers an incident discovered two
// days ago; the incident page carries the 迟登记 badge and the timeline says
// why; the city deputy's timeliness page shows the county's 首报 overdue.
func TestBrowserLateRegistration(t *testing.T) {
	env, base := browserEnv(t)
	sh, _ := time.LoadLocation("Asia/Shanghai")
	disc := env.Clock.Now().Add(-48 * time.Hour).In(sh).Format("2006-01-02T15:04")

	b := uiBrowser(t, base, "duty")
	run(t, b, "register two days after discovery",
		chromedp.Navigate(base+"/incidents/new"),
		chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.SendKeys(chromedp.CSS("#title"), "某单位网站被植入暗链"),
		chromedp.SetValue(chromedp.CSS("#category"), "network_attack"),
		chromedp.SetValue(chromedp.CSS("#level"), "3"),
		chromedp.SetValue(chromedp.CSS("#discovered_at"), disc),
		chromedp.Click(chromedp.CSS(`form[action="/incidents"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#late-registration")),
	)
	if txt := value(t, b, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(txt, "迟登记：事件于") || !strings.Contains(txt, "首报") {
		t.Fatalf("incident page:\n%s", txt)
	}

	city := uiBrowser(t, base, "citydeputy")
	run(t, city, "timeliness", chromedp.Navigate(base+"/timeliness"), chromedp.WaitVisible(chromedp.CSS("main")))
	if txt := value(t, city, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(txt, "首报") || !strings.Contains(txt, "已逾期") {
		t.Fatalf("city timeliness:\n%s", txt)
	}
}
