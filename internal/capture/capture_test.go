package capture

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// page is the captured page: a red block at the top, a blue one 2500 px
// down (below the first screen, so only a full-page screenshot has it),
// and a line the browser writes with JavaScript (only the rendered HTML
// has it).
const testPage = `<!doctype html><html><head><meta charset="utf-8"><title>某单位网站</title>
<style>body{margin:0;background:#fff}#top{width:200px;height:200px;background:#ff0000}
#low{position:absolute;top:2500px;left:0;width:300px;height:300px;background:#0000ff}</style></head>
<body><div id="top"></div><div id="low"></div><p id="js"></p>
<script>document.getElementById("js").textContent = "rendered-by-script";</script></body></html>`

func site() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("X-Defaced-By", "test")
		w.Write([]byte(testPage))
	})
}

// needChromium skips without Chromium, except in CI, where it must run.
func needChromium(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test")
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return
	}
	if _, err := exec.LookPath("chromium"); err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found (CI must run the browser tests)")
	}
	t.Skip("chromium not installed")
}

func port(t *testing.T, srv *httptest.Server) string {
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Port()
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCaptureTLS captures an https page through a name the test's DNS
// server gives (a CNAME to the server's name), and checks every part.
func TestCaptureTLS(t *testing.T) {
	needChromium(t)
	srv := httptest.NewTLSServer(site())
	defer srv.Close()
	// httptest's certificate names example.com: reached by that name, it
	// verifies against the test's root.
	resolver := dnsServer(t, map[string][]string{
		"www.example.com.": {"example.com."},
		"example.com.":     {"127.0.0.1"},
	})
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	c := New(Config{Resolver: resolver, RootCAs: roots})
	dir := t.TempDir()
	u := "https://www.example.com:" + port(t, srv) + "/index.html#frag"
	parts, err := c.Capture(t.Context(), u, dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range parts {
		names = append(names, p.Name)
		if p.Path != filepath.Join(dir, p.Name) || p.At.IsZero() || p.MediaType == "" {
			t.Errorf("part %+v", p)
		}
	}
	want := "dns.json response.html response-headers.json tls-chain.pem tls.json screenshot.png rendered.html capture.json"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("parts %q, want %q", got, want)
	}
	checkScreenshot(t, filepath.Join(dir, PartScreenshot), 2500+300, false)

	if raw := read(t, filepath.Join(dir, PartResponse)); string(raw) != testPage {
		t.Errorf("raw html differs from what the server sent:\n%s", raw)
	}
	if r := string(read(t, filepath.Join(dir, PartRendered))); !strings.Contains(r, ">rendered-by-script<") {
		t.Errorf("rendered html lacks the script's text:\n%s", r)
	}
	var hdr Response
	json.Unmarshal(read(t, filepath.Join(dir, PartHeaders)), &hdr)
	if hdr.StatusCode != 200 || hdr.RemoteAddr != "127.0.0.1:"+port(t, srv) || !hasHeader(hdr, "X-Defaced-By", "test") {
		t.Errorf("headers %+v", hdr)
	}
	var tl TLSInfo
	json.Unmarshal(read(t, filepath.Join(dir, PartTLS)), &tl)
	fp := summarise(srv.Certificate()).SHA256
	if !tl.Verified || len(tl.Chain) != 1 || tl.Chain[0].SHA256 != fp || tl.ServerName != "www.example.com" || tl.Version == "" {
		t.Errorf("tls %+v", tl)
	}
	blk, _ := pem.Decode(read(t, filepath.Join(dir, PartChainPEM)))
	if blk == nil || !bytes.Equal(blk.Bytes, srv.Certificate().Raw) {
		t.Error("tls-chain.pem does not hold the server's certificate")
	}
	var d DNSResult
	json.Unmarshal(read(t, filepath.Join(dir, PartDNS)), &d)
	if len(d.Answers) != 2 || d.Answers[0].Type != "CNAME" || d.Answers[1].Value != "127.0.0.1" || d.Resolver != resolver {
		t.Errorf("dns %+v", d)
	}
	var m Manifest
	json.Unmarshal(read(t, filepath.Join(dir, PartManifest)), &m)
	if m.URL != "https://www.example.com:"+port(t, srv)+"/index.html" || !strings.Contains(m.Chromium, "Chrome") ||
		m.Title != "某单位网站" || len(m.Parts) != 7 || m.Address != "127.0.0.1" || !m.FinishedAt.After(m.StartedAt) || m.ScreenshotCropped {
		t.Errorf("capture.json %+v", m)
	}
	for _, p := range m.Parts {
		if p.SHA256 == "" || p.Size == 0 {
			t.Errorf("capture.json part %+v", p)
		}
	}
}

// TestCapturePlainCropped captures an http page by address (nothing to
// resolve), plain http, with limits below the page: screenshot height
// and HTML bytes.
func TestCapturePlainCropped(t *testing.T) {
	needChromium(t)
	srv := httptest.NewServer(site())
	defer srv.Close()
	c := New(Config{MaxScreenshotHeight: 1000, MaxHTMLBytes: 100})
	dir := t.TempDir()
	parts, err := c.Capture(t.Context(), srv.URL+"/", dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 6 { // no TLS parts
		t.Fatalf("%d parts: %+v", len(parts), parts)
	}
	checkScreenshot(t, filepath.Join(dir, PartScreenshot), 1000, true)
	if raw := read(t, filepath.Join(dir, PartResponse)); len(raw) != 100 {
		t.Errorf("raw html %d bytes, want the limit of 100", len(raw))
	}
	var m Manifest
	json.Unmarshal(read(t, filepath.Join(dir, PartManifest)), &m)
	if !m.ScreenshotCropped || m.PageHeight != 2800 || !m.ResponseTruncated || !m.RenderedTruncated {
		t.Errorf("capture.json %+v", m)
	}
	var d DNSResult
	json.Unmarshal(read(t, filepath.Join(dir, PartDNS)), &d)
	if !d.Literal {
		t.Errorf("dns %+v", d)
	}
}

// TestCaptureUntrustedChain: a certificate that does not verify is still
// recorded, and tls.json says why it does not verify.
func TestCaptureUntrustedChain(t *testing.T) {
	needChromium(t)
	srv := httptest.NewTLSServer(site())
	defer srv.Close()
	resolver := dnsServer(t, map[string][]string{"site.test.": {"127.0.0.1"}})
	dir := t.TempDir()
	if _, err := New(Config{Resolver: resolver}).Capture(t.Context(), "https://site.test:"+port(t, srv)+"/", dir); err != nil {
		t.Fatal(err)
	}
	var tl TLSInfo
	json.Unmarshal(read(t, filepath.Join(dir, PartTLS)), &tl)
	if tl.Verified || tl.VerifyError == "" || len(tl.Chain) != 1 {
		t.Errorf("tls %+v", tl)
	}
	checkScreenshot(t, filepath.Join(dir, PartScreenshot), 2800, false)
}

func TestCaptureRefuses(t *testing.T) {
	c := New(Config{Resolver: "127.0.0.1:1"})
	for _, u := range []string{"", "ftp://example.com/", "file:///etc/passwd", "javascript:alert(1)", "https://user:pw@example.com/",
		"http:///path", "example.com", "https://exa mple.com/", "data:text/html,hi"} {
		if _, err := c.Capture(t.Context(), u, t.TempDir()); err != ErrURL {
			t.Errorf("%q: %v, want ErrURL", u, err)
		}
	}
	if _, err := c.Capture(t.Context(), "http://example.com/", filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("a missing directory was accepted")
	}
	// Unknown name at the test's resolver: the capture fails, naming DNS.
	resolver := dnsServer(t, map[string][]string{})
	if _, err := New(Config{Resolver: resolver}).Capture(t.Context(), "http://nowhere.test/", t.TempDir()); err == nil || !strings.Contains(err.Error(), "dns") {
		t.Errorf("unknown host: %v", err)
	}
}

func hasHeader(r Response, name, value string) bool {
	for _, h := range r.Headers {
		if h.Name == name && len(h.Values) == 1 && h.Values[0] == value {
			return true
		}
	}
	return false
}

// checkScreenshot decodes the PNG and checks its height and the page's
// coloured blocks: red at the top, blue at 2500 px unless cropped away.
func checkScreenshot(t *testing.T, path string, height int, cropped bool) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(read(t, path)))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	if b.Dy() != height || b.Dx() != 1280 {
		t.Errorf("screenshot %v, want 1280×%d", b, height)
	}
	is := func(p image.Point, want color.RGBA) bool {
		r, g, bl, _ := img.At(p.X, p.Y).RGBA()
		return r>>8 == uint32(want.R) && g>>8 == uint32(want.G) && bl>>8 == uint32(want.B)
	}
	if !is(image.Pt(100, 100), color.RGBA{255, 0, 0, 255}) {
		t.Errorf("pixel (100,100) is %v, want the red block", img.At(100, 100))
	}
	if !cropped && !is(image.Pt(150, 2650), color.RGBA{0, 0, 255, 255}) {
		t.Errorf("pixel (150,2650) is %v, want the blue block below the first screen", img.At(150, 2650))
	}
	if !is(image.Pt(800, 100), color.RGBA{255, 255, 255, 255}) {
		t.Errorf("pixel (800,100) is %v, want the white page", img.At(800, 100))
	}
}

