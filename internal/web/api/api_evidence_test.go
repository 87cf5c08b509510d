package api_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yingji/internal/exhibits"
	"yingji/internal/testkit"
)

// TestAPIEvidence (issue 13): files upload as a raw body and as multipart;
// a download is an attachment with the UTF-8 name (RFC 6266), nosniff and
// the digest; a declared size over the limit is refused with 413 before
// the body is sent; a second user's download is on the custody log; stored
// content that no longer matches is refused.
func TestAPIEvidence(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base, c := newServer(t, env)
		duty, deputy := c["duty"], c["deputy"]
		in := duty.do("POST", "/api/v1/incidents", `{"title":"县政府网站被篡改","category":"network_attack","level":3,"discovered_at":"2026-11-28T08:30:00+08:00"}`, 201)
		evBase := "/api/v1/incidents/" + id(in["id"]) + "/evidence"
		if p := duty.do("POST", evBase, `{"kind":"physical","description":"硬盘","collected_at":"2026-11-28T09:00:00+08:00","collected_by":"张值班"}`, 400); p["field"] != "seal_number" {
			t.Fatalf("physical: %v", p)
		}
		it := duty.do("POST", evBase, `{"kind":"web_capture","description":"被篡改的首页","collected_at":"2026-11-28T09:00:00+08:00","collected_by":"张值班"}`, 201)
		it = duty.do("POST", evBase, `{"kind":"file","description":"被篡改的首页","collected_at":"2026-11-28T09:00:00+08:00","collected_by":"张值班"}`, 201)
		item := "/api/v1/evidence/" + id(it["id"])

		send := func(cl string, req *http.Request) (*http.Response, []byte) {
			t.Helper()
			req.Header.Set("Authorization", "Bearer "+c[cl].token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			return res, b
		}
		name := `首页 "快照"<1>.html`
		html := `<html><script>alert(document.cookie)</script>此网站已被黑</html>`
		req, _ := http.NewRequest("POST", base+item+"/files?name="+url.QueryEscape(name), strings.NewReader(html))
		req.Header.Set("Content-Type", "text/html")
		if res, b := send("duty", req); res.StatusCode != 201 || !strings.Contains(string(b), `"media_type":"text/html"`) {
			t.Fatalf("raw upload: %d %s", res.StatusCode, b)
		}

		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		for _, f := range []struct{ name, body string }{{"a.log", "one\n"}, {"邮件.eml", "Subject: =?UTF-8?B?5rWL6K+V?=\r\nFrom: x@example.cn\r\nMessage-ID: <m1@example.cn>\r\n\r\nhi\r\n"}} {
			w, _ := mw.CreateFormFile("file", f.name)
			w.Write([]byte(f.body))
		}
		mw.Close()
		req, _ = http.NewRequest("POST", base+item+"/files", &mp)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if res, b := send("duty", req); res.StatusCode != 201 || strings.Count(string(b), `"sha256"`) != 2 {
			t.Fatalf("multipart upload: %d %s", res.StatusCode, b)
		}

		env.App.Evidence.MaxUpload = 1 << 20
		// With Expect: 100-continue the client sends the body only if the
		// server asks for it: a refusal on Content-Length never does.
		read := false
		big := readerFunc(func(p []byte) (int, error) { read = true; return len(p), nil })
		req, _ = http.NewRequest("POST", base+item+"/files?name=disk.img", io.NopCloser(io.LimitReader(big, 2<<20)))
		req.ContentLength = 2 << 20
		req.Header.Set("Expect", "100-continue")
		if res, b := send("duty", req); res.StatusCode != 413 || !strings.Contains(string(b), "too_large") || read {
			t.Fatalf("oversized: %d %s (body read: %v)", res.StatusCode, b, read)
		}

		got := deputy.do("GET", item, "", 200)
		files := got["item"].(map[string]any)["files"].([]any)
		if len(files) != 3 {
			t.Fatalf("files %v", files)
		}
		f0 := files[0].(map[string]any)
		if h := got["email_headers"].(map[string]any)[id(files[2].(map[string]any)["id"])].(map[string]any); h["subject"] != "测试" || h["message_id"] != "<m1@example.cn>" {
			t.Fatalf("email headers %v", got["email_headers"])
		}
		req, _ = http.NewRequest("GET", base+item+"/files/"+id(f0["id"]), nil)
		res, b := send("deputy", req)
		if res.StatusCode != 200 || string(b) != html {
			t.Fatalf("download %d %q", res.StatusCode, b)
		}
		for k, want := range map[string]string{
			"Content-Type":           "application/octet-stream",
			"X-Content-Type-Options": "nosniff",
			"Content-Disposition":    `attachment; filename="__ ____<1>.html"; filename*=UTF-8''%E9%A6%96%E9%A1%B5%20%22%E5%BF%AB%E7%85%A7%22%3C1%3E.html`,
			"X-Evidence-Sm3":         f0["sm3"].(string),
		} {
			if got := res.Header.Get(k); got != want {
				t.Errorf("%s: %q, want %q", k, got, want)
			}
		}
		if !strings.HasPrefix(res.Header.Get("Repr-Digest"), "sha-256=:") {
			t.Errorf("Repr-Digest %q", res.Header.Get("Repr-Digest"))
		}
		log := duty.do("GET", item, "", 200)["custody"].([]any)
		var acts []string
		for _, e := range log {
			m := e.(map[string]any)
			acts = append(acts, m["action"].(string)+":"+m["actor"].(string))
		}
		if !strings.Contains(strings.Join(acts, " "), "view:deputy download:deputy view:duty") {
			t.Fatalf("custody %v", acts)
		}

		// Stored bytes changed behind yingji's back: refused, recorded.
		sha := f0["sha256"].(string)
		if env.URL == "" {
			p := filepath.Join(env.Dir, "files", sha[:2], sha)
			if err := os.WriteFile(p, []byte(strings.Replace(html, "黑", "白", 1)), 0o600); err != nil {
				t.Fatal(err)
			}
		} else if err := env.DB.Raw(context.Background(), `UPDATE evidence_chunks SET data = ? WHERE blob = ?`, []byte(strings.Replace(html, "黑", "白", 1)), sha); err != nil {
			t.Fatal(err)
		}
		req, _ = http.NewRequest("GET", base+item+"/files/"+id(f0["id"]), nil)
		if res, b := send("deputy", req); res.StatusCode != 409 || strings.Contains(string(b), "此网站") {
			t.Fatalf("corrupt download %d %s", res.StatusCode, b)
		}
		if v := duty.do("POST", item+"/verify", "", 200); v["ok"] != false {
			t.Fatalf("verify %v", v)
		}

		// Export: 409 without a packer; with one the package comes as an
		// attachment (internal/app TestEvidencePackageVerifiesOffline: the
		// real one).
		exp := "/api/v1/incidents/" + id(in["id"]) + "/evidence/export"
		env.App.Evidence.Packer = nil
		duty.do("POST", exp, `{"reason":"移送"}`, 409)
		env.App.Evidence.Packer, env.App.Evidence.KeyFile = listPacker{}, filepath.Join(t.TempDir(), "k.pem")
		req, _ = http.NewRequest("POST", base+exp, strings.NewReader(`{"reason":"移送检察院"}`))
		res, b = send("duty", req)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") ||
			!strings.Contains(string(b), it["number"].(string)) {
			t.Fatalf("export %d %v %.200s", res.StatusCode, res.Header, b)
		}
	})
}

// listPacker writes the manifest's item numbers only: enough to see the
// route call the packer (the real one is internal/evpack).
type listPacker struct{}

func (listPacker) Pack(w io.Writer, m *exhibits.Manifest, _ func(string) (io.ReadCloser, error), _ ed25519.PrivateKey) error {
	for _, it := range m.Items {
		io.WriteString(w, it.Number+"\n")
	}
	return nil
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
