package console

import (
	"net/http"
	"time"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/unitreport"
	"yingji/internal/unitreports"
)

// maxUnitForm bounds the unit's form: the text and up to 20 files' names
// and hashes, far under this.
const maxUnitForm = 64 << 10

// unitFormFields are the form's fields in the order shown: the input each
// error is shown next to and the label the summary names it by.
var unitFormFields = []struct{ Name, ID, Label string }{
	{"system", "u-system", "unitrep.system"},
	{"happened_at", "u-when", "unitrep.happened_at"},
	{"what", "u-what", "unitrep.what"},
	{"contact_name", "u-name", "unitrep.contact_name"},
	{"contact_phone", "u-phone", "unitrep.contact_phone"},
	{"attachments", "u-files", "unitrep.attachments"},
}

// unitFormError is one line of the summary at the top of the form.
type unitFormError struct{ ID, Text string }

// unitForm is the unit's page: GET shows the form (or why the link takes
// no report); POST takes the report and shows the receipt number. A
// refused report shows every field's error at once, each next to its field
// and all in a summary at the top, with what the unit typed kept.
func (s *Server) unitForm(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w)
	w.Header().Set("Referrer-Policy", "no-referrer") // the token is in the path
	c := &req{l: consoleLang(r)}
	tok := r.PathValue("token")
	o, err := s.App.UnitReports.Open(r.Context(), tok)
	if err != nil {
		s.renderError(w, r, c, err)
		return
	}
	data := map[string]any{"Open": o, "Token": tok, "Max": unitreport.MaxAttachments, "Errors": map[string]string{}}
	st := http.StatusOK
	if r.Method == http.MethodPost && o.State == unitreport.LinkOpen {
		rep, ferr := s.readUnitForm(w, r, c)
		switch {
		case ferr == nil:
			var done *unitreport.Report
			if done, ferr = s.App.UnitReports.Submit(r.Context(), tok, rep); ferr == nil {
				rep = done
			}
		case rep != nil: // some fields could not be read: say what else is wrong too
			all := errs.Fields(errs.FieldErrors(ferr))
			for _, e := range errs.FieldErrors(s.App.UnitReports.Check(rep)) {
				all.Add(e)
			}
			ferr = all.Err()
		}
		switch {
		case ferr == nil:
			data["Receipt"] = rep.Receipt
		case errs.CodeOf(ferr) == errs.Invalid || errs.CodeOf(ferr) == errs.Conflict:
			data["Form"] = r.PostForm
			if rep != nil {
				data["Kept"] = rep.Attachments
			}
			st = http.StatusUnprocessableEntity
			if errs.CodeOf(ferr) == errs.Conflict {
				st = http.StatusConflict
			}
			if byField, summary := unitFormErrors(c.l, ferr); byField != nil {
				data["Errors"], data["Summary"] = byField, summary
			} else {
				data["Error"] = errText(c.l, ferr)
			}
		default:
			s.renderError(w, r, c, ferr)
			return
		}
		if o2, err := s.App.UnitReports.Open(r.Context(), tok); err == nil {
			data["Open"] = o2
		}
	}
	if o, _ := data["Open"].(*unitreports.Opened); o.State == unitreport.LinkExpired || o.State == unitreport.LinkRevoked {
		st = http.StatusGone
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "unitrep.form_title"), "")
	p.Data = data
	s.render(w, st, "unitform", p)
}

// unitFormErrors sorts the field errors err carries by the form's fields:
// each field's message (shown next to it) and the summary in the form's
// order. nil when err names none of the form's fields.
func unitFormErrors(l i18n.Lang, err error) (map[string]string, []unitFormError) {
	byField := map[string]string{}
	for _, e := range errs.FieldErrors(err) {
		byField[e.Field] = i18n.T(l, e.Key, e.Args...)
	}
	var summary []unitFormError
	for _, f := range unitFormFields {
		if msg, ok := byField[f.Name]; ok {
			summary = append(summary, unitFormError{ID: f.ID, Text: i18n.T(l, "error.field_in", i18n.T(l, f.Label), msg)})
		}
	}
	if summary == nil {
		return nil, nil
	}
	return byField, summary
}

// readUnitForm reads the report the form posted; the attachments come as
// lines "SHA256 SIZE NAME" that the page's script computed. A field that
// cannot be read is left empty and named in the errs.Fields answered with
// the report; a form that cannot be read at all answers no report.
func (s *Server) readUnitForm(w http.ResponseWriter, r *http.Request, c *req) (*unitreport.Report, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUnitForm)
	if err := r.ParseForm(); err != nil {
		return nil, errs.Field("body", "error.body_too_large")
	}
	if err := cleanForm(r, c.l); err != nil {
		return nil, err
	}
	rep := &unitreport.Report{What: r.PostFormValue("what"), System: r.PostFormValue("system"),
		ContactName: r.PostFormValue("contact_name"), ContactPhone: r.PostFormValue("contact_phone")}
	var bad errs.Fields
	if v := r.PostFormValue("happened_at"); v != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", v, s.loc())
		if err != nil {
			bad.Add(errs.Field("happened_at", "error.bad_time"))
		}
		rep.HappenedAt = t
	}
	var err error
	if rep.Attachments, err = unitreport.ParseAttachments(r.PostFormValue("attachments")); err != nil {
		bad.Add(err)
	}
	return rep, bad.Err()
}
