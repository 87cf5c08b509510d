package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/service"
	"yingji/internal/store"
	"yingji/internal/user"
)

type personJSON struct {
	ID          int64  `json:"id"`
	DisplayName string `json:"display_name"`
	Title       string `json:"title"`
	Phone       string `json:"phone"`
}

func person(u *user.User) *personJSON {
	if u == nil {
		return nil
	}
	return &personJSON{u.ID, u.DisplayName, u.Title, u.Phone}
}

type shiftJSON struct {
	ID         int64        `json:"id"`
	OrgID      int64        `json:"org_id"`
	Kind       string       `json:"kind"`
	KindName   string       `json:"kind_name"`
	Start      string       `json:"start"`
	End        string       `json:"end"`
	Leader     *personJSON  `json:"leader"`
	Officers   []personJSON `json:"officers"`
	Note       string       `json:"note"`
	Need       *staffJSON   `json:"required,omitempty"`
	Understaff bool         `json:"understaffed"`
	Gap        bool         `json:"unstaffed"`
}

type staffJSON struct {
	Leaders  int `json:"leaders"`
	Officers int `json:"officers"`
}

type periodJSON struct {
	ID          int64  `json:"id"`
	OrgID       int64  `json:"org_id"`
	Name        string `json:"name"`
	Start       string `json:"start"`
	End         string `json:"end"`
	Level       string `json:"level"`
	MinLeaders  int    `json:"min_leaders"`
	MinOfficers int    `json:"min_officers"`
	Note        string `json:"note"`
}

func (s *Server) toShiftJSON(v *service.ShiftView, l i18n.Lang) *shiftJSON {
	if v == nil {
		return nil
	}
	sh := v.Shift
	out := &shiftJSON{ID: sh.ID, OrgID: sh.OrgID, Kind: string(sh.Kind), KindName: i18n.T(l, "duty.kind."+string(sh.Kind)),
		Start: ts(sh.Start, s.Loc), End: ts(sh.End, s.Loc), Leader: person(v.Leader), Officers: []personJSON{}, Note: sh.Note,
		Need: &staffJSON{v.Need.Leaders, v.Need.Officers}, Understaff: v.Short, Gap: !sh.Staffed()}
	for _, o := range v.Officers {
		out.Officers = append(out.Officers, *person(o))
	}
	return out
}

func (s *Server) toPeriodJSON(p *duty.Period) periodJSON {
	return periodJSON{p.ID, p.OrgID, p.Name, ts(p.Start, s.Loc), ts(p.End, s.Loc), p.Level, p.MinLeaders, p.MinOfficers, p.Note}
}

