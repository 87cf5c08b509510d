// Package app is the composition root: it builds every use-case package
// over one shared core and wires the small interfaces by which one noun
// asks another (activation asks the rota who is on duty, the duty log asks
// incidents to register one, and so on). The web server, the CLI, the demo
// and the tests start from an App.
package app

import (
	"log/slog"
	"time"

	"yingji/internal/accounts"
	"yingji/internal/alerts"
	"yingji/internal/auditlog"
	"yingji/internal/bulletins"
	"yingji/internal/capture"
	"yingji/internal/core"
	"yingji/internal/dashboard"
	"yingji/internal/escalation"
	"yingji/internal/exhibits"
	"yingji/internal/incidents"
	"yingji/internal/intake"
	"yingji/internal/monitors"
	"yingji/internal/notices"
	"yingji/internal/plans"
	"yingji/internal/reports"
	"yingji/internal/rota"
	"yingji/internal/store"
	"yingji/internal/unitreports"
	"yingji/internal/units"
	"yingji/internal/warnings"
)

// App is yingji's use cases, wired.
type App struct {
	Core *core.Core
	// Plans stores and reads plan versions.
	Plans *plans.Service
	// Units is the base database (registry) and its ledgers.
	Units *units.Service
	// Accounts is users, organisations, sessions, second factor, tokens.
	Accounts *accounts.Service
	// AuditLog reads and verifies the hash-chained audit records.
	AuditLog *auditlog.Service
	// Incidents is an incident's life: registration, approvals, tasks,
	// corrections and 批示, resources.
	Incidents *incidents.Service
	// Reports is the report flow, its scheduler and timeliness.
	Reports *reports.Service
	// Rota is the duty roster, handover, duty log and sensitive periods.
	Rota *rota.Service
	// Dashboard reads the overview pages across nouns.
	Dashboard *dashboard.Service
	// Notices is a person's notices and contacts, an incident's notices and
	// the delivery log; serve sets its outside Channels.
	Notices *notices.Service
	// Escalation is escalation until acknowledged (issue 10); serve runs
	// its ticker.
	Escalation *escalation.Service
	// Warnings is public warnings (预警信息, issue 14).
	Warnings *warnings.Service
	// Monitors checks registered key websites (issue 12); serve runs its
	// worker. UnitReports is the units' reporting channel.
	Monitors    *monitors.Service
	UnitReports *unitreports.Service
	// Evidence is an incident's evidence register, files and custody
	// (issue 13); serve sets its limit, key, capturer and packer.
	Evidence *exhibits.Service
	// Intake is signals in (issue 12): sources, ingest, syslog, metrics.
	Intake *intake.Service
	// Alerts is alert handling after ingest (issue 12): the handler worker
	// serve runs, the queue and the acts on an alert.
	Alerts *alerts.Service
	// Bulletins is the 通报 to units (issue 14); serve sets its links'
	// base URL and key and runs its reminders.
	Bulletins *bulletins.Service
	// PublicURL is where people outside reach this server (serve
	// --public-url, no trailing slash): the link a unit is sent and the
	// addresses the intake sources page shows start with it. Empty: the
	// host a request came by.
	PublicURL string
}

// New builds the application on db.
func New(db *store.DB, log *slog.Logger) *App {
	c := core.New(db, log)
	a := &App{Core: c}
	a.Plans = plans.New(c)
	a.Units = units.New(c)
	a.Accounts = accounts.New(c)
	a.AuditLog = auditlog.New(c)
	// Incidents and the rota ask each other (activation: who is on duty;
	// the duty log: register this call as an incident), so activation
	// reaches the rota through a.
	a.Incidents = incidents.New(c, onDuty{a})
	a.Rota = rota.New(c, a.Incidents)
	a.Reports = reports.New(c, a.Incidents)
	a.Dashboard = dashboard.New(c, a.Incidents, admins{a.Accounts, a.AuditLog})
	a.Notices = &notices.Service{DB: db}
	a.Escalation = escalation.New(c, onDuty{a}) // issue 10: the duty leader from the rota
	a.Warnings = warnings.New(c)                // issue 14
	a.Dashboard.Warnings = a.Warnings           // the command post's 待我审批 lists the warnings to approve
	a.Monitors, a.UnitReports = monitors.New(c), unitreports.New(c)
	a.Evidence = exhibits.New(c) // issue 13
	a.Evidence.Capturer, a.Evidence.Packer = pageCapturer{capture.New(capture.Config{})}, packer{installation: "yingji"}
	a.Intake = intake.New(c) // issue 12
	// Issue 12: alert handling, the rota answering alertDuty (alerts.go).
	a.Alerts = alerts.New(c, alertDuty{a}, a.Incidents)
	a.Bulletins = bulletins.New(c)    // issue 14
	a.Reports.Bulletins = a.Bulletins // the drafts state what was sent
	return a
}

// onDuty is incidents.Duty, answered by the rota.
type onDuty struct{ a *App }

func (d onDuty) OnDuty(q *store.Q, orgID int64, at time.Time) (int64, []int64, error) {
	return d.a.Rota.OnDuty(q, orgID, at)
}

// admins is dashboard.Admins: the overview's questions to accounts and
// auditlog.
type admins struct {
	*accountUses
	*auditUses
}

type (
	accountUses = accounts.Service
	auditUses   = auditlog.Service
)
