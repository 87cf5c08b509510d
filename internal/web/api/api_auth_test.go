package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"yingji/internal/testkit"
	"yingji/internal/user"
)

// API tokens expire, are listed with their last use, and can be revoked:
// by their holder, or by the security administrator over the holder's
// organisation (三员分立: credentials are security policy; the system
// administrator may not). A
// revoked or expired token, or one without the Bearer scheme, gets 401.
func TestAPITokens(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty, secadmin, chief := c["duty"], c["secadmin"], c["chief"]
		duty.do("GET", "/api/v1/me", "", http.StatusOK)
		list := duty.do("GET", "/api/v1/me/tokens", "", http.StatusOK)["tokens"].([]any)
		if len(list) != 1 {
			t.Fatalf("tokens: %v", list)
		}
		tok := list[0].(map[string]any)
		if tok["last_used_at"] == nil || tok["live"] != true || tok["name"] != "test" {
			t.Fatalf("token: %v", tok)
		}
		exp, _ := time.Parse(time.RFC3339, tok["expires_at"].(string))
		if d := exp.Sub(env.Clock.Now()); d < 89*24*time.Hour || d > 91*24*time.Hour {
			t.Fatalf("default expiry in %v", d)
		}
		for _, k := range []string{"token", "token_hash", "hash"} {
			if _, ok := tok[k]; ok {
				t.Fatalf("the listing holds %q", k)
			}
		}
		// Finding 12: a token without "Bearer " is no token.
		req, _ := http.NewRequest("GET", duty.base+"/api/v1/me", nil)
		req.Header.Set("Authorization", duty.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("a bare token: %d", res.StatusCode)
		}

		// Another county user's token is not found for duty; chief's own
		// is revoked by chief; duty's by the security administrator above.
		chiefTok := chief.do("GET", "/api/v1/me/tokens", "", http.StatusOK)["tokens"].([]any)[0].(map[string]any)
		duty.do("DELETE", "/api/v1/me/tokens/"+id(chiefTok["id"]), "", http.StatusNotFound)
		chief.do("GET", "/api/v1/me", "", http.StatusOK)
		before := testkit.AuditCount(t, env)
		got := chief.do("DELETE", "/api/v1/me/tokens/"+id(chiefTok["id"]), "", http.StatusOK)
		if got["live"] != false || got["revoked_at"] == nil {
			t.Fatalf("revoked: %v", got)
		}
		chief.do("GET", "/api/v1/me", "", http.StatusUnauthorized)
		c["admin"].do("DELETE", "/api/v1/me/tokens/"+id(tok["id"]), "", http.StatusNotFound)
		secadmin.do("DELETE", "/api/v1/me/tokens/"+id(tok["id"]), "", http.StatusOK)
		secadmin.do("DELETE", "/api/v1/me/tokens/"+id(tok["id"]), "", http.StatusConflict)
		duty.do("GET", "/api/v1/me/tokens", "", http.StatusUnauthorized)
		if n := testkit.AuditCount(t, env); n != before+2 {
			t.Fatalf("revocations audited %d → %d", before, n)
		}
		// The city deputy is no admin of the county: not found.
		xj := c["xingjing"]
		xjTok := xj.do("GET", "/api/v1/me/tokens", "", http.StatusOK)["tokens"].([]any)[0].(map[string]any)
		c["citydeputy"].do("DELETE", "/api/v1/me/tokens/"+id(xjTok["id"]), "", http.StatusNotFound)

		// Expiry: a day's token is refused after the day.
		short, err := env.App.Accounts.IssueToken(context.Background(), user.System(), "duty", "short", 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		d := &client{t: t, base: duty.base, token: short}
		d.do("GET", "/api/v1/me", "", http.StatusOK)
		env.Clock.Add(25 * time.Hour)
		p := d.do("GET", "/api/v1/me", "", http.StatusUnauthorized)
		if !strings.Contains(p["detail"].(string), "令牌") {
			t.Fatalf("expired: %v", p)
		}
		xj.do("GET", "/api/v1/me", "", http.StatusOK) // a 90-day token still works
		env.Clock.Add(90 * 24 * time.Hour)
		xj.do("GET", "/api/v1/me", "", http.StatusUnauthorized)
		if _, err := env.App.Accounts.IssueToken(context.Background(), user.System(), "duty", "forever", 10*365*24*time.Hour); err == nil {
			t.Fatal("a ten-year token was issued")
		}
	})
}
