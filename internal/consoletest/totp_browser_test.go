package consoletest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"yingji/internal/testkit"
	"yingji/internal/user"
)

// In a real browser an admin without a second factor logs in, is held at
// enrolment, reads the secret off the page (as he would type it into an
// app), confirms with a code and gets recovery codes; after logging out he
// cannot get in with the password alone, gets in with a code, and a
// recovery code works once.
func TestBrowserTOTPEnrolment(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	env := testkit.Open(t, "sqlite")
	if err := env.App.Accounts.ResetTOTP(ctx, user.System(), "admin"); err != nil {
		t.Fatal(err)
	}
	base := newServer(t, env)
	b := chromium(t)
	password := func() {
		run(t, b, "password",
			chromedp.Navigate(base+"/login"),
			chromedp.WaitVisible(chromedp.CSS("#username")),
			chromedp.SendKeys(chromedp.CSS("#username"), "admin"),
			chromedp.SendKeys(chromedp.CSS("#password"), testkit.Password),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS("#code")),
		)
	}
	code := func(c string) {
		// The marker goes with the old page: its absence means the answer
		// to the form has arrived.
		value(t, b, chromedp.Evaluate[bool](`window.__before = true`))
		run(t, b, "code",
			chromedp.SendKeys(chromedp.CSS("#code"), c),
			chromedp.Click(chromedp.CSS(`form[action="/login/totp"] button[type=submit]`)),
		)
		deadline := time.Now().Add(20 * time.Second)
		for {
			// Evaluating while the page changes may fail: ask again.
			arrived, err := chromedp.Run(b, chromedp.Evaluate[bool](`window.__before === undefined && document.readyState === "complete"`))
			if err == nil && arrived {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("no answer to the code form: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	logout := func() {
		run(t, b, "logout",
			chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
			chromedp.WaitVisible(chromedp.CSS("#username")),
		)
	}
	onIncidents := func() bool {
		return value(t, b, chromedp.Evaluate[bool](`document.querySelector('nav a[href="/incidents"]') !== null`))
	}

	password() // held at enrolment: the page has the QR code and the secret
	if loc := value(t, b, chromedp.Location()); !strings.HasSuffix(loc, "/account/totp") {
		t.Fatalf("admin without TOTP landed on %s", loc)
	}
	run(t, b, "qr", chromedp.WaitVisible(chromedp.CSS("figure.qr svg")))
	secret := strings.ReplaceAll(value(t, b, chromedp.Text(chromedp.CSS("#totp-secret"))), " ", "")
	key, err := user.DecodeTOTPSecret(secret)
	if err != nil || len(key) != 20 {
		t.Fatalf("secret %q: %v", secret, err)
	}
	run(t, b, "navigate away", chromedp.Navigate(base+"/incidents"), chromedp.WaitVisible(chromedp.CSS("#code")))
	if onIncidents() {
		t.Fatal("the console opened before enrolment")
	}
	run(t, b, "enrol",
		chromedp.SendKeys(chromedp.CSS("#code"), user.TOTPCode(key, env.Clock.Now())),
		chromedp.Click(chromedp.CSS(`form[action="/account/totp"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#recovery-codes")),
	)
	codes := strings.Fields(value(t, b, chromedp.Text(chromedp.CSS("#recovery-codes"))))
	if len(codes) != 10 {
		t.Fatalf("recovery codes: %q", codes)
	}
	run(t, b, "continue", chromedp.Click(chromedp.CSS("#codes-done")), chromedp.WaitVisible(chromedp.CSS(`nav a[href="/incidents"]`)))
	logout()

	// The password alone opens nothing; a wrong code neither.
	env.Clock.Add(30 * time.Second)
	password()
	run(t, b, "try the console", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#code")))
	code("000000")
	if onIncidents() {
		t.Fatal("a wrong code opened the console")
	}
	run(t, b, "refused", chromedp.WaitVisible(chromedp.CSS("#code-error")))
	if len(value(t, b, chromedp.Text(chromedp.CSS("#code-error")))) == 0 {
		t.Fatal("no message for a wrong code")
	}
	code(user.TOTPCode(key, env.Clock.Now()))
	if !onIncidents() {
		t.Fatalf("the right code did not open the console: %s", value(t, b, chromedp.Text(chromedp.CSS("main"))))
	}
	logout()

	// A recovery code, once.
	password()
	code(codes[0])
	if !onIncidents() {
		t.Fatal("a recovery code did not open the console")
	}
	logout()
	password()
	code(codes[0])
	if onIncidents() {
		t.Fatal("a recovery code worked twice")
	}
}
