package consoletest

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"yingji/internal/store"
	"yingji/internal/testkit"
)

func TestLoginCookiesAndLogout(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		anon := newBrowser(t, base)
		r := anon.get("/")
		wantStatus(t, r, http.StatusSeeOther)
		if !strings.HasPrefix(r.Location, "/login") {
			t.Fatalf("anonymous / goes to %q", r.Location)
		}
		before := testkit.AuditCount(t, env)
		b := newBrowser(t, base)
		r = b.login("duty", testkit.Password)
		wantStatus(t, r, http.StatusSeeOther)
		var session *http.Cookie
		for _, c := range (&http.Response{Header: r.Header}).Cookies() {
			if c.Name == "yingji_session" {
				session = c
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure {
			t.Fatalf("session cookie %+v", session)
		}
		// The token is stored only as a hash.
		var n int
		env.DB.Read(ctx, func(q *store.Q) error {
			_, _, err := q.SessionUser(session.Value, time.Time{})
			n = map[bool]int{true: 1}[err == nil]
			return nil
		})
		if n != 0 {
			t.Fatal("session found by the raw token: it must be stored hashed")
		}
		if got := testkit.AuditCount(t, env); got != before+1 {
			t.Fatalf("login audit: %d → %d", before, got)
		}
		wantStatus(t, b.get("/"), http.StatusOK)

		// Logout without the CSRF token changes nothing.
		wantStatus(t, b.do("POST", "/logout", url.Values{"csrf": {"forged"}}), http.StatusForbidden)
		wantStatus(t, b.get("/"), http.StatusOK)
		r = b.post("/logout", nil)
		wantStatus(t, r, http.StatusSeeOther)
		if r.Location != "/login" {
			t.Fatalf("logout goes to %q", r.Location)
		}
		if got := testkit.AuditCount(t, env); got != before+2 {
			t.Fatalf("logout audit: %d → %d", before, got)
		}
		wantStatus(t, b.get("/"), http.StatusSeeOther)
	})
}

func TestSecureCookieBehindTLSProxy(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	b := newBrowser(t, base)
	page := b.get("/login")
	token := csrfRe.FindStringSubmatch(page.Body)[1]
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(url.Values{"csrf": {token}, "username": {"duty"}, "password": {testkit.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-Proto", "https")
	req.AddCookie(&http.Cookie{Name: "yingji_login_csrf", Value: token})
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == "yingji_session" && !c.Secure {
			t.Fatal("session cookie not Secure behind TLS")
		}
	}
}

func TestLoginCSRFAndBadPassword(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		b := newBrowser(t, base)
		// Without the double-submit token the login is refused outright.
		r := b.do("POST", "/login", url.Values{"username": {"duty"}, "password": {testkit.Password}})
		wantStatus(t, r, http.StatusForbidden)
		r = b.login("duty", "wrong-password")
		wantStatus(t, r, http.StatusUnauthorized)
		wantBody(t, r, "用户名或密码错误", `value="duty"`)
		r = b.login("nobody", "wrong-password")
		wantStatus(t, r, http.StatusUnauthorized)
		wantBody(t, r, "用户名或密码错误")
		r = b.login("", "x")
		wantStatus(t, r, http.StatusBadRequest)
	})
}

func TestLockout(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		b := newBrowser(t, base)
		before := testkit.AuditCount(t, env)
		for i := 0; i < 4; i++ {
			wantBody(t, b.login("duty", "wrong-password"), "用户名或密码错误")
		}
		r := b.login("duty", "wrong-password")
		wantStatus(t, r, http.StatusUnauthorized)
		locked := b.login("duty", testkit.Password) // locked: even the right password is refused
		unknown := b.login("nobody", testkit.Password)
		// Finding 12: the lockout must not tell which usernames exist. A
		// locked account, an unknown username and a wrong password get the
		// same status and the same page, but for the username echoed back.
		for _, x := range []resp{r, locked, unknown} {
			wantStatus(t, x, http.StatusUnauthorized)
			if strings.Contains(x.Body, "已锁定，请于") || strings.Contains(x.Body, "09:15") {
				t.Fatalf("the page tells the account is locked:\n%s", x.Body)
			}
		}
		strip := func(x resp, name string) string {
			body := strings.ReplaceAll(x.Body, `value="`+name+`"`, "")
			return regexpCSRF.ReplaceAllString(body, "")
		}
		if strip(locked, "duty") != strip(unknown, "nobody") {
			t.Fatalf("locked and unknown users get different pages:\n%s\n---\n%s", locked.Body, unknown.Body)
		}
		// 5 failures + the lockout + the refused login while locked + the unknown user.
		if got := testkit.AuditCount(t, env); got != before+8 {
			t.Fatalf("audit records %d → %d", before, got)
		}
		env.Clock.Add(16 * time.Minute)
		wantStatus(t, b.login("duty", testkit.Password), http.StatusSeeOther)
		u, _ := userByName(env, "duty")
		if u.FailedLogins != 0 || !u.LockedUntil.IsZero() {
			t.Fatalf("counters not reset: %+v", u)
		}
	})
}

var regexpCSRF = regexp.MustCompile(`value="yj_[A-Za-z0-9_-]+"`)

func TestPasswordChange(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		b := loggedIn(t, base, "duty")
		other := loggedIn(t, base, "duty")
		before := testkit.AuditCount(t, env)
		r := b.post("/password", url.Values{"old_password": {"nope-nope"}, "new_password": {"new-password-1"}, "confirm_password": {"new-password-1"}})
		wantStatus(t, r, http.StatusBadRequest)
		wantBody(t, r, `id="err-old_password"`, "当前密码不正确")
		// A wrong current password counts toward the lockout, and is audited.
		if got := testkit.AuditCount(t, env); got != before+1 {
			t.Fatalf("wrong current password audit %d → %d", before, got)
		}
		before++
		r = b.post("/password", url.Values{"old_password": {testkit.Password}, "new_password": {"new-password-1"}, "confirm_password": {"other"}})
		wantStatus(t, r, http.StatusBadRequest)
		wantBody(t, r, `id="err-confirm_password"`)
		r = b.post("/password", url.Values{"old_password": {testkit.Password}, "new_password": {"short"}, "confirm_password": {"short"}})
		wantBody(t, r, `id="err-new_password"`)
		if got := testkit.AuditCount(t, env); got != before {
			t.Fatalf("failed changes wrote audit records")
		}
		// Forged form: refused, nothing changes.
		r = b.do("POST", "/password", url.Values{"csrf": {"x"}, "old_password": {testkit.Password}, "new_password": {"new-password-1"}, "confirm_password": {"new-password-1"}})
		wantStatus(t, r, http.StatusForbidden)
		r = b.post("/password", url.Values{"old_password": {testkit.Password}, "new_password": {"new-password-1"}, "confirm_password": {"new-password-1"}})
		wantStatus(t, r, http.StatusSeeOther)
		if got := testkit.AuditCount(t, env); got != before+1 {
			t.Fatalf("password change audit %d → %d", before, got)
		}
		wantStatus(t, b.get("/"), http.StatusOK)           // this session goes on
		wantStatus(t, other.get("/"), http.StatusSeeOther) // the other one ended
		wantStatus(t, newBrowser(t, base).login("duty", testkit.Password), http.StatusUnauthorized)
		wantStatus(t, newBrowser(t, base).login("duty", "new-password-1"), http.StatusSeeOther)
	})
}
