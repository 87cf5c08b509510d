package rota

import (
	"context"
	"strings"
	"time"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/registry"
	"yingji/internal/store"
	"yingji/internal/user"
)

// LogInput is a duty log entry (值班记录).
type LogInput struct {
	duty.LogFields
	// Incident, when set, registers an incident from the entry in the same transaction.
	Incident *incidents.NewIncident
}

func checkLog(in *LogInput) error {
	if in.At.IsZero() {
		return errs.Field("at", "error.required")
	}
	for _, c := range []struct {
		f   string
		v   *string
		req bool
		max int
	}{{"place", &in.Place, false, 200}, {"what", &in.What, true, 10000}, {"measures", &in.Measures, false, 10000},
		{"informed", &in.Informed, false, 1000}, {"reporter_unit", &in.ReporterUnit, false, 200}, {"reporter_name", &in.ReporterName, false, 50}} {
		*c.v = strings.TrimSpace(*c.v)
		if err := core.CheckText(c.f, *c.v, c.req, c.max); err != nil {
			return err
		}
	}
	in.ReporterPhone = registry.NormalizePhone(in.ReporterPhone)
	if in.ReporterPhone != "" && !registry.ValidPhone(in.ReporterPhone) {
		return errs.Field("reporter_phone", "registry.bad_phone", in.ReporterPhone)
	}
	return nil
}

// AddLog records a call or report received on duty, on the shift in force
// at its time. With in.Incident set, it also registers the incident (same
// transaction: both or neither).
func (s *Service) AddLog(ctx context.Context, actor *user.User, in LogInput) (*duty.LogEntry, *incident.Incident, error) {
	if !actor.HasRole(access.DutyManagers...) && !actor.HasRole(user.RoleMember) {
		return nil, nil, errs.New(errs.Forbidden, "duty.forbidden")
	}
	if err := checkLog(&in); err != nil {
		return nil, nil, err
	}
	if in.Incident != nil {
		if err := s.incidents.CheckNewIncident(actor, in.Incident); err != nil {
			return nil, nil, err
		}
	}
	var e *duty.LogEntry
	var inc *incident.Incident
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := core.CheckWhen("at", in.At, tx.Now, "error.at_in_future"); err != nil {
			return err
		}
		if in.InformedAt != nil {
			if err := core.CheckWhen("informed_at", *in.InformedAt, tx.Now, "error.at_in_future"); err != nil {
				return err
			}
		}
		sh, err := tx.ShiftAt(actor.OrgID, in.At)
		if err != nil {
			return err
		}
		e = &duty.LogEntry{OrgID: actor.OrgID, LogFields: in.LogFields, RecorderID: actor.ID}
		e.At = in.At.UTC().Truncate(time.Millisecond)
		if sh != nil {
			e.ShiftID = sh.ID
		}
		if err := tx.CreateLogEntry(e); err != nil {
			return err
		}
		if err := tx.Audit(core.AuditEntry(actor, "duty_log.create", "duty_log", e.ID, e.OrgID, e)); err != nil {
			return err
		}
		if in.Incident != nil {
			if inc, err = s.incidentFromLog(tx, actor, e, *in.Incident); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return e, inc, nil
}

func (s *Service) incidentFromLog(tx *store.Tx, actor *user.User, e *duty.LogEntry, ni incidents.NewIncident) (*incident.Incident, error) {
	if e.IncidentID != 0 {
		return nil, errs.New(errs.Conflict, "duty.log_has_incident")
	}
	inc, err := s.incidents.CreateIncidentTx(tx, actor, ni)
	if err != nil {
		return nil, err
	}
	if err := tx.SetLogIncident(e.ID, inc.ID); err != nil {
		return nil, err
	}
	e.IncidentID = inc.ID
	return inc, tx.Audit(core.AuditEntry(actor, "duty_log.to_incident", "duty_log", e.ID, e.OrgID, map[string]any{"incident_id": inc.ID, "number": inc.Number}))
}

// LogToIncident registers an incident from an existing log entry in one
// transaction. Fields of ni left empty are taken from the entry.
func (s *Service) LogToIncident(ctx context.Context, actor *user.User, logID int64, ni incidents.NewIncident) (*incident.Incident, error) {
	var inc *incident.Incident
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		e, err := tx.LogEntry(logID)
		if err != nil {
			return err
		}
		if e.OrgID != actor.OrgID {
			return errs.New(errs.NotFound, "duty.log_not_found")
		}
		if ni.Description == "" {
			ni.Description = strings.TrimSpace(e.What + "\n" + e.Measures)
		}
		if ni.DiscoveredAt.IsZero() {
			ni.DiscoveredAt = e.At
		}
		if ni.DiscoveryMethod == "" {
			ni.DiscoveryMethod = "值班接报"
			if e.ReporterUnit != "" || e.ReporterName != "" {
				ni.DiscoveryMethod = "值班接报：" + strings.TrimSpace(e.ReporterUnit+" "+e.ReporterName)
			}
		}
		if err := s.incidents.CheckNewIncident(actor, &ni); err != nil {
			return err
		}
		inc, err = s.incidentFromLog(tx, actor, e, ni)
		return err
	})
	if err != nil {
		return nil, err
	}
	return inc, nil
}

// DutyLog lists log entries the actor may see, newest first.
func (s *Service) DutyLog(ctx context.Context, actor *user.User, org, before int64, limit int) ([]*duty.LogEntry, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var out []*duty.LogEntry
	err := s.DB.Read(ctx, func(q *store.Q) error {
		ids, err := core.VisibleOrgs(q, actor, org)
		if err != nil {
			return err
		}
		out, err = q.DutyLog(ids, before, limit)
		return err
	})
	return out, err
}

// DeclarePeriod declares a sensitive period or major event.
