package alerts

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"yingji/internal/alertrule"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/org"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Actionable are the states from which an alert may be acknowledged,
// silenced, promoted or attached.
var Actionable = []signal.State{signal.Open, signal.Acked, signal.Silenced}

// MaxSilence bounds a silence: an alert put aside comes back within it.
const MaxSilence = 30 * 24 * time.Hour

// act runs one change to an alert the actor may see, in one transaction.
func (s *Service) act(ctx context.Context, actor *user.User, id int64, f func(tx *store.Tx, a *signal.Alert) error) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		a, err := s.alertFor(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		return f(tx, a)
	})
}

// moved is the answer when the alert is no longer in a state the act
// applies to.
func moved(a *signal.Alert) error {
	if a.State == signal.Promoted {
		return errs.New(errs.Conflict, "alert.already_promoted")
	}
	return errs.New(errs.Conflict, "alert.bad_state")
}

// Ack says a duty officer has the alert.
func (s *Service) Ack(ctx context.Context, actor *user.User, id int64) error {
	return s.act(ctx, actor, id, func(tx *store.Tx, a *signal.Alert) error {
		ok, err := tx.SetAlertState(id, []signal.State{signal.Open, signal.Silenced}, signal.Acked, actor.ID, nil, "", 0)
		if err != nil {
			return err
		}
		if !ok {
			return moved(a)
		}
		if err := tx.AddAlertEvent(id, actor.ID, alertrule.EventAcked, nil); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "alert.ack", "alert", id, a.OrgID, map[string]any{"from": a.State}))
	})
}

// Silence puts the alert aside until a time, for a reason (required).
func (s *Service) Silence(ctx context.Context, actor *user.User, id int64, until time.Time, reason string) error {
	reason = strings.TrimSpace(reason)
	if err := core.CheckText("reason", reason, true, 500); err != nil {
		return err
	}
	if until.IsZero() {
		return errs.Field("until", "error.required")
	}
	now := s.Now()
	if !until.After(now) {
		return errs.Field("until", "alert.until_past")
	}
	if until.Sub(now) > MaxSilence {
		return errs.Field("until", "alert.until_far")
	}
	until = until.UTC().Truncate(time.Millisecond)
	return s.act(ctx, actor, id, func(tx *store.Tx, a *signal.Alert) error {
		ok, err := tx.SetAlertState(id, Actionable, signal.Silenced, actor.ID, &until, reason, 0)
		if err != nil {
			return err
		}
		if !ok {
			return moved(a)
		}
		if err := tx.AddAlertEvent(id, actor.ID, alertrule.EventSilenced, map[string]string{
			"until": strconv.FormatInt(until.UnixMilli(), 10), "reason": reason}); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "alert.silence", "alert", id, a.OrgID, map[string]any{"until": until.UnixMilli(), "reason": reason}))
	})
}

// Promotion is what a duty officer may change when promoting an alert; what
// is left empty comes from the alert and its rule's suggestion.
type Promotion struct {
	Title        string
	Category     string
	Level        int
	Description  string
	Instructions string // when the alert's organisation is below the actor's: an assignment (四(五))
}

// Promote registers a new incident in reported state from the alert, with
// the alert attached, in one step. Activation stays a separate decision.
func (s *Service) Promote(ctx context.Context, actor *user.User, id int64, p Promotion) (*incident.Incident, error) {
	var out *incident.Incident
	err := s.act(ctx, actor, id, func(tx *store.Tx, a *signal.Alert) error {
		if a.State == signal.Promoted || a.IncidentID != 0 {
			return errs.New(errs.Conflict, "alert.already_promoted")
		}
		ni := incidents.NewIncident{Title: p.Title, Category: p.Category, Level: p.Level, Description: p.Description,
			Instructions: p.Instructions, DiscoveredAt: a.FirstSeen, DiscoveryMethod: discoveryMethod(a)}
		if ni.Title == "" {
			ni.Title = cut(a.Title, 200)
		}
		if ni.Category == "" {
			ni.Category = a.SuggestedCategory
		}
		if ni.Level == 0 {
			ni.Level = a.SuggestedLevel
		}
		if ni.Description == "" {
			ni.Description = cut(a.Detail, 20000)
		}
		if a.OrgID != actor.OrgID && !actor.IsSystem() {
			ni.OrgID = a.OrgID
		}
		if err := s.Incidents.CheckNewIncident(actor, &ni); err != nil {
			return err
		}
		in, err := s.Incidents.CreateIncidentTx(tx, actor, ni)
		if err != nil {
			return err
		}
		if err := setPromoted(tx, actor, a, in.ID); err != nil {
			return err
		}
		if err := carryUnit(tx, actor, a, in, nil); err != nil {
			return err
		}
		out = in
		return s.linked(tx, actor, a, in, event.HowPromoted)
	})
	return out, err
}

