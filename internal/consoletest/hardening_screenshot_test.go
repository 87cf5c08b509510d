package consoletest

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/accounts"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// TestHardeningScreenshots writes the screenshots of docs/hardening.md when
// YINGJI_SCREENSHOTS=1: the system administrator's and the audit
// administrator's pages, and the enrolment of a second factor that a new
// leader meets at his first login, at desktop and phone width.
func TestHardeningScreenshots(t *testing.T) {
	if os.Getenv("YINGJI_SCREENSHOTS") != "1" {
		t.Skip("set YINGJI_SCREENSHOTS=1 to write docs/screenshots")
	}
	env := testkit.Open(t, "sqlite")
	newIncident(t, env)
	if _, err := env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: "青神县公安局", Department: "office", Username: "newdeputy",
		DisplayName: "刘副局长", Title: "新任副局长", Roles: []string{user.RoleDeputy}, Password: testkit.Password}); err != nil {
		t.Fatal(err)
	}
	base := newServer(t, env)
	for _, who := range []string{"admin", "auditor"} {
		b := chromium(t)
		uiLogin(t, b, base, who, testkit.Password)
		screenshot(t, b, base, "admin-"+who, "/admin")
	}
	b := chromium(t)
	run(t, b, "first login of a new leader",
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), "newdeputy"),
		chromedp.SendKeys(chromedp.CSS("#password"), testkit.Password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/account/totp"]`)),
	)
	screenshot(t, b, base, "totp-enrol", "/account/totp")
}
