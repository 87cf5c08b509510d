package rota

import (
	"context"
	"time"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Incidents registers an incident from a duty log entry inside the log's
// transaction. The incident use cases own registration.
type Incidents interface {
	// CheckNewIncident checks and trims what a duty officer registers.
	CheckNewIncident(actor *user.User, in *incidents.NewIncident) error
	// CreateIncidentTx writes a checked incident in tx, with its timeline
	// entry and audit record.
	CreateIncidentTx(tx *store.Tx, actor *user.User, in incidents.NewIncident) (*incident.Incident, error)
}

// Service is the rota use cases.
type Service struct {
	*core.Core
	incidents Incidents
}

// New returns the rota use cases over c; incidents registers incidents
// from the duty log.
func New(c *core.Core, incidents Incidents) *Service {
	return &Service{Core: c, incidents: incidents}
}

// MaxRotationDays bounds one rotation request.
const MaxRotationDays = 92

// mayManageDuty: the duty managers of an organisation manage its roster;
// the system actor (the CLI, the demo) may too; nil is refused.
func mayManageDuty(actor *user.User, orgID int64) error {
	if err := core.RequireActor(actor); err != nil || actor.IsSystem() {
		return err
	}
	if !actor.HasRole(access.DutyManagers...) {
		return errs.New(errs.Forbidden, "duty.forbidden")
	}
	if actor.OrgID != orgID {
		return errs.New(errs.Forbidden, "duty.forbidden_other_org")
	}
	return nil
}

// ShiftView is a shift with its people and the staffing it needs.
type ShiftView struct {
	Shift    *duty.Shift
	Leader   *user.User
	Officers []*user.User
	Need     duty.Staffing
	// Short is true when the shift has fewer people than Need.
	Short bool
}

// NowView answers "who is on duty now".
type NowView struct {
	At         time.Time
	OrgID      int64
	Current    *ShiftView // nil: nobody is on duty (a gap)
	Next       *ShiftView
	Periods    []*duty.Period // in force now
	Heightened bool
	Required   duty.Staffing
	Handover   *duty.Handover // into the current shift, if any
}

// Schedule is the roster for a span.
type Schedule struct {
	OrgID   int64
	From    time.Time
	To      time.Time
	Shifts  []*ShiftView
	Gaps    []duty.Interval
	Periods []*duty.Period
	Pending []*duty.Change
}

func (s *Service) dutyOrg(q *store.Q, actor *user.User, org int64) (int64, error) {
	if org == 0 {
		if err := core.RequireActor(actor); err != nil {
			return 0, err
		}
		if actor.IsSystem() {
			return 0, errs.Field("org", "error.required")
		}
		return actor.OrgID, nil
	}
	if ok, err := core.CanSeeOrg(q, actor, org); err != nil || !ok {
		return 0, core.OrErr(err, errs.Field("org", "error.org_not_visible"))
	}
	return org, nil
}

func userMap(q *store.Q, orgID int64) (map[int64]*user.User, error) {
	us, err := q.Users(orgID)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]*user.User, len(us))
	for _, u := range us {
		m[u.ID] = u
	}
	return m, nil
}

func shiftView(sh *duty.Shift, users map[int64]*user.User, periods []*duty.Period) *ShiftView {
	if sh == nil {
		return nil
	}
	v := &ShiftView{Shift: sh, Leader: users[sh.LeaderID], Need: duty.Required(periods, sh.Start, sh.End)}
	for _, id := range sh.OfficerIDs {
		if u := users[id]; u != nil {
			v.Officers = append(v.Officers, u)
		}
	}
	l, o := duty.Shortfall(sh, v.Need)
	v.Short = l > 0 || o > 0
	return v
}

// OnDuty is the leader and officers of orgID's shift covering at, read in
// q's transaction; 0 and nil when nobody is on duty. Activation pages them.
func (s *Service) OnDuty(q *store.Q, orgID int64, at time.Time) (int64, []int64, error) {
	sh, err := q.ShiftAt(orgID, at)
	if err != nil || sh == nil {
		return 0, nil, err
	}
	return sh.LeaderID, sh.OfficerIDs, nil
}

// orgLoc is the time zone of the plan an organisation runs (Asia/Shanghai
// when it has none).
func (s *Service) orgLoc(q *store.Q, orgID int64) *time.Location {
	if org, err := q.Org(orgID); err == nil {
		if p, _, err := s.CurrentPlan(q, org); err == nil && p.Location != nil {
			return p.Location
		}
	}
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// OrgLocation is the time zone of the plan an organisation runs.
func (s *Service) OrgLocation(ctx context.Context, orgID int64) *time.Location {
	var loc *time.Location
	s.DB.Read(ctx, func(q *store.Q) error { loc = s.orgLoc(q, orgID); return nil })
	return loc
}
