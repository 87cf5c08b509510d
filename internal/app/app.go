// Package app is the composition root: it builds every use-case package
// over one shared core and wires the small interfaces by which one noun
// asks another (activation asks the rota who is on duty, and so on). The
// web server, the CLI, the demo and the tests start from an App.
package app

import (
	"log/slog"

	"yingji/internal/core"
	"yingji/internal/incidents"
	"yingji/internal/service"
	"yingji/internal/store"
)

// App is yingji's use cases, wired.
type App struct {
	Core *core.Core
	// Svc holds the use cases not yet moved into a package of their own.
	Svc *service.Service
	// Incidents is an incident's life: registration, approvals, tasks,
	// corrections and 批示, resources.
	Incidents *incidents.Service
}

// New builds the application on db.
func New(db *store.DB, log *slog.Logger) *App {
	svc := service.New(db, log)
	a := &App{Core: svc.Core, Svc: svc}
	// Activation asks the roster (still in the old service) who is on duty;
	// the duty log, reports and the command post ask incidents back.
	a.Incidents = incidents.New(svc.Core, svc)
	svc.Incidents = a.Incidents
	return a
}
