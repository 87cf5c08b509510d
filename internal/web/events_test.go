package web_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"
	"yingji/internal/app"

	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/web"
)

func newIncident(t testing.TB, env *testkit.Env) int64 {
	t.Helper()
	in := testkit.NewIncident(t, env, "network_attack")
	return in.ID
}

func sessionCookie(t testing.TB, env *testkit.Env, username string) *http.Cookie {
	t.Helper()
	sess, err := env.App.Accounts.Login(context.Background(), username, testkit.Password, "test")
	if err != nil {
		t.Fatal(err)
	}
	if sess.Stage != "" { // leaders and administrators finish with a second factor
		if sess, err = env.App.Accounts.SecondFactor(context.Background(), sess, testkit.TOTPCode(t, env, username), "test"); err != nil {
			t.Fatal(err)
		}
	}
	return &http.Cookie{Name: "yingji_session", Value: sess.Token}
}

// openStream opens /events for cookie; the response is left open (the
// caller closes its body) and its status returned.
func openStream(t testing.TB, base, path string, cookie *http.Cookie) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.AddCookie(cookie)
	res, err := (&http.Client{Timeout: 0}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

var streamLines = map[*http.Response]chan string{}

// waitLine reads the stream until want, for at most d. One reader per
// stream lives as long as the stream, so nothing it buffered is lost.
func waitLine(t testing.TB, res *http.Response, want string, d time.Duration) {
	t.Helper()
	lines, ok := streamLines[res]
	if !ok {
		lines = testkit.Lines(res.Body)
		streamLines[res] = lines
	}
	testkit.AwaitLine(t, lines, want, d)
}

// TestStreamCaps: a session may hold MaxStreamsPerSession streams and the
// node MaxStreams; beyond either /events answers 429, and a slot is free
// again once a stream ends (finding 5 of issue 9).
func TestStreamCaps(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	id := strconv.FormatInt(newIncident(t, env), 10)
	lim := web.DefaultLimits()
	lim.MaxStreams, lim.MaxStreamsPerSession = 3, 2
	base := "http://" + serveReal(t, env, lim, nil)
	a, b, c := sessionCookie(t, env, "duty"), sessionCookie(t, env, "chief"), sessionCookie(t, env, "deputy")
	path := "/events?incident=" + id
	first := openStream(t, base, path, a)
	for i, want := range []struct {
		ck *http.Cookie
		st int
	}{{a, 200}, {a, 429}, {b, 200}, {c, 429}} {
		if res := openStream(t, base, path, want.ck); res.StatusCode != want.st {
			t.Fatalf("stream %d: %d, want %d", i, res.StatusCode, want.st)
		} else if res.StatusCode == 429 {
			res.Body.Close()
		}
	}
	if first.StatusCode != 200 {
		t.Fatalf("first stream: %d", first.StatusCode)
	}
	first.Body.Close()
	for i := 0; ; i++ { // the server notices the closed stream within moments
		res := openStream(t, base, path, c)
		if res.StatusCode == 200 {
			break
		}
		res.Body.Close()
		if i == 50 {
			t.Fatal("the ended stream's slot was not freed")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestStreamOutlivesTimeouts: the read and write timeouts that cut slow
// clients off do not end a live-update stream.
func TestStreamOutlivesTimeouts(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	in := newIncident(t, env)
	lim := web.DefaultLimits()
	lim.ReadTimeout, lim.WriteTimeout = 300*time.Millisecond, 300*time.Millisecond
	base := "http://" + serveReal(t, env, lim, nil)
	res := openStream(t, base, "/events?incident="+strconv.FormatInt(in, 10), sessionCookie(t, env, "duty"))
	if res.StatusCode != 200 {
		t.Fatalf("stream: %d", res.StatusCode)
	}
	time.Sleep(time.Second)
	if _, err := env.App.Incidents.AddNote(context.Background(), env.Users["duty"], in, "一秒后的记录"); err != nil {
		t.Fatal(err)
	}
	waitLine(t, res, "event: change", 5*time.Second)
}

// TestStreamsAcrossNodes: a stream on one node hears a note written through
// another node on the same database: on PostgreSQL by LISTEN/NOTIFY within
// moments, on SQLite (another process on the file) by the node's slow poll.
func TestStreamsAcrossNodes(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := newIncident(t, env)
		base := newHTTPTest(t, env)
		onIncident := openStream(t, base, "/events?incident="+strconv.FormatInt(in, 10), sessionCookie(t, env, "duty"))
		overview := openStream(t, base, "/events", sessionCookie(t, env, "citydeputy"))
		waitLine(t, onIncident, "event: hello", 5*time.Second)
		waitLine(t, overview, "event: hello", 5*time.Second)
		if env.DB.Postgres() { // wait until the node listens
			f := env.DB.Feed()
			for i := 0; i < 100 && f.Mark() == 0; i++ {
				time.Sleep(100 * time.Millisecond)
			}
		}
		other, err := store.Open(context.Background(), env.URL, env.Dir)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if _, err := app.New(other, nil).Incidents.AddNote(context.Background(), env.Users["duty"], in, "另一节点的记录"); err != nil {
			t.Fatal(err)
		}
		within := 3 * time.Second
		if !env.DB.Postgres() {
			within = 12 * time.Second
		}
		waitLine(t, onIncident, "event: change", within)
		waitLine(t, overview, "event: change", within)
	})
}
