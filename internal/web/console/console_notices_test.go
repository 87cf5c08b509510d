package console_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"yingji/internal/channel/chantest"
	"yingji/internal/delivery"
	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/web"
)

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// The console's notices page: my notices with 标为已读, my contacts form
// with a test message, and the office's delivery log with a failure in
// red and its reason; an incident's notices page.
func TestConsoleNotices(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	gw := chantest.SMSGateway("gw-token-secret")
	defer gw.Close()
	set := chantest.SMSSet(gw, "gw-token-secret", nil)
	ws := web.New(env.App, nil, env.Plan.Location)
	env.App.Notices.Channels = set
	srv := httptest.NewServer(ws)
	defer srv.Close()

	res := testkit.ConsoleLogin(t, srv.URL, "duty", testkit.Password)
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Value != "" && strings.Contains(c.Name, "session") {
			session = c
		}
	}
	if session == nil {
		t.Fatalf("no session cookie: %v", res.Cookies())
	}
	get := func(path string) string {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.AddCookie(session)
		res, err := testkit.NoFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
		}
		return string(b)
	}
	post := func(path string, form url.Values) {
		page := get("/notices")
		form.Set("csrf", csrfField.FindStringSubmatch(page)[1])
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(session)
		res, err := testkit.NoFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: %d", path, res.StatusCode)
		}
	}

	if page := get("/notices"); !strings.Contains(page, "我的联系方式") || !strings.Contains(page, "发送记录") {
		t.Fatal("notices page without contacts form or log")
	}
	post("/notices/contacts", url.Values{"phone": {"13800000007"}, "email": {""}})
	post("/notices/contacts/test", url.Values{"channel": {"sms"}})
	if got := gw.Texts(); len(got) != 1 || !strings.HasPrefix(got[0], "13800000007:") {
		t.Fatalf("gateway %q", got)
	}

	// A notice to the duty officer, sent, and one whose gateway refuses.
	in := newIncidentAPI(t, env)
	env.DB.Write(t.Context(), func(tx *store.Tx) error {
		return tx.Enqueue(&store.Message{Channel: "inapp", RecipientID: env.Users["duty"].ID, IncidentID: in, Kind: "level_changed", Body: `{}`})
	})
	env.DB.Write(t.Context(), func(tx *store.Tx) error { return tx.SetContacts(env.Users["deputy"].ID, "19900000000", "") })
	gw.Close() // the gateway is gone: the deputy's delivery fails after its attempts
	env.DB.Write(t.Context(), func(tx *store.Tx) error {
		return tx.Enqueue(&store.Message{Channel: "inapp", RecipientID: env.Users["deputy"].ID, IncidentID: in, Kind: "level_changed", Body: `{}`})
	})
	w := &delivery.Worker{DB: env.DB, Channels: set, Name: "t", MaxAttempts: 1}
	w.Step(t.Context())

	page := get("/notices?status=failed")
	if !strings.Contains(page, `<span class="badge" aria-label="1条未读通知">1</span>`) {
		t.Fatal("the bell does not count the duty officer's unread notice")
	}
	if !strings.Contains(page, `class="bad"`) || !strings.Contains(page, "after 1 attempts") || strings.Contains(page, "gw-token-secret") {
		t.Fatalf("log without the failure in red and its reason:\n%s", page)
	}
	if !strings.Contains(page, "级别调整") || !strings.Contains(page, "标为已读") {
		t.Fatal("my notice not listed with its ack button")
	}
	inc := get("/incidents/" + itoa(in) + "/notices")
	if !strings.Contains(inc, "王副局长") || !strings.Contains(inc, "发送失败") || strings.Contains(inc, "19900000000") {
		t.Fatalf("incident notices page:\n%s", inc)
	}
}

func newIncidentAPI(t *testing.T, env *testkit.Env) int64 {
	t.Helper()
	in, err := env.App.Incidents.CreateIncident(t.Context(), env.Users["duty"], serviceNewIncident(env))
	if err != nil {
		t.Fatal(err)
	}
	return in.ID
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func serviceNewIncident(env *testkit.Env) incidents.NewIncident {
	return incidents.NewIncident{Title: "通知页面测试", Category: "network_attack", Level: 4, DiscoveredAt: env.Clock.Now().Add(-time.Minute)}
}
