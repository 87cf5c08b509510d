package api_test

import (
	"context"
	"strings"
	"testing"

	"yingji/internal/testkit"
	"yingji/internal/user"
)

// TestAPIAdmin sets up a second county through the API alone and checks the
// three administrators' separation and their organisation scope there.
func TestAPIAdmin(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base, c := newServer(t, env)
		adm, sec, aud, duty := c["admin"], c["secadmin"], c["auditor"], c["duty"]
		city := id(env.Users["citydeputy"].OrgID)

		duty.do("GET", "/api/v1/orgs", "", 403)
		sec.do("POST", "/api/v1/orgs", `{"name":"丹棱县公安局","code":"DL","parent_id":`+city+`}`, 403)
		if p := adm.do("POST", "/api/v1/orgs", `{"name":"丹棱县公安局","code":"dl","parent_id":`+city+`}`, 400); p["field"] != "code" {
			t.Fatalf("bad code: %v", p)
		}
		o := adm.do("POST", "/api/v1/orgs", `{"name":"丹棱县公安局","code":"DL","parent_id":`+city+`}`, 201)
		if o["plan"] != env.Plan.Key {
			t.Fatalf("org %v", o)
		}
		dl := id(o["id"])
		adm.do("PATCH", "/api/v1/orgs/"+dl, `{"name":"丹棱县公安局（筹）"}`, 200)
		adm.do("PATCH", "/api/v1/orgs/"+dl, `{"name":"丹棱县公安局"}`, 200)
		adm.do("PUT", "/api/v1/orgs/"+dl+"/departments/fanzha", `{"name":"反诈中心"}`, 201)
		adm.do("PUT", "/api/v1/orgs/"+dl+"/departments/fanzha", `{"name":"反电诈中心"}`, 200)
		orgs := adm.do("GET", "/api/v1/orgs", "", 200)["items"].([]any)
		if len(orgs) != 3 || !strings.Contains(id(orgs[2]), "反电诈中心") {
			t.Fatalf("orgs %v", orgs)
		}

		if p := adm.do("POST", "/api/v1/users", `{"org":"丹棱县公安局","username":"dlduty","display_name":"丹棱值班员","password":"long-enough-1","roles":["duty_officer"]}`, 400); p["code"] != "invalid" {
			t.Fatalf("roles in a new account: %v", p)
		}
		adm.do("POST", "/api/v1/users", `{"org":"丹棱县公安局","department":"fanzha","username":"dlduty","display_name":"丹棱值班员","password":"long-enough-1"}`, 201)
		adm.do("POST", "/api/v1/users", `{"org":"丹棱县公安局","username":"dlsys","display_name":"丹棱系统管理员","password":"long-enough-1"}`, 201)
		adm.do("PUT", "/api/v1/users/dlduty/roles", `{"roles":["duty_officer"]}`, 403)
		sec.do("PUT", "/api/v1/users/dlduty/roles", `{"roles":["duty_officer"]}`, 200)
		sec.do("PUT", "/api/v1/users/dlsys/roles", `{"roles":["system_admin","audit_admin"]}`, 400)
		sec.do("PUT", "/api/v1/users/dlsys/roles", `{"roles":["system_admin"]}`, 200)
		sec.do("POST", "/api/v1/users/dlduty/unlock", "", 200)
		aud.do("GET", "/api/v1/users", "", 403)

		tok, err := env.App.Accounts.IssueToken(context.Background(), user.System(), "dlduty", "t", 0)
		if err != nil {
			t.Fatal(err)
		}
		dd := &client{t: t, base: base, token: tok}
		in := dd.do("POST", "/api/v1/incidents", `{"title":"丹棱县某网站被篡改","category":"network_attack","level":4,"discovered_at":"2026-11-28T08:50:00+08:00"}`, 201)
		if in["number"] != "DL-2026-001" {
			t.Fatalf("incident %v", in)
		}

		// 丹棱's system administrator manages 丹棱 only.
		stok, _ := env.App.Accounts.IssueToken(context.Background(), user.System(), "dlsys", "t", 0)
		ds := &client{t: t, base: base, token: stok}
		if items := ds.do("GET", "/api/v1/orgs", "", 200)["items"].([]any); len(items) != 1 {
			t.Fatalf("dlsys sees %v", items)
		}
		for _, u := range ds.do("GET", "/api/v1/users", "", 200)["items"].([]any) {
			if n := u.(map[string]any)["username"]; n != "dlduty" && n != "dlsys" {
				t.Fatalf("dlsys sees %v", n)
			}
		}
		ds.do("POST", "/api/v1/users/duty/disable", "", 400)
		ds.do("PATCH", "/api/v1/orgs/"+id(env.Users["duty"].OrgID), `{"name":"x"}`, 404)

		// Disabling stops the token at once; the account stays listed.
		ds.do("POST", "/api/v1/users/dlduty/disable", "", 200)
		dd.do("GET", "/api/v1/me", "", 401)
		ds.do("POST", "/api/v1/users/dlduty/enable", "", 200)
		dd.do("GET", "/api/v1/me", "", 401) // the old token was revoked

		recs := aud.do("GET", "/api/v1/audit/records?limit=1000", "", 200)["items"].([]any)
		var seen []string
		for _, r := range recs {
			if a := r.(map[string]any)["action"].(string); strings.HasPrefix(a, "user.") || strings.HasPrefix(a, "org.") || strings.HasPrefix(a, "department.") {
				seen = append(seen, a)
			}
		}
		if got := strings.Join(seen, " "); !strings.Contains(got, "org.create org.rename org.rename department.create department.rename user.create user.create user.roles user.roles user.disable user.enable") {
			t.Fatalf("audited %s", got)
		}
	})
}
