package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/report"
	"yingji/internal/reports"
	"yingji/internal/user"
)

// openapiReport holds the OpenAPI paths of the report endpoints. They are
// merged into the served document at start-up until the lead moves them into
// openapi.json (then this file and the merge go).
//

type reportFullJSON struct {
	ID                 int64            `json:"id"`
	IncidentID         int64            `json:"incident_id"`
	Kind               string           `json:"kind"`
	KindName           string           `json:"kind_name"`
	Seq                int              `json:"seq"`
	Version            int              `json:"version"`
	Supersedes         *int64           `json:"supersedes"`
	SupersededBy       *int64           `json:"superseded_by"`
	Title              string           `json:"title"`
	Status             string           `json:"status"`
	StatusName         string           `json:"status_name"`
	Fields             report.Fields    `json:"fields"`
	Body               string           `json:"body"`
	Sources            []int64          `json:"sources"`
	DueAt              *string          `json:"due_at"`
	DocNumber          string           `json:"doc_number"`
	Recipients         []string         `json:"recipients"`
	AuthorID           int64            `json:"author_id"`
	Editors            []int64          `json:"editors"`
	SignoffRequestedAt *string          `json:"signoff_requested_at"`
	SignerID           *int64           `json:"signer_id"`
	SignedAt           *string          `json:"signed_at"`
	SubmittedBy        *int64           `json:"submitted_by"`
	SubmittedAt        *string          `json:"submitted_at"`
	SHA256             string           `json:"sha256"`
	CreatedAt          string           `json:"created_at"`
	UpdatedAt          string           `json:"updated_at"`
	Submissions        []submissionJSON `json:"submissions,omitempty"`
	AllowedActions     []string         `json:"allowed_actions,omitempty"`
}

type submissionJSON struct {
	Recipient   string `json:"recipient"`
	Name        string `json:"name"`
	SubmittedAt string `json:"submitted_at"`
}

func toReportJSON(r *report.Report, loc *time.Location, l i18n.Lang) reportFullJSON {
	sources := r.Sources
	if sources == nil {
		sources = []int64{}
	}
	recipients := r.Recipients
	if recipients == nil {
		recipients = []string{}
	}
	editors := r.Editors
	if editors == nil {
		editors = []int64{}
	}
	return reportFullJSON{
		ID: r.ID, IncidentID: r.IncidentID, Kind: r.Kind, KindName: i18n.T(l, "report.kind."+r.Kind), Seq: r.Seq, Version: r.Version,
		Supersedes: idPtr(r.Supersedes), SupersededBy: idPtr(r.SupersededBy), Title: r.Title, Status: r.Status,
		StatusName: i18n.T(l, "report.status."+r.Status), Fields: r.Fields, Body: r.Body, Sources: sources, DueAt: tsPtr(r.DueAt, loc),
		DocNumber: r.DocNumber, Recipients: recipients, AuthorID: r.AuthorID, Editors: editors, SignoffRequestedAt: tsPtr(r.SignoffRequestedAt, loc),
		SignerID: idPtr(r.SignerID), SignedAt: tsPtr(r.SignedAt, loc), SubmittedBy: idPtr(r.SubmittedBy), SubmittedAt: tsPtr(r.SubmittedAt, loc),
		SHA256: r.SHA256, CreatedAt: ts(r.CreatedAt, loc), UpdatedAt: ts(r.UpdatedAt, loc),
	}
}

func (s *Server) apiListReports(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.App.Reports.ListReports(r.Context(), u, id)
	if err != nil {
		return err
	}
	l := lang(r)
	writeItems(w, list, func(rp *report.Report) reportFullJSON { return toReportJSON(rp, s.Loc, l) })
	return nil
}

type createReportBody struct {
	Kind string `json:"kind"`
}

func (s *Server) apiCreateReport(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[createReportBody](r)
	if err != nil {
		return err
	}
	rp, err := s.App.Reports.CreateReport(r.Context(), u, id, b.Kind)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toReportJSON(rp, s.Loc, lang(r)))
	return nil
}

func (s *Server) writeReportView(w http.ResponseWriter, r *http.Request, u *user.User, id int64, st int) error {
	v, err := s.App.Reports.GetReport(r.Context(), u, id)
	if err != nil {
		return err
	}
	loc := v.Plan.Location
	out := toReportJSON(v.Report, loc, lang(r))
	for _, sub := range v.Submissions {
		out.Submissions = append(out.Submissions, submissionJSON{Recipient: sub.RecipientKey, Name: sub.RecipientName, SubmittedAt: ts(sub.SubmittedAt, loc)})
	}
	out.AllowedActions = []string{}
	for _, a := range []string{"edit", "request_signoff", "sign", "submit", "correct"} {
		if v.Can[a] {
			out.AllowedActions = append(out.AllowedActions, a)
		}
	}
	writeJSON(w, st, out)
	return nil
}

