package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/incidents"
	"yingji/internal/rota"
	"yingji/internal/store"
	"yingji/internal/user"
)

// dutyRoutes registers the duty and registry endpoints.
func (s *Server) dutyRoutes() {
	s.registryRoutes()
	s.consoleDutyRoutes()
	s.api("GET /api/v1/duty/now", s.apiDutyNow)
	s.api("GET /api/v1/duty/schedule", s.apiDutySchedule)
	s.api("POST /api/v1/duty/shifts", s.apiCreateShift)
	s.api("DELETE /api/v1/duty/shifts/{id}", func(w http.ResponseWriter, r *http.Request, u *user.User) error {
		return s.del(w, r, u, s.App.Rota.DeleteShift)
	})
	s.api("POST /api/v1/duty/rotations", s.apiCreateRotation)
	s.api("POST /api/v1/duty/shifts/{id}/changes", s.apiRequestChange)
	s.api("POST /api/v1/duty/changes/{id}/decision", s.apiDecideChange)
	s.api("POST /api/v1/duty/shifts/{id}/handover", s.apiHandOver)
	s.api("GET /api/v1/duty/handovers", s.apiHandovers)
	s.api("POST /api/v1/duty/handovers/{id}/confirm", s.apiConfirmHandover)
	s.api("GET /api/v1/duty/log", s.apiDutyLog)
	s.api("POST /api/v1/duty/log", s.apiAddLog)
	s.api("POST /api/v1/duty/log/{id}/incident", s.apiLogToIncident)
	s.api("GET /api/v1/duty/periods", s.apiPeriods)
	s.api("POST /api/v1/duty/periods", s.apiDeclarePeriod)
	s.api("DELETE /api/v1/duty/periods/{id}", func(w http.ResponseWriter, r *http.Request, u *user.User) error {
		return s.del(w, r, u, s.App.Rota.DeletePeriod)
	})
	s.api("POST /api/v1/duty/calendar/token", s.apiFeedToken)
	// The feed takes the bearer token or ?token=FEED_TOKEN (calendar clients cannot send headers).
	s.mux.HandleFunc("GET /api/v1/duty/calendar.ics", s.calendarFeed)
}

func queryOrg(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("org")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, errs.Field("org", "error.bad_id", v)
	}
	return n, nil
}

func (s *Server) apiDutyNow(w http.ResponseWriter, r *http.Request, u *user.User) error {
	org, err := queryOrg(r)
	if err != nil {
		return err
	}
	v, err := s.App.Rota.DutyNow(r.Context(), u, org)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rota.NowJSON(v, s.Loc, lang(r)))
	return nil
}

// apiDutySchedule: ?from=YYYY-MM-DD (default today in the plan's zone) &days=N (default 14).
func (s *Server) apiDutySchedule(w http.ResponseWriter, r *http.Request, u *user.User) error {
	org, err := queryOrg(r)
	if err != nil {
		return err
	}
	from, days, err := s.span(r)
	if err != nil {
		return err
	}
	sc, err := s.App.Rota.DutySchedule(r.Context(), u, org, from, from.AddDate(0, 0, days))
	if err != nil {
		return err
	}
	l := lang(r)
	shifts := make([]*rota.ShiftJSON, 0, len(sc.Shifts))
	for _, v := range sc.Shifts {
		shifts = append(shifts, rota.ShiftJSONOf(v, s.Loc, l))
	}
	gaps := make([]map[string]string, 0, len(sc.Gaps))
	for _, g := range sc.Gaps {
		gaps = append(gaps, map[string]string{"start": ts(g.Start, s.Loc), "end": ts(g.End, s.Loc)})
	}
	periods := make([]rota.PeriodJSON, 0, len(sc.Periods))
	for _, p := range sc.Periods {
		periods = append(periods, rota.PeriodJSONOf(p, s.Loc))
	}
	pending := make([]map[string]any, 0, len(sc.Pending))
	for _, c := range sc.Pending {
		pending = append(pending, s.changeJSON(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"org_id": sc.OrgID, "from": ts(sc.From, s.Loc), "to": ts(sc.To, s.Loc), "shifts": shifts,
		"gaps": gaps, "periods": periods, "pending_changes": pending})
	return nil
}

func (s *Server) span(r *http.Request) (time.Time, int, error) {
	v := r.URL.Query()
	now := s.App.Core.Now().In(s.Loc)
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, s.Loc)
	if f := v.Get("from"); f != "" {
		t, err := time.ParseInLocation("2006-01-02", f, s.Loc)
		if err != nil {
			return from, 0, errs.Field("from", "duty.bad_date", f)
		}
		from = t
	}
	days := 14
	if d := v.Get("days"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > rota.MaxRotationDays {
			return from, 0, errs.Field("days", "duty.days_range", rota.MaxRotationDays)
		}
		days = n
	}
	return from, days, nil
}

