package console

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/report"
	"yingji/internal/reports"
	"yingji/internal/user"
	"yingji/internal/web/timeline"
)

// The report console: the report page with its forms, the document
// downloads and the timeliness view. Handlers decode the form, call one
// service method and redirect (POST/redirect/GET).

func reportURL(id int64) string { return "/reports/" + itoa64(id) }

// seqName is 第N期 for a daily report, 续报N for a follow-up, else "".
func seqName(l i18n.Lang, r *incident.Report) string {
	switch r.Kind {
	case report.Daily:
		return i18n.T(l, "rc.seq.daily", r.Seq)
	case report.Followup:
		if l == i18n.ZH {
			return "续报" + report.ChineseNumber(r.Seq)
		}
		return i18n.T(l, "rc.seq.followup", r.Seq)
	}
	return ""
}

// onTime is "on_time" or "late" for a submitted report bound to a deadline,
// "" otherwise.
func onTime(r *incident.Report) string {
	if r.DueAt == nil || r.SubmittedAt == nil {
		return ""
	}
	if r.SubmittedAt.After(*r.DueAt) {
		return "late"
	}
	return "on_time"
}

func fieldValue(f *report.Fields, k string) string {
	for _, s := range f.Sections() {
		if s.Key == k {
			return s.Text
		}
	}
	switch k {
	case "reporting_unit":
		return f.ReportingUnit
	case "contact":
		return f.Contact
	case "phone":
		return f.Phone
	case "copy_no", "secrecy", "secrecy_term", "urgency": // issue 15
		return f.Get(k)
	}
	return ""
}

