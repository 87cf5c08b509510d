package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/store/pgtest"
	"yingji/internal/testkit"
)

var bin string

// TestMain builds the real binary once; the tests run it as an operator would.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "yingji-bin-")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "yingji")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := pgtest.Run(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

func run(t *testing.T, env []string, args ...string) (string, int) {
	t.Helper()
	return runWith(t, env, nil, args...)
}

// runWith runs the binary with env added and stdin (nil: none) and returns
// what it wrote and its exit code.
func runWith(t *testing.T, env []string, stdin io.Reader, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = stdin
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

func TestPlanCheck(t *testing.T) {
	out, code := run(t, nil, "plan", "check", "../../plans/qingshen.yaml")
	if code != 0 || !strings.Contains(out, "预案有效") {
		t.Fatalf("good plan: %d %s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	good, _ := os.ReadFile("../../plans/qingshen.yaml")
	// Break one department reference; the error must carry file:line.
	broken := strings.Replace(string(good), "department: xingjing", "department: nosuchdept", 1)
	line := 1 + strings.Count(broken[:strings.Index(broken, "nosuchdept")], "\n")
	os.WriteFile(bad, []byte(broken), 0o644)
	out, code = run(t, nil, "plan", "check", bad)
	if code == 0 || !strings.Contains(out, fmt.Sprintf("%s:%d:", bad, line)) {
		t.Fatalf("bad plan: exit %d, want %s:%d in\n%s", code, bad, line, out)
	}
	if out, code := run(t, nil, "plan", "show"); code != 0 || !strings.Contains(out, "计算机病毒疫情") {
		t.Fatalf("plan show: %d %s", code, out)
	}
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func startServer(t *testing.T, dbArgs []string, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--demo", "--addr", addr}, dbArgs...)...)
	cmd.Env = append(os.Environ(), "YINGJI_DEMO_PASSWORD=crash-test-pw-1")
	logs := &testkit.LockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Started means this server logged that it listens, and answers: a
	// /healthz answer alone could come from another test's server that took
	// the port freeAddr found free, while this one failed to bind (its
	// error is then in the logs below).
	for i := 0; i < 200; i++ {
		if strings.Contains(logs.String(), "yingji listening") {
			if res, err := http.Get("http://" + addr + "/healthz"); err == nil && res.StatusCode == 200 {
				res.Body.Close()
				return cmd
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatalf("server did not start: %s", logs.String())
	return nil
}

// demoData is a data directory with the demo world in it (its people's
// password: pw-12345678).
func demoData(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	if out, code := run(t, []string{"YINGJI_DEMO_PASSWORD=pw-12345678"}, "demo", "--data", data); code != 0 {
		t.Fatalf("demo: %d %s", code, out)
	}
	return data
}

// openData opens the database of a data directory in the test's process.
func openData(t *testing.T, data string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), "", data)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// eachDB runs f on a fresh SQLite data directory and on a fresh PostgreSQL
// database, with the command-line arguments that name it.
func eachDB(t *testing.T, f func(t *testing.T, dbArgs []string)) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			dbArgs := []string{"--data", t.TempDir()}
			if kind == "postgres" {
				dbArgs = []string{"--db", pgtest.New(t)}
			}
			f(t, dbArgs)
		})
	}
}

// killMidStream runs workers that each call send(w, i) for i = 0, 1, …
// until it returns false (the server is gone); after d it kills the server
// with SIGKILL and returns once every worker has stopped.
func killMidStream(srv *exec.Cmd, workers int, d time.Duration, send func(w, i int) bool) {
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if !send(w, i) {
					return
				}
			}
		}(w)
	}
	time.Sleep(d)
	srv.Process.Signal(syscall.SIGKILL)
	srv.Wait()
	close(stop)
	wg.Wait()
}

