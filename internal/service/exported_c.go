package service

// Restructure (issue 8), helper C: what internal/reports, internal/rota and
// internal/dashboard ask of the use cases still here, through the
// interfaces they declare (reports.Instructions, rota.Incidents,
// dashboard.Incidents, dashboard.Admins). Each answers with the unexported
// code of the same name; once incidents and accounts have moved, their
// packages answer instead and this file goes.

import (
	"yingji/internal/incident"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// ReportInstructions are an incident's 批示 as the report drafter states them.
func (s *Service) ReportInstructions(q *store.Q, p *plan.Plan, incidentID int64) ([]report.Instruction, error) {
	return s.reportInstructions(q, p, incidentID)
}

// CheckNewIncident checks and trims what a duty officer registers, for
// callers that register in their own transaction (the duty log).
func (s *Service) CheckNewIncident(actor *user.User, in *NewIncident) error {
	return checkNewIncident(actor, in)
}

// CreateIncidentTx writes a checked NewIncident inside tx, with its timeline
// entry and audit record.
func (s *Service) CreateIncidentTx(tx *store.Tx, actor *user.User, in NewIncident) (*incident.Incident, error) {
	return s.createIncident(tx, actor, in)
}

// OpenInstructionsFor lists the open 批示 addressed to actor or his department.
func (s *Service) OpenInstructionsFor(q *store.Q, actor *user.User) ([]*InstructionItem, error) {
	return s.openInstructionsFor(q, actor)
}

// MayDecide says why actor may not decide approval a of incident in (nil if he may).
func (s *Service) MayDecide(actor *user.User, tree *org.Tree, p *plan.Plan, a *incident.Approval, in *incident.Incident) error {
	return mayDecide(actor, tree, p, a, in)
}
