package console

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"yingji/internal/access"
	"yingji/internal/alertrule"
	"yingji/internal/alerts"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/signal"
)

// The alert queue and an alert's page (issue 12, docs/alerts.md). They
// follow the alert stream (alertEvents: about a second after a commit on
// any node writes alerts; the store's bell, which on PostgreSQL the other
// nodes ring by NOTIFY), and fetch themselves every PollInterval too, a
// backstop for a stream a proxy will not keep open: alert writes come at
// the devices' rate and do not go through the change feed the incident
// pages follow.

// PollInterval is how often the queue page fetches itself again (a test
// changes it before starting its server).
var PollInterval = 15 * time.Second

const queuePage = 50

type stateCount struct {
	State string
	Name  string
	N     int
	URL   string
	On    bool
}

type alertRow struct {
	A        *signal.Alert
	URL      string
	Severity string
	State    string
}

func (s *Server) alertRow(l i18n.Lang, a *signal.Alert) alertRow {
	return alertRow{A: a, URL: "/alerts/" + itoa64(a.ID), Severity: i18n.T(l, "alert.sev."+strconv.Itoa(int(a.Severity))),
		State: i18n.T(l, "alert.state."+string(a.State))}
}

func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request, c *req) error {
	qv := r.URL.Query()
	f := alertrule.Filter{State: qv.Get("state"), Limit: queuePage}
	if f.State == "" && !qv.Has("state") {
		f.State = string(signal.Open)
	}
	for _, p := range []struct {
		name string
		to   *int
	}{{"min_priority", &f.MinPriority}, {"offset", &f.Offset}} {
		if v := qv.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return errs.Field(p.name, "alert.bad_number")
			}
			*p.to = n
		}
	}
	q, err := s.App.Alerts.List(r.Context(), c.u, 0, f)
	if err != nil {
		return err
	}
	link := func(state string, offset int) string {
		v := url.Values{"state": {state}}
		if f.MinPriority > 0 {
			v.Set("min_priority", strconv.Itoa(f.MinPriority))
		}
		if offset > 0 {
			v.Set("offset", strconv.Itoa(offset))
		}
		return "/alerts?" + v.Encode()
	}
	total := 0
	var counts []stateCount
	for _, st := range alertrule.States {
		n := q.Counts[st]
		total += n
		counts = append(counts, stateCount{State: string(st), Name: i18n.T(c.l, "alert.state."+string(st)), N: n, URL: link(string(st), 0), On: f.State == string(st)})
	}
	counts = append([]stateCount{{Name: i18n.T(c.l, "al.all"), N: total, URL: link("", 0), On: f.State == ""}}, counts...)
	rows := make([]alertRow, 0, len(q.Items))
	for _, a := range q.Items {
		rows = append(rows, s.alertRow(c.l, a))
	}
	data := map[string]any{"Counts": counts, "Rows": rows, "Filter": f, "Priorities": []int{0, 1, 2, 3, 4, 5, 6, 7},
		"MaySources": access.MayManageDuty(c.u)}
	if q.More {
		data["Next"] = link(f.State, f.Offset+queuePage)
	}
	if f.Offset > 0 {
		data["Prev"] = link(f.State, max(f.Offset-queuePage, 0))
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "al.title"), "alerts")
	p.Live, p.Poll = "/alerts/events", int(PollInterval/time.Millisecond)
	p.Data = data
	s.render(w, http.StatusOK, "alerts", p)
	return nil
}

type eventRow struct {
	At    time.Time
	Actor string
	Text  string
}

func (s *Server) eventText(l i18n.Lang, loc *time.Location, e *alertrule.Event) string {
	d := e.Data
	switch e.Kind {
	case alertrule.EventHandled:
		extra := ""
		if d["site"] != "" {
			extra += i18n.T(l, "alert.ev.site", d["site"])
		}
		if d["sensitive"] != "" {
			extra += i18n.T(l, "alert.ev.period")
		}
		if d["rule"] != "" {
			extra += i18n.T(l, "alert.ev.rule", d["rule"])
		}
		if d["paged"] != "" {
			extra += i18n.T(l, "alert.ev.paged", d["paged"])
		}
		if d["failed"] != "" {
			extra += i18n.T(l, "alert.ev.failed")
		}
		if d["register"] == "nobody_on_duty" {
			extra += i18n.T(l, "alert.ev.nobody")
		}
		if d["number"] != "" {
			extra += i18n.T(l, "alert.ev.incident", d["number"])
		}
		return i18n.T(l, "alert.ev.handled", d["priority"], extra)
	case alertrule.EventSilenced:
		until := ""
		if ms, err := strconv.ParseInt(d["until"], 10, 64); err == nil {
			until = timeIn(l, loc, time.UnixMilli(ms))
		}
		return i18n.T(l, "alert.ev.silenced", until, d["reason"])
	case alertrule.EventPromoted, alertrule.EventAttached:
		return i18n.T(l, "alert.ev."+e.Kind, d["number"])
	}
	return i18n.T(l, "alert.ev."+e.Kind)
}