type shiftBody struct {
	Kind       string  `json:"kind"`
	StartsAt   string  `json:"starts_at"`
	EndsAt     string  `json:"ends_at"`
	LeaderID   int64   `json:"leader_id"`
	OfficerIDs []int64 `json:"officer_ids"`
	Note       string  `json:"note"`
}

func parseTime(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, errs.Field(field, "error.required")
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, errs.Field(field, "error.bad_time")
	}
	return t, nil
}

func (s *Server) apiCreateShift(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b shiftBody
	if err := decode(r, &b); err != nil {
		return err
	}
	start, err := parseTime("starts_at", b.StartsAt)
	if err != nil {
		return err
	}
	end, err := parseTime("ends_at", b.EndsAt)
	if err != nil {
		return err
	}
	sh, err := s.App.Rota.CreateShift(r.Context(), u, rota.ShiftInput{Kind: b.Kind, Start: start, End: end, LeaderID: b.LeaderID, OfficerIDs: b.OfficerIDs, Note: b.Note})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": sh.ID, "kind": sh.Kind, "start": ts(sh.Start, s.Loc), "end": ts(sh.End, s.Loc),
		"leader_id": sh.LeaderID, "officer_ids": sh.OfficerIDs})
	return nil
}

type rotationBody struct {
	Kind       string  `json:"kind"`
	From       string  `json:"from"`
	Days       int     `json:"days"`
	DayStart   string  `json:"day_start"`
	NightStart string  `json:"night_start"`
	Leaders    []int64 `json:"leaders"`
	Officers   []int64 `json:"officers"`
	PerShift   int     `json:"officers_per_shift"`
}

func clock(field, v, def string) (time.Duration, error) {
	if v == "" {
		v = def
	}
	t, err := time.Parse("15:04", v)
	if err != nil {
		return 0, errs.Field(field, "duty.bad_clock")
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

func (s *Server) apiCreateRotation(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b rotationBody
	if err := decode(r, &b); err != nil {
		return err
	}
	first, err := time.ParseInLocation("2006-01-02", b.From, s.Loc)
	if err != nil {
		return errs.Field("from", "duty.bad_date", b.From)
	}
	ds, err := clock("day_start", b.DayStart, "08:00")
	if err != nil {
		return err
	}
	ns, err := clock("night_start", b.NightStart, "20:00")
	if err != nil {
		return err
	}
	shifts, err := s.App.Rota.CreateRotation(r.Context(), u, s.Loc, rota.RotationInput{Kind: b.Kind, First: first, Days: b.Days, DayStart: ds,
		NightStart: ns, Leaders: b.Leaders, Officers: b.Officers, PerShift: b.PerShift})
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(shifts))
	for _, sh := range shifts {
		out = append(out, map[string]any{"id": sh.ID, "kind": sh.Kind, "start": ts(sh.Start, s.Loc), "end": ts(sh.End, s.Loc),
			"leader_id": sh.LeaderID, "officer_ids": sh.OfficerIDs})
	}
	writeJSON(w, http.StatusCreated, map[string]any{"items": out})
	return nil
}

func (s *Server) changeJSON(c *store.Change) map[string]any {
	return map[string]any{"id": c.ID, "shift_id": c.ShiftID, "role": c.Role, "from_user_id": idPtr(c.FromUserID), "to_user_id": c.ToUserID,
		"reason": c.Reason, "status": c.Status, "requested_by": c.RequestedBy, "requested_at": ts(c.RequestedAt, s.Loc),
		"decided_by": idPtr(c.DecidedBy), "decided_at": tsPtr(c.DecidedAt, s.Loc)}
}

type changeBody struct {
	Role       string `json:"role"`
	FromUserID int64  `json:"from_user_id"`
	ToUserID   int64  `json:"to_user_id"`
	Reason     string `json:"reason"`
}

func (s *Server) apiRequestChange(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b changeBody
	if err := decode(r, &b); err != nil {
		return err
	}
	c, err := s.App.Rota.RequestChange(r.Context(), u, id, rota.ChangeInput{Role: b.Role, FromUserID: b.FromUserID, ToUserID: b.ToUserID, Reason: b.Reason})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.changeJSON(c))
	return nil
}

