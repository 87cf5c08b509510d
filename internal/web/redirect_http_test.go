package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"yingji/internal/testkit"
	"yingji/internal/web"
)

// noFollow is a client that shows redirects instead of following them.

// TestRedirectsStayLocal: the language switch and the login's next answer
// the finding's probe with a local Location (finding 4 of issue 9).
func TestRedirectsStayLocal(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	srv := httptest.NewServer(web.New(env.App, nil, env.Plan.Location))
	t.Cleanup(srv.Close)
	for _, back := range []string{"/%09/evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example"} {
		res, err := testkit.NoFollow.Get(srv.URL + "/lang?to=en&back=" + back)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Errorf("/lang back=%s: Location %q, want /", back, loc)
		}
	}
	const token = "0123456789abcdef0123456789abcdef"
	for _, next := range []string{"/\t/evil.example", "//evil.example", "/\\evil.example"} {
		form := url.Values{"username": {"duty"}, "password": {testkit.Password}, "csrf": {token}, "next": {next}}
		req, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "yingji_login_csrf", Value: token})
		res, err := testkit.NoFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Errorf("login next=%q: %d Location %q, want 303 /", next, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

func newHTTPTest(t *testing.T, env *testkit.Env) string {
	srv := httptest.NewServer(web.New(env.App, nil, env.Plan.Location))
	t.Cleanup(srv.Close)
	return srv.URL
}
