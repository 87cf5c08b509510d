package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"yingji/internal/app"
	"yingji/internal/intake"
	"yingji/internal/user"
)

// Signals in (issue 12): `yingji intake source add|list|revoke` and the
// intake parts of `yingji serve` (syslog listeners, /metrics, limits).

// intakeCmd manages intake sources as the operator (the API does the same
// as an organisation's duty manager).
func intakeCmd(ctx context.Context, args []string) error {
	const usage = "usage: yingji intake source add --org NAME --name NAME --format alertmanager|suricata|json|syslog | list --org NAME | revoke ID"
	if len(args) < 2 || args[0] != "source" {
		return fmt.Errorf("%s", usage)
	}
	if c := args[1]; c != "add" && c != "list" && c != "revoke" { // before opening a database for nothing
		return fmt.Errorf("%s", usage)
	}
	fs, d, err := subFlags("intake source", args[1:])
	if err != nil {
		return err
	}
	orgName := fs.String("org", "", "organisation, e.g. 青神县公安局")
	name := fs.String("name", "", "source name, e.g. 边界防火墙")
	format := fs.String("format", "", "alertmanager, suricata, json or syslog")
	pos, a, err := d.parseOpen(ctx, fs, args[2:])
	if err != nil {
		return err
	}
	defer a.Core.DB.Close()
	sys := user.System()
	org := func() (int64, error) {
		if *orgName == "" {
			return 0, fmt.Errorf("--org is required (单位名称，例如 --org 青神县公安局); see yingji org list")
		}
		id, err := orgNamed(ctx, a, *orgName)
		if err != nil {
			return 0, fmt.Errorf("%w; see yingji org list", err)
		}
		return id, nil
	}
	switch args[1] {
	case "add":
		id, err := org()
		if err != nil {
			return err
		}
		src, key, err := a.Intake.CreateSource(ctx, sys, id, *name, *format)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "已创建接入源 %s（id %d，格式 %s）。接入密钥只显示这一次，请妥善保存：\n", src.Name, src.ID, src.Format)
		fmt.Println(key)
		fmt.Fprintf(os.Stderr, "发送：POST /api/v1/intake/%s，Authorization: Bearer <密钥>\n", src.Format)
		if src.Format == "syslog" { // the listeners take it by id, with no key; a newcomer only saw the HTTP line
			fmt.Fprintf(os.Stderr, "或由 yingji serve 监听 syslog：--syslog-source %d --syslog-tcp 地址:端口 --syslog-udp 地址:端口（须重启服务）\n", src.ID)
		}
		return nil
	case "list":
		id, err := org()
		if err != nil {
			return err
		}
		list, err := a.Intake.Sources(ctx, sys, id)
		if err != nil {
			return err
		}
		for _, s := range list {
			state := "有效"
			if !s.Live() {
				state = "已吊销 " + s.RevokedAt.In(shanghai()).Format(time.RFC3339)
			}
			fmt.Printf("%-4d %-12s %s\t%s\n", s.ID, s.Format, s.Name, state)
		}
		return nil
	case "revoke":
		if len(pos) != 1 {
			return fmt.Errorf("usage: yingji intake source revoke ID")
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			return fmt.Errorf("source id %q is not a number", pos[0])
		}
		s, err := a.Intake.RevokeSource(ctx, sys, id)
		if err != nil {
			return err
		}
		fmt.Printf("已吊销接入源 %s（id %d）\n", s.Name, s.ID)
		return nil
	}
	return fmt.Errorf("unknown: yingji intake source %s", args[1])
}

// intakeFlags are serve's intake flags.
type intakeFlags struct {
	syslogTCP, syslogUDP, metricsAddr string
	syslogSource                      int64
	maxBody                           int64
	rate                              string
	queue                             int
}

