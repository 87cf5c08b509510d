package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"yingji/internal/testkit"
)

// TestAPIRefusesBareToken: a token without the "Bearer " scheme is refused
// (finding 12 of issue 9); with it, in any case, it is accepted.
func TestAPIRefusesBareToken(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base, clients := newServer(t, env)
	tok := clients["duty"].token
	for h, want := range map[string]int{tok: 401, "Token " + tok: 401, "Basic " + tok: 401, "Bearer" + tok: 401,
		"Bearer " + tok: 200, "bearer " + tok: 200} {
		req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
		req.Header.Set("Authorization", h)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("Authorization %q: %d, want %d", strings.Replace(h, tok, "TOKEN", 1), res.StatusCode, want)
		}
	}
}

// TestAPIMethodNotAllowed: a path that exists with another method answers
// 405 with Allow and a problem body, not 404 (finding 12 of issue 9).
func TestAPIMethodNotAllowed(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	_, clients := newServer(t, env)
	cases := []struct{ method, path, allow string }{
		{"DELETE", "/api/v1/incidents", "GET, HEAD, POST"},
		{"PUT", "/api/v1/incidents/1/notes", "POST"},
		{"GET", "/api/v1/approvals/7/decision", "POST"},
		{"POST", "/api/v1/me", "GET, HEAD"},
	}
	for _, c := range cases {
		st, body, h := clients["duty"].raw(c.method, c.path, "", nil)
		var p map[string]any
		json.Unmarshal(body, &p)
		if st != 405 || h.Get("Allow") != c.allow || p["status"] != 405.0 ||
			!strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s %s: %d Allow %q %v, want 405 Allow %q with a problem", c.method, c.path, st, h.Get("Allow"), p, c.allow)
		}
	}
	clients["duty"].do("GET", "/api/v1/no-such-thing", "", 404)
}
