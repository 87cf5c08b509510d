package incidents

import (
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/user"
)

// RegisterForOrgTx registers an incident in orgID as the system: an alert
// rule of the plan (issue 12) registers one in reported state, for the
// person on duty in.ReporterID; activation stays a human decision. The
// timeline entry and audit record are the ordinary ones, with the system as
// the actor.
func (s *Service) RegisterForOrgTx(tx *store.Tx, orgID int64, in NewIncident) (*incident.Incident, error) {
	if in.ReporterID == 0 {
		return nil, errs.Field("reporter_id", "error.required")
	}
	if !incident.Level(in.Level).Valid() {
		return nil, errs.Field("level", "error.level_range")
	}
	// The discovery time starts the report deadlines, so a wrong clock (a
	// device's, or another node's) must not set it; unlike a person's
	// registration it is not refused, which would lose the incident and
	// its page: it becomes the time of registration.
	if core.CheckWhen("discovered_at", in.DiscoveredAt, tx.Now, "error.in_future") != nil {
		in.DiscoveredAt = tx.Now
	}
	org, err := tx.Org(orgID)
	if err != nil {
		return nil, err
	}
	p, planID, err := s.CurrentPlan(&tx.Q, org)
	if err != nil {
		return nil, err
	}
	return s.createIn(tx, user.System(), org, p, planID, in)
}