// Attach adds the alert to an existing incident the actor may know (one he
// may not is not found).
func (s *Service) Attach(ctx context.Context, actor *user.User, id, incidentID int64) (*incident.Incident, error) {
	var out *incident.Incident
	err := s.act(ctx, actor, id, func(tx *store.Tx, a *signal.Alert) error {
		in, tree, err := s.IncidentFor(&tx.Q, actor, incidentID)
		if err != nil {
			return err
		}
		if a.State == signal.Promoted || a.IncidentID != 0 {
			return errs.New(errs.Conflict, "alert.already_promoted")
		}
		if in.Status == incident.Closed {
			return errs.New(errs.Conflict, "alert.incident_closed", in.Number)
		}
		if err := setPromoted(tx, actor, a, in.ID); err != nil {
			return err
		}
		if err := carryUnit(tx, actor, a, in, tree); err != nil {
			return err
		}
		out = in
		return s.linked(tx, actor, a, in, event.HowAttached)
	})
	return out, err
}

// setPromoted marks the actionable alert a as promoted to (or attached to)
// the incident; an alert another hand moved meanwhile is a conflict.
func setPromoted(tx *store.Tx, actor *user.User, a *signal.Alert, incidentID int64) error {
	ok, err := tx.SetAlertState(a.ID, Actionable, signal.Promoted, actor.ID, nil, "", incidentID)
	if err != nil {
		return err
	}
	if !ok {
		return moved(a)
	}
	return nil
}

// linked writes what promoting or attaching says: the incident's timeline
// entry, the alert's history and the audit record.
func (s *Service) linked(tx *store.Tx, actor *user.User, a *signal.Alert, in *incident.Incident, how string) error {
	if err := entry(tx, actor.ID, in.ID, a, how); err != nil {
		return err
	}
	kind := alertrule.EventAttached
	if how == event.HowPromoted {
		kind = alertrule.EventPromoted
	}
	if err := tx.AddAlertEvent(a.ID, actor.ID, kind, map[string]string{"incident": strconv.FormatInt(in.ID, 10), "number": in.Number}); err != nil {
		return err
	}
	return tx.Audit(core.AuditEntry(actor, "alert."+how, "alert", a.ID, a.OrgID, map[string]any{"incident_id": in.ID, "number": in.Number}))
}

// carryUnit attaches to the incident the unit and website the alert names
// (a registry match, or the unit whose report it is) as its resources, each
// with its timeline entry, unless the incident holds them already (an alert
// attached to an incident of the same unit), and only those of the
// incident's organisation or below it: an officer above two counties may
// attach one county's alert to the other's incident, whose people must not
// read the first county's unit and contacts through it. The promotion's or
// attachment's audit record, written after, covers the rows. The system
// actor, which has no user row to name as who added them, carries none.
// tree is the organisation tree when the caller already read it (nil: read
// here, only if there is something to carry).
func carryUnit(tx *store.Tx, actor *user.User, a *signal.Alert, in *incident.Incident, tree *org.Tree) error {
	if actor.ID == 0 {
		return nil
	}
	unitID := a.UnitID
	if unitID == 0 {
		var err error
		if unitID, err = reportUnit(&tx.Q, a); err != nil {
			return err
		}
	}
	if unitID == 0 && a.WebsiteID == 0 {
		return nil
	}
	if tree == nil { // the caller had none at hand
		var err error
		if tree, err = core.LoadTree(&tx.Q); err != nil {
			return err
		}
	}
	within := func(orgID int64) bool { return orgID == in.OrgID || tree.IsAncestor(in.OrgID, orgID) }
	var rs []*incident.Resource
	if unitID != 0 {
		u, err := tx.Unit(unitID)
		switch {
		case err == nil:
			if within(u.OrgID) {
				rs = append(rs, &incident.Resource{Kind: incident.ResourceUnit, RefID: u.ID, Name: u.Name, Detail: strings.TrimSpace(u.ContactName + " " + u.ContactPhone)})
			}
		case errs.CodeOf(err) != errs.NotFound: // a unit deleted since is not carried
			return err
		}
	}
	if a.WebsiteID != 0 {
		w, err := tx.Website(a.WebsiteID)
		switch {
		case err == nil:
			if within(w.OrgID) {
				rs = append(rs, &incident.Resource{Kind: incident.ResourceWebsite, RefID: w.ID, Name: w.Name, Detail: w.Domain})
			}
		case errs.CodeOf(err) != errs.NotFound:
			return err
		}
	}
	if len(rs) == 0 {
		return nil
	}
	held, err := tx.Resources(in.ID)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if slices.ContainsFunc(held, func(h *incident.Resource) bool { return h.Kind == r.Kind && h.RefID == r.RefID }) {
			continue
		}
		r.IncidentID, r.AddedBy = in.ID, actor.ID
		if err := tx.AddResource(r); err != nil {
			return err
		}
		if _, err := core.Record(tx, core.Act{IncidentID: in.ID, ActorID: actor.ID,
			Event: event.ResourceAdded{ResourceKind: r.Kind, Name: r.Name, Detail: r.Detail}}); err != nil {
			return err
		}
	}
	return nil
}
