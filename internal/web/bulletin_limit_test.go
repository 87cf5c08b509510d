package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"yingji/internal/testkit"
	"yingji/internal/web"
)

// TestBulletinLinkRateLimited: a unit's 通报 page (issue 14) spends the
// anonymous budget as the roll-call's link does: a guesser trying tokens
// gets 429 with Retry-After, and a refused POST writes nothing.
func TestBulletinLinkRateLimited(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	env.App.Bulletins.Key = []byte("0123456789abcdef0123456789abcdef")
	lim := web.DefaultLimits()
	lim.AnonRate = web.Rate{Burst: 3, Every: time.Minute}
	base := "http://" + serveReal(t, env, lim, nil)
	for i := 0; i < 3; i++ {
		r, err := http.Get(base + "/b/1.0123456789abcdef")
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusNotFound {
			t.Fatalf("guess %d: %d", i, r.StatusCode)
		}
	}
	before := testkit.AuditCount(t, env)
	r, err := http.PostForm(base+"/b/1.0123456789abcdef", url.Values{"action": {"receive"}})
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("past the budget: %d %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
	if after := testkit.AuditCount(t, env); after != before {
		t.Fatalf("a refused request wrote %d audit records", after-before)
	}
}
