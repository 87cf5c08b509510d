package consoletest

import (
	"bytes"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"yingji/internal/ingest"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/web"
)

var (
	newKeyRe  = regexp.MustCompile(`id="new-key">([^<]+)<`)
	curlRe    = regexp.MustCompile(`<pre class="example">(curl [^<]+)</pre>`)
	sourceRe  = regexp.MustCompile(`action="/intake/sources/(\d+)/revoke"`)
	amWebhook = `{"version":"4","groupKey":"{}:{}","status":"firing","receiver":"yingji","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am",
"alerts":[{"status":"firing","labels":{"alertname":"SiteDown","instance":"www.qingshen.gov.cn:443","severity":"critical"},"annotations":{"summary":"县政府门户网站无法访问"},
"startsAt":"2026-11-28T00:59:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom","fingerprint":"5f3c"}]}`
)

// syncBuf is the server's log, written by its handlers, read by the test.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// sendWebhook posts an Alertmanager webhook with key, as Alertmanager's
// http_config authorization does, and returns the status.
func sendWebhook(t testing.TB, base, key string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/v1/intake/alertmanager", strings.NewReader(amWebhook))
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// Intake sources in the console (issue 12), on both databases: the duty
// officer reaches the page from the alert queue, adds a source and sees
// its key once (201, no-store, not in the URL, the log or the database),
// never again on the page; the page's ready-to-paste curl line and an
// Alertmanager webhook with the key are taken (200), and after he revokes
// the source (audited) the key is refused (401). Refused adds name the
// field and change nothing; a leading group member (sees the queue, runs
// no duty) gets no link and the 403 page; another county's duty officer
// does not find the source (404); a form without the CSRF token, or
// with a forged one, is refused.
func TestConsoleIntakeSources(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		var logs syncBuf
		srv := httptest.NewServer(web.New(env.App, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), env.Plan.Location))
		t.Cleanup(srv.Close)
		envs.Store(srv.URL, env)
		base := srv.URL
		b := loggedIn(t, base, "duty")
		wantBody(t, b.get("/alerts"), `href="/intake/sources">接入源设置</a>`, `href="/unit-reports">单位报警渠道</a>`)
		wantBody(t, b.get("/intake/sources"), "<h1>接入源</h1>", "还没有接入源", "Prometheus 告警（Alertmanager）", "入侵检测（Suricata EVE）", "通用 JSON", "syslog 日志")

		// In English too.
		en := loggedIn(t, base, "duty")
		en.get("/lang?to=en")
		wantBody(t, en.get("/intake/sources"), "<h1>Intake sources</h1>", "Prometheus alerts (Alertmanager)", "Add and make its key")
		wantBody(t, en.get("/alerts"), `href="/intake/sources">Intake sources</a>`)

		// Refusals name the field once, keep what was typed, change nothing.
		before := testkit.AuditCount(t, env)
		for _, c := range []struct {
			name, format string
			status       int
			want         string
		}{
			{" ", "alertmanager", http.StatusUnprocessableEntity, "名称：此项必填"},
			{strings.Repeat("墙", 101), "alertmanager", http.StatusUnprocessableEntity, "名称：内容过长，最多 100 个字"},
			{"边界防火墙", "snmp", http.StatusUnprocessableEntity, "接入格式：不支持的接入格式“snmp”"},
		} {
			r := b.post("/intake/sources", url.Values{"name": {c.name}, "format": {c.format}})
			wantStatus(t, r, c.status)
			wantBody(t, r, `role="alert" id="source-error">`+c.want)
		}
		r := b.post("/intake/sources", url.Values{"name": {"边界防火墙"}, "format": {"snmp"}})
		wantBody(t, r, `value="边界防火墙"`)
		wantStatus(t, b.do("POST", "/intake/sources", url.Values{"name": {"无令牌"}, "format": {"json"}}), http.StatusForbidden)
		if testkit.AuditCount(t, env) != before {
			t.Fatal("a refused add wrote an audit record")
		}

		// The add: the key on the answer page, this once.
		r = b.post("/intake/sources", url.Values{"name": {"Prometheus告警"}, "format": {"alertmanager"}})
		wantStatus(t, r, http.StatusCreated)
		wantBody(t, r, "接入源“Prometheus告警”已建立", "只显示这一次", base+"/api/v1/intake/alertmanager", "webhook_configs", "credentials: ")
		if r.Location != "" || !strings.Contains(r.Header.Get("Cache-Control"), "no-store") {
			t.Fatalf("answer page: Location %q, Cache-Control %q", r.Location, r.Header.Get("Cache-Control"))
		}
		m := newKeyRe.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatal("no key on the answer page")
		}
		key := m[1]
		if testkit.AuditCount(t, env) != before+1 {
			t.Fatal("the add is not audited once")
		}
		list := b.get("/intake/sources")
		// The list names who added the source (read by id, not from every account).
		wantBody(t, list, "Prometheus告警", "使用中", "吊销后，使用该密钥的设备", `data-confirm="确定吊销接入源“Prometheus告警”`,
			`<span class="small muted">张值班</span>`)
		if strings.Contains(list.Body, key) || strings.Contains(logs.String(), key) {
			t.Fatal("the key is shown again, or logged")
		}
		wantStatus(t, b.post("/intake/sources", url.Values{"name": {"Prometheus告警"}, "format": {"json"}}), http.StatusUnprocessableEntity)
		wantBody(t, b.post("/intake/sources", url.Values{"name": {"Prometheus告警"}, "format": {"json"}}), `id="source-error">名称：本单位已有名为“Prometheus告警”的接入源`)
		if testkit.AuditCount(t, env) != before+1 {
			t.Fatal("a name taken wrote an audit record")
		}
		// Only the hash is kept.
		var src *ingest.Source
		if err := env.DB.Read(ctx, func(q *store.Q) (err error) { src, err = q.SourceByKeyHash(ingest.HashKey(key)); return err }); err != nil || src.Name != "Prometheus告警" {
			t.Fatalf("source by the key's hash: %v %v", src, err)
		}
		if env.Dir != "" {
			files, _ := filepath.Glob(filepath.Join(env.Dir, "*"))
			for _, f := range files {
				if data, err := os.ReadFile(f); err == nil && bytes.Contains(data, []byte(key)) {
					t.Fatalf("the key is stored in %s", f)
				}
			}
		}

		// The page's own curl line works as pasted, and so does a webhook.
		if c := curlRe.FindStringSubmatch(r.Body); c == nil {
			t.Fatal("no curl example")
		} else if _, err := exec.LookPath("curl"); err == nil {
			out, err := exec.Command("sh", "-c", html.UnescapeString(c[1])).CombinedOutput()
			if err != nil || !strings.Contains(string(out), `"accepted":1`) {
				t.Fatalf("the page's curl line: %v %s", err, out)
			}
		}
		if st := sendWebhook(t, base, key); st != http.StatusOK {
			t.Fatalf("webhook with the new key: %d", st)
		}

		// Others: the member sees the queue but not the link, and gets 403;
		// another county's duty officer finds no such source.
		id := sourceRe.FindStringSubmatch(list.Body)[1]
		xj := loggedIn(t, base, "xingjing")
		if q := xj.get("/alerts"); q.Status != http.StatusOK || strings.Contains(q.Body, `href="/intake/sources"`) {
			t.Fatalf("member's queue: %d, link shown %v", q.Status, strings.Contains(q.Body, `href="/intake/sources"`))
		}
		wantStatus(t, xj.get("/intake/sources"), http.StatusForbidden)
		wantStatus(t, xj.post("/intake/sources", url.Values{"name": {"x"}, "format": {"json"}}), http.StatusForbidden)
		testkit.OtherCounty(t, env)
		dp := loggedIn(t, base, "dpduty")
		before = testkit.AuditCount(t, env) - 1
		wantStatus(t, xj.post("/intake/sources/"+id+"/revoke", nil), http.StatusForbidden)
		wantStatus(t, dp.post("/intake/sources/"+id+"/revoke", nil), http.StatusNotFound)
		if strings.Contains(dp.get("/intake/sources").Body, "Prometheus告警") {
			t.Fatal("another county lists the source")
		}
		if testkit.AuditCount(t, env) != before+1 {
			t.Fatal("a refused revoke wrote an audit record")
		}

		// Forms with a forged token are refused before anything runs.
		wantStatus(t, b.do("POST", "/intake/sources/"+id+"/revoke", url.Values{"csrf": {"forged"}}), http.StatusForbidden)
		wantStatus(t, b.do("POST", "/intake/sources", url.Values{"csrf": {"forged"}, "name": {"伪造"}, "format": {"json"}}), http.StatusForbidden)
		if testkit.AuditCount(t, env) != before+1 || sendWebhook(t, base, key) != http.StatusOK {
			t.Fatal("a forged form changed something")
		}

		// The revoke: the key stops at once; a second revoke is refused.
		wantBody(t, b.submit("/intake/sources/"+id+"/revoke", nil), "已吊销接入源“Prometheus告警”", "已吊销")
		if testkit.AuditCount(t, env) != before+2 {
			t.Fatal("the revoke is not audited once")
		}
		if st := sendWebhook(t, base, key); st != http.StatusUnauthorized {
			t.Fatalf("webhook with the revoked key: %d", st)
		}
		wantBody(t, b.submit("/intake/sources/"+id+"/revoke", nil), "该接入源已吊销")
		if testkit.AuditCount(t, env) != before+2 {
			t.Fatal("a second revoke wrote an audit record")
		}
	})
}
