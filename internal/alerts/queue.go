package alerts

import (
	"context"

	"yingji/internal/alertrule"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/ingest"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Queue is one page of the queue with the counts per state.
type Queue struct {
	Items  []*signal.Alert
	Counts map[signal.State]int
	Total  int // of the filter's state (all states when none)
	More   bool
}

// MaxPage bounds a page of the queue.
const MaxPage = 200

// List reads the queue of the organisations the actor sees (his own and
// those below it, or f.Orgs narrowed to one), worst and newest first.
func (s *Service) List(ctx context.Context, actor *user.User, orgID int64, f alertrule.Filter) (*Queue, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	if !MayHandle(actor) {
		return nil, errs.New(errs.Forbidden, "alert.forbidden")
	}
	if f.State != "" && !validState(signal.State(f.State)) {
		return nil, errs.Field("state", "alert.bad_state_filter", f.State)
	}
	if f.MinPriority < 0 || f.MinPriority > alertrule.MaxPriority {
		return nil, errs.Field("min_priority", "alert.bad_priority", alertrule.MaxPriority)
	}
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = 50
	}
	if f.Offset < 0 {
		return nil, errs.Field("offset", "alert.bad_number")
	}
	out := &Queue{}
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		if f.Orgs, err = core.VisibleOrgs(q, actor, orgID); err != nil {
			return err
		}
		want := f.Limit
		f.Limit++
		if out.Items, err = q.AlertQueue(f); err != nil {
			return err
		}
		if len(out.Items) > want {
			out.Items, out.More = out.Items[:want], true
		}
		if out.Counts, err = q.AlertCounts(f); err != nil {
			return err
		}
		for st, n := range out.Counts {
			if f.State == "" || string(st) == f.State {
				out.Total += n
			}
		}
		return nil
	})
	return out, err
}

func validState(s signal.State) bool {
	for _, x := range alertrule.States {
		if x == s {
			return true
		}
	}
	return false
}

// View is one alert as its page shows it.
type View struct {
	Alert    *signal.Alert
	Events   []*alertrule.Event
	UnitName string
	SiteName string
	AckedBy  string
	// ReportID and Receipt name the unit's report the alert came from (the
	// units' channel), so its page links back to it.
	ReportID int64
	Receipt  string
	// Source is the intake source the alert came through (its name, and
	// whether it is revoked since); nil for yingji's own website checks and
	// the units' reports, which come through no source.
	Source *ingest.Source
	// Incident is the incident the alert reached, when the actor may know
	// it (nil otherwise: its number is not shown).
	Incident *incident.Incident
}

// Get reads one alert with its history.
func (s *Service) Get(ctx context.Context, actor *user.User, id int64) (*View, error) {
	v := &View{}
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		if v.Alert, err = s.alertFor(q, actor, id); err != nil {
			return err
		}
		if v.Events, err = q.AlertEvents(id); err != nil {
			return err
		}
		a := v.Alert
		unitID := a.UnitID
		if a.Format == signal.FormatUnit && a.SourceID == 0 {
			var reportUnit int64
			if v.ReportID, reportUnit, v.Receipt, err = q.UnitReportOfAlert(a.ID); err != nil {
				return err
			}
			if unitID == 0 { // an alert handled before the handler named the report's unit
				unitID = reportUnit
			}
		}
		if unitID != 0 {
			if u, err := q.Unit(unitID); err == nil {
				v.UnitName = u.Name
			}
		}
		if a.SourceID != 0 {
			switch src, err := q.Source(a.SourceID); {
			case err == nil:
				v.Source = src
			case errs.CodeOf(err) != errs.NotFound:
				return err
			}
		}
		if a.WebsiteID != 0 {
			if w, err := q.Website(a.WebsiteID); err == nil {
				v.SiteName = w.Name
			}
		}
		if a.AckedBy != 0 {
			if u, err := q.User(a.AckedBy); err == nil {
				v.AckedBy = u.DisplayName
			}
		}
		if a.IncidentID != 0 {
			in, _, err := s.IncidentFor(q, actor, a.IncidentID)
			switch {
			case err == nil:
				v.Incident = in
			case errs.CodeOf(err) != errs.NotFound:
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// ForIncident lists the alerts attached to or promoted into an incident the
// actor may know.
func (s *Service) ForIncident(ctx context.Context, actor *user.User, incidentID int64) ([]*signal.Alert, error) {
	var out []*signal.Alert
	err := s.DB.Read(ctx, func(q *store.Q) error {
		if err := core.RequireActor(actor); err != nil {
			return err
		}
		if _, _, err := s.IncidentFor(q, actor, incidentID); err != nil {
			return err
		}
		var err error
		out, err = q.AlertsOfIncident(incidentID)
		return err
	})
	return out, err
}

// Changed returns a channel closed at the next commit on this node that
// writes alerts: the console's queue follows it (other nodes' writes reach
// it through the page's poll).
func (s *Service) Changed() <-chan struct{} { return s.DB.AlertsChanged() }
