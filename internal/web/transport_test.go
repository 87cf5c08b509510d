package web_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"yingji/internal/testkit"
	"yingji/internal/user"
	"yingji/internal/web"
)

// serveReal starts the server as `yingji serve` does, with lim, on a
// loopback port, and returns its address.
func serveReal(t *testing.T, env *testkit.Env, lim web.Limits, connState func(net.Conn, http.ConnState)) string {
	t.Helper()
	hs := web.New(env.App, nil, env.Plan.Location).HTTPServer(lim)
	hs.ConnState = connState
	ln, err := web.Listen("127.0.0.1:0", lim)
	if err != nil {
		t.Fatal(err)
	}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

// closedWithin reports whether the server closes c within d (reading and
// discarding whatever it answers first).
func closedWithin(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// TestSlowBodyCutOff: a POST /login whose 60,000-byte body comes a byte at a
// time is cut off after the read timeout (finding 1 of issue 9).
func TestSlowBodyCutOff(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	lim := web.DefaultLimits()
	lim.ReadTimeout = time.Second
	addr := serveReal(t, env, lim, nil)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	io.WriteString(c, "POST /login HTTP/1.1\r\nHost: yingji\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n\r\n")
	closed := make(chan bool, 1)
	go func() { closed <- closedWithin(c, 10*time.Second) }()
	for i := 0; i < 100; i++ { // a byte every 100 ms: at most 10 s
		select {
		case ok := <-closed:
			if !ok {
				t.Fatal("connection still open after 10 s")
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("closed only after %s", d)
			}
			return
		case <-time.After(100 * time.Millisecond):
		}
		if _, err := c.Write([]byte("a")); err != nil {
			return // the server has closed it
		}
	}
	t.Fatal("slow body still accepted after 100 bytes over 10 s")
}

// TestIdleKeepAliveClosed: a keep-alive connection that asks nothing more is
// closed after the idle timeout (finding 1: 20,000 idle connections used up
// the descriptors).
func TestIdleKeepAliveClosed(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	lim := web.DefaultLimits()
	lim.IdleTimeout = 300 * time.Millisecond
	addr := serveReal(t, env, lim, nil)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: yingji\r\n\r\n")
	br := bufio.NewReader(c)
	res, err := http.ReadResponse(br, nil)
	if err != nil || res.StatusCode != 200 || res.Close {
		t.Fatalf("healthz: %v %+v", err, res)
	}
	io.Copy(io.Discard, res.Body)
	start := time.Now()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := br.ReadByte(); err != io.EOF {
		t.Fatalf("idle connection not closed: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("closed only after %s", d)
	}
}

// TestConnectionCap: at the cap a further client waits (holding no server
// descriptor) and is served as soon as another connection goes away.
func TestConnectionCap(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	lim := web.DefaultLimits()
	lim.MaxConns = 2
	var mu sync.Mutex
	open, most := 0, 0
	addr := serveReal(t, env, lim, func(_ net.Conn, st http.ConnState) {
		mu.Lock()
		defer mu.Unlock()
		switch st {
		case http.StateNew:
			open++
			most = max(most, open)
		case http.StateClosed, http.StateHijacked:
			open--
		}
	})
	// Two clients hold keep-alive connections, as the probe's thousands did.
	var held []net.Conn
	for i := 0; i < 2; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: yingji\r\n\r\n")
		if res, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil || res.StatusCode != 200 {
			t.Fatalf("held client %d: %v", i, err)
		}
		held = append(held, c)
	}
	got := make(chan error, 1)
	go func() {
		cl := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
		res, err := cl.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode != 200 {
				err = errors.New(res.Status)
			}
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("third client served over the cap (%v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	held[0].Close()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("third client not served after a connection went away")
	}
	mu.Lock()
	defer mu.Unlock()
	if most > 2 {
		t.Fatalf("%d connections open at once, cap 2", most)
	}
}

// TestLoginRateLimited: past its burst a client's logins get 429 with
// Retry-After and write nothing; a logged-in user is not held back by the
// anonymous budget (finding 6 of issue 9).
func TestLoginRateLimited(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	lim := web.DefaultLimits()
	lim.LoginRate = web.Rate{Burst: 3, Every: time.Minute}
	lim.AnonRate = web.Rate{Burst: 4, Every: time.Minute}
	base := "http://" + serveReal(t, env, lim, nil)
	for i := 0; i < 3; i++ {
		if res := testkit.ConsoleLogin(t, base, "nobody", "wrong"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, res.StatusCode)
		}
	}
	before := testkit.AuditCount(t, env)
	res := testkit.ConsoleLogin(t, base, "nobody", "wrong")
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("4th attempt: %d Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if after := testkit.AuditCount(t, env); after != before {
		t.Fatalf("a refused attempt wrote %d audit records", after-before)
	}
	// Unauthenticated API requests share the anonymous budget.
	for i := 0; i < 5; i++ {
		r, err := http.Get(base + "/api/v1/me")
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		want := http.StatusUnauthorized
		if i == 4 {
			want = http.StatusTooManyRequests
		}
		if r.StatusCode != want || (want == 429 && (r.Header.Get("Retry-After") == "" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json"))) {
			t.Fatalf("anonymous request %d: %d %v, want %d", i, r.StatusCode, r.Header, want)
		}
	}
	tok, err := env.App.Accounts.IssueToken(context.Background(), user.System(), "duty", "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("authenticated request after the anonymous budget: %d", r.StatusCode)
	}
}

// TestLongUsernameNotAudited: a 60 KB username is refused before it is
// looked up or written into the audit log (finding 6 of issue 9).
func TestLongUsernameNotAudited(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	srv := newHTTPTest(t, env)
	before := testkit.AuditCount(t, env)
	if res := testkit.ConsoleLogin(t, srv, strings.Repeat("x", 60_000), "wrong"); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("60 KB username: %d", res.StatusCode)
	}
	if after := testkit.AuditCount(t, env); after != before {
		t.Fatalf("60 KB username wrote %d audit records", after-before)
	}
	if res := testkit.ConsoleLogin(t, srv, strings.Repeat("a", 64), "wrong"); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("64-character username: %d", res.StatusCode)
	}
}

// TestAuthenticatedImportOutlivesReadTimeout: the read timeout that cuts an
// anonymous slow body off does not cut a known user's slow ledger upload.
func TestAuthenticatedImportOutlivesReadTimeout(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	lim := web.DefaultLimits()
	lim.ReadTimeout = 500 * time.Millisecond
	addr := serveReal(t, env, lim, nil)
	tok, err := env.App.Accounts.IssueToken(context.Background(), user.System(), "duty", "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	body := "名称,类别,统一社会信用代码\n"
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST /api/v1/registry/import?format=csv&kind=units&dry_run=1 HTTP/1.1\r\nHost: yingji\r\nAuthorization: Bearer "+tok+
		"\r\nContent-Type: text/csv\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n\r\n")
	for i := 0; i < len(body); i += len(body)/5 + 1 { // in five pieces over 1.5 s
		time.Sleep(300 * time.Millisecond)
		if _, err := io.WriteString(c, body[i:min(len(body), i+len(body)/5+1)]); err != nil {
			t.Fatalf("upload cut off: %v", err)
		}
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	if strings.Contains(string(raw), "body_") {
		t.Fatalf("%d %s", res.StatusCode, raw)
	}
}

func TestRateFlag(t *testing.T) {
	var r web.Rate
	if err := r.Set("20/3s"); err != nil || r != (web.Rate{Burst: 20, Every: 3 * time.Second}) || r.String() != "20/3s" {
		t.Fatalf("20/3s: %+v %v", r, err)
	}
	for _, bad := range []string{"20", "x/3s", "20/x", "-1/3s", "20/-3s"} {
		if err := r.Set(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if r.Set("0"); r.String() != "0" {
		t.Fatalf("0: %+v", r)
	}
}

// TestHeaderBytesCapped: headers beyond MaxHeaderBytes are refused with 431
// before any handler runs (Go's own default would take 1 MB).
func TestHeaderBytesCapped(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := "http://" + serveReal(t, env, web.DefaultLimits(), nil)
	req, _ := http.NewRequest("GET", base+"/healthz", nil)
	req.Header.Set("X-Padding", strings.Repeat("x", 100<<10))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("100 KiB of headers: %d", res.StatusCode)
	}
}
