// Package capture records a web page as evidence: a full-page screenshot
// and the rendered HTML from a headless Chromium, and, fetched by Go in the
// same capture, the raw response HTML, the response headers, the TLS
// certificate chain and the DNS answers for the host, each part with the
// time it was taken, and capture.json listing them.
//
// The host is resolved once, by yingji itself against the configured
// resolver, and both Go and Chromium connect to the first address of those
// answers, so that every part comes from the server dns.json names.
package capture

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/net/idna"
)

// Part is one file of a capture, in dir.
type Part struct {
	Name      string    // file name in dir, e.g. "screenshot.png"
	MediaType string    // e.g. "image/png"
	Path      string    // dir joined with Name
	At        time.Time // when its content was taken (UTC)
}

// The parts' names, in the order Capture returns them.
const (
	PartDNS        = "dns.json"
	PartResponse   = "response.html"
	PartHeaders    = "response-headers.json"
	PartChainPEM   = "tls-chain.pem"
	PartTLS        = "tls.json"
	PartScreenshot = "screenshot.png"
	PartRendered   = "rendered.html"
	PartManifest   = "capture.json"
)

// Config bounds and points a Capturer. Zero fields take the defaults.
type Config struct {
	ChromiumPath string // default /usr/bin/chromium, else chromium on PATH
	// ChromiumFlags are extra command-line flags (name → value, true for a bare flag).
	ChromiumFlags map[string]any
	// Resolver is the DNS server asked for the host, "host:port"; default
	// the first nameserver of /etc/resolv.conf.
	Resolver string
	// RootCAs verify the chain for tls.json; nil means the system's roots.
	RootCAs *x509.CertPool
	// UserAgent is sent by both Go and Chromium; default a Linux browser's
	// with "yingji-capture/1" (set a common browser's to see what visitors see).
	UserAgent string

	Timeout             time.Duration // whole capture; default 90 s
	DNSTimeout          time.Duration // each question; default 5 s
	FetchTimeout        time.Duration // the Go request; default 30 s
	LoadTimeout         time.Duration // the browser's wait for the load event; default 30 s
	MaxHTMLBytes        int64         // raw and rendered HTML each; default 10 MiB
	MaxScreenshotHeight int           // CSS pixels; a longer page is cut there; default 16384
	MaxScreenshotWidth  int           // CSS pixels; default 4096
	Width, Height       int           // the browser window; default 1280×900
}

func (c *Config) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&c.Timeout, 90*time.Second)
	set(&c.DNSTimeout, 5*time.Second)
	set(&c.FetchTimeout, 30*time.Second)
	set(&c.LoadTimeout, 30*time.Second)
	if c.MaxHTMLBytes <= 0 {
		c.MaxHTMLBytes = 10 << 20
	}
	if c.MaxScreenshotHeight <= 0 {
		c.MaxScreenshotHeight = 16384
	}
	if c.MaxScreenshotWidth <= 0 {
		c.MaxScreenshotWidth = 4096
	}
	if c.Width <= 0 || c.Height <= 0 {
		c.Width, c.Height = 1280, 900
	}
	if c.UserAgent == "" {
		c.UserAgent = "Mozilla/5.0 (X11; Linux x86_64) yingji-capture/1"
	}
}

// Capturer captures pages; it is safe for concurrent use (each capture
// starts its own Chromium).
type Capturer struct{ cfg Config }

// New returns a Capturer with cfg's zero fields set to their defaults.
func New(cfg Config) *Capturer {
	cfg.defaults()
	return &Capturer{cfg: cfg}
}

// Manifest is capture.json.
type Manifest struct {
	Format     string    `json:"format"` // "yingji-capture/1"
	URL        string    `json:"url"`
	FinalURL   string    `json:"final_url"` // where the browser ended, after redirects
	Title      string    `json:"title"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Chromium   string    `json:"chromium"`
	UserAgent  string    `json:"user_agent"`
	Address    string    `json:"address"` // the server both Go and Chromium reached
	// PageHeight is the page's full height; ScreenshotCropped says the
	// screenshot stops at the configured maximum height.
	PageHeight        int  `json:"page_height"`
	ScreenshotCropped bool `json:"screenshot_cropped,omitempty"`
	RenderedTruncated bool `json:"rendered_html_truncated,omitempty"`
	// LoadTimedOut: the page's load event had not come after LoadTimeout;
	// the screenshot and HTML show it as it stood then.
	LoadTimedOut      bool           `json:"load_timed_out,omitempty"`
	ResponseTruncated bool           `json:"response_html_truncated,omitempty"`
	Parts             []ManifestPart `json:"parts"`
}

// ManifestPart lists one part in capture.json.
type ManifestPart struct {
	Name      string    `json:"name"`
	MediaType string    `json:"media_type"`
	At        time.Time `json:"at"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
}

