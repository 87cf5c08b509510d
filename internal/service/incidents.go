package service

// Restructure (issue 8), helper B: the incident use cases moved to
// internal/incidents. The use cases still here (duty log, reports, the
// command post) ask them through this interface, wired in app.New.

import (
	"context"

	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/plan"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Incidents is what the remaining use cases ask of internal/incidents.
type Incidents interface {
	CheckNewIncident(actor *user.User, in *incidents.NewIncident) error
	CreateIncidentTx(tx *store.Tx, actor *user.User, in incidents.NewIncident) (*incident.Incident, error)
	GetIncident(ctx context.Context, actor *user.User, id int64) (*incidents.View, error)
	OpenInstructionsFor(q *store.Q, actor *user.User) ([]*incidents.InstructionItem, error)
	ReportInstructions(q *store.Q, p *plan.Plan, incidentID int64) ([]report.Instruction, error)
}
