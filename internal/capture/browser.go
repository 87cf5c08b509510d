package capture

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"os"
	"os/exec"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// rendered is the browser side of a capture.
type rendered struct {
	version   string // e.g. HeadlessChrome/142.0.7444.175
	userAgent string
	finalURL  string
	title     string
	png       []byte
	pngAt     time.Time
	height    int // the page's full height in CSS pixels
	cropped   bool
	html      []byte
	htmlAt    time.Time
	truncated bool
	// loadTimedOut: taken when LoadTimeout ended, before the load event.
	loadTimedOut bool
}

// chromiumPath finds the browser: the configured path, /usr/bin/chromium,
// or chromium on PATH.
func (c *Capturer) chromiumPath() (string, error) { return FindChromium(c.cfg.ChromiumPath) }

// FindChromium finds the browser: path when set and present,
// /usr/bin/chromium, or chromium on PATH. The console's browser tests look
// for it the same way.
func FindChromium(path string) (string, error) {
	for _, p := range []string{path, "/usr/bin/chromium"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("capture: chromium not found (set the capture's Chromium path)")
}

// HeadlessOptions start the headless Chromium at path with a fresh profile
// directory and a window of width×height, quiet (no first-run, no
// background traffic, no QUIC) and in Chinese. The capture adds its own
// flags; the console's browser tests start their Chromium with these too.
func HeadlessOptions(path, profile string, width, height int) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		// The pages captured are hostile (a defaced site): Chromium keeps its
		// sandbox, except as root, where it refuses to start with one. Run
		// yingji as an unprivileged user in production (docs/capture.md).
		chromedp.Flag("no-sandbox", os.Geteuid() == 0),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
	}
}

// render loads u in a fresh headless Chromium (its own empty profile, so no
// cookies or cache of an earlier capture play a part), with the host pinned
// to addr so that the browser reaches the server the Go fetch reached, and
// takes the screenshot and the rendered HTML.
func (c *Capturer) render(ctx context.Context, u, host string, addr netip.Addr, profile string) (*rendered, error) {
	path, err := c.chromiumPath()
	if err != nil {
		return nil, err
	}
	mapped := addr.String()
	if addr.Is6() {
		mapped = "[" + mapped + "]"
	}
	opts := append(HeadlessOptions(path, profile, c.cfg.Width, c.cfg.Height),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-device-scale-factor", "1"),
		// As the Go fetch: the page is recorded whatever its certificate;
		// tls.json says whether the chain verifies.
		chromedp.Flag("ignore-certificate-errors", true),
		chromedp.UserAgent(c.cfg.UserAgent),
	)
	if addr.IsValid() { // not for an address literal: nothing to pin
		opts = append(opts, chromedp.Flag("host-resolver-rules", "MAP "+host+" "+mapped))
	}
	for name, v := range c.cfg.ChromiumFlags {
		opts = append(opts, chromedp.Flag(name, v))
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(alloc)
	defer cancel()

	r := &rendered{}
	v, err := chromedp.CallBrowser(bctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		return nil, fmt.Errorf("capture: start chromium: %w", err)
	}
	r.version, r.userAgent = v.Product, v.UserAgent
	// A page whose load event never comes (a hanging image, a script that
	// waits) is taken as it stands when LoadTimeout ends, and said so.
	// The tab is opened on bctx first: opened by the first action, it would
	// live only as long as that action's context.
	if err := chromedp.Do(bctx); err != nil {
		return nil, fmt.Errorf("capture: open a tab: %w", err)
	}
	lctx, lcancel := context.WithTimeout(bctx, c.cfg.LoadTimeout)
	err = chromedp.Do(lctx, chromedp.Navigate(u))
	lcancel()
	if err != nil {
		if ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("capture: load %s in chromium: %w", u, err)
		}
		r.loadTimedOut = true
	}
	if r.finalURL, err = chromedp.Run(bctx, chromedp.Location()); err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	if r.finalURL == "" || r.finalURL == "about:blank" {
		return nil, fmt.Errorf("capture: %s did not load in chromium within %s", u, c.cfg.LoadTimeout)
	}
	if r.title, err = chromedp.Run(bctx, chromedp.Title()); err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	m, err := chromedp.Call(bctx, page.GetLayoutMetrics, cdp.Empty{})
	if err != nil {
		return nil, fmt.Errorf("capture: layout: %w", err)
	}
	width, height := float64(c.cfg.Width), float64(c.cfg.Height)
	if cs := m.CSSContentSize; cs != nil {
		width, height = math.Max(width, math.Ceil(cs.Width)), math.Max(1, math.Ceil(cs.Height))
	}
	width = math.Min(width, float64(c.cfg.MaxScreenshotWidth))
	r.height = int(height)
	if height > float64(c.cfg.MaxScreenshotHeight) {
		height, r.cropped = float64(c.cfg.MaxScreenshotHeight), true
	}
	shot, err := chromedp.Call(bctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		CaptureBeyondViewport: ptr(true),
		FromSurface:           ptr(true),
		Clip:                  &page.Viewport{X: 0, Y: 0, Width: width, Height: height, Scale: 1},
	})
	if err != nil {
		return nil, fmt.Errorf("capture: screenshot: %w", err)
	}
	r.png, r.pngAt = shot.Data, time.Now().UTC()
	html, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.documentElement ? document.documentElement.outerHTML : ""`))
	if err != nil {
		return nil, fmt.Errorf("capture: rendered html: %w", err)
	}
	r.html, r.htmlAt = []byte(html), time.Now().UTC()
	if int64(len(r.html)) > c.cfg.MaxHTMLBytes {
		r.html, r.truncated = r.html[:c.cfg.MaxHTMLBytes], true
	}
	return r, nil
}

func ptr[T any](v T) *T { return &v }