// ErrURL: the URL is not an absolute http or https URL of a host.
var ErrURL = errors.New("capture: only absolute http:// or https:// URLs of a host, without user or password")

// CheckURL parses rawURL as Capture accepts it.
func CheckURL(rawURL string) (*url.URL, error) {
	if len(rawURL) > 2048 || strings.ContainsAny(rawURL, " \t\r\n") {
		return nil, ErrURL
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil || u.Opaque != "" {
		return nil, ErrURL
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// Capture records rawURL into dir (which must exist and is written only
// by name, never by anything the page says) and returns the parts in
// order, capture.json last. Any failed step fails the capture: a capture
// is either whole or an error (the files written so far stay in dir for
// the caller to discard).
func (c *Capturer) Capture(ctx context.Context, rawURL, dir string) ([]Part, error) {
	u, err := CheckURL(rawURL)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("capture: %s is not a directory", dir)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	m := &Manifest{Format: "yingji-capture/1", URL: u.String(), StartedAt: time.Now().UTC()}
	w := &writer{dir: dir, m: m}

	// A name in Chinese (中文域名) is asked for, and connected to, as punycode.
	host, err := idna.Lookup.ToASCII(u.Hostname())
	if err != nil {
		return nil, ErrURL
	}
	var dnsRes *DNSResult
	var pin netip.Addr // the address both sides connect to; invalid for a literal
	target, err := netip.ParseAddr(host)
	if err == nil {
		dnsRes = &DNSResult{Host: host, At: time.Now().UTC(), Literal: true, Answers: []Answer{}}
	} else {
		server := c.cfg.Resolver
		if server == "" {
			if server, err = systemResolver(); err != nil {
				return nil, err
			}
		}
		if dnsRes, err = lookup(ctx, server, host, c.cfg.DNSTimeout); err != nil {
			return nil, err
		}
		target = dnsRes.addrs()[0]
		pin = target
	}
	m.Address = target.String()
	if err := w.json(PartDNS, dnsRes, dnsRes.At); err != nil {
		return nil, err
	}

	f, err := c.fetch(ctx, u.String(), host, target, c.cfg.MaxHTMLBytes)
	if err != nil {
		return nil, err
	}
	m.ResponseTruncated = f.resp.Truncated
	if err := w.file(PartResponse, "text/html", f.body, f.resp.BodyAt); err != nil {
		return nil, err
	}
	if err := w.json(PartHeaders, f.resp, f.resp.At); err != nil {
		return nil, err
	}
	if f.tls != nil {
		if err := w.file(PartChainPEM, "application/pem-certificate-chain", chainPEM(f.chain), f.tls.At); err != nil {
			return nil, err
		}
		if err := w.json(PartTLS, f.tls, f.tls.At); err != nil {
			return nil, err
		}
	}

	profile, err := os.MkdirTemp("", "yingji-capture-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	r, err := c.render(ctx, u.String(), host, pin, profile)
	if err != nil {
		return nil, err
	}
	m.Chromium, m.UserAgent, m.FinalURL, m.Title = r.version, r.userAgent, r.finalURL, r.title
	m.PageHeight, m.ScreenshotCropped, m.RenderedTruncated = r.height, r.cropped, r.truncated
	m.LoadTimedOut = r.loadTimedOut
	if err := w.file(PartScreenshot, "image/png", r.png, r.pngAt); err != nil {
		return nil, err
	}
	if err := w.file(PartRendered, "text/html", r.html, r.htmlAt); err != nil {
		return nil, err
	}

	m.FinishedAt = time.Now().UTC()
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, PartManifest), append(data, '\n'), 0o600); err != nil {
		return nil, err
	}
	return append(w.parts, Part{Name: PartManifest, MediaType: "application/json", Path: filepath.Join(dir, PartManifest), At: m.FinishedAt}), nil
}

// writer writes parts into dir and lists them in the manifest.
type writer struct {
	dir   string
	m     *Manifest
	parts []Part
}

func (w *writer) json(name string, v any, at time.Time) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return w.file(name, "application/json", append(data, '\n'), at)
}

func (w *writer) file(name, mediaType string, data []byte, at time.Time) error {
	p := filepath.Join(w.dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	sum := sha256.Sum256(data)
	w.parts = append(w.parts, Part{Name: name, MediaType: mediaType, Path: p, At: at})
	w.m.Parts = append(w.m.Parts, ManifestPart{Name: name, MediaType: mediaType, At: at, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])})
	return nil
}
