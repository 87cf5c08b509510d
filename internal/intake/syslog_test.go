package intake_test

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"yingji/internal/signal"
	"yingji/internal/testkit"
)

// Syslog over UDP has no answer to carry a refusal: the log says why a
// message was refused, once a minute at most however many are, and the
// good message beside them is taken. When the listener stops, the
// refusals not yet logged are (a burst then silence said only refused=1);
// over TCP too, once its connections have ended.
func TestSyslogRefusalsLogged(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		src, _ := source(t, env, "边界防火墙", signal.FormatSyslog)
		var log testkit.LockedBuffer
		env.App.Intake.Log = slog.New(slog.NewTextHandler(&log, nil))
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lctx, stop := context.WithCancel(ctx)
		defer stop()
		served := make(chan error, 1)
		go func() { served <- env.App.Intake.ServeSyslogUDP(lctx, pc, src.ID) }()
		c, err := net.Dial("udp", pc.LocalAddr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		before := env.App.Intake.Counts()
		for _, m := range []string{"no priority here", "<134>1 2026-01-01T08:00:00+08:00 fw01 firewall - - - 端口扫描", "still none", "nor here"} {
			if _, err := c.Write([]byte(m)); err != nil {
				t.Fatal(err)
			}
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			n := env.App.Intake.Counts()
			if n.Rejected-before.Rejected == 3 && n.Accepted-before.Accepted == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("counts %+v, before %+v", n, before)
			}
			time.Sleep(20 * time.Millisecond)
		}
		out := log.String()
		if got := strings.Count(out, "syslog: messages refused"); got != 1 {
			t.Fatalf("%d refusal lines, want one a minute:\n%s", got, out)
		}
		for _, want := range []string{"proto=udp", "syslog_no_pri", "refused=1", "remote=127.0.0.1:"} {
			if !strings.Contains(out, want) {
				t.Errorf("the refusal line lacks %q:\n%s", want, out)
			}
		}

		// The listener stops: the other two are logged now.
		stop()
		if err := <-served; err != nil {
			t.Fatal(err)
		}
		out = log.String()
		if got := strings.Count(out, "syslog: messages refused"); got != 2 || !strings.Contains(out, "refused=2") || !strings.Contains(out, "stopped=true") {
			t.Fatalf("after the stop, want a line with the two refusals not yet logged:\n%s", out)
		}

		// Over TCP: a burst of bad lines, then the stop.
		mark := len(log.String())
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		tctx, tstop := context.WithCancel(ctx)
		defer tstop()
		go func() { served <- env.App.Intake.ServeSyslogTCP(tctx, ln, src.ID) }()
		tc, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer tc.Close()
		before = env.App.Intake.Counts()
		if _, err := tc.Write([]byte("no priority\nnor here\nnone at all\n")); err != nil {
			t.Fatal(err)
		}
		for env.App.Intake.Counts().Rejected-before.Rejected < 3 {
			if time.Now().After(deadline.Add(10 * time.Second)) {
				t.Fatal("the TCP refusals are not counted")
			}
			time.Sleep(20 * time.Millisecond)
		}
		tstop()
		if err := <-served; err != nil {
			t.Fatal(err)
		}
		out = log.String()[mark:]
		if strings.Count(out, "syslog: messages refused") != 2 || !strings.Contains(out, "refused=1") || !strings.Contains(out, "refused=2") ||
			!strings.Contains(out, "proto=tcp") {
			t.Fatalf("TCP: want the first refusal, then the other two at the stop:\n%s", out)
		}
	})
}
