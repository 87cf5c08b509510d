package consoletest

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/channel"
	"yingji/internal/channel/chantest"
	"yingji/internal/delivery"
	"yingji/internal/notices"
	"yingji/internal/rollcall"
	"yingji/internal/testkit"
)

// TestNoticesScreenshots writes docs/screenshots/notices-*.png (the duty
// officer's 通知 page: his notices, contacts and the delivery log with a
// robot's refusal in red) and rollcall-*.png (the deputy's roll-call link
// opened on a phone with no session) when YINGJI_SCREENSHOTS=1.
func TestNoticesScreenshots(t *testing.T) {
	if os.Getenv("YINGJI_SCREENSHOTS") != "1" {
		t.Skip("set YINGJI_SCREENSHOTS=1 to write docs/screenshots")
	}
	env := testkit.Open(t, "sqlite")
	gw := chantest.SMSGateway("gw-token")
	t.Cleanup(gw.Close)
	ding := chantest.DingTalk("ding-token", "SECright", env.Clock.Now)
	t.Cleanup(ding.Close)
	key := chantest.LinkKey
	set := chantest.SMSSet(gw, "gw-token", key)
	// A group robot with the wrong secret: its deliveries fail, with the reason.
	set.Add("县局钉钉群", &channel.DingTalk{URL: ding.URL + "/robot/send?access_token=ding-token", Secret: "SECwrong", Now: env.Clock.Now}, nil, true)
	env.App.Notices.Channels = set
	for i, name := range []string{"duty", "chief", "deputy", "xingjing"} {
		if _, err := env.App.Notices.SetContacts(ctx, env.Users["admin"], name, notices.Contacts{Phone: "1380000000" + string(rune('1'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	base := newServer(t, env)
	in := activeIncident(t, env)
	w := &delivery.Worker{DB: env.DB, Channels: set, Name: "screens"}
	for i := 0; i < 5; i++ {
		if _, err := w.Step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	deputyRow := rollCallOf(t, env, in.ID, "deputy")
	duty := chromium(t)
	uiLogin(t, duty, base, "duty", testkit.Password)
	screenshot(t, duty, base, "notices", "/notices")
	anon := chromium(t)
	screenshot(t, anon, base, "rollcall", rollcall.LinkPath(key, deputyRow))
	// The delivery log the duty officer reads shows the deputy's SMS but
	// not its link whole: the link would confirm the deputy without him.
	link := rollcall.LinkPath(key, deputyRow)
	txt := value(t, duty, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
	if !strings.Contains(txt, "请到位后点击确认") || strings.Contains(txt, link) {
		t.Fatalf("delivery log (link %s):\n%s", link, txt)
	}
}
