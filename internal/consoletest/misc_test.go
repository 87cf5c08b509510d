package consoletest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"yingji/internal/app"

	"yingji/internal/testkit"
)

func TestAdmin(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		for _, name := range []string{"duty", "chief", "citydeputy"} {
			b := loggedIn(t, base, name)
			wantStatus(t, b.get("/admin"), http.StatusForbidden)
			if strings.Contains(b.get("/").Body, `href="/admin"`) {
				t.Fatalf("%s is offered the admin page", name)
			}
		}
		// Each of the three administrators sees his own work only (三员分立).
		r := loggedIn(t, base, "admin").get("/admin")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "citydeputy", "陈副局长", `id="org-form"`, `id="user-form"`, "/disable")
		wantNoneOf(t, r, `id="audit-verify"`, "/roles", "/unlock")
		r = loggedIn(t, base, "secadmin").get("/admin")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "citydeputy", "市局分管领导", `id="roles-duty"`)
		wantNoneOf(t, r, `id="audit-verify"`, `id="org-form"`, `id="user-form"`, "/disable")
		r = loggedIn(t, base, "auditor").get("/admin")
		wantStatus(t, r, http.StatusOK)
		// The chain's head and a link to check it: a view of /admin does not
		// verify the whole chain (seconds on a long one).
		wantBody(t, r, `id="audit-verify"`, "链头序号", `id="records"`, "session.login")
		wantNoneOf(t, r, "审计链完整")
		wantNoneOf(t, r, `id="users"`, `id="org-form"`, "/roles", "/disable")
	})
}

func TestLanguageAndDates(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	in := newIncident(t, env)
	b := loggedIn(t, base, "duty")
	path := "/incidents/" + itoa(in.ID)
	wantBody(t, b.get(path), `lang="zh-CN"`, "2026年11月28日 08:50", "黄 Ⅲ", `lang="en"`, "English")
	r := b.get("/lang?to=en&back=" + path)
	wantStatus(t, r, http.StatusSeeOther)
	if r.Location != path {
		t.Fatalf("back to %q", r.Location)
	}
	wantBody(t, b.get(path), `<html lang="en">`, "2026-11-28 08:50", "Yellow Ⅲ", "Ask the leading group to decide on activation")
	// An open redirect is not possible through the switch.
	if r := b.get("/lang?to=zh-CN&back=//evil.example"); r.Location != "/" {
		t.Fatalf("redirect to %q", r.Location)
	}
}

// stream opens a live-update stream and returns a function that waits for
// a line on it.
func stream(t *testing.T, b *browser, path string, header ...string) func(want string) {
	req, _ := http.NewRequest("GET", b.base+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("%s: content type %q (status %d)", path, ct, res.StatusCode)
	}
	lines := testkit.Lines(res.Body)
	return func(want string) {
		t.Helper()
		testkit.AwaitLine(t, lines, want, 10*time.Second)
	}
}

// TestEventsStream checks that the streams announce a change committed by
// another service on the same database, whose Changed hook this server never
// hears: the store's change feed carries it. (Other nodes and processes:
// internal/web TestStreamsAcrossNodes.)
func TestEventsStream(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		in := newIncident(t, env)
		wantStatus(t, newBrowser(t, base).get("/events?incident="+itoa(in.ID)), http.StatusUnauthorized)
		onIncident := stream(t, loggedIn(t, base, "duty"), "/events?incident="+itoa(in.ID))
		onCommandPost := stream(t, loggedIn(t, base, "citydeputy"), "/events")
		onIncident("event: hello")
		onCommandPost("event: hello")
		other := app.New(env.DB, nil).Incidents
		if _, err := other.AddNote(ctx, env.Users["duty"], in.ID, "另一节点的记录"); err != nil {
			t.Fatal(err)
		}
		onIncident("event: change")
		onCommandPost("event: change")
		// A browser reconnecting after it missed changes hears of them at once.
		stream(t, loggedIn(t, base, "duty"), "/events?incident="+itoa(in.ID), "Last-Event-ID", "1")("event: change")
	})
}

// TestLiveRefreshKeepsFlash: the script's background refresh (X-Live) must
// not consume the message meant for the page the browser shows next.
func TestLiveRefreshKeepsFlash(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	in := newIncident(t, env)
	b := loggedIn(t, base, "duty")
	path := "/incidents/" + itoa(in.ID)
	wantStatus(t, b.post(path+"/notes", url.Values{"text": {"记录"}}), http.StatusSeeOther)
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("X-Live", "1")
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	wantBody(t, b.get(path), "记录已保存")
}
