package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"yingji/internal/bench"
	"yingji/internal/demo"
	yuser "yingji/internal/user"
)

// benchIngest is `yingji bench ingest`: it starts a real `yingji serve`
// (this binary) on a fresh database, drives it over HTTP with Alertmanager
// webhooks and over syslog TCP, and prints alerts/s, request latency, the
// server's CPU per alert and the bytes written per alert.
func benchIngest(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("yingji bench ingest", flag.ContinueOnError)
	batch := fs.Int("batch", 100, "alerts per request")
	conc := fs.Int("concurrency", 32, "concurrent clients")
	dup := fs.Float64("dup-ratio", 0.5, "share of alerts that repeat a known one (0..1)")
	dur := fs.Duration("duration", 10*time.Second, "how long to send")
	pg := fs.Bool("pg", false, "PostgreSQL: a throwaway server (initdb/pg_ctl on PATH, fsync on)")
	dsn := fs.String("db", "", "PostgreSQL URL of an EMPTY throwaway database instead")
	syslogDur := fs.Duration("syslog-duration", 5*time.Second, "how long to send syslog over TCP (0: skip)")
	cpuprofile := fs.String("cpuprofile", "", "write the server's CPU profile to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	dir, err := os.MkdirTemp("", "yingji-bench-ingest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if *pg {
		url, stop, err := throwawayPG(dir)
		if err != nil {
			return err
		}
		defer stop()
		*dsn = url
	}
	d := dbFlags{data: filepath.Join(dir, "data"), db: *dsn}
	// The world through the use cases: the demo organisations and two sources.
	a, p, err := d.open(ctx, quietLog())
	if err != nil {
		return err
	}
	yuser.BcryptCost = 4
	if _, err := demo.Ensure(ctx, a, p, yuser.NewPassword()); err != nil {
		return err
	}
	orgs, err := a.Accounts.ManagedOrgs(ctx, yuser.System())
	if err != nil || len(orgs) == 0 {
		return fmt.Errorf("no organisation: %v", err)
	}
	org := orgs[len(orgs)-1].ID
	_, key, err := a.Intake.CreateSource(ctx, yuser.System(), org, "bench-am", "alertmanager")
	if err != nil {
		return err
	}
	sl, _, err := a.Intake.CreateSource(ctx, yuser.System(), org, "bench-syslog", "syslog")
	if err != nil {
		return err
	}
	a.Core.DB.Close()

	exe, err := os.Executable()
	if err != nil {
		return err
	}
	addr, sysAddr, metrics := benchAddr(), benchAddr(), benchAddr()
	sargs := []string{"serve", "--addr", addr, "--syslog-tcp", sysAddr, "--syslog-source", strconv.FormatInt(sl.ID, 10), "--metrics-addr", metrics,
		"--intake-rate", "0", "--max-conns", "4096"}
	if d.db != "" {
		sargs = append(sargs, "--db", d.db)
	} else {
		sargs = append(sargs, "--data", d.data)
	}
	srv := exec.Command(exe, sargs...)
	if *cpuprofile != "" {
		abs, err := filepath.Abs(*cpuprofile)
		if err != nil {
			return err
		}
		srv.Env = append(os.Environ(), profileEnv+"="+abs)
	}
	logf, _ := os.Create(filepath.Join(dir, "serve.log"))
	srv.Stdout, srv.Stderr = logf, logf // the request log is written as in production
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() }()
	if err := waitUp("http://" + addr + "/healthz"); err != nil {
		return err
	}
	db := "SQLite (synchronous=FULL, WAL)"
	if d.db != "" {
		db = "PostgreSQL"
	}
	fmt.Printf("database: %s; server pid %d; %d cores; load average %s (other work on the machine takes CPU from the figures)\n",
		db, srv.Process.Pid, numCPU(), loadAvg())

	size := func() int64 { return dbBytes(d) }
	cpu0, bytes0 := procCPU(srv.Process.Pid), size()
	commit0 := metricFloat("http://"+metrics+"/metrics", "yingji_intake_commit_seconds_sum")
	commits0 := metric("http://"+metrics+"/metrics", "yingji_intake_commit_seconds_count")
	res := bench.IngestLoad{URL: "http://" + addr + "/api/v1/intake/alertmanager", Key: key, Batch: *batch, Concurrency: *conc,
		DupRatio: *dup, Duration: *dur}.Run(ctx)
	cpu, written := procCPU(srv.Process.Pid)-cpu0, size()-bytes0
	commit := metricFloat("http://"+metrics+"/metrics", "yingji_intake_commit_seconds_sum") - commit0
	commits := metric("http://"+metrics+"/metrics", "yingji_intake_commit_seconds_count") - commits0
	fmt.Printf("alertmanager webhooks: batch %d, %d clients, dup-ratio %.2f, %s\n", *batch, *conc, *dup, res.Elapsed.Round(time.Millisecond))
	fmt.Printf("  %.0f alerts/s acknowledged (%d alerts in %d requests; %d refused 429/503, %d failed)\n",
		float64(res.Alerts)/res.Elapsed.Seconds(), res.Alerts, res.Requests, res.Refused, res.Failed)
	fmt.Printf("  request latency p50 %s p99 %s max %s\n", res.Latency.P50.Round(10*time.Microsecond), res.Latency.P99.Round(10*time.Microsecond), res.Latency.Max.Round(time.Millisecond))
	if res.Alerts > 0 {
		fmt.Printf("  server CPU %.1f µs/alert (%.1fs CPU); %.0f bytes written/alert (%s)\n", float64(cpu.Microseconds())/float64(res.Alerts), cpu.Seconds(),
			float64(written)/float64(res.Alerts), sizeWhat(d))
		fmt.Printf("  load generator CPU %.1f µs/alert (%.1fs CPU, same cores)\n", float64(res.CPU.Microseconds())/float64(res.Alerts), res.CPU.Seconds())
		// What the CPU costs allow, whatever else ran: the server and the
		// clients on otherwise idle cores.
		perAlert := (cpu + res.CPU).Seconds() / float64(res.Alerts)
		ceiling := fmt.Sprintf("at these CPU costs %d idle cores would carry at most ~%.0f alerts/s", numCPU(), float64(numCPU())/perAlert)
		if d.db != "" {
			ceiling = "PostgreSQL's own processes are not counted in the server's CPU"
		}
		fmt.Printf("  the server had %.2f of %d cores; %s; load average now %s\n",
			cpu.Seconds()/res.Elapsed.Seconds(), numCPU(), ceiling, loadAvg())
		// The committer is one goroutine: busy near 100% it bounds the rate
		// whatever the cores.
		fmt.Printf("  the committer was in a commit %.0f%% of the time: %d commits of %.0f alerts, %.0f µs of wall time per alert (fsync included)\n",
			100*commit/res.Elapsed.Seconds(), commits, float64(res.Alerts)/float64(max(commits, 1)), 1e6*commit/float64(res.Alerts))
	}
	if res.Failed > 0 {
		return fmt.Errorf("%d requests failed; see the server log", res.Failed)
	}
	if *syslogDur > 0 {
		before := metric("http://"+metrics+"/metrics", "yingji_intake_signals_accepted_total")
		t0 := time.Now()
		sent, err := bench.SyslogLoad(ctx, sysAddr, 4, *dup, *syslogDur)
		if err != nil {
			return err
		}
		// Wait for the listener to commit what it has read.
		last, lastAt := before, time.Now()
		for time.Since(lastAt) < time.Second {
			time.Sleep(100 * time.Millisecond)
			if n := metric("http://"+metrics+"/metrics", "yingji_intake_signals_accepted_total"); n != last {
				last, lastAt = n, time.Now()
			}
		}
		el := lastAt.Sub(t0)
		fmt.Printf("syslog TCP (RFC 5424, octet counting), 4 connections: %.0f messages/s committed (%d sent, %d committed in %s)\n",
			float64(last-before)/el.Seconds(), sent, last-before, el.Round(time.Millisecond))
	}
	return nil
}

