package consoletest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/monitor"
	"yingji/internal/registry"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// goneSite registers a key website whose server is gone (nothing listens
// on its port) and monitors it from the console; two checks make it down.
// It returns the monitor's page path and the site's URL.
func goneSite(t *testing.T, env *testkit.Env, hb *browser) (string, string) {
	t.Helper()
	gone := httptest.NewServer(http.NotFoundHandler())
	siteURL := gone.URL + "/"
	gone.Close()
	env.App.Monitors.DNSServer = "127.0.0.1:9" // no test reaches the network
	site := &registry.Website{Name: "县卫健局网站", Domain: "wjj.qingshen.gov.cn", URL: siteURL, KeySite: true}
	testkit.UnitWebsite(t, env, testkit.Unit(3, "青神县卫生健康局"), site)
	r := hb.post("/monitors", url.Values{"website_id": {itoa(site.ID)}, "interval_minutes": {"10"}})
	wantStatus(t, r, http.StatusSeeOther)
	for range 2 { // down takes two failed checks in a row
		wantStatus(t, hb.post(r.Location+"/check", nil), http.StatusSeeOther)
	}
	return r.Location, siteURL
}

// A key website that refuses the connection reads 连接被拒绝 (Connection
// refused in English) where people read monitor failures — the state, each
// result, the down change, the list, the alert — with Go's text kept as the
// technician's detail; the API keeps its error fields and adds the code. A
// down change stored by an earlier version (the text only inside the
// alert's sentence) reads the same way.
func TestMonitorFailureReasonInWords(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		hb := loggedIn(t, base, "duty")
		mon, siteURL := goneSite(t, env, hb)
		id, _ := strings.CutPrefix(mon, "/monitors/")

		page := hb.get(mon)
		wantBody(t, page, `<strong id="mon-reason" data-reason="refused">连接被拒绝</strong>`, "技术信息：",
			"connect: connection refused", `<li data-reason="refused">`, "访问"+siteURL+"失败：连接被拒绝", `data-reason="refused" title="Get `)
		// Go's text is a detail: not the line the officer reads first.
		if strings.Contains(page.Body, "失败：Get ") {
			t.Error("the down change still leads with Go's text")
		}
		wantBody(t, hb.get("/monitors"), `data-reason="refused"`, ">连接被拒绝</span>")

		// The alert the outage raised names the reason in Chinese, the text after it.
		v, err := env.App.Monitors.Get(ctx, env.Users["duty"], mustID(t, id), 10)
		if err != nil || len(v.Changes) != 1 || v.Changes[0].Kind != "down" {
			t.Fatalf("changes: %v %+v", err, v)
		}
		wantBody(t, hb.get("/alerts/"+itoa(v.Changes[0].AlertID)), "访问"+siteURL+"失败：连接被拒绝。技术信息：Get ")

		en := loggedIn(t, base, "duty")
		en.get("/lang?to=en")
		wantBody(t, en.get(mon), ">Connection refused</strong>", "Technical detail: ", siteURL+" failed: Connection refused")

		// The API: error texts as before, the code beside them.
		tok, err := env.App.Accounts.IssueToken(ctx, user.System(), "duty", "reasons", 0)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			LastError  string `json:"last_error"`
			LastReason string `json:"last_reason"`
			Results    []struct{ Error, Reason string }
			Changes    []struct {
				Kind, Reason string
				Detail       map[string]any
			}
		}
		apiGet(t, base+"/api/v1"+mon, tok, &got)
		if !strings.HasSuffix(got.LastError, "connect: connection refused") || got.LastReason != "refused" ||
			len(got.Results) != 2 || got.Results[0].Reason != "refused" || got.Results[0].Error != got.LastError ||
			len(got.Changes) != 1 || got.Changes[0].Reason != "refused" || got.Changes[0].Detail["error"] != got.LastError {
			t.Errorf("API: %+v", got)
		}
		var list struct {
			Items []struct {
				LastReason string `json:"last_reason"`
			}
		}
		apiGet(t, base+"/api/v1/monitors", tok, &list)
		if len(list.Items) != 1 || list.Items[0].LastReason != "refused" {
			t.Errorf("API list: %+v", list)
		}

		// A down change as an earlier version kept it: Go's text only in the sentence.
		old := &monitor.Change{At: env.Clock.Now(), Kind: "down", Firing: true, AlertID: v.Changes[0].AlertID,
			Detail: map[string]any{"title": "重点网站无法访问", "detail": "访问" + siteURL + "失败：Get \"" + siteURL + "\": EOF"}}
		if err := env.DB.Write(ctx, func(tx *store.Tx) error { return tx.AddMonitorEvent(mustID(t, id), old) }); err != nil {
			t.Fatal(err)
		}
		wantBody(t, hb.get(mon), `<li data-reason="closed">`, "访问"+siteURL+"失败：连接被服务器关闭")
		apiGet(t, base+"/api/v1"+mon, tok, &got)
		if len(got.Changes) != 2 || got.Changes[0].Reason != "closed" {
			t.Errorf("API, an earlier version's change: %+v", got.Changes)
		}
	})
}

// TestBrowserMonitorDownOnAPhone: at 390 px the page of a site that
// refuses connections shows the reason in words, Go's long text wraps
// inside the screen, and nothing scrolls sideways. With
// YINGJI_SCREENSHOTS=1 it writes docs/screenshots/monitor-down-*.png.
func TestBrowserMonitorDownOnAPhone(t *testing.T) {
	env, base := browserEnv(t)
	mon, _ := goneSite(t, env, loggedIn(t, base, "duty"))
	b := uiBrowser(t, base, "duty")
	run(t, b, "phone", phoneScreen.emulate(), chromedp.Navigate(base+mon), chromedp.WaitVisible(chromedp.CSS("#mon-reason")))
	if txt := value(t, b, chromedp.Text(chromedp.CSS("#mon-reason"))); txt != "连接被拒绝" {
		t.Errorf("the reason reads %q", txt)
	}
	if w := value(t, b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the page is %d px wide on a 390 px phone", w)
	}
	if right := value(t, b, chromedp.Evaluate[float64](`document.querySelector("#mon-raw").getBoundingClientRect().right`)); right > 390 {
		t.Errorf("Go's text runs off the screen (right edge %v px)", right)
	}
	if os.Getenv("YINGJI_SCREENSHOTS") == "1" {
		screenshot(t, b, base, "monitor-down", mon)
	}
}

func apiGet(t *testing.T, u, token string, v any) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
