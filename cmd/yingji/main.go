// Command yingji runs the command system for internet security emergencies:
// the server, and the operator's commands for plans, users and the audit log.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"yingji/internal/app"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
	"yingji/plans"
)

const usage = `yingji — 互联网网络安全突发事件应急指挥系统

Usage:
  yingji serve [--addr 127.0.0.1:8080] [--data DIR | --db URL] [--demo] [--plan FILE]
               [--syslog-tcp ADDR] [--syslog-udp ADDR] [--syslog-source ID] [--metrics-addr ADDR]
  yingji demo  [--data DIR | --db URL]          create the demo world without serving
  yingji plan check FILE                        validate a plan file (errors with file:line)
  yingji plan show [FILE]                       print a plan (the default plan without FILE)
  yingji plan load FILE [--data DIR | --db URL] store a plan file as a new version
  yingji user add --org NAME --username U --name NAME [--department KEY] [--roles a,b] [--data DIR | --db URL]
  yingji user token USERNAME [--expires 90d] [--token-name NAME] [--data DIR | --db URL]
  yingji user token list USERNAME | yingji user token revoke ID
  yingji user totp-reset USERNAME               the user enrols a new second factor at the next login
  yingji user list [--data DIR | --db URL]
  yingji user disable|enable|unlock USERNAME    never deleted: the audit log names them
  yingji user roles USERNAME --roles a,b        e.g. security_admin, audit_admin (held alone)
  yingji org add --name NAME --code XX --parent NAME [--plan KEY | --no-plan]
  yingji org list | rename ORG --name NEW | department ORG KEY --name NAME
  yingji audit verify [--deep] [--anchor SEQ:HASH]… [--data DIR | --db URL]
                                                exit 0 when the chain and the rows it covers are intact
  yingji report list|draft|show|sign|submit|document|timeliness … --token T | --as USER   (yingji report help)
  yingji registry import|export units|websites|contacts|experts|equipment FILE [--dry-run] [--org NAME] --system|--token T
                                                .csv or .xlsx ledgers (台账); a wrong row writes nothing
  yingji duty now|schedule [--days N] [--json]  who is on duty (exit 3 when nobody is)
  yingji bench lifecycle|list|audit|state|ingest …  measure (see yingji bench -h)
  yingji intake source add --org NAME --name NAME --format alertmanager|suricata|json|syslog
  yingji intake source list --org NAME | yingji intake source revoke ID   (docs/intake.md)
  yingji notify test --channel NAME [--to ADDRESS] [--channels FILE]  send a test message over a channel
  yingji evidence verify FILE [--key PUB.pem]   check an exported evidence package offline (exit 0 when it all matches)
  yingji backup --to DIR [--data DIR]           database and evidence files, consistent and re-hashed (SQLite)
  yingji restore --from DIR --data NEWDIR       restore a backup, then check every evidence file and the audit chain
  yingji evidence check [--data DIR | --db URL] re-hash every stored evidence file against the register

The data directory defaults to $YINGJI_DATA or ./data; --db (or $YINGJI_DB)
takes postgres://… for PostgreSQL.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx := context.Background()
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(ctx, os.Args[2:])
	case "demo":
		err = demoCmd(ctx, os.Args[2:])
	case "plan":
		err = planCmd(ctx, os.Args[2:])
	case "user":
		err = userCmd(ctx, os.Args[2:])
	case "org":
		err = orgCmd(ctx, os.Args[2:])
	case "audit":
		err = auditCmd(ctx, os.Args[2:])
	case "report":
		err = reportCmd(ctx, os.Args[2:])
	case "registry":
		err = registryCmd(ctx, os.Args[2:])
	case "duty":
		err = dutyCmd(ctx, os.Args[2:])
	case "bench":
		err = benchCmd(ctx, os.Args[2:])
	case "intake": // issue 12 (intake.go)
		err = intakeCmd(ctx, os.Args[2:])
	case "notify": // issue 10 (notify.go)
		err = notifyCmd(ctx, os.Args[2:])
	case "backup": // issue 13 (evidence.go)
		err = backupCmd(ctx, os.Args[2:])
	case "restore":
		err = restoreCmd(ctx, os.Args[2:])
	case "evidence": // issue 13: check stored files (evidence.go), verify a package offline (evidence_verify.go)
		err = evidenceCmd(ctx, os.Args[2:])
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "yingji: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		var exit exitError
		if errors.As(err, &exit) {
			os.Exit(int(exit))
		}
		fmt.Fprintln(os.Stderr, "yingji:", describe(err))
		os.Exit(1)
	}
}

// exitError ends the program with a code after the command printed its own message.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// describe renders an application error in Chinese for the operator.
func describe(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		msg := i18n.T(i18n.ZH, e.Key, e.Args...)
		if e.Field != "" {
			msg = e.Field + ": " + msg
		}
		if e.Code == errs.Internal && e.Err != nil {
			msg += " (" + e.Err.Error() + ")"
		}
		return msg
	}
	return err.Error()
}

// dbFlags are the flags every command that opens the database takes.
type dbFlags struct{ data, db string }

func (d *dbFlags) register(fs *flag.FlagSet) {
	def := os.Getenv("YINGJI_DATA")
	if def == "" {
		def = "data"
	}
	fs.StringVar(&d.data, "data", def, "data directory (SQLite database and files)")
	fs.StringVar(&d.db, "db", os.Getenv("YINGJI_DB"), "PostgreSQL URL (postgres://…); SQLite in --data when empty")
}

// open opens the database, stores the shipped default plan if no version of
// it is stored yet, and returns the service with the plan in force.
func (d *dbFlags) open(ctx context.Context, log *slog.Logger) (*app.App, *plan.Plan, error) {
	db, err := store.Open(ctx, d.db, d.data)
	if err != nil {
		return nil, nil, err
	}
	// A command acts as the system unless it proves a person (actor.go);
	// serve, which acts for its users, clears this.
	db.AuditVia = "system"
	a := app.New(db, log)
	data, err := plans.FS.ReadFile(plans.Default)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	p, shipped, err := a.Plans.EnsurePlan(ctx, "plans/"+plans.Default, data)
	if err == nil && shipped != nil && shipped.Version != p.Version {
		fmt.Fprintf(os.Stderr, "注意：程序内置预案版本为 %s，数据库中现行版本为 %s；如需采用内置版本，请执行 yingji plan load。\n", shipped.Version, p.Version)
	}
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return a, p, nil
}

// installFile stores a plan file (from the binary when data is nil).
func installFile(ctx context.Context, a *app.App, name string, data []byte) (*plan.Plan, error) {
	if data == nil {
		var err error
		if data, err = plans.FS.ReadFile(strings.TrimPrefix(name, "plans/")); err != nil {
			return nil, err
		}
	}
	if _, _, err := a.Plans.InstallPlan(ctx, user.System(), name, data); err != nil {
		return nil, err
	}
	return plan.Parse(name, data)
}

func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("yingji "+name, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	return fs
}

// subFlags starts a command that takes a subcommand (yingji org add ...):
// the usage when there is none, else the subcommand's flags with the
// database's.
func subFlags(cmd string, args []string) (*flag.FlagSet, *dbFlags, error) {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return nil, nil, exitError(2)
	}
	fs := newFlagSet(cmd + " " + args[0])
	d := &dbFlags{}
	d.register(fs)
	return fs, d, nil
}

// parseInterspersed lets flags follow positional arguments
// ("yingji user token duty --data DIR").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
