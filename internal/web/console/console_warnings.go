package console

import (
	"net/http"
	"strconv"
	"time"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/warning"
	"yingji/internal/warnings"
)

// Public warnings (预警信息), issue 14: the office's pages. The public
// outputs are console_public.go.

// warningPages are parsed with the form fields they share (parsePages).
var warningPages = []string{"warnings", "warning"}

func warningURL(id int64) string { return "/warnings/" + strconv.FormatInt(id, 10) }

func (s *Server) warningsPage(w http.ResponseWriter, r *http.Request, c *req) error {
	var incidentID int64
	if v := r.URL.Query().Get("incident"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return errs.New(errs.NotFound, "error.page_not_found")
		}
		incidentID = id
	}
	list, err := s.App.Warnings.List(r.Context(), c.u, incidentID)
	if err != nil {
		return err
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "wc.title"), "warnings")
	now := s.App.Core.Now().In(s.loc())
	p.Data = map[string]any{"Items": list, "Levels": warning.Levels, "Incident": incidentID,
		"Effective": now.Format(formTime), "Expires": now.Add(72 * time.Hour).Format(formTime)}
	s.render(w, http.StatusOK, "warnings", p)
	return nil
}

// incidentWarnings is the incident page's link: its warnings and the
// draft form for it.
func (s *Server) incidentWarnings(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	http.Redirect(w, r, "/warnings?incident="+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// warningInput reads the draft form.
func (s *Server) warningInput(r *http.Request) (warnings.Input, error) {
	in := warnings.Input{Level: r.PostFormValue("level"), Event: r.PostFormValue("event"), Headline: r.PostFormValue("headline"),
		Description: r.PostFormValue("description"), Instruction: r.PostFormValue("instruction"), Area: r.PostFormValue("area")}
	if v := r.PostFormValue("incident"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return in, errs.Field("incident", "error.bad_id", v)
		}
		in.IncidentID = id
	}
	var err error
	if in.Effective, err = s.formTime(r, "effective"); err != nil {
		return in, err
	}
	in.Expires, err = s.formTime(r, "expires")
	return in, err
}

func (s *Server) draftWarning(w http.ResponseWriter, r *http.Request, c *req) error {
	in, err := s.warningInput(r)
	if err != nil {
		return done(w, r, c, "/warnings", err, "")
	}
	m, err := s.App.Warnings.Draft(r.Context(), c.u, in)
	if err != nil {
		return done(w, r, c, "/warnings", err, "")
	}
	return back(w, r, warningURL(m.ID), "ok", i18n.T(c.l, "wc.done.draft"))
}

func (s *Server) warningPage(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	v, err := s.App.Warnings.Get(r.Context(), c.u, id)
	if err != nil {
		return err
	}
	p := s.newPage(w, r, c, v.Headline, "warnings")
	data := map[string]any{"V": v, "CAP": warnings.CAPPath(v.UUID), "Levels": warning.Levels}
	p.Data = data
	if v.IncidentID != 0 { // named by its number, as everywhere; no link where he may not know it
		switch iv, err := s.App.Incidents.GetIncident(r.Context(), c.u, v.IncidentID); {
		case err == nil:
			data["Incident"] = iv.Incident
		case errs.CodeOf(err) != errs.NotFound:
			return err
		}
	}
	s.render(w, http.StatusOK, "warning", p)
	return nil
}

// warningStep runs one change on a message and goes back to its page.
func (s *Server) warningStep(step string) consoleHandler {
	return func(w http.ResponseWriter, r *http.Request, c *req) error {
		id, err := pathID(r, "id")
		if err != nil {
			return errs.New(errs.NotFound, "error.page_not_found")
		}
		ctx, target, ok := r.Context(), warningURL(id), ""
		switch step {
		case "approval":
			_, err = s.App.Warnings.Approve(ctx, c.u, id, r.PostFormValue("note"))
			ok = i18n.T(c.l, "wc.done.approve")
		case "release":
			_, err = s.App.Warnings.Release(ctx, c.u, id)
			ok = i18n.T(c.l, "wc.done.release")
		default: // update, cancel
			in, ferr := s.warningInput(r)
			if ferr != nil {
				return done(w, r, c, target, ferr, "")
			}
			m, rerr := s.App.Warnings.Revise(ctx, c.u, id, step, in)
			if err = rerr; m != nil {
				target = warningURL(m.ID)
			}
			ok = i18n.T(c.l, "wc.done.draft")
		}
		return done(w, r, c, target, err, ok)
	}
}
