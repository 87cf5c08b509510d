package consoletest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/evidence"
	"yingji/internal/registry"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// TestBrowserEvidence (issue 13), on both databases: the duty officer
// registers an item, drops two files on it (set through CDP: drag and drop
// cannot be driven, the same script handles both) and watches them
// upload; he captures a registered website's page with the real capture
// (headless Chromium and Go's fetch, internal/capture, as internal/app
// wires it) from a site served by the test; the deputy, in his own
// browser, downloads a file; the custody log shows his download.
func TestBrowserEvidence(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, `<html><head><title>县政府门户网站</title></head><body style="background:#c00"><h1>网站已被黑</h1></body></html>`)
		}))
		defer site.Close()
		in := newIncident(t, env)
		testkit.UnitWebsite(t, env, testkit.Unit(1, "青神县人民政府办公室"), &registry.Website{Name: "县政府门户网站", Domain: "www.qingshen.gov.cn", URL: site.URL + "/"})
		dir := t.TempDir()
		logFile, pageFile := filepath.Join(dir, "访问日志 2026-11-28.log"), filepath.Join(dir, "index.html")
		os.WriteFile(logFile, []byte("203.0.113.9 GET /shell.php 200\n"), 0o600)
		os.WriteFile(pageFile, []byte("<html><script>alert(1)</script>hacked</html>"), 0o600)

		b := uiBrowser(t, base, "duty")
		reg := base + "/incidents/" + itoa(in.ID) + "/evidence"
		run(t, b, "register",
			chromedp.Navigate(base+"/incidents/"+itoa(in.ID)),
			chromedp.Click(chromedp.CSS(`a[href$="/evidence"]`)),
			chromedp.WaitVisible(chromedp.CSS("#evidence-form")),
			chromedp.SetValue(chromedp.CSS("#ev-kind"), "file"),
			chromedp.SendKeys(chromedp.CSS("#ev-desc"), "门户网站访问日志及被篡改页面"),
			chromedp.SendKeys(chromedp.CSS("#ev-place"), "县政府信息中心机房"),
			chromedp.Click(chromedp.CSS(`#evidence-form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
			chromedp.WaitVisible(chromedp.CSS(".dropzone .ev-file")),
		)
		run(t, b, "upload",
			chromedp.SetUploadFiles(chromedp.CSS(".dropzone .ev-file"), []string{logFile, pageFile}),
			chromedp.WaitVisible(chromedp.CSS(`.dropzone[data-finished="2"]`)),
		)
		if bad := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll(".ev-progress li.bad").length`)); bad != 0 {
			t.Fatalf("%d uploads failed: %s", bad, value(t, b, chromedp.Text(chromedp.CSS(".ev-progress"))))
		}
		run(t, b, "capture",
			chromedp.Navigate(reg),
			chromedp.SendKeys(chromedp.CSS("#ev-url"), site.URL+"/"),
			chromedp.SendKeys(chromedp.CSS("#ev-creason"), "首页被篡改，固定现状"),
			chromedp.Click(chromedp.CSS(`form[action$="/evidence/capture"] button`)),
			chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
		)
		var items []*evidence.Item
		if err := env.DB.Read(ctx, func(q *store.Q) (err error) { items, err = q.EvidenceItems(in.ID); return err }); err != nil {
			t.Fatal(err)
		}
		if len(items) != 2 || len(items[0].Files) != 2 || items[1].Kind != evidence.WebPage {
			t.Fatalf("register: %d items", len(items))
		}
		parts := map[string]bool{}
		for _, x := range items[1].Files {
			parts[x.Name] = len(x.SHA256) == 64 && len(x.SM3) == 64
		}
		for _, want := range []string{"screenshot.png", "rendered.html", "response.html", "response-headers.json", "capture.json"} {
			if !parts[want] {
				t.Fatalf("capture parts %v: %s missing or unhashed", parts, want)
			}
		}
		var f *evidence.FileRef
		for _, x := range items[0].Files {
			if strings.HasPrefix(x.Name, "访问日志") {
				f = x
			}
		}
		if f == nil || f.MediaType == "" {
			t.Fatalf("files %+v", items[0].Files)
		}

		// The deputy downloads, in his browser, with his session.
		d := uiBrowser(t, base, "deputy")
		item := base + "/evidence/" + itoa(items[0].ID)
		run(t, d, "item page", chromedp.Navigate(item), chromedp.WaitVisible(chromedp.CSS(`a[href$="/files/`+itoa(f.ID)+`"]`)))
		body := value(t, d, chromedp.Evaluate[string](`(async () => { const r = await fetch("/evidence/`+itoa(items[0].ID)+`/files/`+itoa(f.ID)+`"); return r.headers.get("Content-Disposition") + "|" + r.headers.get("X-Content-Type-Options") + "|" + await r.text(); })()`, chromedp.EvalAwaitPromise))
		if !strings.HasPrefix(body, "attachment;") || !strings.Contains(body, "filename*=UTF-8''%E8%AE%BF") || !strings.HasSuffix(body, "|nosniff|203.0.113.9 GET /shell.php 200\n") {
			t.Fatalf("download: %q", body)
		}
		run(t, b, "custody", chromedp.Navigate(item), chromedp.WaitVisible(chromedp.CSS(`.custody li[data-action="download"]`)))
		log := value(t, b, chromedp.Text(chromedp.CSS(".custody")))
		if !strings.Contains(log, "deputy 下载") {
			t.Fatalf("custody log:\n%s", log)
		}
	})
}
