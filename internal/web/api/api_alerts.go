package api

import (
	"net/http"
	"strconv"
	"time"

	"yingji/internal/alertrule"
	"yingji/internal/alerts"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/signal"
	"yingji/internal/user"
)

// Alert handling (issue 12): the queue, one alert with its history, and the
// acts on it. docs/alerts.md.

type alertJSON struct {
	ID                int64             `json:"id"`
	OrgID             int64             `json:"org_id"`
	Format            string            `json:"format"`
	Rule              string            `json:"rule"`
	Title             string            `json:"title"`
	Detail            string            `json:"detail"`
	Severity          int               `json:"severity"`
	SeverityName      string            `json:"severity_name"`
	Priority          int               `json:"priority"`
	Status            string            `json:"status"`
	State             string            `json:"state"`
	StateName         string            `json:"state_name"`
	Count             int64             `json:"count"`
	FirstSeen         string            `json:"first_seen"`
	LastSeen          string            `json:"last_seen"`
	DstIP             string            `json:"dst_ip"`
	Domain            string            `json:"domain"`
	Labels            map[string]string `json:"labels"`
	UnitID            *int64            `json:"unit_id"`
	WebsiteID         *int64            `json:"website_id"`
	HandledAt         *string           `json:"handled_at"`
	RuleName          string            `json:"plan_rule"`
	SuggestedCategory string            `json:"suggested_category"`
	SuggestedLevel    int               `json:"suggested_level"`
	PagedAt           *string           `json:"paged_at"`
	AckedAt           *string           `json:"acked_at"`
	SilencedUntil     *string           `json:"silenced_until"`
	SilenceReason     string            `json:"silence_reason"`
	IncidentID        *int64            `json:"incident_id"`
}

func (s *Server) alertJSON(a *signal.Alert, l i18n.Lang) alertJSON {
	return alertJSON{ID: a.ID, OrgID: a.OrgID, Format: a.Format, Rule: a.Rule, Title: a.Title, Detail: a.Detail,
		Severity: int(a.Severity), SeverityName: i18n.T(l, "alert.sev."+strconv.Itoa(int(a.Severity))), Priority: a.Priority,
		Status: string(a.Status), State: string(a.State), StateName: i18n.T(l, "alert.state."+string(a.State)), Count: a.Count,
		FirstSeen: ts(a.FirstSeen, s.Loc), LastSeen: ts(a.LastSeen, s.Loc), DstIP: a.DstIP, Domain: a.Domain, Labels: a.Labels,
		UnitID: idPtr(a.UnitID), WebsiteID: idPtr(a.WebsiteID), HandledAt: tsPtr(a.HandledAt, s.Loc), RuleName: a.RuleName,
		SuggestedCategory: a.SuggestedCategory, SuggestedLevel: a.SuggestedLevel, PagedAt: tsPtr(a.PagedAt, s.Loc),
		AckedAt: tsPtr(a.AckedAt, s.Loc), SilencedUntil: tsPtr(a.SilencedUntil, s.Loc), SilenceReason: a.SilenceReason, IncidentID: idPtr(a.IncidentID)}
}

func queryInt(r *http.Request, name string, max int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > max {
		return 0, errs.Field(name, "alert.bad_number")
	}
	return n, nil
}

// apiAlerts is the queue: ?state, ?min_priority, ?unit, ?org, ?limit, ?offset.
func (s *Server) apiAlerts(w http.ResponseWriter, r *http.Request, u *user.User) error {
	org, err := queryOrg(r)
	if err != nil {
		return err
	}
	f := alertrule.Filter{State: r.URL.Query().Get("state")}
	if f.MinPriority, err = queryInt(r, "min_priority", alertrule.MaxPriority); err != nil {
		return err
	}
	unit, err := queryInt(r, "unit", 1<<31-1)
	if err != nil {
		return err
	}
	f.UnitID = int64(unit)
	if f.Limit, err = queryInt(r, "limit", alerts.MaxPage); err != nil {
		return err
	}
	if f.Offset, err = queryInt(r, "offset", 1_000_000); err != nil {
		return err
	}
	q, err := s.App.Alerts.List(r.Context(), u, org, f)
	if err != nil {
		return err
	}
	l := lang(r)
	items := convert(q.Items, func(a *signal.Alert) alertJSON { return s.alertJSON(a, l) })
	counts := map[string]int{}
	for _, st := range alertrule.States {
		counts[string(st)] = q.Counts[st]
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "counts": counts, "total": q.Total, "more": q.More})
	return nil
}

