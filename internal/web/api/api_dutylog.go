package api

import (
	"net/http"
	"strconv"
	"time"

	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/incidents"
	"yingji/internal/rota"
	"yingji/internal/user"
)

func (s *Server) logJSON(e *duty.LogEntry) map[string]any {
	return map[string]any{"id": e.ID, "org_id": e.OrgID, "shift_id": idPtr(e.ShiftID), "at": ts(e.At, s.Loc), "place": e.Place, "what": e.What,
		"measures": e.Measures, "informed": e.Informed, "informed_at": tsPtr(e.InformedAt, s.Loc), "reporter_unit": e.ReporterUnit,
		"reporter_name": e.ReporterName, "reporter_phone": e.ReporterPhone, "recorder_id": e.RecorderID, "incident_id": idPtr(e.IncidentID),
		"created_at": ts(e.CreatedAt, s.Loc)}
}

func (s *Server) apiDutyLog(w http.ResponseWriter, r *http.Request, u *user.User) error {
	org, err := queryOrg(r)
	if err != nil {
		return err
	}
	var before int64
	if v := r.URL.Query().Get("before"); v != "" {
		if before, err = strconv.ParseInt(v, 10, 64); err != nil || before < 0 {
			return errs.Field("before", "error.bad_id", v)
		}
	}
	list, err := s.App.Rota.DutyLog(r.Context(), u, org, before, 50)
	if err != nil {
		return err
	}
	writePage(w, list, s.logJSON, len(list) == 50, func(e *duty.LogEntry) int64 { return e.ID })
	return nil
}

type logBody struct {
	At            string              `json:"at"`
	Place         string              `json:"place"`
	What          string              `json:"what"`
	Measures      string              `json:"measures"`
	Informed      string              `json:"informed"`
	InformedAt    string              `json:"informed_at"`
	ReporterUnit  string              `json:"reporter_unit"`
	ReporterName  string              `json:"reporter_name"`
	ReporterPhone string              `json:"reporter_phone"`
	Incident      *createIncidentBody `json:"incident"`
}

func (b *createIncidentBody) newIncident() (incidents.NewIncident, error) {
	ni := incidents.NewIncident{Title: b.Title, Category: b.Category, GBClass: b.GBClass, Level: b.Level, DiscoveryMethod: b.DiscoveryMethod, Description: b.Description}
	if b.DiscoveredAt != "" {
		t, err := time.Parse(time.RFC3339, b.DiscoveredAt)
		if err != nil {
			return ni, errs.Field("discovered_at", "error.bad_time")
		}
		ni.DiscoveredAt = t
	}
	return ni, nil
}

// apiAddLog records a duty log entry; with "incident" it also registers the
// incident in the same transaction.
func (s *Server) apiAddLog(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b logBody
	if err := decode(r, &b); err != nil {
		return err
	}
	in := rota.LogInput{LogFields: duty.LogFields{Place: b.Place, What: b.What, Measures: b.Measures, Informed: b.Informed, ReporterUnit: b.ReporterUnit,
		ReporterName: b.ReporterName, ReporterPhone: b.ReporterPhone}}
	var err error
	if b.At == "" {
		in.At = s.App.Core.Now()
	} else if in.At, err = parseTime("at", b.At); err != nil {
		return err
	}
	if b.InformedAt != "" {
		t, err := parseTime("informed_at", b.InformedAt)
		if err != nil {
			return err
		}
		in.InformedAt = &t
	}
	if b.Incident != nil {
		ni, err := b.Incident.newIncident()
		if err != nil {
			return err
		}
		if ni.DiscoveredAt.IsZero() {
			ni.DiscoveredAt = in.At
		}
		if ni.Description == "" {
			ni.Description = in.What
		}
		in.Incident = &ni
	}
	e, inc, err := s.App.Rota.AddLog(r.Context(), u, in)
	if err != nil {
		return err
	}
	out := s.logJSON(e)
	if inc != nil {
		out["incident"] = toIncidentJSON(inc, s.Loc, lang(r))
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *Server) apiLogToIncident(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[createIncidentBody](r)
	if err != nil {
		return err
	}
	ni, err := b.newIncident()
	if err != nil {
		return err
	}
	inc, err := s.App.Rota.LogToIncident(r.Context(), u, id, ni)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/incidents/"+strconv.FormatInt(inc.ID, 10))
	writeJSON(w, http.StatusCreated, toIncidentJSON(inc, s.Loc, lang(r)))
	return nil
}
