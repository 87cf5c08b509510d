package consoletest

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"yingji/internal/demo"
	"yingji/internal/signal"
	"yingji/internal/testkit"
	"yingji/internal/web/console"
)

// landAlert stores a signal in the county as the intake would, and runs
// the handler once.
func landAlert(t *testing.T, env *testkit.Env, s signal.Signal) int64 {
	t.Helper()
	id := testkit.LandAlert(t, env, s)
	if _, err := env.App.Alerts.Tick(ctx, "test"); err != nil {
		t.Fatal(err)
	}
	return id
}

// Issue 12 in a real browser: the duty officer sees an alert on a key
// website in the queue (counts on top), a new one appears without a
// reload (by the queue's stream), the queue fits a 390 px phone, and he promotes the first alert
// to an incident in one step (category and level prefilled from the plan
// rule's suggestion); the incident page lists the alert and its timeline
// says where the incident came from.
func TestBrowserAlertQueuePromote(t *testing.T) {
	// No poll within the test: a new alert must come by the queue's stream.
	console.PollInterval = time.Hour
	t.Cleanup(func() { console.PollInterval = 15 * time.Second })
	env, base := browserEnv(t)
	if err := demo.World(ctx, env.App, env.Plan); err != nil {
		t.Fatal(err)
	}
	first := landAlert(t, env, signal.Signal{Rule: "ET WEB_SERVER SQL Injection", Title: "门户网站SQL注入攻击", Severity: signal.High, Domain: "www.qingshen.gov.cn"})

	b := uiBrowser(t, base, "duty")
	row := `tr[data-alert="` + itoa(first) + `"]`
	run(t, b, "queue", chromedp.Navigate(base+"/alerts"), chromedp.WaitVisible(chromedp.CSS(row)))
	counts := value(t, b, chromedp.Text(chromedp.CSS(".alert-counts")))
	if !strings.Contains(counts, "待处理 1") {
		t.Fatalf("counts: %q", counts)
	}
	if txt := value(t, b, chromedp.Text(chromedp.CSS(row))); !strings.Contains(txt, "P5") || !strings.Contains(txt, "重点网站高危告警") {
		t.Fatalf("row: %q", txt)
	}

	// Live: a second alert lands while the page is open.
	second := landAlert(t, env, signal.Signal{Rule: "ET SCAN Nmap", Title: "端口扫描", Severity: signal.Low})
	run(t, b, "live", chromedp.WaitVisible(chromedp.CSS(`tr[data-alert="`+itoa(second)+`"]`)))

	// A phone: nothing wider than the screen.
	run(t, b, "phone", phoneScreen.emulate(),
		chromedp.Navigate(base+"/alerts"), chromedp.WaitVisible(chromedp.CSS(row)))
	if w := value(t, b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Fatalf("the queue is %d px wide on a 390 px phone", w)
	}
	run(t, b, "phone alert page", chromedp.Navigate(base+"/alerts/"+itoa(first)), chromedp.WaitVisible(chromedp.CSS("#promote")))
	if w := value(t, b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Fatalf("the alert page is %d px wide on a 390 px phone", w)
	}
	run(t, b, "back to the queue", chromedp.Navigate(base+"/alerts"), chromedp.WaitVisible(chromedp.CSS(row)))
	run(t, b, "desktop", chromedp.EmulateViewport(1280, 900))

	run(t, b, "open alert", chromedp.Click(chromedp.CSS(row+" a")), chromedp.WaitVisible(chromedp.CSS("#promote")))
	if cat := value(t, b, chromedp.Evaluate[string](`document.querySelector("#p-cat").value`)); cat != "network_attack" {
		t.Fatalf("suggested category not prefilled: %q", cat)
	}
	run(t, b, "promote", chromedp.Click(chromedp.CSS("#promote button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#h-inc-alerts")))
	loc := value(t, b, chromedp.Location())
	u, _ := url.Parse(loc)
	if !strings.HasPrefix(u.Path, "/incidents/") {
		t.Fatalf("after promoting: %s", loc)
	}
	main := value(t, b, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"门户网站SQL注入攻击", "由告警转为事件", "已登记"} {
		if !strings.Contains(main, want) {
			t.Fatalf("incident page lacks %q:\n%s", want, main)
		}
	}
	v, err := env.App.Alerts.Get(ctx, env.Users["duty"], first)
	if err != nil || v.Alert.State != signal.Promoted || v.Incident == nil || v.Incident.Category != "network_attack" {
		t.Fatalf("alert after promoting: %+v %v", v, err)
	}
	// Back on the queue, the promoted alert has left the open list.
	run(t, b, "queue again", chromedp.Navigate(base+"/alerts"), chromedp.WaitVisible(chromedp.CSS(`tr[data-alert="`+itoa(second)+`"]`)))
	if n := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll('`+row+`').length`)); n != 0 {
		t.Fatal("the promoted alert is still in the open queue")
	}
}
