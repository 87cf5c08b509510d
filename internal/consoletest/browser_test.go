package consoletest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"yingji/internal/capture"
	"yingji/internal/testkit"
)

// chromium starts a headless Chromium of its own (a fresh profile: its own
// cookies, like a second person's browser) and returns a tab on it. Without
// Chromium the test skips, except in CI, where it must run.
func chromium(t *testing.T) context.Context {
	t.Helper()
	path, err := capture.FindChromium("")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium not found (CI must run the browser tests)")
		}
		t.Skip("chromium not installed")
	}
	// The console is no hostile page: no sandbox, which a container may not allow.
	opts := append(capture.HeadlessOptions(path, t.TempDir(), 1280, 900), chromedp.Flag("no-sandbox", true))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// Accept the console's confirmation dialogs, as the user would; the
	// answer must come from another goroutine than the one reading events.
	go func() {
		for _, err := range chromedp.Events(ctx, page.JavascriptDialogOpening) {
			if err != nil {
				return
			}
			go chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
				return err
			}))
		}
	}()
	return ctx
}

// run runs browser actions with a time limit, failing the test on error.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	if err := chromedp.Do(c, actions...); err != nil {
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		if len(html) > 3000 {
			html = html[:3000]
		}
		t.Fatalf("%s: %v\n%s", what, err, html)
	}
}

// browserEnv is a browser test's world: skipped under -short, the seeded
// SQLite world and a console server over it.
func browserEnv(t *testing.T) (*testkit.Env, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test")
	}
	env := testkit.Open(t, "sqlite")
	return env, newServer(t, env)
}

// uiBrowser is a Chromium of its own, logged in as username.
func uiBrowser(t *testing.T, base, username string) context.Context {
	t.Helper()
	b := chromium(t)
	uiLogin(t, b, base, username, testkit.Password)
	return b
}

func uiLogin(t *testing.T, ctx context.Context, base, username, password string) {
	t.Helper()
	run(t, ctx, "login "+username,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav a[href="/incidents"], #code`)),
	)
	if value(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#code") !== null`)) {
		// The admin and the leaders have a second factor (testkit enrols them).
		run(t, ctx, "second factor "+username,
			chromedp.SendKeys(chromedp.CSS("#code"), totpCode(t, base, username)),
			chromedp.Click(chromedp.CSS(`form[action="/login/totp"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`nav a[href="/incidents"]`)),
		)
	}
}

// uiRegister registers a network attack incident through the 接报登记 form
// and waits for its page (the activation form).
func uiRegister(t *testing.T, ctx context.Context, base, title, level string) {
	t.Helper()
	run(t, ctx, "register "+title,
		chromedp.Navigate(base+"/incidents/new"),
		chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.SendKeys(chromedp.CSS("#title"), title),
		chromedp.SetValue(chromedp.CSS("#category"), "network_attack"),
		chromedp.SetValue(chromedp.CSS("#level"), level),
		chromedp.Click(chromedp.CSS(`form[action="/incidents"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#activation-form")),
	)
}

// value runs one browser action that returns something.
// screen is a size the console is checked at.
type screen struct {
	name          string
	width, height int64
	mobile        bool
}

// screens are a desktop and a phone (390 px, the narrowest we promise).
var screens = []screen{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}}

var phoneScreen = screens[1]

// emulate makes the browser this screen (a phone at twice the pixels, with
// touch, as a real one).
func (s screen) emulate() chromedp.Action[chromedp.Void] {
	var opts []chromedp.EmulateViewportOption
	if s.mobile {
		opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile)
	}
	return chromedp.EmulateViewport(s.width, s.height, opts...)
}

func value[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
