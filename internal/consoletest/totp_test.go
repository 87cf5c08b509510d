package consoletest

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"yingji/internal/audit"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

var (
	secretRe   = regexp.MustCompile(`id="totp-secret" class="secret">([A-Z2-7 ]+)<`)
	recoveryRe = regexp.MustCompile(`<li><code>([a-z2-9-]{19})</code></li>`)
)

// allAudit returns every audit record, to look for secrets in them.
func allAudit(t *testing.T, env *testkit.Env) []*audit.Record {
	t.Helper()
	recs, err := env.App.AuditLog.AuditRecords(ctx, env.Users["auditor"], 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func noSecretIn(t *testing.T, env *testkit.Env, secrets ...string) {
	t.Helper()
	for _, r := range allAudit(t, env) {
		for _, s := range secrets {
			if s != "" && strings.Contains(string(r.Detail), s) {
				t.Fatalf("audit record %d (%s) holds a secret: %s", r.Seq, r.Action, r.Detail)
			}
		}
	}
}

// An admin without a second factor is held at enrolment until he has one;
// then every login asks for a code, a code works once, a recovery code
// works once, and neither the secret nor the codes reach pages or audit.
func TestTOTPEnrolmentAndLogin(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		if err := env.App.Accounts.ResetTOTP(ctx, user.System(), "admin"); err != nil {
			t.Fatal(err)
		}
		base := newServer(t, env)
		b := newBrowser(t, base)
		r := b.login("admin", testkit.Password)
		wantStatus(t, r, http.StatusSeeOther)
		if r.Location != "/account/totp" {
			t.Fatalf("admin without TOTP goes to %q", r.Location)
		}
		// Nothing else opens until enrolment, not even a form post.
		for _, p := range []string{"/", "/admin", "/incidents", "/password"} {
			if r := b.get(p); r.Status != http.StatusSeeOther || r.Location != "/account/totp" {
				t.Fatalf("GET %s before enrolment: %d %q", p, r.Status, r.Location)
			}
		}
		page := b.get("/account/totp")
		wantStatus(t, page, http.StatusOK)
		wantBody(t, page, "<svg", "必须启用双因素认证")
		if strings.Contains(page.Body, `href="/incidents"`) {
			t.Fatal("navigation shown before enrolment")
		}
		m := secretRe.FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("no secret on the page:\n%s", page.Body)
		}
		secret := strings.ReplaceAll(m[1], " ", "")
		key, err := user.DecodeTOTPSecret(secret)
		if err != nil {
			t.Fatal(err)
		}
		csrf := csrfRe.FindStringSubmatch(page.Body)[1]
		// A reload keeps the same secret: a QR code already scanned stays good.
		if m2 := secretRe.FindStringSubmatch(b.get("/account/totp").Body); m2 == nil || m2[1] != m[1] {
			t.Fatal("reloading the page changed the secret")
		}
		r = b.do("POST", "/account/totp", url.Values{"csrf": {csrf}, "code": {"000000"}})
		wantStatus(t, r, http.StatusBadRequest)
		wantBody(t, r, "验证码不正确")
		r = b.do("POST", "/account/totp", url.Values{"csrf": {csrf}, "code": {user.TOTPCode(key, env.Clock.Now())}})
		wantStatus(t, r, http.StatusOK)
		codes := recoveryRe.FindAllStringSubmatch(r.Body, -1)
		if len(codes) != 10 {
			t.Fatalf("%d recovery codes shown:\n%s", len(codes), r.Body)
		}
		wantStatus(t, b.get("/"), http.StatusOK)
		// After enrolment the secret is not shown again.
		after := b.get("/account/totp")
		wantBody(t, after, "双因素认证已启用", "剩余恢复码 10 个")
		if strings.Contains(after.Body, secret[:8]) || strings.Contains(after.Body, "<svg") {
			t.Fatal("the secret is shown after enrolment")
		}
		wantStatus(t, b.post("/logout", nil), http.StatusSeeOther)

		// Login now asks for the code; without it nothing opens.
		b = newBrowser(t, base)
		page = b.get("/login")
		tok := csrfRe.FindStringSubmatch(page.Body)[1]
		r = b.do("POST", "/login", url.Values{"csrf": {tok}, "username": {"admin"}, "password": {testkit.Password}, "next": {"/admin"}})
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login/totp") {
			t.Fatalf("login of an enrolled admin: %d %q", r.Status, r.Location)
		}
		codePage := r.Location
		for _, p := range []string{"/", "/admin", "/account/totp"} {
			if r := b.get(p); r.Status != http.StatusSeeOther || r.Location != "/login/totp" {
				t.Fatalf("GET %s without the code: %d %q", p, r.Status, r.Location)
			}
		}
		// The code used at enrolment is spent: the same step is a replay.
		wantStatus(t, b.secondFactor(codePage, user.TOTPCode(key, env.Clock.Now())), http.StatusUnauthorized)
		env.Clock.Add(30 * time.Second)
		r = b.secondFactor(codePage, user.TOTPCode(key, env.Clock.Now()))
		wantStatus(t, r, http.StatusSeeOther)
		if r.Location != "/admin" {
			t.Fatalf("after the code: %q", r.Location)
		}
		wantStatus(t, b.get("/admin"), http.StatusOK)
		if r := b.get("/login/totp"); r.Status != http.StatusSeeOther || r.Location != "/" {
			t.Fatalf("the code page after login: %d %q", r.Status, r.Location)
		}

		// A recovery code works once.
		rc := codes[3][1]
		for _, want := range []int{http.StatusSeeOther, http.StatusUnauthorized} {
			c := newBrowser(t, base)
			page := c.get("/login")
			tok := csrfRe.FindStringSubmatch(page.Body)[1]
			r = c.do("POST", "/login", url.Values{"csrf": {tok}, "username": {"admin"}, "password": {testkit.Password}, "next": {"/"}})
			r = c.secondFactor(r.Location, strings.ToUpper(rc))
			wantStatus(t, r, want)
		}
		left := b.get("/account/totp")
		wantBody(t, left, "剩余恢复码 9 个")

		// Neither the secret, nor a code, nor a recovery code is audited.
		var plain []string
		for _, c := range codes {
			plain = append(plain, c[1], strings.ReplaceAll(c[1], "-", ""))
		}
		noSecretIn(t, env, append(plain, secret)...)
		actions := map[string]int{}
		for _, r := range allAudit(t, env) {
			actions[r.Action]++
		}
		for _, a := range []string{"user.totp_reset", "user.totp_enrol", "user.recovery_code_used", "session.password_ok"} {
			if actions[a] == 0 {
				t.Errorf("no %s audit record (%v)", a, actions)
			}
		}
	})
}

