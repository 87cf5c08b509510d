package console

import (
	"net/http"
	"strconv"
	"time"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/incidents"
)

// The console's forms for corrections (修改事件信息) and 批示.

// correctIncident takes the correction form. The form shows every field
// with its current value; only what differs is corrected (the service
// compares), and the discovery time only when its minutes changed, since
// the form cannot show seconds.
func (s *Server) correctIncident(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	title, desc := r.PostFormValue("title"), r.PostFormValue("description")
	corr := incidents.Correction{Title: &title, Description: &desc, Reason: r.PostFormValue("reason")}
	if lv := r.PostFormValue("level"); lv != "" {
		n, perr := strconv.Atoi(lv)
		if perr != nil {
			return done(w, r, c, incidentURL(id), errs.Field("level", "error.level_range"), "")
		}
		corr.Level = &n
	}
	if r.PostForm.Has("category") {
		cat := r.PostFormValue("category")
		corr.Category = &cat
	}
	if v := r.PostFormValue("discovered_at"); v != "" && v != r.PostFormValue("discovered_at_was") {
		t, perr := time.ParseInLocation(formTime, v, s.loc())
		if perr != nil {
			return done(w, r, c, incidentURL(id), errs.Field("discovered_at", "error.bad_form_time"), "")
		}
		corr.DiscoveredAt = &t
	}
	_, err = s.App.Incidents.CorrectIncident(r.Context(), c.u, id, corr)
	return done(w, r, c, incidentURL(id), err, i18n.T(c.l, "done.corrected"))
}

func (s *Server) postInstruction(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	text := r.PostFormValue("text") // parses the form
	ni := incidents.NewInstruction{Text: text, Departments: r.PostForm["departments"]}
	for _, v := range r.PostForm["people"] {
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil {
			return done(w, r, c, incidentURL(id), errs.Field("people", "error.unknown_addressee", v), "")
		}
		ni.People = append(ni.People, n)
	}
	_, err = s.App.Incidents.PostInstruction(r.Context(), c.u, id, ni)
	return done(w, r, c, incidentURL(id)+"#instructions", err, i18n.T(c.l, "done.instructed"))
}

func (s *Server) ackInstruction(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	ins, err := s.App.Incidents.AckInstruction(r.Context(), c.u, id)
	fallback := "/"
	if ins != nil {
		fallback = incidentURL(ins.IncidentID) + "#instructions"
	}
	return done(w, r, c, fallback, err, i18n.T(c.l, "done.instruction_acked"))
}

func (s *Server) doneInstruction(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	ins, err := s.App.Incidents.DoneInstruction(r.Context(), c.u, id, r.PostFormValue("result"))
	fallback := "/"
	if ins != nil {
		fallback = incidentURL(ins.IncidentID) + "#instructions"
	}
	return done(w, r, c, fallback, err, i18n.T(c.l, "done.instruction_done"))
}
