package api

import (
	"net/http"
	"strconv"
	"time"

	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/rota"
	"yingji/internal/user"
)

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
	sc, err := s.schedule(r, u, 14)
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

// schedule is the duty schedule a query asks for: ?org, ?from (default
// today in the plan's zone) and ?days (default days).
func (s *Server) schedule(r *http.Request, u *user.User, days int) (*rota.Schedule, error) {
	org, err := queryOrg(r)
	if err != nil {
		return nil, err
	}
	from, days, err := s.span(r, days)
	if err != nil {
		return nil, err
	}
	return s.App.Rota.DutySchedule(r.Context(), u, org, from, from.AddDate(0, 0, days))
}

func (s *Server) span(r *http.Request, days int) (time.Time, int, error) {
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

// parseSpan reads a body's starts_at and ends_at.
func parseSpan(startsAt, endsAt string) (time.Time, time.Time, error) {
	start, err := parseTime("starts_at", startsAt)
	if err != nil {
		return start, start, err
	}
	end, err := parseTime("ends_at", endsAt)
	return start, end, err
}

func (s *Server) apiCreateShift(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b shiftBody
	if err := decode(r, &b); err != nil {
		return err
	}
	start, end, err := parseSpan(b.StartsAt, b.EndsAt)
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

func (s *Server) changeJSON(c *duty.Change) map[string]any {
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
	id, b, err := idBody[changeBody](r)
	if err != nil {
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
	id, b, err := idBody[struct {
		Decision string `json:"decision"`
	}](r)
	if err != nil {
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
	id, b, err := idBody[handoverBody](r)
	if err != nil {
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

func (s *Server) apiPeriods(w http.ResponseWriter, r *http.Request, u *user.User) error {
	sc, err := s.schedule(r, u, 92)
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
	start, end, err := parseSpan(b.StartsAt, b.EndsAt)
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