// TestCaptureHangingResource: an image that never finishes keeps the load
// event from coming; the page is taken as it stands after LoadTimeout, and
// capture.json says so.
func TestCaptureHangingResource(t *testing.T) {
	needChromium(t)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hang.png" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(strings.Replace(testPage, `<p id="js">`, `<img src="/hang.png"><p id="js">`, 1)))
	}))
	defer srv.Close()
	defer close(release)
	dir := t.TempDir()
	if _, err := New(Config{LoadTimeout: 2 * time.Second}).Capture(t.Context(), srv.URL+"/", dir); err != nil {
		t.Fatal(err)
	}
	var m Manifest
	json.Unmarshal(read(t, filepath.Join(dir, PartManifest)), &m)
	if !m.LoadTimedOut {
		t.Errorf("capture.json %+v", m)
	}
	checkScreenshot(t, filepath.Join(dir, PartScreenshot), 2800, false)
}

// TestCaptureChineseName: a host name in Chinese is asked for as punycode,
// and both sides reach the server it names.
func TestCaptureChineseName(t *testing.T) {
	needChromium(t)
	srv := httptest.NewServer(site())
	defer srv.Close()
	resolver := dnsServer(t, map[string][]string{"xn--0zwm56d.test.": {"127.0.0.1"}})
	dir := t.TempDir()
	if _, err := New(Config{Resolver: resolver}).Capture(t.Context(), "http://测试.test:"+port(t, srv)+"/", dir); err != nil {
		t.Fatal(err)
	}
	var d DNSResult
	json.Unmarshal(read(t, filepath.Join(dir, PartDNS)), &d)
	if d.Host != "xn--0zwm56d.test" || len(d.Answers) != 1 {
		t.Errorf("dns %+v", d)
	}
	checkScreenshot(t, filepath.Join(dir, PartScreenshot), 2800, false)
}