// Kill the server at any moment: what was acknowledged is there after a
// restart, and the audit chain still verifies.
func TestKillServer(t *testing.T) {
	eachDB(t, func(t *testing.T, dbArgs []string) {
		addr := freeAddr(t)
		srv := startServer(t, dbArgs, addr)
		tokOut, code := run(t, nil, append([]string{"user", "token", "duty"}, dbArgs...)...)
		if code != 0 {
			t.Fatalf("token: %s", tokOut)
		}
		token := strings.TrimSpace(tokOut)

		var mu sync.Mutex
		var acked []string
		killMidStream(srv, 4, 700*time.Millisecond, func(w, i int) bool {
			title := fmt.Sprintf("崩溃测试 %d-%d", w, i)
			body := fmt.Sprintf(`{"title":%q,"category":"network_attack","level":3,"discovered_at":%q}`, title, time.Now().Format(time.RFC3339))
			req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/incidents", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return false // the server is gone
			}
			res.Body.Close()
			if res.StatusCode == 201 {
				mu.Lock()
				acked = append(acked, title)
				mu.Unlock()
			}
			return true
		})
		if len(acked) == 0 {
			t.Fatal("no request was acknowledged before the kill")
		}

		srv = startServer(t, dbArgs, addr)
		defer func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() }()
		seen := map[string]bool{}
		before := ""
		for {
			req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/incidents?limit=500"+before, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var page struct {
				Items []struct {
					ID    int64  `json:"id"`
					Title string `json:"title"`
				} `json:"items"`
				Next *int64 `json:"next_before"`
			}
			json.NewDecoder(res.Body).Decode(&page)
			res.Body.Close()
			for _, it := range page.Items {
				seen[it.Title] = true
			}
			if page.Next == nil {
				break
			}
			before = fmt.Sprintf("&before=%d", *page.Next)
		}
		for _, title := range acked {
			if !seen[title] {
				t.Fatalf("acknowledged incident %q lost after kill (%d acked, %d found)", title, len(acked), len(seen))
			}
		}
		out, code := run(t, nil, append([]string{"audit", "verify"}, dbArgs...)...)
		if code != 0 {
			t.Fatalf("audit verify after kill: %s", out)
		}
		t.Logf("%d acknowledged before SIGKILL, all present; %s", len(acked), strings.TrimSpace(out))
	})
}

func TestAuditVerifyExitCodes(t *testing.T) {
	data := demoData(t)
	out, code := run(t, nil, "audit", "verify", "--data", data)
	if code != 0 || !strings.Contains(out, "审计链完整") {
		t.Fatalf("intact: %d %s", code, out)
	}
	anchor := regexp.MustCompile(`--anchor (\d+:[0-9a-f]{64})`).FindStringSubmatch(out)
	if anchor == nil {
		t.Fatalf("no anchor printed: %s", out)
	}
	if out, code := run(t, nil, "audit", "verify", "--anchor", anchor[1], "--data", data); code != 0 {
		t.Fatalf("with its own anchor: %d %s", code, out)
	}
	if _, code := run(t, nil, "audit", "verify", "--anchor", "1:"+strings.Repeat("0", 64), "--data", data); code != 1 {
		t.Fatalf("a wrong anchor: exit %d", code)
	}
	db := openData(t, data)
	if err := db.Raw(context.Background(), `UPDATE audit SET detail = '{"name":"伪造"}' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, code = run(t, nil, "audit", "verify", "--data", data)
	if code == 0 || !strings.Contains(out, "record 2") {
		t.Fatalf("tampered: exit %d: %s", code, out)
	}
	// Bad input to the CLI is refused with the field named.
	out, code = run(t, nil, "user", "add", "--data", data, "--org", "青神县公安局", "--username", "X!", "--name", "x")
	if code == 0 || !strings.Contains(out, "username") {
		t.Fatalf("bad username: %d %s", code, out)
	}
}

// The repro: a state row edited behind yingji's back fails
// `audit verify` with exit 1 and the row named, with or without --deep.
func TestAuditVerifyNamesEditedRows(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	data, db := env.Dir, env.DB
	for i := 0; i < 2; i++ {
		if _, err := env.App.Incidents.CreateIncident(context.Background(), env.Users["duty"], incidents.NewIncident{Title: "县政府门户网站遭受DDoS攻击",
			Category: "network_attack", Level: 3, DiscoveredAt: env.Clock.Now().Add(-time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if out, code := run(t, nil, "audit", "verify", "--data", data); code != 0 || !strings.Contains(out, "数据与审计链一致") {
		t.Fatalf("before: exit %d: %s", code, out)
	}
	for _, q := range []string{`UPDATE incidents SET level = 1, title = '已篡改' WHERE id = 1`, `UPDATE timeline SET data = '{}' WHERE id = 2`} {
		if err := db.Raw(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"audit", "verify", "--data", data}, {"audit", "verify", "--deep", "--data", data}} {
		out, code := run(t, nil, args...)
		if code != 1 || !strings.Contains(out, "数据与审计链不符：2 行") || !strings.Contains(out, "incidents 第 1 行") || !strings.Contains(out, "timeline 第 2 行") {
			t.Fatalf("%v: exit %d: %s", args, code, out)
		}
	}
}