func (s *Server) createReport(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	rep, err := s.App.Reports.CreateReport(r.Context(), c.u, id, r.PostFormValue("kind"))
	if err != nil {
		return done(w, r, c, incidentURL(id)+"#h-reports", err, "")
	}
	setFlash(w, r, "ok", i18n.T(c.l, "rc.done.drafted", rep.Title))
	http.Redirect(w, r, reportURL(rep.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	v, err := s.App.Reports.GetReport(r.Context(), c.u, id)
	if err != nil {
		return err
	}
	versions, err := s.App.Reports.ListReports(r.Context(), c.u, v.Incident.ID)
	if err != nil {
		return err
	}
	var chain []*report.Report
	for _, o := range versions {
		if o.Kind == v.Report.Kind && o.Seq == v.Report.Seq {
			chain = append(chain, o)
		}
	}
	sources, err := s.reportSources(r, c, v)
	if err != nil {
		return err
	}
	p := s.newPage(w, r, c, v.Report.Title, "incidents")
	p.Loc = v.Plan.Location
	p.Live = "/events?incident=" + itoa64(v.Incident.ID)
	data := map[string]any{"V": v, "R": v.Report, "Chain": chain, "Sources": sources, "URL": reportURL(id),
		"Fields": report.FieldKeys, "Sections": v.Report.Fields.Sections(), "Mark": onTime(&v.Report.Report),
		"Secrecy": report.SecrecyLevels, "Urgency": report.Urgencies} // issue 15: the marking's choices
	if report.Editable(v.Report.Status) && !v.Can["sign"] {
		if e := reports.SignRefusal(c.u, v.Report, v.Incident); e != nil {
			data["NoSign"] = errText(c.l, e)
		}
	}
	p.Data = data
	s.render(w, http.StatusOK, "report", p)
	return nil
}

func (s *Server) editReport(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	patch := reports.ReportPatch{Fields: map[string]string{}}
	if r.PostForm.Has("title") {
		t := r.PostFormValue("title")
		patch.Title = &t
	}
	for _, k := range report.FieldKeys {
		if r.PostForm.Has(k) {
			patch.Fields[k] = r.PostFormValue(k)
		}
	}
	_, err = s.App.Reports.EditReport(r.Context(), c.u, id, patch)
	if e := errs.As(err); err != nil && e.Code == errs.Invalid && e.Field != "" {
		// Name the report's own field, not the console's generic label.
		label := i18n.T(c.l, "rc.field."+strings.TrimPrefix(e.Field, "fields."))
		return back(w, r, reportURL(id), "error", i18n.T(c.l, "error.field_in", label, i18n.T(c.l, e.Key, e.Args...)))
	}
	return done(w, r, c, reportURL(id), err, i18n.T(c.l, "rc.done.saved"))
}

// reportStep is a button on the report page: one service call, then back.
// A correction goes to the new version.
func (s *Server) reportStep(do func(ctx context.Context, u *user.User, id int64) (*report.Report, error), ok string) consoleHandler {
	return func(w http.ResponseWriter, r *http.Request, c *req) error {
		id, err := pathID(r, "id")
		if err != nil {
			return errs.New(errs.NotFound, "error.page_not_found")
		}
		rep, err := do(r.Context(), c.u, id)
		to := reportURL(id)
		if err == nil && rep.ID != id {
			to = reportURL(rep.ID)
		}
		if err == nil {
			setFlash(w, r, "ok", i18n.T(c.l, ok))
			http.Redirect(w, r, to, http.StatusSeeOther)
			return nil
		}
		return done(w, r, c, to, err, "")
	}
}

// reportDocument streams the DOCX or PDF with its Chinese file name.
func (s *Server) reportDocument(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	format := r.URL.Query().Get("format")
	b, _, err := s.App.Reports.ReportDocument(r.Context(), c.u, id, format)
	if err != nil {
		return err
	}
	v, err := s.App.Reports.GetReport(r.Context(), c.u, id)
	if err != nil {
		return err
	}
	name := v.Incident.Number + "-" + v.Report.Title
	if v.Report.Version > 1 {
		name += "-" + i18n.T(i18n.ZH, "rc.version_n", v.Report.Version)
	}
	name += "." + format
	ct := "application/pdf"
	if format == "docx" {
		ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="report-`+itoa64(id)+`.`+format+`"; filename*=UTF-8''`+url.PathEscape(name))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
	return nil
}

func (s *Server) timelinessPage(w http.ResponseWriter, r *http.Request, c *req) error {
	q := r.URL.Query()
	loc := s.loc()
	var f reports.TimelinessFilter
	vals := map[string]string{"from": q.Get("from"), "to": q.Get("to")}
	for name, t := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := vals[name]; v != "" {
			d, err := time.ParseInLocation("2006-01-02", v, loc)
			if err != nil {
				return errs.Field(name, "error.bad_time")
			}
			if name == "to" {
				d = d.AddDate(0, 0, 1) // the form's "to" day is included
			}
			*t = d
		}
	}
	t, err := s.App.Reports.Timeliness(r.Context(), c.u, f)
	if err != nil {
		return err
	}
	if vals["from"] == "" {
		vals["from"] = t.From.In(loc).Format("2006-01-02")
	}
	if vals["to"] == "" {
		vals["to"] = t.To.In(loc).Add(-time.Nanosecond).Format("2006-01-02")
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "rc.tl.title"), "timeliness")
	p.Data = map[string]any{"T": t, "From": vals["from"], "To": vals["to"]}
	s.render(w, http.StatusOK, "timeliness", p)
	return nil
}

// maxSources caps the sources listed on the page; the API lists them all.
const maxSources = 300

// reportSources renders the timeline entries a draft was made from.
func (s *Server) reportSources(r *http.Request, c *req, v *reports.ReportView) ([]string, error) {
	ids := v.Report.Sources
	if len(ids) == 0 {
		return nil, nil
	}
	src := map[int64]bool{}
	lo := ids[0]
	for _, id := range ids {
		src[id], lo = true, min(lo, id)
	}
	tl, err := s.App.Incidents.Timeline(r.Context(), c.u, v.Incident.ID, lo-1, 5000)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range tl {
		if src[e.ID] && len(out) < maxSources {
			out = append(out, timeIn(c.l, v.Plan.Location, e.At)+"　"+timeline.EntryText(c.l, e))
		}
	}
	return out, nil
}