func (s *Server) apiGetReport(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.writeReportView(w, r, u, id, http.StatusOK)
}

type editReportBody struct {
	Title  *string           `json:"title"`
	Fields map[string]string `json:"fields"`
}

func (s *Server) apiEditReport(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[editReportBody](r)
	if err != nil {
		return err
	}
	if _, err := s.App.Reports.EditReport(r.Context(), u, id, reports.ReportPatch{Title: b.Title, Fields: b.Fields}); err != nil {
		return err
	}
	return s.writeReportView(w, r, u, id, http.StatusOK)
}

func (s *Server) reportAction(call func(context.Context, *user.User, int64) (*report.Report, error)) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, u *user.User) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if _, err := call(r.Context(), u, id); err != nil {
			return err
		}
		return s.writeReportView(w, r, u, id, http.StatusOK)
	}
}

func (s *Server) apiRequestSignoff(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.reportAction(s.App.Reports.RequestSignoff)(w, r, u)
}

func (s *Server) apiSignReport(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.reportAction(s.App.Reports.SignReport)(w, r, u)
}

func (s *Server) apiSubmitReport(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.reportAction(s.App.Reports.SubmitReport)(w, r, u)
}

func (s *Server) apiCorrectReport(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rp, err := s.App.Reports.CorrectReport(r.Context(), u, id)
	if err != nil {
		return err
	}
	return s.writeReportView(w, r, u, rp.ID, http.StatusCreated)
}

func (s *Server) apiReportDocument(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return serveDocument(w, r, u, s.App.Reports.ReportDocument)
}

// serveDocument answers the official document of the record at {id}
// (a report, a 通报) in the ?format= asked for, DOCX by default.
func serveDocument(w http.ResponseWriter, r *http.Request, u *user.User, render func(context.Context, *user.User, int64, string) ([]byte, string, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "docx"
	}
	b, name, err := render(r.Context(), u, id, format)
	if err != nil {
		return err
	}
	writeDocument(w, b, name, format)
	return nil
}

// writeDocument sends an official document (a report's, a 通报's) as an
// attachment: DOCX or PDF.
func writeDocument(w http.ResponseWriter, b []byte, name, format string) {
	ct := "application/pdf"
	if format == "docx" {
		ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

type tallyJSON struct {
	OnTime         int   `json:"on_time"`
	Late           int   `json:"late"`
	Missing        int   `json:"missing"`
	Pending        int   `json:"pending"`
	LateSecondsSum int64 `json:"late_seconds_total"`
	LateSecondsMax int64 `json:"late_seconds_max"`
}

func toTally(t reports.Tally) tallyJSON {
	return tallyJSON{t.OnTime, t.Late, t.Missing, t.Pending, int64(t.LateTotal / time.Second), int64(t.LateMax / time.Second)}
}

func (s *Server) apiTimeliness(w http.ResponseWriter, r *http.Request, u *user.User) error {
	q := r.URL.Query()
	var f reports.TimelinessFilter
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				if d, derr := time.ParseInLocation("2006-01-02", v, s.Loc); derr == nil {
					t = d
				} else {
					return errs.Field(p.name, "error.bad_time")
				}
			}
			*p.t = t
		}
	}
	if v := q.Get("org"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return errs.Field("org", "error.bad_id", v)
		}
		f.OrgID = id
	}
	t, err := s.App.Reports.Timeliness(r.Context(), u, f)
	if err != nil {
		return err
	}
	l := lang(r)
	rows := []map[string]any{}
	for _, row := range t.Rows {
		o := row.Obligation
		item := map[string]any{
			"org_id": row.Org.ID, "org": row.Org.Name, "incident_id": row.Incident.ID, "incident_number": row.Incident.Number,
			"incident_title": row.Incident.Title, "kind": o.Kind, "due": ts(o.Due, s.Loc), "state": string(o.State),
			"state_name": i18n.T(l, "deadline.state."+string(o.State)), "submitted_at": tsPtr(o.SubmittedAt, s.Loc),
			"report_id": idPtr(o.ReportID), "late_seconds": int64(o.Late / time.Second),
		}
		rows = append(rows, item)
	}
	orgs := []map[string]any{}
	for _, ot := range t.Orgs {
		orgs = append(orgs, map[string]any{"org_id": ot.Org.ID, "org": ot.Org.Name, "counts": toTally(ot.Tally)})
	}
	incidents := []map[string]any{}
	for _, it := range t.Incidents {
		incidents = append(incidents, map[string]any{"incident_id": it.Incident.ID, "number": it.Incident.Number, "title": it.Incident.Title,
			"org_id": it.Incident.OrgID, "counts": toTally(it.Tally)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": ts(t.From, s.Loc), "to": ts(t.To, s.Loc), "total": toTally(t.Total),
		"orgs": orgs, "incidents": incidents, "items": rows})
	return nil
}
