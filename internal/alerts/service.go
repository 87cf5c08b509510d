// Package alerts is what happens to an alert after it lands (issue 12): the
// handler worker matches it to the registry, sets its priority and applies
// the plan's alert rules (suggest a category and level, page the people on
// duty, register an incident in reported state); the duty officers' queue
// reads it; acknowledging, silencing, promoting to a new incident and
// attaching to an existing one change it, each one transaction with its
// audit record and its step in the alert's history. The pure rules are in
// internal/alertrule.
package alerts

import (
	"time"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/user"
)

// NoticePaged is the notice kind of a page to the people on duty.
const NoticePaged = "alert_paged"

// Duty answers who is on duty and whether a sensitive period is declared
// (the rota).
type Duty interface {
	OnDuty(q *store.Q, orgID int64, at time.Time) (leader int64, officers []int64, err error)
	InPeriod(q *store.Q, orgID int64, at time.Time) (bool, error)
}

// Incidents registers incidents (internal/incidents' report use case).
type Incidents interface {
	CheckNewIncident(actor *user.User, in *incidents.NewIncident) error
	CreateIncidentTx(tx *store.Tx, actor *user.User, in incidents.NewIncident) (*incident.Incident, error)
	RegisterForOrgTx(tx *store.Tx, orgID int64, in incidents.NewIncident) (*incident.Incident, error)
}

// Service is the alert use cases.
type Service struct {
	*core.Core
	Duty      Duty
	Incidents Incidents
}

// New builds the service.
func New(c *core.Core, d Duty, in Incidents) *Service {
	return &Service{Core: c, Duty: d, Incidents: in}
}

// Readers are who see the queue and act on alerts: the duty officers, the
// duty leaders and the leading group (access.CommandRoles), of the alert's
// organisation or one above it.
var Readers = access.CommandRoles

// MayHandle reports whether u may see the queue and act on alerts.
func MayHandle(u *user.User) bool { return u.IsSystem() || u.HasRole(Readers...) }

// alertFor loads an alert the actor may see; one he may not is not found.
func (s *Service) alertFor(q *store.Q, actor *user.User, id int64) (*signal.Alert, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	if !MayHandle(actor) {
		return nil, errs.New(errs.Forbidden, "alert.forbidden")
	}
	a, err := q.AlertFull(id)
	if err != nil {
		return nil, err
	}
	ok, err := core.CanSeeOrg(q, actor, a.OrgID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errs.New(errs.NotFound, "alert.not_found")
	}
	return a, nil
}
