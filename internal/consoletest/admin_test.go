package consoletest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"yingji/internal/accounts"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

func wantNoneOf(t testing.TB, r resp, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(r.Body, p) {
			t.Fatalf("page shows %q\n%s", p, r.Body)
		}
	}
}

// TestAdminScopedConsole: finding 7 — another county's administrator saw
// 青神's users and audit records on /admin. Two counties under one city: the
// county administrators see their own county only, the city's see both.
func TestAdminScopedConsole(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		if _, err := env.App.Accounts.CreateOrg(ctx, user.System(), accounts.NewOrg{Name: "丹棱县公安局", Code: "DL", ParentName: "眉山市公安局"}); err != nil {
			t.Fatal(err)
		}
		for _, a := range []struct{ name, role string }{{"dlsys", user.RoleSystemAdmin}, {"dlsec", user.RoleSecurityAdmin}, {"dlaudit", user.RoleAuditAdmin}} {
			if _, err := env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: "丹棱县公安局", Username: a.name, DisplayName: "丹棱" + a.name,
				Roles: []string{a.role}, Password: testkit.Password}); err != nil {
				t.Fatal(err)
			}
			testkit.AddUser(t, env, a.name) // administrators log in with a second factor
		}
		newIncident(t, env) // 青神's incident: its title is in 青神's audit records
		base := newServer(t, env)
		for _, who := range []string{"dlsys", "dlsec", "dlaudit"} {
			r := loggedIn(t, base, who).get("/admin")
			wantStatus(t, r, http.StatusOK)
			wantNoneOf(t, r, "青神县公安局", "县政府门户网站遭受DDoS攻击", "张值班", "<code>duty</code>")
		}
		wantBody(t, loggedIn(t, base, "dlaudit").get("/admin"), `id="records"`, "dlsys")
		wantBody(t, loggedIn(t, base, "auditor").get("/admin"), "县政府门户网站遭受DDoS攻击", "丹棱县公安局")
		wantBody(t, loggedIn(t, base, "admin").get("/admin"), "<code>duty</code>", "<code>dlsys</code>")

		// A county's system administrator cannot act on the other county through the forms either.
		dl := loggedIn(t, base, "dlsys")
		r := dl.post("/admin/users/duty/disable", url.Values{})
		if r.Status == http.StatusSeeOther && !strings.Contains(dl.get(r.Location).Body, "不存在") {
			t.Fatalf("disable across counties: %d %s", r.Status, r.Location)
		}
		if u, _ := userByName(env, "duty"); u.Disabled {
			t.Fatal("dlsys disabled 青神's duty officer")
		}
	})
}
