package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"yingji/internal/store"
)

var keyLine = regexp.MustCompile(`(?m)^[A-Za-z0-9_-]{43}$`)

// addSource runs `yingji intake source add` and returns the key it shows.
func addSource(t *testing.T, dbArgs []string, name, format string) string {
	t.Helper()
	out, code := run(t, nil, append([]string{"intake", "source", "add", "--org", "青神县公安局", "--name", name, "--format", format}, dbArgs...)...)
	key := keyLine.FindString(out)
	if code != 0 || key == "" {
		t.Fatalf("intake source add: %d %s", code, out)
	}
	return key
}

// alertTotals opens the database the server wrote and sums alerts.count.
func alertTotals(t *testing.T, dbArgs []string) (alerts, signals int64) {
	t.Helper()
	url, dir := "", ""
	if dbArgs[0] == "--db" {
		url = dbArgs[1]
	} else {
		dir = dbArgs[1]
	}
	db, err := store.Open(context.Background(), url, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Read(context.Background(), func(q *store.Q) (err error) { alerts, signals, _, err = q.AlertTotals(); return err })
	if err != nil {
		t.Fatal(err)
	}
	return alerts, signals
}

// eveBatch is n Suricata alert lines (a few targets, so that repeats
// count) and one malformed line in the middle.
func eveBatch(w, i, n int) string {
	var b strings.Builder
	for j := 0; j < n; j++ {
		if j == n/2 {
			b.WriteString("{\"event_type\":\"alert\",\"alert\":\n")
		}
		fmt.Fprintf(&b, `{"timestamp":"2026-11-30T10:00:00.000000+0800","event_type":"alert","src_ip":"203.0.113.%d","dest_ip":"10.9.%d.%d","dest_port":80,"proto":"TCP","alert":{"signature":"ET WEB_SERVER probe","signature_id":2010000,"severity":2}}`+"\n", j, w, (i+j)%7)
	}
	return b.String()
}

// TestIngestSurvivesKill: clients send Suricata batches to a real server;
// it is killed with SIGKILL mid-stream and restarted; every signal it
// acknowledged is counted in the database (alerts.count sums), and each
// batch's bad line cost only itself.
func TestIngestSurvivesKill(t *testing.T) {
	eachDB(t, func(t *testing.T, dbArgs []string) {
		addr := freeAddr(t)
		srv := startServer(t, dbArgs, addr)
		key := addSource(t, dbArgs, "IDS", "suricata")
		var acked, sent int64
		var mu sync.Mutex
		killMidStream(srv, 8, 1500*time.Millisecond, func(w, i int) bool {
			req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/intake/suricata", strings.NewReader(eveBatch(w, i, 50)))
			req.Header.Set("Authorization", "Bearer "+key)
			mu.Lock()
			sent += 50
			mu.Unlock()
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return false // the server is gone
			}
			var ans struct {
				Accepted int
				Rejected []struct{ Line int }
			}
			json.NewDecoder(res.Body).Decode(&ans)
			res.Body.Close()
			if res.StatusCode != 200 {
				return true // 429/503: nothing taken, sent again by a real client
			}
			if ans.Accepted != 50 || len(ans.Rejected) != 1 || ans.Rejected[0].Line != 26 {
				t.Errorf("answer %+v: want 50 accepted and line 26 rejected", ans)
			}
			mu.Lock()
			acked += int64(ans.Accepted)
			mu.Unlock()
			return true
		})
		if acked == 0 {
			t.Fatal("nothing acknowledged before the kill")
		}
		srv = startServer(t, dbArgs, addr)
		defer func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() }()
		alerts, counted := alertTotals(t, dbArgs)
		if counted < acked || counted > sent {
			t.Fatalf("signals counted %d: want at least the %d acknowledged (and at most the %d sent)", counted, acked, sent)
		}
		t.Logf("%d signals acknowledged before SIGKILL, %d counted on %d alerts after restart (%d sent)", acked, counted, alerts, sent)
	})
}

// TestSyslogAndMetrics: util-linux logger, a real syslog sender, sends over
// TCP (octet counting and newline framing, RFC 5424) and UDP (RFC 3164) to
// the listeners of `yingji serve`; the messages become alerts and
// /metrics on its own address counts them.
func TestSyslogAndMetrics(t *testing.T) {
	if _, err := exec.LookPath("logger"); err != nil {
		t.Skip("no logger(1) on this machine")
	}
	dir := t.TempDir()
	dbArgs := []string{"--data", dir}
	if out, code := run(t, []string{"YINGJI_DEMO_PASSWORD=crash-test-pw-1"}, append([]string{"demo"}, dbArgs...)...); code != 0 {
		t.Fatal(out)
	}
	addSource(t, dbArgs, "边界防火墙", "syslog")
	list, _ := run(t, nil, append([]string{"intake", "source", "list", "--org", "青神县公安局"}, dbArgs...)...)
	id := strings.Fields(list)[0]
	addr, tcp, udp, metrics := freeAddr(t), freeAddr(t), freeAddr(t), freeAddr(t)
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr, "--syslog-tcp", tcp, "--syslog-udp", udp, "--syslog-source", id, "--metrics-addr", metrics}, dbArgs...)...)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	waitHTTP(t, "http://"+metrics+"/metrics", &logs)
	send := func(args ...string) {
		host, port, _ := strings.Cut(args[0], ":")
		c := exec.Command("logger", append([]string{"--server", host, "--port", port}, args[1:]...)...)
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("logger %v: %v %s", args, err, out)
		}
	}
	send(tcp, "--tcp", "--octet-count", "--rfc5424", "-t", "waf", "-p", "local4.warning", "SQL injection blocked from 203.0.113.9")
	send(tcp, "--tcp", "--rfc5424", "-t", "waf", "-p", "local4.warning", "SQL injection blocked from 203.0.113.9")
	send(udp, "--udp", "--rfc3164", "-t", "fw", "-p", "auth.crit", "port scan from 198.51.100.7")
	var alerts, signals int64
	for i := 0; i < 100 && signals < 3; i++ {
		time.Sleep(50 * time.Millisecond)
		alerts, signals = alertTotals(t, dbArgs)
	}
	if alerts != 2 || signals != 3 {
		t.Fatalf("alerts %d signals %d, want 2 alerts of 3 signals (the two TCP messages are one alert)\n%s", alerts, signals, logs.String())
	}
	res, err := http.Get("http://" + metrics + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{"yingji_intake_signals_accepted_total 3", "yingji_intake_signals_deduplicated_total 1", "yingji_alerts_open 2",
		`yingji_intake_commit_seconds_bucket{le="+Inf"}`, "yingji_intake_queue_signals 0"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
	if res, err := http.Get("http://" + addr + "/metrics"); err == nil {
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(body), "yingji_intake") {
			t.Error("/metrics is served on the main address")
		}
	}
}

func waitHTTP(t *testing.T, url string, logs *bytes.Buffer) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not answer: %s", url, logs.String())
}
