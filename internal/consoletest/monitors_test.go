package consoletest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/monitors"
	"yingji/internal/registry"
	"yingji/internal/testkit"
)

// keySite registers a key website served by a real HTTP server whose page
// the test switches, as the duty officer does.
func keySite(t *testing.T, env *testkit.Env) (*registry.Website, *atomic.Value) {
	t.Helper()
	var page atomic.Value
	page.Store(`<html><body><h1>青神县人民政府</h1><p>政务公开</p></body></html>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(page.Load().(string))) }))
	t.Cleanup(srv.Close)
	// The checks' DNS lookups go to a port where nothing answers: no test
	// reaches the network.
	env.App.Monitors.DNSServer = "127.0.0.1:9"
	site := &registry.Website{Name: "县政府门户网站", Domain: "www.qingshen.gov.cn", URL: srv.URL + "/", KeySite: true}
	testkit.UnitWebsite(t, env, testkit.Unit(1, "青神县人民政府办公室"), site)
	return site, &page
}

var linkRe = regexp.MustCompile(`id="new-link" href="[^"]*(/u/[A-Za-z0-9_-]{43})"`)

// TestConsoleMonitorsAndUnitChannel walks the console on both databases:
// the duty officer sets a monitor on a registered key website, checks it,
// accepts its page as the baseline, and after the page is defaced the
// monitor shows the change; he issues a unit its link, and the unit's form
// (no login) refuses bad input keeping what was typed, takes a report with
// a receipt number, and then says the link was used; a revoked link says
// so.
func TestConsoleMonitorsAndUnitChannel(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		site, page := keySite(t, env)
		b := loggedIn(t, base, "duty")
		b.read("/monitors", "网站监测", "县政府门户网站（www.qingshen.gov.cn）")
		r := b.post("/monitors", url.Values{"website_id": {itoa(site.ID)}, "interval_minutes": {"10"}})
		wantStatus(t, r, http.StatusSeeOther)
		mon := r.Location
		if !strings.HasPrefix(mon, "/monitors/") {
			t.Fatalf("created: %q", mon)
		}
		wantStatus(t, b.post(mon+"/check", nil), http.StatusSeeOther)
		r = b.get(mon)
		wantBody(t, r, "正常", "政务公开", "确认当前内容为基线")
		hash := regexp.MustCompile(`name="content_hash" value="([0-9a-f]{64})"`).FindStringSubmatch(r.Body)
		if hash == nil {
			t.Fatal("no content hash on the page")
		}
		wantStatus(t, b.post(mon+"/baseline", url.Values{"content_hash": {hash[1]}}), http.StatusSeeOther)
		page.Store(`<html><body><h1>Hacked</h1><p>政务公开</p></body></html>`)
		wantStatus(t, b.post(mon+"/check", nil), http.StatusSeeOther)
		r = b.get(mon)
		wantBody(t, r, `mon-changed`, "内容被改动", "与基线相比新增1行、删除1行")
		wantBody(t, b.get("/monitors"), "内容被改动")
		// Someone with no registry role reads but does not act.
		testkit.Officer(t, env, "clerk", "wangjian")
		clerk := loggedIn(t, base, "clerk")
		if r := clerk.get(mon); r.Status != http.StatusOK || strings.Contains(r.Body, "立即检测") {
			t.Fatalf("clerk: %d", r.Status)
		}
		wantStatus(t, clerk.post(mon+"/check", nil), http.StatusForbidden)

		// The units' channel.
		r = b.post("/unit-links", url.Values{"unit_id": {itoa(site.UnitID)}, "valid_days": {"7"}})
		wantStatus(t, r, http.StatusOK)
		m := linkRe.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no link shown:\n%s", r.Body)
		}
		unit := newBrowser(t, base)
		unit.read(m[1], "网络安全事件报警", "青神县人民政府办公室", "SHA-256")
		form := url.Values{"system": {"门户网站"}, "happened_at": {"2026-11-28T08:30"}, "what": {"首页被篡改"}, "contact_name": {"李四"},
			"contact_phone": {"12"}, "attachments": {strings.Repeat("ab", 32) + " 2048 截图.png"}}
		r = unit.do("POST", m[1], form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "首页被篡改", "flash error")
		form.Set("contact_phone", "13800000001")
		r = unit.do("POST", m[1], form)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "回执号 2026-11-28-0001")
		r = unit.get(m[1])
		wantBody(t, r, "已于", "2026-11-28-0001")
		if strings.Contains(r.Body, `id="unit-form"`) {
			t.Fatal("a used link still shows the form")
		}
		wantBody(t, b.get("/unit-reports"), "2026-11-28-0001", "首页被篡改", strings.Repeat("ab", 32))
		// The report links to its alert, which names the unit and links back.
		if _, err := env.App.Alerts.Tick(ctx, "test"); err != nil {
			t.Fatal(err)
		}
		r = b.get("/unit-reports")
		links := regexp.MustCompile(`<article class="card" id="report-(\d+)">[\s\S]*?class="report-alert" href="(/alerts/\d+)"`).FindStringSubmatch(r.Body)
		if links == nil {
			t.Fatalf("the report does not link to its alert:\n%s", r.Body)
		}
		r = b.read(links[2], "<dt>单位</dt><dd>青神县人民政府办公室</dd>", `href="/unit-reports#report-`+links[1]+`"`, "回执号 2026-11-28-0001")
		// Who may not open alerts reads the report without the link.
		if r := clerk.get("/unit-reports"); strings.Contains(r.Body, "report-alert") || !strings.Contains(r.Body, "2026-11-28-0001") {
			t.Error("the clerk's list links to an alert he may not open")
		}
		// Revoked, and unknown.
		r = b.post("/unit-links", url.Values{"unit_id": {itoa(site.UnitID)}})
		m2 := linkRe.FindStringSubmatch(r.Body)
		id := regexp.MustCompile(`action="/unit-links/(\d+)/revoke"`).FindStringSubmatch(r.Body)
		if m2 == nil || id == nil {
			t.Fatal("second link")
		}
		wantStatus(t, b.post("/unit-links/"+id[1]+"/revoke", nil), http.StatusSeeOther)
		r = unit.get(m2[1])
		wantStatus(t, r, http.StatusGone)
		wantBody(t, r, "已被撤销")
		wantStatus(t, unit.get("/u/"+strings.Repeat("A", 43)), http.StatusNotFound)
		testkit.AuditCount(t, env)
	})
}