func (s *Server) toHandoverJSON(h *store.Handover) map[string]any {
	return map[string]any{"id": h.ID, "org_id": h.OrgID, "from_shift_id": h.FromShiftID, "to_shift_id": h.ToShiftID, "given_by": h.GivenBy,
		"notes": h.Notes, "open_items": h.OpenItems, "created_at": ts(h.CreatedAt, s.Loc), "confirmed_by": idPtr(h.ConfirmedBy),
		"confirmed_at": tsPtr(h.ConfirmedAt, s.Loc)}
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

// NowJSON renders who is on duty (shared with the CLI's --json).
func (s *Server) NowJSON(v *service.NowView, l i18n.Lang) map[string]any {
	periods := make([]periodJSON, 0, len(v.Periods))
	for _, p := range v.Periods {
		periods = append(periods, s.toPeriodJSON(p))
	}
	out := map[string]any{"at": ts(v.At, s.Loc), "org_id": v.OrgID, "on_duty": v.Current != nil, "current": s.toShiftJSON(v.Current, l),
		"next": s.toShiftJSON(v.Next, l), "heightened": v.Heightened, "periods": periods,
		"required": staffJSON{v.Required.Leaders, v.Required.Officers}, "handover": nil}
	if v.Current != nil {
		out["leader"], out["officers"] = out["current"].(*shiftJSON).Leader, out["current"].(*shiftJSON).Officers
	} else {
		out["leader"], out["officers"] = nil, []personJSON{}
	}
	if v.Handover != nil {
		out["handover"] = s.toHandoverJSON(v.Handover)
	}
	return out
}

func (s *Server) apiDutyNow(w http.ResponseWriter, r *http.Request, u *user.User) error {
	org, err := queryOrg(r)
	if err != nil {
		return err
	}
	v, err := s.Svc.DutyNow(r.Context(), u, org)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.NowJSON(v, lang(r)))
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
	sc, err := s.Svc.DutySchedule(r.Context(), u, org, from, from.AddDate(0, 0, days))
	if err != nil {
		return err
	}
	l := lang(r)
	shifts := make([]*shiftJSON, 0, len(sc.Shifts))
	for _, v := range sc.Shifts {
		shifts = append(shifts, s.toShiftJSON(v, l))
	}
	gaps := make([]map[string]string, 0, len(sc.Gaps))
	for _, g := range sc.Gaps {
		gaps = append(gaps, map[string]string{"start": ts(g.Start, s.Loc), "end": ts(g.End, s.Loc)})
	}
	periods := make([]periodJSON, 0, len(sc.Periods))
	for _, p := range sc.Periods {
		periods = append(periods, s.toPeriodJSON(p))
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
	now := s.Svc.Now().In(s.Loc)
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
		if err != nil || n < 1 || n > service.MaxRotationDays {
			return from, 0, errs.Field("days", "duty.days_range", service.MaxRotationDays)
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
	sh, err := s.Svc.CreateShift(r.Context(), u, service.ShiftInput{Kind: b.Kind, Start: start, End: end, LeaderID: b.LeaderID, OfficerIDs: b.OfficerIDs, Note: b.Note})
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
	shifts, err := s.Svc.CreateRotation(r.Context(), u, s.Loc, service.RotationInput{Kind: b.Kind, First: first, Days: b.Days, DayStart: ds,
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
	c, err := s.Svc.RequestChange(r.Context(), u, id, service.ChangeInput{Role: b.Role, FromUserID: b.FromUserID, ToUserID: b.ToUserID, Reason: b.Reason})
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
	c, err := s.Svc.DecideChange(r.Context(), u, id, b.Decision == "approve")
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
	h, err := s.Svc.HandOver(r.Context(), u, id, b.Notes, b.OpenItems)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.toHandoverJSON(h))
	return nil
}

func (s *Server) apiHandovers(w http.ResponseWriter, r *http.Request, u *user.User) error {
	org, err := queryOrg(r)
	if err != nil {
		return err
	}
	list, err := s.Svc.Handovers(r.Context(), u, org)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, h := range list {
		out = append(out, s.toHandoverJSON(h))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) apiConfirmHandover(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	h, err := s.Svc.ConfirmHandover(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.toHandoverJSON(h))
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
	list, err := s.Svc.DutyLog(r.Context(), u, org, before, 50)
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

func (b *createIncidentBody) newIncident() (service.NewIncident, error) {
	ni := service.NewIncident{Title: b.Title, Category: b.Category, GBClass: b.GBClass, Level: b.Level, DiscoveryMethod: b.DiscoveryMethod, Description: b.Description}
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
	in := service.LogInput{Place: b.Place, What: b.What, Measures: b.Measures, Informed: b.Informed, ReporterUnit: b.ReporterUnit,
		ReporterName: b.ReporterName, ReporterPhone: b.ReporterPhone}
	var err error
	if b.At == "" {
		in.At = s.Svc.Now()
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
	e, inc, err := s.Svc.AddLog(r.Context(), u, in)
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
	inc, err := s.Svc.LogToIncident(r.Context(), u, id, ni)
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
	sc, err := s.Svc.DutySchedule(r.Context(), u, org, from, from.AddDate(0, 0, days))
	if err != nil {
		return err
	}
	out := make([]periodJSON, 0, len(sc.Periods))
	for _, p := range sc.Periods {
		out = append(out, s.toPeriodJSON(p))
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
	if err := s.Svc.DeclarePeriod(r.Context(), u, p); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.toPeriodJSON(p))
	return nil
}

func (s *Server) apiFeedToken(w http.ResponseWriter, r *http.Request, u *user.User) error {
	tok, err := s.Svc.IssueFeedToken(r.Context(), u)
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
		u, err = s.Svc.FeedUser(r.Context(), tok)
	} else {
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		u, err = s.Svc.Authenticate(r.Context(), strings.TrimSpace(token))
	}
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	now := s.Svc.Now()
	sc, err := s.Svc.DutySchedule(r.Context(), u, 0, now.AddDate(0, 0, -7), now.AddDate(0, 0, 56))
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Write([]byte(Calendar(sc, now, i18n.ZH)))
}

// Calendar renders a schedule as an RFC 5545 calendar with UTC times.
func Calendar(sc *service.Schedule, stamp time.Time, l i18n.Lang) string {
	var b strings.Builder
	line := func(s string) { b.WriteString(foldICS(s)) }
	utc := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//yingji//duty roster//ZH")
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:" + escICS("值班表"))
	line("X-WR-TIMEZONE:Asia/Shanghai")
	for _, v := range sc.Shifts {
		sh := v.Shift
		var names []string
		for _, o := range v.Officers {
			names = append(names, o.DisplayName)
		}
		leader := "（未排）"
		if v.Leader != nil {
			leader = v.Leader.DisplayName
		}
		summary := i18n.T(l, "duty.kind."+string(sh.Kind)) + " 值班领导：" + leader + "；值班员：" + strings.Join(names, "、")
		if !sh.Staffed() {
			summary = "【缺岗】" + summary
		}
		line("BEGIN:VEVENT")
		line("UID:shift-" + strconv.FormatInt(sh.ID, 10) + "@yingji")
		line("DTSTAMP:" + utc(stamp))
		line("DTSTART:" + utc(sh.Start))
		line("DTEND:" + utc(sh.End))
		line("SUMMARY:" + escICS(summary))
		if sh.Note != "" {
			line("DESCRIPTION:" + escICS(sh.Note))
		}
		line("END:VEVENT")
	}
	for _, p := range sc.Periods {
		line("BEGIN:VEVENT")
		line("UID:period-" + strconv.FormatInt(p.ID, 10) + "@yingji")
		line("DTSTAMP:" + utc(stamp))
		line("DTSTART:" + utc(p.Start))
		line("DTEND:" + utc(p.End))
		line("SUMMARY:" + escICS("【敏感时期】"+p.Name+" "+p.Level))
		line("DESCRIPTION:" + escICS("值班领导不少于 "+strconv.Itoa(p.MinLeaders)+" 人，值班员不少于 "+strconv.Itoa(p.MinOfficers)+" 人。\n"+p.Note))
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.String()
}

// escICS escapes a TEXT value (RFC 5545 3.3.11).
func escICS(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// foldICS ends a content line with CRLF, folding it at 75 octets without
// splitting a UTF-8 sequence (RFC 5545 3.1).
func foldICS(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		size := len(string(r))
		if n+size > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += size
	}
	b.WriteString("\r\n")
	return b.String()
}
