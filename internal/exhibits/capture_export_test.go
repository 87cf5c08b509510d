package exhibits_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yingji/internal/audit"
	"yingji/internal/errs"
	"yingji/internal/evidence"
	"yingji/internal/exhibits"
	"yingji/internal/registry"
	"yingji/internal/testkit"
)

// fakeCapturer writes the parts a capture writes, as files in dir.
type fakeCapturer struct{ urls []string }

func (c *fakeCapturer) Capture(_ context.Context, rawURL, dir string) ([]exhibits.CapturedPart, error) {
	c.urls = append(c.urls, rawURL)
	at := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	var parts []exhibits.CapturedPart
	for _, p := range []struct{ name, mt, body string }{
		{"screenshot.png", "image/png", "\x89PNG fake"},
		{"page.html", "text/html", "<html><script>alert(1)</script>被篡改</html>"},
		{"headers.txt", "text/plain", "HTTP/1.1 200 OK\nServer: nginx\n"},
	} {
		path := filepath.Join(dir, p.name)
		if err := os.WriteFile(path, []byte(p.body), 0o600); err != nil {
			return nil, err
		}
		parts = append(parts, exhibits.CapturedPart{Name: p.name, MediaType: p.mt, Path: path, At: at})
	}
	return parts, nil
}

// TestCapture: a page named by the registry is captured as one item whose
// parts are hashed; a page named nowhere is refused before any capture; a
// reason is required.
func TestCapture(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		fc := &fakeCapturer{}
		env.App.Evidence.Capturer = fc
		in := testkit.NewIncident(t, env, "network_attack")
		testkit.UnitWebsite(t, env, testkit.Unit(1, "青神县人民政府办公室"), &registry.Website{Name: "县政府门户网站", Domain: "www.qingshen.gov.cn"})

		_, err := env.App.Evidence.Capture(ctx, duty, in.ID, "https://www.qingshen.gov.cn/", "")
		testkit.WantField(t, err, "reason")
		_, err = env.App.Evidence.Capture(ctx, duty, in.ID, "https://weibo.example.com/someone", "看看")
		testkit.WantField(t, err, "url")
		_, err = env.App.Evidence.Capture(ctx, duty, in.ID, "file:///etc/passwd", "x")
		testkit.WantField(t, err, "url")
		if len(fc.urls) != 0 {
			t.Fatalf("captured %v", fc.urls)
		}
		it, err := env.App.Evidence.Capture(ctx, duty, in.ID, "https://www.qingshen.gov.cn/index.html", "首页被篡改")
		must(t, err)
		if it.Kind != evidence.WebPage || len(it.Files) != 3 || it.SourceURL != "https://www.qingshen.gov.cn/index.html" {
			t.Fatalf("item %+v", it)
		}
		if f := it.Files[1]; f.Name != "page.html" || f.MediaType != "text/html" || f.CapturedAt == nil || len(f.SHA256) != 64 {
			t.Fatalf("part %+v", f)
		}
		_, err = env.App.Evidence.AddFile(ctx, duty, it.ID, exhibits.Upload{Name: "x", Size: 1, Body: strings.NewReader("x")})
		testkit.WantCode(t, err, errs.Conflict)
		outsider := testkit.OtherCounty(t, env)
		_, err = env.App.Evidence.Capture(ctx, outsider, in.ID, "https://www.qingshen.gov.cn/", "x")
		testkit.WantCode(t, err, errs.NotFound)
		testkit.AuditCount(t, env)
	})
}

// zipPacker is a Packer for the test: manifest.json, the files, and an
// ed25519 signature of the manifest (the real one is internal/evpack).
type zipPacker struct{}

func (zipPacker) Pack(w io.Writer, m *exhibits.Manifest, open func(string) (io.ReadCloser, error), key ed25519.PrivateKey) error {
	z := zip.NewWriter(w)
	mj, _ := json.Marshal(m)
	for name, b := range map[string][]byte{"manifest.json": mj, "manifest.sig": ed25519.Sign(key, mj)} {
		fw, _ := z.Create(name)
		fw.Write(b)
	}
	done := map[string]bool{}
	for _, it := range m.Items {
		for _, f := range it.Files {
			if done[f.Path] {
				continue
			}
			done[f.Path] = true
			r, err := open(f.SHA256)
			if err != nil {
				return err
			}
			fw, _ := z.Create(f.Path)
			_, err = io.Copy(fw, r)
			r.Close()
			if err != nil {
				return err
			}
		}
	}
	return z.Close()
}

// TestExport: the package's manifest lists every item with both hashes
// and its custody log (the export itself included), the audit records
// concerning the items with hashes that recompute, and the chain anchor;
// it is signed with the installation key, made once with mode 0600.
func TestExport(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		in := testkit.NewIncident(t, env, "network_attack")
		key := filepath.Join(t.TempDir(), "evidence.key")
		env.App.Evidence.KeyFile = key
		env.App.Evidence.Packer = nil // an installation without one refuses, naming why
		_, err := env.App.Evidence.Export(ctx, duty, in.ID, "移送检察院", io.Discard)
		testkit.WantCode(t, err, errs.Conflict) // no packer wired
		env.App.Evidence.Packer = zipPacker{}
		_, err = env.App.Evidence.Export(ctx, duty, in.ID, "移送检察院", io.Discard)
		testkit.WantCode(t, err, errs.Conflict) // nothing registered

		a := newItem(t, env, in.ID, evidence.File)
		upload(t, env, a.ID, "a.log", "line one\n")
		b := newItem(t, env, in.ID, evidence.LogPart)
		upload(t, env, b.ID, "b.log", "line two\n")
		_, err = env.App.Evidence.Change(ctx, duty, b.ID, evidence.Change{Action: evidence.Withdraw, Reason: "录错"})
		must(t, err)

		var buf bytes.Buffer
		m, err := env.App.Evidence.Export(ctx, duty, in.ID, "移送检察院", &buf)
		must(t, err)
		if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("key file %v %v", st, err)
		}
		k, err := exhibits.LoadOrCreateKey(key)
		must(t, err)
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		must(t, err)
		files := map[string][]byte{}
		for _, f := range zr.File {
			r, _ := f.Open()
			files[f.Name], _ = io.ReadAll(r)
		}
		if !ed25519.Verify(k.Public().(ed25519.PublicKey), files["manifest.json"], files["manifest.sig"]) {
			t.Fatal("signature")
		}
		if len(m.Items) != 2 || m.Items[1].Status != evidence.Withdrawn || m.Items[0].Files[0].SM3 == "" {
			t.Fatalf("items %+v", m.Items)
		}
		if string(files[m.Items[0].Files[0].Path]) != "line one\n" {
			t.Fatal("file content")
		}
		if last := m.Items[0].Custody[len(m.Items[0].Custody)-1]; last.Action != evidence.Export || last.Reason != "移送检察院" {
			t.Fatalf("custody %+v", last)
		}
		var exports int
		for _, r := range m.Audit {
			if audit.ComputeHash(r) != r.Hash {
				t.Fatalf("record %d does not recompute", r.Seq)
			}
			if r.Action == "evidence.export" {
				exports++
			}
		}
		anchor, err := audit.ParseAnchor(m.Anchor)
		if err != nil || exports != 2 || anchor.Seq < m.Audit[len(m.Audit)-1].Seq {
			t.Fatalf("exports %d anchor %q %v", exports, m.Anchor, err)
		}
	})
}