// TestBrowserUnitReport: a unit, on a phone-sized screen (390 px) and with
// no account, opens its link (on both databases), picks a file (hashed in the browser, not
// uploaded), submits, and reads its receipt number; the office's report
// holds the file's SHA-256 as computed here.
func TestBrowserUnitReport(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	testkit.Each(t, func(t *testing.T, env *testkit.Env) { browserUnitReport(t, env, newServer(t, env)) })
}

// hospitalLink registers a unit and issues its reporting link's token, as
// the duty officer would.
func hospitalLink(t *testing.T, env *testkit.Env) (*registry.Unit, string) {
	t.Helper()
	u := testkit.Unit(1, "青神县人民医院")
	testkit.AddUnit(t, env, u)
	_, tok, err := env.App.UnitReports.IssueLink(ctx, env.Users["duty"], u.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	return u, tok
}

func browserUnitReport(t *testing.T, env *testkit.Env, base string) {
	duty := env.Users["duty"]
	_, tok := hospitalLink(t, env)
	file := filepath.Join(t.TempDir(), "日志.txt")
	content := []byte("2026-11-28 08:29 异常登录 203.0.113.9\n")
	os.WriteFile(file, content, 0o644)
	sum := sha256.Sum256(content)
	b := chromium(t)
	run(t, b, "open link", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(base+"/u/"+tok),
		chromedp.WaitVisible(chromedp.CSS("#unit-form")))
	if w := value(t, b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the form is %d px wide on a 390 px screen", w)
	}
	run(t, b, "fill",
		chromedp.SendKeys(chromedp.CSS("#u-system"), "HIS系统"),
		chromedp.SetValue(chromedp.CSS("#u-when"), "2026-11-28T08:30"),
		chromedp.SendKeys(chromedp.CSS("#u-what"), "HIS系统出现异常登录，疑似被入侵"),
		chromedp.SendKeys(chromedp.CSS("#u-name"), "王五"),
		chromedp.SendKeys(chromedp.CSS("#u-phone"), "13800000005"),
		chromedp.SetUploadFiles(chromedp.CSS("#u-files"), []string{file}),
		chromedp.WaitVisible(chromedp.CSS("#u-hashes li")),
		chromedp.Click(chromedp.CSS("#u-submit")),
		chromedp.WaitVisible(chromedp.CSS("#receipt")),
	)
	if txt := value(t, b, chromedp.Text(chromedp.CSS("#receipt"))); !strings.Contains(txt, "2026-11-28-0001") {
		t.Fatalf("receipt: %q", txt)
	}
	rs, err := env.App.UnitReports.Reports(ctx, duty)
	if err != nil || len(rs) != 1 || len(rs[0].Attachments) != 1 {
		t.Fatalf("reports: %v %+v", err, rs)
	}
	if a := rs[0].Attachments[0]; a.SHA256 != hex.EncodeToString(sum[:]) || a.Name != "日志.txt" || a.Size != int64(len(content)) {
		t.Fatalf("attachment %+v", a)
	}
}

// TestMonitorsScreenshots writes docs/screenshots/monitor-*.png (a key
// website defaced after its baseline was accepted) and unitform-*.png (a
// unit's reporting form opened from its link) when YINGJI_SCREENSHOTS=1.
func TestMonitorsScreenshots(t *testing.T) {
	if os.Getenv("YINGJI_SCREENSHOTS") != "1" {
		t.Skip("set YINGJI_SCREENSHOTS=1 to write docs/screenshots")
	}
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	site, page := keySite(t, env)
	duty := env.Users["duty"]
	m, err := env.App.Monitors.Create(ctx, duty, site.ID, monitors.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	env.App.Monitors.CheckNow(ctx, duty, m.ID)
	if m, err = env.App.Monitors.CheckNow(ctx, duty, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Monitors.AcceptBaseline(ctx, duty, m.ID, m.ContentHash); err != nil {
		t.Fatal(err)
	}
	page.Store(`<html><body><h1>Hacked by someone</h1><p>政务公开</p><p>we were here</p></body></html>`)
	env.App.Monitors.CheckNow(ctx, duty, m.ID)
	_, tok, err := env.App.UnitReports.IssueLink(ctx, duty, site.UnitID, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := chromium(t)
	uiLogin(t, b, base, "duty", testkit.Password)
	screenshot(t, b, base, "monitor", "/monitors/"+itoa(m.ID))
	screenshot(t, chromium(t), base, "unitform", "/u/"+tok)
}
