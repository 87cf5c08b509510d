package console

import (
	"net/http"
	"strconv"
	"time"

	"yingji/internal/access"
	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/incidents"
	"yingji/internal/rota"
)

// The duty log (值班记录) on /duty: the duty officer records each call or
// report received; an entry becomes an incident in one step.

// logPage is how many log entries /duty shows at once.
const logPage = 20

// logFields are the log form's fields, in the form's order.
var logFields = []string{"at", "place", "what", "measures", "informed", "informed_at", "reporter_unit", "reporter_name", "reporter_phone"}

// logForm is the log form's values and errors when it comes back with bad input.
type logForm struct {
	V      map[string]string
	Errors map[string]string
	// Which is the form that came back: "" the log form, "rotation" the
	// rotation form (Multi holds its multi-selects).
	Which string
	Multi map[string][]string
}

// dutyLogData loads the log list (newest first, from ?before=) and what
// its forms need.
func (s *Server) dutyLogData(r *http.Request, c *req, f *logForm) (map[string]any, error) {
	var before int64
	if b := r.URL.Query().Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n <= 0 {
			return nil, errs.Field("before", "error.bad_id", b)
		}
		before = n
	}
	list, err := s.App.Rota.DutyLog(r.Context(), c.u, 0, before, logPage+1)
	if err != nil {
		return nil, err
	}
	var next int64
	if len(list) > logPage {
		list = list[:logPage]
		next = list[logPage-1].ID
	}
	// The recorders of the entries shown, by id, not every account.
	recorders := make([]int64, 0, len(list))
	for _, e := range list {
		recorders = append(recorders, e.RecorderID)
	}
	names, err := s.App.Accounts.UserNames(r.Context(), recorders)
	if err != nil {
		return nil, err
	}
	pl, err := s.App.Dashboard.PlanFor(r.Context(), c.u)
	if err != nil {
		return nil, err
	}
	if f == nil {
		f = &logForm{V: map[string]string{"at": s.App.Core.Now().In(s.loc()).Format(formTime)}}
	}
	return map[string]any{"Log": list, "LogNext": next, "LogBefore": before, "Names": names, "Plan": pl,
		"CanLog": access.MayKeepDutyLog(c.u), "LogForm": f}, nil
}

func (s *Server) logSubmit(w http.ResponseWriter, r *http.Request, c *req) error {
	v := map[string]string{}
	for _, k := range logFields {
		v[k] = r.PostFormValue(k)
	}
	in := rota.LogInput{LogFields: duty.LogFields{Place: v["place"], What: v["what"], Measures: v["measures"], Informed: v["informed"],
		ReporterUnit: v["reporter_unit"], ReporterName: v["reporter_name"], ReporterPhone: v["reporter_phone"]}}
	var err error
	if v["at"] != "" {
		t, perr := time.ParseInLocation(formTime, v["at"], s.loc())
		if perr != nil {
			err = errs.Field("at", "error.bad_form_time")
		}
		in.At = t
	}
	if err == nil && v["informed_at"] != "" {
		t, perr := time.ParseInLocation(formTime, v["informed_at"], s.loc())
		if perr != nil {
			err = errs.Field("informed_at", "error.bad_form_time")
		}
		in.InformedAt = &t
	}
	if err == nil {
		_, _, err = s.App.Rota.AddLog(r.Context(), c.u, in)
	}
	if e := errs.As(err); err != nil && e.Code == errs.Invalid {
		f := &logForm{V: v, Errors: map[string]string{e.Field: i18n.T(c.l, e.Key, e.Args...)}}
		return s.renderDuty(w, r, c, http.StatusBadRequest, f)
	}
	if err != nil {
		return err
	}
	setFlash(w, r, "ok", i18n.T(c.l, "dlog.recorded"))
	http.Redirect(w, r, "/duty#h-log", http.StatusSeeOther)
	return nil
}

// logIncident registers an incident from a log entry and goes to its page.
func (s *Server) logIncident(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	ni := incidents.NewIncident{Title: r.PostFormValue("title"), Category: r.PostFormValue("category")}
	if ni.Level, err = strconv.Atoi(r.PostFormValue("level")); err != nil {
		return done(w, r, c, "/duty", errs.Field("level", "error.level_range"), "")
	}
	inc, err := s.App.Rota.LogToIncident(r.Context(), c.u, id, ni)
	if err != nil {
		return done(w, r, c, "/duty", err, "")
	}
	setFlash(w, r, "ok", i18n.T(c.l, "new.done", inc.Number))
	http.Redirect(w, r, incidentURL(inc.ID), http.StatusSeeOther)
	return nil
}

// dutyMore adds the log (and its form) to the /duty page's data.
func (s *Server) dutyMore(r *http.Request, c *req, data map[string]any, f *logForm) error {
	if f != nil && f.Which == "rotation" {
		data["RotForm"], f = f, nil
	}
	more, err := s.dutyLogData(r, c, f)
	if err != nil {
		return err
	}
	for k, v := range more {
		data[k] = v
	}
	return s.rosterData(r, c, data)
}
