package consoletest

import (
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/alerts"
	"yingji/internal/core"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// What tripped a newcomer on signals-in (issue 12), in Chromium:
// the queue squeezed 待处理 onto two lines beside a long title; a source's
// "resolved" (a site back up) left the alert looking like any open one;
// on a phone an alert without a target showed an empty 目标： line; a
// monitored site that could not be reached read "HTTP 0 · 0 ms" and
// "状态码0", and on a phone its results' error column was off the screen
// and the state 内容被改动 broke in two.
func TestQueueAndMonitorOnAPhone(t *testing.T) {
	env, base := browserEnv(t)
	resolved := testkit.LandAlert(t, env, signal.Signal{Format: signal.FormatSuricata, Status: signal.Resolved, Rule: "fw.sessions", Title: "防火墙会话数恢复正常", Severity: signal.Medium})
	long := testkit.LandAlert(t, env, signal.Signal{Format: signal.FormatSuricata, Status: signal.Firing, Rule: "waf.flood", Title: strings.Repeat("门户网站遭受大量异常请求，", 8), Severity: signal.High, Domain: "www.qingshen.gov.cn", DstIP: netip.MustParseAddr("10.51.1.20")})
	if _, err := env.App.Alerts.Tick(ctx, "test"); err != nil {
		t.Fatal(err)
	}

	// A registered key website whose server is gone: nothing listens there.
	hb := loggedIn(t, base, "duty")
	mon, siteURL := goneSite(t, env, hb)
	page := hb.get(mon)
	// A state change leads to its alert, where it is acknowledged or promoted.
	wantBody(t, page, "无法访问", "无响应", "访问"+siteURL+"失败：", `">查看告警</a>`)
	for _, bad := range []string{"HTTP 0", "状态码0"} {
		if strings.Contains(page.Body, bad) {
			t.Errorf("the monitor of a site that cannot be reached says %q", bad)
		}
	}

	// And a defaced one (内容被改动, the longest state word).
	defaced, page2 := keySite(t, env)
	r := hb.post("/monitors", url.Values{"website_id": {itoa(defaced.ID)}, "interval_minutes": {"10"}})
	wantStatus(t, r, http.StatusSeeOther)
	wantStatus(t, hb.post(r.Location+"/check", nil), http.StatusSeeOther)
	hash := regexp.MustCompile(`name="content_hash" value="([0-9a-f]{64})"`).FindStringSubmatch(hb.get(r.Location).Body)
	if hash == nil {
		t.Fatal("no content hash on the page")
	}
	wantStatus(t, hb.post(r.Location+"/baseline", url.Values{"content_hash": {hash[1]}}), http.StatusSeeOther)
	page2.Store(`<html><body><h1>Hacked</h1></body></html>`)
	wantStatus(t, hb.post(r.Location+"/check", nil), http.StatusSeeOther)

	b := uiBrowser(t, base, "duty")
	row := func(id int64) string { return `tr[data-alert="` + itoa(id) + `"]` }
	run(t, b, "queue", chromedp.Navigate(base+"/alerts"), chromedp.WaitVisible(chromedp.CSS(row(long))))
	// Lines the state cell's text takes, from the tops of its boxes.
	lines := func(sel string) int {
		return value(t, b, chromedp.Evaluate[int](`(() => { const r = document.createRange(); r.selectNodeContents(document.querySelector(`+
			"`"+sel+"`"+`)); return new Set(Array.from(r.getClientRects(), x => Math.round(x.top))).size })()`))
	}
	if n := lines(row(long) + " td:nth-child(4)"); n != 1 {
		t.Errorf("the state of an alert with a long title takes %d lines at 1280 px", n)
	}
	if txt := value(t, b, chromedp.Text(chromedp.CSS(row(resolved)+" [data-resolved]"))); txt != "已恢复" {
		t.Errorf("a resolved alert is marked %q in the queue", txt)
	}
	if value(t, b, chromedp.Evaluate[bool](`document.querySelector('`+row(long)+` [data-resolved]') !== null`)) {
		t.Error("a firing alert is marked resolved")
	}

	run(t, b, "phone", phoneScreen.emulate(),
		chromedp.Navigate(base+"/alerts"), chromedp.WaitVisible(chromedp.CSS(row(long))))
	display := func(sel string) string {
		return value(t, b, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('`+sel+`')).display`))
	}
	if d := display(row(resolved) + " td:nth-child(3)"); d != "none" {
		t.Errorf("an alert without a target shows an empty target line on a phone (display %q)", d)
	}
	if d := display(row(long) + " td:nth-child(3)"); d == "none" {
		t.Error("an alert's target is hidden on a phone")
	}

	run(t, b, "monitors on a phone", chromedp.Navigate(base+"/monitors"), chromedp.WaitVisible(chromedp.CSS("td .mon-changed")))
	if n := lines("td .mon-changed"); n != 1 {
		t.Errorf("内容被改动 takes %d lines on a phone", n)
	}
	if w := value(t, b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the monitors page is %d px wide on a 390 px phone", w)
	}
	run(t, b, "monitor on a phone", chromedp.Navigate(base+mon), chromedp.WaitVisible(chromedp.CSS("table.mon-results")))
	box := value(t, b, chromedp.Evaluate[[]float64](`(() => { const c = document.querySelector('table.mon-results tbody tr td:last-child').getBoundingClientRect(); return [c.left, c.right, c.width] })()`))
	if box[0] < 0 || box[1] > 390 || box[2] < 250 {
		t.Errorf("a check's error on a 390 px phone lies at %v (left, right, width): not on the screen", box)
	}
	if w := value(t, b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the monitor page is %d px wide on a 390 px phone", w)
	}
}

// A silence sent without its end time named no field (此项必填。 alone).
func TestSilenceNamesItsTime(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	id := landAlert(t, env, signal.Signal{Rule: "ET SCAN Nmap", Title: "端口扫描", Severity: signal.Low})
	b := loggedIn(t, base, "duty")
	page := "/alerts/" + itoa(id)
	wantBody(t, b.submit(page+"/silence", url.Values{"until": {""}, "reason": {"例行扫描"}}), "静默至：此项必填", `<label for="s-until">静默至</label>`)
}

// An alert page in the inbox read 告警通知 and nothing else: which alert,
// and the way to it, were missing.
func TestPagedAlertInTheInbox(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	id := landAlert(t, env, signal.Signal{Rule: "ET WEB_SERVER SQL Injection", Title: "门户网站SQL注入攻击", Severity: signal.High})
	duty := env.Users["duty"]
	if err := env.DB.Write(ctx, func(tx *store.Tx) error {
		return core.Notice(tx, duty.ID, 0, alerts.NoticePaged, map[string]any{"alert_id": id, "title": "门户网站SQL注入攻击", "priority": 5, "rule": "重点网站高危告警"})
	}); err != nil {
		t.Fatal(err)
	}
	b := loggedIn(t, base, "duty")
	wantBody(t, b.get("/notices"), "告警通知", `<a href="/alerts/`+itoa(id)+`">P5 门户网站SQL注入攻击</a>`)
}
