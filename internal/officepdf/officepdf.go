// Package officepdf turns a report's DOCX into PDF with LibreOffice, when it
// is installed, so that the PDF download and the DOCX agree by construction
// (same office suite, same grid, same fonts). A signed report never changes,
// so each conversion is cached under the report's SHA-256 and made off the
// request path: the request serves the cached file if there is one and
// otherwise the pure-Go PDF, and asks for the conversion in the background.
package officepdf

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"
)

// FontsConf maps the standard typefaces named in the DOCX (方正小标宋简体,
// 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体) to open stand-ins when the real ones are
// missing. It includes the system configuration first.
//
//go:embed fonts.conf
var FontsConf []byte

// Binary is the path of soffice, or "" when LibreOffice is not installed.
func Binary() string {
	p, err := exec.LookPath("soffice")
	if err != nil {
		return ""
	}
	return p
}

// Converter runs LibreOffice one conversion at a time (one profile cannot be
// shared by two running instances) and keeps the results in Dir.
type Converter struct {
	Dir     string // cache and LibreOffice profile; created on first use
	Timeout time.Duration

	mu      sync.Mutex // one soffice at a time
	pending sync.Map   // sha → struct{}: conversions asked for and not done
}

// New returns a converter keeping its files under dir.
func New(dir string) *Converter { return &Converter{Dir: dir, Timeout: 2 * time.Minute} }

var (
	sharedMu sync.Mutex
	shared   = map[string]*Converter{}
)

// Shared is the process's converter, caching under $YINGJI_PDF_CACHE or
// the user cache directory; nil when LibreOffice is not installed or
// YINGJI_PDF_OFFICE=0. In tests it is off unless YINGJI_PDF_OFFICE=1, so
// that the many tests that download a PDF do not start LibreOffice.
func Shared() *Converter {
	switch os.Getenv("YINGJI_PDF_OFFICE") {
	case "0":
		return nil
	case "1":
	default:
		if testing.Testing() {
			return nil
		}
	}
	if Binary() == "" {
		return nil
	}
	dir := os.Getenv("YINGJI_PDF_CACHE")
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		dir = filepath.Join(base, "yingji", "pdf")
	}
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared[dir] == nil {
		shared[dir] = New(dir)
	}
	return shared[dir]
}

var shaRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (c *Converter) path(sha string) string { return filepath.Join(c.Dir, sha+".pdf") }

// Cached returns the PDF converted earlier for the report with this SHA-256.
func (c *Converter) Cached(sha string) ([]byte, bool) {
	if c == nil || !shaRE.MatchString(sha) {
		return nil, false
	}
	b, err := os.ReadFile(c.path(sha))
	return b, err == nil
}

// Warm converts in the background, once, unless the result is cached; done,
// if not nil, is called when it finishes.
func (c *Converter) Warm(sha string, docx []byte, done func(error)) {
	if c == nil || !shaRE.MatchString(sha) {
		return
	}
	if _, ok := c.Cached(sha); ok {
		return
	}
	if _, busy := c.pending.LoadOrStore(sha, struct{}{}); busy {
		return
	}
	go func() {
		defer c.pending.Delete(sha)
		ctx, cancel := context.WithTimeout(context.Background(), c.Timeout)
		defer cancel()
		pdf, err := c.Convert(ctx, docx)
		if err == nil {
			err = writeAtomic(c.path(sha), pdf)
		}
		if done != nil {
			done(err)
		}
	}()
}

// Convert runs LibreOffice on docx and returns the PDF.
func (c *Converter) Convert(ctx context.Context, docx []byte) ([]byte, error) {
	bin := Binary()
	if bin == "" {
		return nil, errors.New("officepdf: soffice not installed")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return nil, err
	}
	conf := filepath.Join(c.Dir, "fonts.conf")
	if err := writeAtomic(conf, FontsConf); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(c.Dir, "job-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	in := filepath.Join(work, "report.docx")
	if err := os.WriteFile(in, docx, 0o600); err != nil {
		return nil, err
	}
	profile, _ := filepath.Abs(filepath.Join(c.Dir, "profile"))
	cmd := exec.CommandContext(ctx, bin, "--headless", "--norestore", "--nolockcheck",
		"-env:UserInstallation=file://"+profile, "--convert-to", "pdf:writer_pdf_Export", "--outdir", work, in)
	cmd.Env = append(os.Environ(), "FONTCONFIG_FILE="+conf, "HOME="+work)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("officepdf: soffice: %v: %s", err, out.String())
	}
	pdf, err := os.ReadFile(filepath.Join(work, "report.pdf"))
	if err != nil {
		return nil, fmt.Errorf("officepdf: no PDF written: %v: %s", err, out.String())
	}
	return pdf, nil
}

func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// PDF is the PDF of a report: LibreOffice's, if converted earlier for this
// SHA-256; otherwise fallback's (the pure-Go writer), while the conversion
// of docx's file is asked for in the background, so that the request never
// waits for LibreOffice. A report without a SHA-256 (a draft, which may
// still change) always takes the fallback. c may be nil.
func (c *Converter) PDF(sha string, docx, fallback func() ([]byte, error)) ([]byte, error) {
	if b, ok := c.Cached(sha); ok {
		return b, nil
	}
	if c != nil && shaRE.MatchString(sha) {
		if d, err := docx(); err == nil {
			c.Warm(sha, d, nil)
		}
	}
	return fallback()
}