// profileEnv names the file a `yingji serve` started by the benchmark
// writes its CPU profile to (an environment variable rather than a serve
// flag: it is a measuring aid, not something operators configure).
const profileEnv = "YINGJI_CPUPROFILE"

// profileCPU starts the CPU profile profileEnv asks for; the function it
// returns stops and writes it.
func profileCPU() func() {
	path := os.Getenv(profileEnv)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cpuprofile:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "cpuprofile:", err)
		f.Close()
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

func benchAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitUp(url string) error {
	for i := 0; i < 600; i++ {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer", url)
}

// loadAvg is the 1, 5 and 15 minute load averages (Linux).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if err != nil || len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func numCPU() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return max(1, strings.Count(string(b), "processor\t:"))
}

// procCPU is a process's user+system CPU time from /proc (Linux).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * (time.Second / 100) // USER_HZ is 100 on Linux
}

// dbBytes is what the database holds: SQLite's file and WAL, or on
// PostgreSQL the database size plus the WAL written since the server began.
func dbBytes(d dbFlags) int64 {
	if d.db == "" {
		var n int64
		for _, f := range []string{"yingji.db", "yingji.db-wal"} {
			if st, err := os.Stat(filepath.Join(d.data, f)); err == nil {
				n += st.Size()
			}
		}
		return n
	}
	db, err := sql.Open("pgx", d.db)
	if err != nil {
		return 0
	}
	defer db.Close()
	var size, wal int64
	db.QueryRow(`SELECT pg_database_size(current_database()), pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint`).Scan(&size, &wal)
	return size + wal
}

func sizeWhat(d dbFlags) string {
	if d.db == "" {
		return "growth of yingji.db + yingji.db-wal"
	}
	return "pg_database_size growth + WAL bytes"
}

// metricFloat reads one sample of the Prometheus text at url (0 if absent).
func metricFloat(url, name string) float64 {
	res, err := http.Get(url)
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

// metric is metricFloat for a counter.
func metric(url, name string) int64 { return int64(metricFloat(url, name)) }

// throwawayPG starts a PostgreSQL server in dir with its durability
// settings on (as production runs), for --pg.
func throwawayPG(dir string) (string, func(), error) {
	if _, err := exec.LookPath("initdb"); err != nil {
		return "", nil, errors.New("--pg needs initdb and pg_ctl on PATH")
	}
	as := func(name string, args ...string) *exec.Cmd {
		if os.Geteuid() == 0 { // PostgreSQL refuses to run as root
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
		}
		return exec.Command(name, args...)
	}
	pgdir := filepath.Join(dir, "pg")
	os.Mkdir(pgdir, 0o700)
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return "", nil, err
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		os.Chown(dir, uid, gid)
		os.Chown(pgdir, uid, gid)
	}
	data := filepath.Join(pgdir, "data")
	if out, err := as("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C").CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	port := benchAddr()[len("127.0.0.1:"):]
	opts := fmt.Sprintf("-p %s -k %s -c listen_addresses=127.0.0.1 -c max_connections=200", port, pgdir)
	if out, err := as("pg_ctl", "-D", data, "-l", filepath.Join(pgdir, "log"), "-o", opts, "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	stop := func() { as("pg_ctl", "-D", data, "-m", "fast", "stop").Run() }
	return "postgres://postgres@127.0.0.1:" + port + "/postgres?sslmode=disable", stop, nil
}
