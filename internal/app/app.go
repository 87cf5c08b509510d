// Package app is the composition root: it builds every use-case package
// over one shared core and wires the small interfaces by which one noun
// asks another (activation asks the rota who is on duty, and so on). The
// web server, the CLI, the demo and the tests start from an App.
package app

import (
	"log/slog"

	"yingji/internal/accounts"
	"yingji/internal/auditlog"
	"yingji/internal/core"
	"yingji/internal/dashboard"
	"yingji/internal/plans"
	"yingji/internal/reports"
	"yingji/internal/rota"
	"yingji/internal/service"
	"yingji/internal/store"
	"yingji/internal/units"
)

// App is yingji's use cases, wired.
type App struct {
	Core *core.Core
	// Svc holds the use cases not yet moved into a package of their own.
	Svc      *service.Service
	Plans    *plans.Service
	Units    *units.Service
	Accounts *accounts.Service
	AuditLog *auditlog.Service
	// Reports is the report flow, its scheduler and timeliness.
	Reports *reports.Service
	// Rota is the duty roster, handover, duty log and sensitive periods.
	Rota *rota.Service
	// Dashboard reads the overview pages across nouns.
	Dashboard *dashboard.Service
}

// New builds the application on db.
func New(db *store.DB, log *slog.Logger) *App {
	svc := service.New(db, log)
	a := &App{Core: svc.Core, Svc: svc}
	a.Plans = plans.New(a.Core)
	a.Units = units.New(a.Core)
	a.Accounts = accounts.New(a.Core)
	a.AuditLog = auditlog.New(a.Core)
	// Drafting reads the 批示, the duty log registers incidents, and the
	// overview reads incidents and accounts: from the old service until
	// those move out of it.
	a.Reports = reports.New(a.Core, svc)
	a.Rota = rota.New(a.Core, svc)
	a.Dashboard = dashboard.New(a.Core, svc, admins{a.Accounts, a.AuditLog})
	return a
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
