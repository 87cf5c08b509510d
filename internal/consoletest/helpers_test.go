// Package consoletest tests the web console from the outside: HTTP handler
// tests on SQLite and PostgreSQL, end-to-end tests in headless Chromium,
// screenshots and render benchmarks.
package consoletest

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/store/pgtest"
	"yingji/internal/testkit"
	"yingji/internal/user"
	"yingji/internal/web"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var ctx = context.Background()

// browser is one person's cookie jar against the console, not following
// redirects so that tests see them.
type browser struct {
	t    testing.TB
	base string
	c    *http.Client
}

// envs finds a test server's Env by its URL, so that logins can compute
// second-factor codes from the test clock.
var envs sync.Map

func newServer(t testing.TB, env *testkit.Env) string {
	srv := httptest.NewServer(web.New(env.App, nil, env.Plan.Location))
	t.Cleanup(srv.Close)
	envs.Store(srv.URL, env)
	return srv.URL
}

// rollCallOf is username's roll-call row of the incident; the test fails
// when he is not on it.
func rollCallOf(t testing.TB, env *testkit.Env, incidentID int64, username string) *store.RollCall {
	t.Helper()
	var row *store.RollCall
	env.DB.Read(ctx, func(q *store.Q) error {
		rs, err := q.RollCalls(incidentID)
		for _, r := range rs {
			if r.UserID == env.Users[username].ID {
				row = r
			}
		}
		return err
	})
	if row == nil {
		t.Fatalf("%s is not on the roll-call", username)
	}
	return row
}

// totpCode is the current code of a demo user of the server at base.
func totpCode(t testing.TB, base, username string) string {
	t.Helper()
	env, ok := envs.Load(base)
	if !ok {
		t.Fatalf("no test server at %s", base)
	}
	return testkit.TOTPCode(t, env.(*testkit.Env), username)
}

func newBrowser(t testing.TB, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type resp struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

func (b *browser) do(method, path string, form url.Values) resp {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return resp{Status: res.StatusCode, Body: string(data), Location: res.Header.Get("Location"), Header: res.Header}
}

func (b *browser) get(path string) resp { b.t.Helper(); return b.do("GET", path, nil) }

// post sends a form with the session's CSRF token taken from page.
func (b *browser) post(path string, form url.Values) resp {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf") {
		form.Set("csrf", b.csrf())
	}
	return b.do("POST", path, form)
}

// read gets the page at path, wants 200 and each of parts in it, and
// returns it.
func (b *browser) read(path string, parts ...string) resp {
	b.t.Helper()
	r := b.get(path)
	wantStatus(b.t, r, http.StatusOK)
	wantBody(b.t, r, parts...)
	return r
}

// submit posts a form as post does, wants the redirect a console form
// answers with (303, taken or refused) and returns the page it leads to,
// where the flash or the form's errors show.
func (b *browser) submit(path string, form url.Values) resp {
	b.t.Helper()
	r := b.post(path, form)
	wantStatus(b.t, r, http.StatusSeeOther)
	return b.get(r.Location)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) csrf() string {
	b.t.Helper()
	r := b.get("/password")
	m := csrfRe.FindStringSubmatch(r.Body)
	if m == nil {
		b.t.Fatalf("no csrf token on page (status %d)", r.Status)
	}
	return m[1]
}

func (b *browser) login(username, password string) resp {
	b.t.Helper()
	page := b.get("/login")
	m := csrfRe.FindStringSubmatch(page.Body)
	if m == nil {
		b.t.Fatalf("login page has no token: %s", page.Body)
	}
	r := b.do("POST", "/login", url.Values{"csrf": {m[1]}, "username": {username}, "password": {password}, "next": {"/"}})
	if r.Status == http.StatusSeeOther && strings.HasPrefix(r.Location, "/login/totp") {
		// The admin and the leaders have a second factor (testkit enrols them).
		return b.secondFactor(r.Location, totpCode(b.t, b.base, username))
	}
	return r
}

// secondFactor answers the code page at path with code.
func (b *browser) secondFactor(path, code string) resp {
	b.t.Helper()
	page := b.get(path)
	m := csrfRe.FindStringSubmatch(page.Body)
	if m == nil {
		b.t.Fatalf("code page has no token (status %d, location %q)", page.Status, page.Location)
	}
	next := "/"
	if u, err := url.Parse(path); err == nil && u.Query().Get("next") != "" {
		next = u.Query().Get("next")
	}
	return b.do("POST", "/login/totp", url.Values{"csrf": {m[1]}, "code": {code}, "next": {next}})
}

func loggedIn(t testing.TB, base, username string) *browser {
	t.Helper()
	b := newBrowser(t, base)
	if r := b.login(username, testkit.Password); r.Status != http.StatusSeeOther {
		t.Fatalf("login %s: %d %s", username, r.Status, r.Body)
	}
	return b
}

func wantStatus(t testing.TB, r resp, st int) {
	t.Helper()
	if r.Status != st {
		body := r.Body
		if len(body) > 2000 {
			body = body[:2000]
		}
		t.Fatalf("status %d, want %d (location %q)\n%s", r.Status, st, r.Location, body)
	}
}

func wantBody(t testing.TB, r resp, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.Body, p) {
			t.Fatalf("page lacks %q\n%s", p, r.Body)
		}
	}
}

func newIncident(t testing.TB, env *testkit.Env) *incident.Incident {
	t.Helper()
	in := testkit.NewIncident(t, env, "network_attack")
	return in
}

// activeIncident is an incident (a network attack, 四(三)) whose plan the
// county's 组长 has activated.
func activeIncident(t testing.TB, env *testkit.Env) *incident.Incident {
	t.Helper()
	in := newIncident(t, env)
	testkit.Activate(t, env, in)
	return in
}

func incidentStatus(t testing.TB, env *testkit.Env, id int64) incident.Status {
	t.Helper()
	var in *incident.Incident
	if err := env.DB.Read(ctx, func(q *store.Q) error { var err error; in, err = q.Incident(id); return err }); err != nil {
		t.Fatal(err)
	}
	return in.Status
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func userByName(env *testkit.Env, name string) (*user.User, error) {
	var u *user.User
	err := env.DB.Read(ctx, func(q *store.Q) error { var err error; u, err = q.UserByName(name); return err })
	return u, err
}