// Five wrong codes lock the account like five wrong passwords.
func TestTOTPWrongCodesLock(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		b := newBrowser(t, base)
		page := b.get("/login")
		tok := csrfRe.FindStringSubmatch(page.Body)[1]
		r := b.do("POST", "/login", url.Values{"csrf": {tok}, "username": {"chief"}, "password": {testkit.Password}, "next": {"/"}})
		codePage := r.Location
		for i := 0; i < 4; i++ {
			r = b.secondFactor(codePage, "123456")
			wantStatus(t, r, http.StatusUnauthorized)
			wantBody(t, r, "验证码不正确")
		}
		r = b.secondFactor(codePage, "123456")
		wantStatus(t, r, http.StatusUnauthorized)
		wantBody(t, r, "用户名或密码错误，或账号因连续输错") // back at the login form
		u, _ := userByName(env, "chief")
		if !u.LockedUntil.After(env.Clock.Now()) {
			t.Fatal("five wrong codes did not lock")
		}
		// Locked: the password and a right code get the same refusal.
		if r := newBrowser(t, base).login("chief", testkit.Password); r.Status != http.StatusUnauthorized {
			t.Fatalf("locked chief: %d %q", r.Status, r.Location)
		}
		env.Clock.Add(16 * time.Minute)
		wantStatus(t, loggedIn(t, base, "chief").get("/"), http.StatusOK)
	})
}

// A session ends after the idle timeout without a request, however long
// its absolute lifetime; requests keep it going.
func TestIdleTimeout(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		b := loggedIn(t, base, "duty")
		for range 4 { // two hours of use, a request every 25 minutes
			env.Clock.Add(25 * time.Minute)
			wantStatus(t, b.get("/"), http.StatusOK)
		}
		env.Clock.Add(31 * time.Minute)
		r := b.get("/")
		wantStatus(t, r, http.StatusSeeOther)
		if !strings.HasPrefix(r.Location, "/login") {
			t.Fatalf("idle session goes to %q", r.Location)
		}
		env.App.Accounts.IdleTimeout = time.Hour // configurable
		b = loggedIn(t, base, "duty")
		env.Clock.Add(45 * time.Minute)
		wantStatus(t, b.get("/"), http.StatusOK)
	})
}

// Password rules and history hold at the change form; five wrong current
// passwords lock the account and end its sessions (finding 12).
func TestPasswordRulesAndChangeFormLockout(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		b := loggedIn(t, base, "duty")
		change := func(old, pw string) resp {
			return b.post("/password", url.Values{"old_password": {old}, "new_password": {pw}, "confirm_password": {pw}})
		}
		wantBody(t, change(testkit.Password, "short-1"), "密码至少 10 位")
		wantBody(t, change(testkit.Password, "onlylowercaseletters"), "至少 3 类")
		wantBody(t, change(testkit.Password, "My-duty-pass-1"), "不能包含用户名")
		pw := []string{testkit.Password}
		for i := 1; i <= 5; i++ {
			next := "Second-pass-" + string(rune('0'+i))
			wantStatus(t, change(pw[len(pw)-1], next), http.StatusSeeOther)
			pw = append(pw, next)
		}
		// The last five (current included) are refused; the sixth back is allowed.
		for _, old := range pw[2:5] {
			r := change(pw[5], old)
			wantStatus(t, r, http.StatusBadRequest)
			wantBody(t, r, "最近 5 次")
		}
		wantStatus(t, change(pw[5], pw[0]), http.StatusSeeOther)
		cur := pw[0]

		other := loggedIn(t, base, "duty")
		for i := 0; i < 4; i++ {
			r := change("Wrong-guess-"+string(rune('0'+i)), "Another-pass-9")
			wantStatus(t, r, http.StatusBadRequest)
			wantBody(t, r, "当前密码不正确")
		}
		r := change("Wrong-guess-5", "Another-pass-9")
		wantStatus(t, r, http.StatusSeeOther)
		if r.Location != "/login" {
			t.Fatalf("fifth wrong current password goes to %q", r.Location)
		}
		wantStatus(t, b.get("/"), http.StatusSeeOther)     // this session ended
		wantStatus(t, other.get("/"), http.StatusSeeOther) // and the others
		wantStatus(t, newBrowser(t, base).login("duty", cur), http.StatusUnauthorized)
		env.Clock.Add(16 * time.Minute)
		wantStatus(t, newBrowser(t, base).login("duty", cur), http.StatusSeeOther)
		actions := map[string]int{}
		for _, r := range allAudit(t, env) {
			actions[r.Action]++
		}
		if actions["user.lockout"] != 1 || actions["user.password_change"] != 6 {
			t.Fatalf("audit: %v", actions)
		}
	})
}