type alertEventJSON struct {
	At      string            `json:"at"`
	ActorID *int64            `json:"actor_id"`
	Actor   string            `json:"actor"`
	Kind    string            `json:"kind"`
	Data    map[string]string `json:"data"`
}

func (s *Server) apiAlert(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.App.Alerts.Get(r.Context(), u, id)
	if err != nil {
		return err
	}
	s.writeAlert(w, r, v)
	return nil
}

func (s *Server) writeAlert(w http.ResponseWriter, r *http.Request, v *alerts.View) {
	l := lang(r)
	hist := make([]alertEventJSON, 0, len(v.Events))
	for _, e := range v.Events {
		hist = append(hist, alertEventJSON{At: ts(e.At, s.Loc), ActorID: idPtr(e.ActorID), Actor: e.ActorName, Kind: e.Kind, Data: e.Data})
	}
	out := map[string]any{"alert": s.alertJSON(v.Alert, l), "history": hist, "unit_name": v.UnitName, "website_name": v.SiteName, "acked_by": v.AckedBy}
	if v.Incident != nil {
		out["incident"] = toIncidentJSON(v.Incident, s.Loc, l)
	}
	if v.ReportID != 0 { // the unit's report the alert came from (/api/v1/unit-reports/{id})
		out["unit_report"] = map[string]any{"id": v.ReportID, "receipt": v.Receipt}
	}
	if v.Source != nil { // the intake source it came through, by name
		out["source"] = map[string]any{"id": v.Source.ID, "name": v.Source.Name, "revoked": !v.Source.Live()}
	}
	writeJSON(w, http.StatusOK, out)
}

// afterAct answers an act with the alert as it now is.
func (s *Server) afterAct(w http.ResponseWriter, r *http.Request, u *user.User, id int64) error {
	v, err := s.App.Alerts.Get(r.Context(), u, id)
	if err != nil {
		return err
	}
	s.writeAlert(w, r, v)
	return nil
}

type emptyBody struct{}

func (s *Server) apiAckAlert(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b emptyBody
	if r.ContentLength != 0 {
		if err := decode(r, &b); err != nil {
			return err
		}
	}
	if err := s.App.Alerts.Ack(r.Context(), u, id); err != nil {
		return err
	}
	return s.afterAct(w, r, u, id)
}

type silenceBody struct {
	Until  string `json:"until"`
	Reason string `json:"reason"`
}

func (s *Server) apiSilenceAlert(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[silenceBody](r)
	if err != nil {
		return err
	}
	var until time.Time
	if b.Until != "" {
		if until, err = parseTime("until", b.Until); err != nil {
			return err
		}
	}
	if err := s.App.Alerts.Silence(r.Context(), u, id, until, b.Reason); err != nil {
		return err
	}
	return s.afterAct(w, r, u, id)
}

type promoteBody struct {
	Title        string `json:"title"`
	Category     string `json:"category"`
	Level        int    `json:"level"`
	Description  string `json:"description"`
	Instructions string `json:"instructions"`
}

func (s *Server) apiPromoteAlert(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[promoteBody](r)
	if err != nil {
		return err
	}
	in, err := s.App.Alerts.Promote(r.Context(), u, id, alerts.Promotion{Title: b.Title, Category: b.Category, Level: b.Level,
		Description: b.Description, Instructions: b.Instructions})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"incident": toIncidentJSON(in, s.Loc, lang(r)), "alert_id": id})
	return nil
}

type attachBody struct {
	IncidentID int64 `json:"incident_id"`
}

func (s *Server) apiAttachAlert(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[attachBody](r)
	if err != nil {
		return err
	}
	if b.IncidentID <= 0 {
		return errs.Field("incident_id", "error.required")
	}
	if _, err := s.App.Alerts.Attach(r.Context(), u, id, b.IncidentID); err != nil {
		return err
	}
	return s.afterAct(w, r, u, id)
}

func (s *Server) apiIncidentAlerts(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.App.Alerts.ForIncident(r.Context(), u, id)
	if err != nil {
		return err
	}
	l := lang(r)
	writeItems(w, list, func(a *signal.Alert) alertJSON { return s.alertJSON(a, l) })
	return nil
}