func (s *Server) apiDecideChange(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b struct {
		Decision string `json:"decision"`
	}
	if err := decode(r, &b); err != nil {
		return err
	}
	if b.Decision != "approve" && b.Decision != "reject" {
		return errs.Field("decision", "error.bad_decision", b.Decision)
	}
	c, err := s.App.Rota.DecideChange(r.Context(), u, id, b.Decision == "approve")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.changeJSON(c))
	return nil
}

type handoverBody struct {
	Notes     string   `json:"notes"`
	OpenItems []string `json:"open_items"`
}

func (s *Server) apiHandOver(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b handoverBody
	if err := decode(r, &b); err != nil {
		return err
	}
	h, err := s.App.Rota.HandOver(r.Context(), u, id, b.Notes, b.OpenItems)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rota.HandoverJSONOf(h, s.Loc))
	return nil
}

func (s *Server) apiHandovers(w http.ResponseWriter, r *http.Request, u *user.User) error {
	org, err := queryOrg(r)
	if err != nil {
		return err
	}
	list, err := s.App.Rota.Handovers(r.Context(), u, org)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, h := range list {
		out = append(out, rota.HandoverJSONOf(h, s.Loc))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) apiConfirmHandover(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	h, err := s.App.Rota.ConfirmHandover(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rota.HandoverJSONOf(h, s.Loc))
	return nil
}

func (s *Server) logJSON(e *store.LogEntry) map[string]any {
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
	out := make([]map[string]any, 0, len(list))
	for _, e := range list {
		out = append(out, s.logJSON(e))
	}
	var next *int64
	if len(list) == 50 {
		next = &list[len(list)-1].ID
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "next_before": next})
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
	in := rota.LogInput{Place: b.Place, What: b.What, Measures: b.Measures, Informed: b.Informed, ReporterUnit: b.ReporterUnit,
		ReporterName: b.ReporterName, ReporterPhone: b.ReporterPhone}
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
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b createIncidentBody
	if err := decode(r, &b); err != nil {
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

func (s *Server) apiPeriods(w http.ResponseWriter, r *http.Request, u *user.User) error {
	org, err := queryOrg(r)
	if err != nil {
		return err
	}
	from, days, err := s.span(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("days") == "" {
		days = 92
	}
	sc, err := s.App.Rota.DutySchedule(r.Context(), u, org, from, from.AddDate(0, 0, days))
	if err != nil {
		return err
	}
	out := make([]rota.PeriodJSON, 0, len(sc.Periods))
	for _, p := range sc.Periods {
		out = append(out, rota.PeriodJSONOf(p, s.Loc))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

type periodBody struct {
	Name        string `json:"name"`
	StartsAt    string `json:"starts_at"`
	EndsAt      string `json:"ends_at"`
	Level       string `json:"level"`
	MinLeaders  int    `json:"min_leaders"`
	MinOfficers int    `json:"min_officers"`
	Note        string `json:"note"`
}

func (s *Server) apiDeclarePeriod(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b periodBody
	if err := decode(r, &b); err != nil {
		return err
	}
	start, err := parseTime("starts_at", b.StartsAt)
	if err != nil {
		return err
	}
	end, err := parseTime("ends_at", b.EndsAt)
	if err != nil {
		return err
	}
	p := &duty.Period{Name: b.Name, Start: start, End: end, Level: b.Level, MinLeaders: b.MinLeaders, MinOfficers: b.MinOfficers, Note: b.Note}
	if p.MinLeaders == 0 {
		p.MinLeaders = 1
	}
	if p.MinOfficers == 0 {
		p.MinOfficers = 2
	}
	if err := s.App.Rota.DeclarePeriod(r.Context(), u, p); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rota.PeriodJSONOf(p, s.Loc))
	return nil
}

func (s *Server) apiFeedToken(w http.ResponseWriter, r *http.Request, u *user.User) error {
	tok, err := s.App.Rota.IssueFeedToken(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"token": tok, "url": "/api/v1/duty/calendar.ics?token=" + tok})
	return nil
}

// calendarFeed serves the organisation's roster for the past week and the
// next eight weeks as iCalendar (RFC 5545).
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) {
	var u *user.User
	var err error
	if tok := r.URL.Query().Get("token"); tok != "" {
		u, err = s.App.Rota.FeedUser(r.Context(), tok)
	} else {
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		u, err = s.App.Accounts.Authenticate(r.Context(), strings.TrimSpace(token))
	}
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	now := s.App.Core.Now()
	sc, err := s.App.Rota.DutySchedule(r.Context(), u, 0, now.AddDate(0, 0, -7), now.AddDate(0, 0, 56))
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Write([]byte(rota.Calendar(sc, now, i18n.ZH)))
}
