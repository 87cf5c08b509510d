package consoletest

import (
	"strconv"
	"strings"
	"testing"
	"time"
	"yingji/internal/core"

	"github.com/chromedp/chromedp"

	"yingji/internal/channel"
	"yingji/internal/rollcall"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// Issue 10 in a real browser: the bell counts a member's unread notices
// and drops when he marks one read; in another browser, with no login, the
// deputy opens his roll-call link, sees the button (opening the link
// changes nothing), confirms 已到位, and the incident's notices page shows
// him confirmed by link.
func TestBrowserBellAndRollCallLink(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	env := testkit.Open(t, "sqlite")
	key := []byte("0123456789abcdef0123456789abcdef")
	env.App.Notices.Channels = &channel.Set{BaseURL: "http://10.51.1.5", LinkKey: key}
	base := newServer(t, env)
	in := activeIncident(t, env)

	deputyRow := rollCallOf(t, env, in.ID, "deputy")

	b := uiBrowser(t, base, "xingjing")
	run(t, b, "bell", chromedp.Navigate(base+"/notices"), chromedp.WaitVisible(chromedp.CSS(`nav a[href="/notices"] .badge`)))
	before := value(t, b, chromedp.Text(chromedp.CSS(`nav a[href="/notices"] .badge`)))
	run(t, b, "mark read",
		chromedp.Click(chromedp.CSS(`form[action^="/notices/"][action$="/ack"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
	)
	after := value(t, b, chromedp.Evaluate[string](`(document.querySelector('nav a[href="/notices"] .badge')||{textContent:"0"}).textContent`))
	if before == "" || after == before {
		t.Fatalf("bell %q then %q", before, after)
	}

	anon := chromium(t) // the deputy's phone: no session
	link := base + rollcall.LinkPath(key, deputyRow)
	run(t, anon, "open link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`form[action^="/r/"] button`)))
	var confirmed *store.RollCall
	env.DB.Read(ctx, func(q *store.Q) error { confirmed, _ = q.RollCall(deputyRow.ID); return nil })
	if confirmed.ConfirmedAt != nil {
		t.Fatal("opening the link confirmed")
	}
	run(t, anon, "confirm", chromedp.Click(chromedp.CSS(`form[action^="/r/"] button`)), chromedp.WaitVisible(chromedp.CSS("p.ok")))
	if txt := value(t, anon, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(txt, "确认到位") || strings.Contains(txt, "已到位\n") {
		t.Fatalf("after confirming:\n%s", txt)
	}
	run(t, b, "incident notices", chromedp.Navigate(base+"/incidents/"+itoa(in.ID)+"/notices"), chromedp.WaitVisible(chromedp.CSS("#h-nc-roll")))
	txt := value(t, b, chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(txt, "王副局长：已到位") || !strings.Contains(txt, "短信/邮件链接") {
		t.Fatalf("roll-call on the incident's notices page:\n%s", txt)
	}

	// The live bell (issue 10): a notice that arrives while the page is
	// open shows in the bell without a reload (app.js asks
	// /notices/unread every 30 s, when the page is shown again and on a
	// live change; here the page is shown again).
	badge := `(document.querySelector('#bell .badge')||{textContent:"0"}).textContent`
	n0 := value(t, b, chromedp.Evaluate[string](badge))
	value(t, b, chromedp.Evaluate[bool](`window.__sameDocument = true`))
	if err := env.DB.Write(ctx, func(tx *store.Tx) error {
		return core.Notice(tx, env.Users["xingjing"].ID, in.ID, "instruction_posted", map[string]any{"number": in.Number, "title": in.Title})
	}); err != nil {
		t.Fatal(err)
	}
	value(t, b, chromedp.Evaluate[bool](`document.dispatchEvent(new Event('visibilitychange')), true`))
	if !value(t, b, chromedp.Poll[bool](badge+` !== `+strconv.Quote(n0)+` && window.__sameDocument === true`, chromedp.WithPollingTimeout(10*time.Second))) {
		t.Fatalf("the bell stayed at %s", n0)
	}
}
