package consoletest

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Intake sources in a real browser, at a desktop's and a phone's width:
// the duty officer goes from the alert queue to 接入源设置, adds an
// Alertmanager source and copies the key from the answer page (nothing
// wider than the screen); a webhook with it is taken (200); reloading the
// answer or going back to it does not show the key again; he revokes the
// source with the button (confirming), and the key is refused (401).
// With YINGJI_SCREENSHOTS_DIR set, the pages are written there as PNG.
func TestBrowserIntakeSources(t *testing.T) {
	_, base := browserEnv(t)
	b := uiBrowser(t, base, "duty")
	shots := os.Getenv("YINGJI_SCREENSHOTS_DIR")
	shot := func(name string) {
		if shots == "" {
			return
		}
		png := value(t, b, chromedp.FullScreenshot(100))
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, w := range screens {
		fits := func(what string) {
			t.Helper()
			if got := value(t, b, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`)); got > w.width {
				t.Errorf("%s at %d px is %d px wide", what, w.width, got)
			}
		}
		name := "Prometheus告警-" + w.name
		run(t, b, "add "+w.name, w.emulate(),
			chromedp.Navigate(base+"/alerts"),
			chromedp.Click(chromedp.CSS(`#alert-settings a[href="/intake/sources"]`)),
			chromedp.WaitVisible(chromedp.CSS("#s-name")),
			chromedp.SendKeys(chromedp.CSS("#s-name"), name),
			chromedp.Click(chromedp.CSS(`input[name=format][value=alertmanager]`)),
			chromedp.Click(chromedp.CSS(`form[action="/intake/sources"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS("#new-key")))
		fits("the new key's page")
		shot("sources-key-" + w.name)
		key := strings.TrimSpace(value(t, b, chromedp.Text(chromedp.CSS("#new-key"))))
		if len(key) != 43 {
			t.Fatalf("key %q", key)
		}
		if st := sendWebhook(t, base, key); st != http.StatusOK {
			t.Fatalf("webhook with the key from the page: %d", st)
		}
		// A reload sends the form again (the name is taken now); going back
		// fetches the page again (no-store), which the browser will not do
		// for a form unasked: neither shows the key. Each waits for the new
		// document, not the one it leaves.
		stale(t, b)
		run(t, b, "reload", chromedp.Reload())
		if body := newDocText(t, b, "reload"); strings.Contains(body, key) {
			t.Fatal("the key is shown again after a reload")
		}
		run(t, b, "away", chromedp.Navigate(base+"/alerts"), chromedp.WaitVisible(chromedp.CSS("main h1")))
		stale(t, b)
		value(t, b, chromedp.Evaluate[bool](`history.back(), true`))
		if body := newDocText(t, b, "back"); strings.Contains(body, key) {
			t.Fatal("the key is shown again after going back")
		}

		run(t, b, "list "+w.name, chromedp.Navigate(base+"/intake/sources"), chromedp.WaitVisible(chromedp.CSS("table.sources")))
		fits("the sources list")
		shot("sources-list-" + w.name)
		id := value(t, b, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("tr[data-source]"))
			.find(tr => tr.cells[0].textContent.trim() == "`+name+`").dataset.source`))
		row := `tr[data-source="` + id + `"]`
		run(t, b, "revoke "+w.name, chromedp.Click(chromedp.CSS(row+` button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
		if txt := value(t, b, chromedp.Text(chromedp.CSS(row))); !strings.Contains(txt, "已吊销") {
			t.Fatalf("row after revoke: %q", txt)
		}
		if st := sendWebhook(t, base, key); st != http.StatusUnauthorized {
			t.Fatalf("webhook with the revoked key: %d", st)
		}
	}
}

// stale marks the tab's document, so that newDocText knows it is gone.
func stale(t *testing.T, b context.Context) {
	t.Helper()
	value(t, b, chromedp.Evaluate[bool](`window.__stale = true`))
}

// newDocText waits until the tab shows a document other than the one
// stale marked (the answer page again, or the browser's own page for a form
// it will not resend unasked) and returns its text.
func newDocText(t *testing.T, b context.Context, what string) string {
	t.Helper()
	for range 80 {
		time.Sleep(250 * time.Millisecond)
		c, cancel := context.WithTimeout(b, 5*time.Second)
		v, err := chromedp.Run(c, chromedp.Evaluate[[]string](`window.__stale === true || document.readyState != "complete" ? [] :
			[location.href, document.body ? document.body.innerText : ""]`))
		cancel()
		if err == nil && len(v) == 2 {
			t.Logf("%s: at %s: %.80q", what, v[0], v[1])
			return v[1]
		}
	}
	t.Fatalf("%s: the page did not change", what)
	return ""
}
