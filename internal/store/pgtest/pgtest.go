// Package pgtest gives tests a real PostgreSQL. With YINGJI_TEST_PG set to a
// server DSN it uses that server; otherwise it starts a throwaway server from
// the machine's binaries (initdb, pg_ctl), once per test binary, and each
// caller gets a fresh database on it. Without PostgreSQL binaries the tests
// skip, except under CI=true or YINGJI_REQUIRE_PG=1, where they fail: CI
// must run them.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

var (
	once     sync.Once
	server   string // admin DSN
	dir      string // throwaway server's directory, "" when external
	startErr error
	counter  atomic.Int64
)

// Required reports whether a missing PostgreSQL is a failure, not a skip.
func Required() bool {
	return os.Getenv("CI") == "true" || os.Getenv("YINGJI_REQUIRE_PG") == "1"
}

// Run wraps testing.M: it stops the throwaway server after the tests.
func Run(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

// Stop shuts the throwaway server down, if one was started.
func Stop() {
	if dir == "" {
		return
	}
	cmd := asPostgres("pg_ctl", "-D", filepath.Join(dir, "data"), "-m", "immediate", "-w", "stop")
	cmd.Run()
	os.RemoveAll(dir)
	dir = ""
}

// New returns the DSN of a new, empty database.
func New(t testing.TB) string {
	t.Helper()
	once.Do(start)
	if startErr != nil {
		if Required() {
			t.Fatalf("PostgreSQL is required here (CI=true or YINGJI_REQUIRE_PG=1): %v", startErr)
		}
		t.Skipf("no PostgreSQL: %v (set YINGJI_TEST_PG or install PostgreSQL binaries)", startErr)
	}
	name := fmt.Sprintf("yingji_t%d_%d", os.Getpid(), counter.Add(1))
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	if dir == "" { // an external server outlives us: leave it as we found it
		t.Cleanup(func() {
			if admin, err := sql.Open("pgx", server); err == nil {
				admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
				admin.Close()
			}
		})
	}
	u, _ := url.Parse(server)
	u.Path = "/" + name
	return u.String()
}

func start() {
	if dsn := os.Getenv("YINGJI_TEST_PG"); dsn != "" {
		server = dsn
		startErr = ping(dsn, 5*time.Second)
		return
	}
	if _, err := exec.LookPath("initdb"); err != nil {
		startErr = fmt.Errorf("initdb not on PATH")
		return
	}
	d, err := os.MkdirTemp("", "yingji-pg-")
	if err != nil {
		startErr = err
		return
	}
	defer func() {
		if startErr != nil {
			os.RemoveAll(d)
		}
	}()
	// PostgreSQL refuses to run as root, so as root the server runs as the
	// postgres user, which must own its directory.
	if os.Geteuid() == 0 {
		pg, err := user.Lookup("postgres")
		if err != nil {
			startErr = fmt.Errorf("running as root and no postgres user: %w", err)
			return
		}
		var uid, gid int
		fmt.Sscan(pg.Uid, &uid)
		fmt.Sscan(pg.Gid, &gid)
		if err := os.Chown(d, uid, gid); err != nil {
			startErr = err
			return
		}
	}
	data := filepath.Join(d, "data")
	if out, err := asPostgres("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C").CombinedOutput(); err != nil {
		startErr = fmt.Errorf("initdb: %v: %s", err, out)
		return
	}
	port, err := freePort()
	if err != nil {
		startErr = err
		return
	}
	// Durability settings are off: this server is thrown away after the tests.
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", port, d)
	if out, err := asPostgres("pg_ctl", "-D", data, "-l", filepath.Join(d, "log"), "-o", opts, "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(d, "log"))
		startErr = fmt.Errorf("pg_ctl start: %v: %s %s", err, out, log)
		return
	}
	dir = d
	watchdog(data, d)
	server = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	startErr = ping(server, 30*time.Second)
}

func asPostgres(name string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func ping(dsn string, within time.Duration) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		if err = db.PingContext(ctx); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("PostgreSQL at %s not answering: %w", dsn, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// watchdog stops the server and removes its files once this test process is
// gone, however it ended (a panic or go test's -timeout skip Stop).
func watchdog(data, d string) {
	stop := fmt.Sprintf("pg_ctl -D %s -m immediate stop", data)
	if os.Geteuid() == 0 {
		stop = "runuser -u postgres -- " + stop
	}
	script := fmt.Sprintf("while kill -0 %d 2>/dev/null; do sleep 1; done; %s >/dev/null 2>&1; rm -rf %s", os.Getpid(), stop, d)
	cmd := exec.Command("sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Start()
}