func (s *Server) alertPage(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	v, err := s.App.Alerts.Get(r.Context(), c.u, id)
	if err != nil {
		return err
	}
	p := s.newPage(w, r, c, v.Alert.Title, "alerts")
	p.Live, p.Poll = "/alerts/events", int(PollInterval/time.Millisecond)
	hist := make([]eventRow, 0, len(v.Events))
	for i := len(v.Events) - 1; i >= 0; i-- {
		e := v.Events[i]
		who := e.ActorName
		if e.ActorID == 0 {
			who = i18n.T(c.l, "alert.ev.system")
		}
		hist = append(hist, eventRow{At: e.At, Actor: who, Text: s.eventText(c.l, p.Loc, e)})
	}
	data := map[string]any{"V": v, "Row": s.alertRow(c.l, v.Alert), "History": hist,
		"Actionable":   v.Alert.State != signal.Promoted && v.Alert.State != signal.Closed,
		"DefaultUntil": p.Now.Add(2 * time.Hour)}
	if data["Actionable"].(bool) {
		if pl, err := s.App.Dashboard.PlanFor(r.Context(), c.u); err == nil {
			data["Plan"] = pl
			if cat := pl.Category(v.Alert.SuggestedCategory); cat != nil {
				data["SuggestName"] = cat.Name
			}
		}
		open, err := s.App.Incidents.ListIncidents(r.Context(), c.u, incident.Filter{Statuses: []incident.Status{incident.Reported,
			incident.ActivationRequested, incident.Active, incident.TerminationRequested, incident.Terminated}, Limit: 50})
		if err != nil {
			return err
		}
		data["Open"] = open
	}
	p.Data = data
	s.render(w, http.StatusOK, "alert", p)
	return nil
}

func alertURL(id int64) string { return "/alerts/" + itoa64(id) }

func (s *Server) ackAlert(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	return done(w, r, c, alertURL(id), s.App.Alerts.Ack(r.Context(), c.u, id), i18n.T(c.l, "al.done.acked"))
}

func (s *Server) silenceAlert(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	var until time.Time
	if v := r.PostFormValue("until"); v != "" {
		if until, err = time.ParseInLocation(formTime, v, s.loc()); err != nil {
			return done(w, r, c, alertURL(id), errs.Field("until", "error.bad_form_time"), "")
		}
	}
	err = s.App.Alerts.Silence(r.Context(), c.u, id, until, r.PostFormValue("reason"))
	return done(w, r, c, alertURL(id), err, i18n.T(c.l, "al.done.silenced"))
}

func (s *Server) promoteAlert(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	pr := alerts.Promotion{Title: r.PostFormValue("title"), Category: r.PostFormValue("category")}
	if v := r.PostFormValue("level"); v != "" {
		if pr.Level, err = strconv.Atoi(v); err != nil {
			return done(w, r, c, alertURL(id), errs.Field("level", "error.level_range"), "")
		}
	}
	in, err := s.App.Alerts.Promote(r.Context(), c.u, id, pr)
	if err != nil {
		return done(w, r, c, alertURL(id), err, "")
	}
	setFlash(w, r, "ok", i18n.T(c.l, "new.done", in.Number))
	http.Redirect(w, r, incidentURL(in.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) attachAlert(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	inc, perr := strconv.ParseInt(r.PostFormValue("incident_id"), 10, 64)
	if perr != nil || inc <= 0 {
		return done(w, r, c, alertURL(id), errs.Field("incident_id", "alert.bad_id"), "")
	}
	_, err = s.App.Alerts.Attach(r.Context(), c.u, id, inc)
	return done(w, r, c, alertURL(id), err, i18n.T(c.l, "al.done.attached"))
}
