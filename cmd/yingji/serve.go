package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"yingji/internal/accounts"
	"yingji/internal/app"
	"yingji/internal/channel"
	"yingji/internal/demo"
	"yingji/internal/plan"
	"yingji/internal/user"
	"yingji/internal/web"
)

func serve(ctx context.Context, args []string) error {
	fs := newFlagSet("serve")
	var d dbFlags
	d.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	withDemo := fs.Bool("demo", false, "create the demo world (organisations, departments, users) if missing")
	planFile := fs.String("plan", "", "also store this plan file as a version")
	idle := fs.Duration("session-idle", accounts.DefaultIdleTimeout, "end a console session after this long without a request")
	lim := web.DefaultLimits()
	fs.IntVar(&lim.MaxConns, "max-conns", lim.MaxConns, "most simultaneous connections; more wait in the accept queue (0: no cap)")
	fs.IntVar(&lim.MaxStreams, "max-streams", lim.MaxStreams, "most open live-update streams on this node (0: no cap)")
	fs.IntVar(&lim.MaxStreamsPerSession, "max-streams-per-session", lim.MaxStreamsPerSession, "most open live-update streams per login session (0: no cap)")
	fs.DurationVar(&lim.ReadTimeout, "read-timeout", lim.ReadTimeout, "longest time to read a request, body included")
	fs.DurationVar(&lim.WriteTimeout, "write-timeout", lim.WriteTimeout, "longest time to write a response (live-update streams extend it per event)")
	fs.DurationVar(&lim.IdleTimeout, "conn-idle-timeout", lim.IdleTimeout, "close keep-alive connections idle this long")
	fs.Var(&lim.LoginRate, "login-rate", "login attempts per client address: BURST/INTERVAL, 0 for none")
	fs.Var(&lim.AnonRate, "anon-rate", "other requests without valid credentials per client address: BURST/INTERVAL, 0 for none")
	chFile := fs.String("channels", os.Getenv("YINGJI_CHANNELS"), channelsFlagHelp) // issue 10 (notify.go)
	// Issue 12: the resolver the key-website monitors ask.
	monDNS := fs.String("monitor-dns", "", "DNS server (host:port) the key-website monitors ask; empty: the system's resolver")
	fs.BoolVar(&lim.TrustProxy, "trust-proxy", false, "rate-limit by the last X-Forwarded-For address (only behind a reverse proxy that sets it)")
	publicURL := fs.String("public-url", "", "where people outside reach this server, e.g. https://gaj.qingshen.gov.cn: absolute Atom links, the CAP senders' domain, the links sent to units, the intake examples (empty: the request's host)")
	var ev evidenceFlags // issue 13 (evidence.go)
	ev.register(fs)
	var inf intakeFlags // issue 12 (intake.go)
	inf.register(fs)
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	if _, _, err := net.SplitHostPort(*monDNS); *monDNS != "" && err != nil {
		return fmt.Errorf("--monitor-dns %q: want host:port", *monDNS)
	}
	pubBase, pubDomain, err := parsePublicURL(*publicURL)
	if err != nil {
		return err
	}
	defer profileCPU()() // bench_ingest.go: `yingji bench ingest --cpuprofile`
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	a, p, err := d.open(ctx, log)
	if err != nil {
		return err
	}
	a.Warnings.PublicURL = pubBase
	a.PublicURL = pubBase // the links sent to units, the sources page's examples
	if pubDomain != "" {
		a.Warnings.Domain = pubDomain
	}
	defer a.Core.DB.Close()
	a.Accounts.IdleTimeout = *idle
	a.Monitors.DNSServer = *monDNS
	ev.apply(a, d.data)
	a.Core.DB.AuditVia = "" // the server acts for its users; its own actor is plain "system"
	if *planFile != "" {
		data, err := os.ReadFile(*planFile)
		if err != nil {
			return err
		}
		if _, err := installFile(ctx, a, *planFile, data); err != nil {
			return err
		}
	}
	if *withDemo {
		// A newcomer trying the demo has no authenticator at hand: leaders
		// and the admin are not held at enrolment (they may still enrol,
		// and are then asked for codes). Never in production.
		a.Accounts.TOTPOptional = true
		fmt.Fprintln(os.Stderr, "演示模式：组长、审批领导和管理员可不绑定双因素认证直接登录（生产环境必须绑定）。Demo mode: two-factor enrolment is not enforced.")
		if err := runDemo(ctx, a, p, d); err != nil {
			return err
		}
		if err := demo.World(ctx, a, p); err != nil { // a roster and base database entries to look at
			return err
		}
	}
	chans, err := loadChannels(*chFile, a.Core.DB) // before listening, so that a bad file stops the start
	if err != nil {
		return err
	}
	a.Notices.Channels = chans
	wireBulletinLinks(a, chans, pubBase)
	srv := web.New(a, log, p.Location).HTTPServer(lim)
	ln, err := web.Listen(*addr, lim)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	startWorkers(ctx, a, log)
	startDelivery(ctx, a.Core.DB, chans, log) // notify.go
	if err := startIntake(ctx, a, &inf, log); err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("yingji listening", "addr", "http://"+*addr, "db", a.Core.DB.String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Graceful: stop accepting, let requests in flight finish their transactions.
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	a.Intake.Close() // after the handlers: their signals are committed and answered
	return nil
}

func demoCmd(ctx context.Context, args []string) error {
	fs := newFlagSet("demo")
	var d dbFlags
	d.register(fs)
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	a, p, err := d.open(ctx, quietLog())
	if err != nil {
		return err
	}
	defer a.Core.DB.Close()
	return runDemo(ctx, a, p, d)
}

// runDemo creates the demo world and tells the operator how to log in.
func runDemo(ctx context.Context, a *app.App, p *plan.Plan, d dbFlags) error {
	pw := os.Getenv("YINGJI_DEMO_PASSWORD")
	generated := pw == ""
	if generated {
		pw = user.NewPassword()
	}
	created, err := demo.Ensure(ctx, a, p, pw)
	if err != nil {
		return err
	}
	if len(created) == 0 {
		fmt.Fprintln(os.Stderr, "演示数据已存在，账号密码未改变。Demo data already present; passwords unchanged.")
		return nil
	}
	fmt.Fprintf(os.Stderr, "已创建演示账号 (demo accounts created): %v\n", created)
	if generated {
		fmt.Fprintf(os.Stderr, "密码 (password): %s\n（可用环境变量 YINGJI_DEMO_PASSWORD 指定；set YINGJI_DEMO_PASSWORD to choose it）\n", pw)
	} else {
		fmt.Fprintln(os.Stderr, "密码取自 YINGJI_DEMO_PASSWORD。Password taken from YINGJI_DEMO_PASSWORD.")
	}
	where := "--data " + d.data
	if d.db != "" {
		where = `--db "$YINGJI_DB"`
		if u, err := url.Parse(d.db); err == nil {
			where = "--db '" + u.Redacted() + "'" // never print the password
		}
	}
	fmt.Fprintln(os.Stderr, "控制台登录 (console login): duty 值班员, chief 组长, deputy 副组长, xingjing 刑警, citydeputy 市局分管领导, admin 系统管理员, secadmin 安全管理员, auditor 审计管理员")
	fmt.Fprintf(os.Stderr, "API 令牌 (API token): yingji user token duty %s\n", where)
	return nil
}

// wireBulletinLinks gives the 通报 use cases their link key and the address
// units open their links at (issue 14). A unit is outside the bureau's
// network: the public URL when there is one, as the units' own report links
// have; else the channels' base_url, which staff's messages use (often an
// intranet address a unit cannot reach).
func wireBulletinLinks(a *app.App, chans *channel.Set, pubBase string) {
	a.Bulletins.BaseURL, a.Bulletins.Key = chans.BaseURL, chans.LinkKey
	if pubBase != "" {
		a.Bulletins.BaseURL = pubBase
	}
}

// parsePublicURL checks --public-url: an http(s) address with a host. It
// returns the base the feed's links start with and, when the host is a
// name (not an address), the domain CAP senders are written at.
func parsePublicURL(s string) (base, domain string, err error) {
	if s == "" {
		return "", "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", "", fmt.Errorf("--public-url %q: want an address such as https://gaj.qingshen.gov.cn", s)
	}
	if net.ParseIP(u.Hostname()) == nil {
		domain = strings.ToLower(u.Hostname())
	}
	return strings.TrimRight(u.String(), "/"), domain, nil
}