func (f *intakeFlags) register(fs *flag.FlagSet) {
	d := intake.DefaultConfig()
	fs.StringVar(&f.syslogTCP, "syslog-tcp", "", "syslog TCP listen address (RFC 6587 framing), e.g. 127.0.0.1:6514; needs --syslog-source")
	fs.StringVar(&f.syslogUDP, "syslog-udp", "", "syslog UDP listen address, e.g. 127.0.0.1:5514; needs --syslog-source")
	fs.Int64Var(&f.syslogSource, "syslog-source", 0, "id of the syslog intake source the listeners take messages for (yingji intake source list)")
	fs.StringVar(&f.metricsAddr, "metrics-addr", "", "serve Prometheus /metrics on this separate address, e.g. 127.0.0.1:9464 (none when empty)")
	fs.Int64Var(&f.maxBody, "intake-max-body", d.MaxBody, "largest ingest request body, bytes")
	fs.StringVar(&f.rate, "intake-rate", strconv.Itoa(d.Burst)+"/"+d.Every.String(), "ingest requests per source: BURST/INTERVAL, 0 for no limit")
	fs.IntVar(&f.queue, "intake-queue", d.MaxQueued, "most signals waiting for a commit; beyond it ingest answers 503")
}

// startIntake configures intake and starts its listeners; they stop when
// ctx ends.
func startIntake(ctx context.Context, a *app.App, f *intakeFlags, log *slog.Logger) error {
	cfg := intake.Config{MaxBody: f.maxBody, MaxQueued: f.queue}
	if f.rate != "0" {
		b, e, ok := strings.Cut(f.rate, "/")
		burst, err1 := strconv.Atoi(b)
		every, err2 := time.ParseDuration(e)
		if !ok || err1 != nil || err2 != nil || burst <= 0 || every <= 0 {
			return fmt.Errorf("--intake-rate: want BURST/INTERVAL such as 2000/500µs, or 0")
		}
		cfg.Burst, cfg.Every = burst, every
	}
	a.Intake.SetConfig(cfg)
	if (f.syslogTCP != "" || f.syslogUDP != "") && f.syslogSource == 0 {
		return errors.New("--syslog-tcp/--syslog-udp need --syslog-source ID (a source of format syslog)")
	}
	if f.syslogTCP != "" {
		ln, err := net.Listen("tcp", f.syslogTCP)
		if err != nil {
			return err
		}
		if _, err := a.Intake.SyslogSource(ctx, f.syslogSource); err != nil {
			ln.Close()
			return fmt.Errorf("--syslog-source: %s", describe(err))
		}
		log.Info("syslog tcp listening", "addr", ln.Addr().String(), "source", f.syslogSource)
		go func() {
			if err := a.Intake.ServeSyslogTCP(ctx, ln, f.syslogSource); err != nil {
				log.Error("syslog tcp", "err", err)
			}
		}()
	}
	if f.syslogUDP != "" {
		pc, err := net.ListenPacket("udp", f.syslogUDP)
		if err != nil {
			return err
		}
		if _, err := a.Intake.SyslogSource(ctx, f.syslogSource); err != nil {
			pc.Close()
			return fmt.Errorf("--syslog-source: %s", describe(err))
		}
		log.Info("syslog udp listening", "addr", pc.LocalAddr().String(), "source", f.syslogSource)
		go func() {
			if err := a.Intake.ServeSyslogUDP(ctx, pc, f.syslogSource); err != nil {
				log.Error("syslog udp", "err", err)
			}
		}()
	}
	if f.metricsAddr != "" {
		// A separate address, bound where only the monitoring system
		// reaches: the figures need no account, and the main port's
		// clients never see them.
		ln, err := net.Listen("tcp", f.metricsAddr)
		if err != nil {
			return err
		}
		mux := http.NewServeMux()
		mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
			if err := a.Intake.WriteMetrics(r.Context(), w); err != nil {
				log.Error("metrics", "err", err)
			}
		})
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, MaxHeaderBytes: 16 << 10}
		go func() { <-ctx.Done(); srv.Close() }()
		log.Info("metrics listening", "addr", "http://"+ln.Addr().String()+"/metrics")
		go srv.Serve(ln)
	}
	return nil
}
