package reports

import (
	"context"
	"strconv"
	"strings"
	"time"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// ReportView is a report version with its incident and where it went.
type ReportView struct {
	Report      *report.Report
	Incident    *incident.Incident
	Org         *user.Org
	Plan        *plan.Plan
	Author      *user.User
	Editors     []*user.User // others who wrote some of its text; none may sign it
	Signer      *user.User   // nil until signed
	Submissions []*store.Submission
	// Can lists what the actor may do now: edit, request_signoff, sign,
	// submit, correct.
	Can map[string]bool
}

// CreateReport drafts a report of kind for an incident from its record.
// A daily report is bound to the deadline it answers (see report.BindDaily)
// and covers the record since the previous submitted daily report, or since
// activation.
func (s *Service) CreateReport(ctx context.Context, actor *user.User, incidentID int64, kind string) (*report.Report, error) {
	kind = strings.TrimSpace(kind)
	if kind == "" {
		return nil, errs.Field("kind", "error.required")
	}
	if !report.ValidKind(kind) {
		return nil, errs.Field("kind", "error.report_kind", kind)
	}
	var out *report.Report
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, tree, err := s.CommandIncident(&tx.Q, actor, incidentID, "error.forbidden_report")
		if err != nil {
			return err
		}
		p, err := s.PlanByID(&tx.Q, in.PlanID)
		if err != nil {
			return err
		}
		if err := kindAllowed(kind, in); err != nil {
			return err
		}
		versions, err := tx.ReportVersions(incidentID)
		if err != nil {
			return err
		}
		for _, r := range versions {
			if r.Kind == kind && r.Supersedes == 0 && r.Status != report.StatusSubmitted && (kind == report.Daily || kind == report.Summary || kind == report.Final) {
				return errs.New(errs.Conflict, "error.report_open", r.ID)
			}
		}
		r, err := s.draft(&tx.Q, tree, p, in, kind, actor, versions)
		if err != nil {
			return err
		}
		if err := tx.CreateReport(r); err != nil {
			return err
		}
		out = r
		detail := map[string]any{"incident_id": in.ID, "kind": kind, "seq": r.Seq, "title": r.Title, "sources": len(r.Sources), "last_entry_id": r.LastEntryID}
		if r.DueAt != nil {
			detail["due_at"] = r.DueAt.UnixMilli()
		}
		return record(tx, actor, r, event.ReportDrafted{ReportRef: reportRef(r), Sources: strconv.Itoa(len(r.Sources))},
			core.Audited(actor, "report.draft", "report", r.ID, in.OrgID, detail))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func kindAllowed(kind string, in *incident.Incident) error {
	bad := func() error {
		return errs.New(errs.Conflict, "error.report_kind_status", report.KindName(kind), string(in.Status))
	}
	switch {
	case in.Status == incident.Closed:
		return errs.New(errs.Conflict, "error.incident_closed")
	case kind == report.Daily && (in.ActivatedAt == nil || in.TerminatedAt != nil):
		return bad()
	case kind == report.Summary && in.Status != incident.Terminated:
		return bad()
	case kind == report.Final && in.ActivatedAt == nil:
		return bad()
	}
	return nil
}

// draft makes a new report version from the record.
func (s *Service) draft(q *store.Q, tree *org.Tree, p *plan.Plan, in *incident.Incident, kind string, author *user.User, versions []*report.Report) (*report.Report, error) {
	seq, err := q.NextReportSeq(in.ID, kind)
	if err != nil {
		return nil, err
	}
	cat := p.Category(in.Category)
	var due *time.Time
	if kind == report.Daily {
		if d, ok := report.BindDaily(report.ObligationRule(p, cat, in), in, lightReports(versions), q.Now); ok {
			due = &d
		}
	}
	if kind == report.Summary && in.TerminatedAt != nil && p.Reports.Summary.Within > 0 {
		d := report.DeadlineSummary(p, *in.TerminatedAt)
		due = &d
	}
	// The window: a daily or follow-up report covers what happened since the
	// previous one of its kind; other kinds cover the whole record.
	var after int64
	if kind == report.Daily || kind == report.Followup {
		if after, err = q.LastReportedEntry(in.ID, kind); err != nil {
			return nil, err
		}
	}
	var since int64
	if kind == report.Daily && after == 0 && in.ActivatedAt != nil {
		// The first daily report starts at activation; what came before is
		// in the initial report.
		since = in.ActivatedAt.UnixMilli()
	}
	entries, err := q.ReportWindow(in.ID, after, since)
	if err != nil {
		return nil, err
	}
	tasks, err := q.Tasks(in.ID)
	if err != nil {
		return nil, err
	}
	approvals, err := q.Approvals(in.ID)
	if err != nil {
		return nil, err
	}
	instructions, err := s.instructions.ReportInstructions(q, p, in.ID)
	if err != nil {
		return nil, err
	}
	resources, err := q.Resources(in.ID)
	if err != nil {
		return nil, err
	}
	evidence, err := evidenceLines(q, in.ID) // issue 13 (evidence.go)
	if err != nil {
		return nil, err
	}
	recipients := recipientNames(p, kind)
	var informed []string
	seen := map[string]bool{}
	for _, v := range versions {
		if v.Status == report.StatusSubmitted {
			for _, n := range v.Recipients {
				if !seen[n] {
					seen[n] = true
					informed = append(informed, n)
				}
			}
		}
	}
	d := report.Draft(report.Input{
		Kind: kind, Seq: seq, Incident: in, OrgName: tree.Org(in.OrgID).Name, Plan: p, Category: cat,
		Entries: entries, Tasks: tasks, Approvals: approvals, Informed: informed, Instructions: instructions,
		Author: author.DisplayName, Phone: author.Phone, Resources: resources, Evidence: evidence,
	})
	if kind == report.Summary || kind == report.Daily { // issue 14: public warnings, warnings_line.go
		if err := warningsLine(q, in.ID, &d.Fields); err != nil {
			return nil, err
		}
	}
	if err := s.addBulletinLines(q, kind, in.ID, &d.Fields); err != nil { // issue 14
		return nil, err
	}
	r := &report.Report{Fields: d.Fields, Sources: d.Sources, LastEntryID: d.LastEntryID, Recipients: recipients, Version: 1}
	r.IncidentID, r.Kind, r.Seq, r.Title, r.AuthorID, r.Status, r.DueAt = in.ID, kind, seq, d.Title, author.ID, report.StatusDraft, due
	r.Body = r.Fields.Body()
	return r, nil
}

// recipientNames are the bodies the plan sends a kind of report to. The
// plan names recipients for the daily report and the summary; the other
// kinds go where the daily report goes.
func recipientNames(p *plan.Plan, kind string) []string {
	keys := p.Reports.Daily.Recipients
	if kind == report.Summary && len(p.Reports.Summary.Recipients) > 0 {
		keys = p.Reports.Summary.Recipients
	}
	var out []string
	for _, k := range keys {
		if r := p.Recipient(k); r != nil {
			out = append(out, r.Name)
		}
	}
	return out
}

func recipientKeys(p *plan.Plan, kind string) []plan.Recipient {
	keys := p.Reports.Daily.Recipients
	if kind == report.Summary && len(p.Reports.Summary.Recipients) > 0 {
		keys = p.Reports.Summary.Recipients
	}
	var out []plan.Recipient
	for _, k := range keys {
		if r := p.Recipient(k); r != nil {
			out = append(out, *r)
		}
	}
	return out
}

func lightReports(vs []*report.Report) []*incident.Report {
	out := make([]*incident.Report, len(vs))
	for i, v := range vs {
		out[i] = &v.Report
	}
	return out
}

func reportRef(r *report.Report) event.ReportRef {
	return event.ReportRef{ReportID: strconv.FormatInt(r.ID, 10), ReportKind: r.Kind, Title: r.Title, Version: strconv.Itoa(r.Version)}
}

// record puts an act on a report on its incident's timeline, with its
// audit record (nil: written apart).
func record(tx *store.Tx, actor *user.User, r *report.Report, ev event.Event, audit *store.AuditEntry) error {
	_, err := core.Record(tx, core.Act{IncidentID: r.IncidentID, ActorID: actor.ID, Event: ev, Audit: audit})
	return err
}

// loadReport loads a report version and its incident for an actor who may
// see the incident; others get NotFound.
func (s *Service) loadReport(q *store.Q, actor *user.User, id int64) (*report.Report, *incident.Incident, *org.Tree, *plan.Plan, error) {
	r, err := q.Report(id)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	in, tree, err := s.IncidentFor(q, actor, r.IncidentID)
	if errs.CodeOf(err) == errs.NotFound {
		return nil, nil, nil, nil, errs.New(errs.NotFound, "error.report_not_found")
	}
	if err != nil {
		return nil, nil, nil, nil, err
	}
	p, err := s.PlanByID(q, in.PlanID)
	return r, in, tree, p, err
}

// ListReports lists an incident's report versions, oldest first.
func (s *Service) ListReports(ctx context.Context, actor *user.User, incidentID int64) ([]*report.Report, error) {
	var out []*report.Report
	err := s.DB.Read(ctx, func(q *store.Q) error {
		if _, _, err := s.IncidentFor(q, actor, incidentID); err != nil {
			return err
		}
		var err error
		out, err = q.ReportVersions(incidentID)
		return err
	})
	return out, err
}

// GetReport returns one report version with its incident and submissions.
func (s *Service) GetReport(ctx context.Context, actor *user.User, id int64) (*ReportView, error) {
	var v ReportView
	err := s.DB.Read(ctx, func(q *store.Q) error {
		r, in, tree, p, err := s.loadReport(q, actor, id)
		if err != nil {
			return err
		}
		v.Report, v.Incident, v.Org, v.Plan = r, in, tree.Org(in.OrgID), p
		if v.Author, err = q.User(r.AuthorID); err != nil {
			return err
		}
		for _, id := range r.Editors {
			u, err := q.User(id)
			if err != nil {
				return err
			}
			v.Editors = append(v.Editors, u)
		}
		if r.SignerID != 0 {
			if v.Signer, err = q.User(r.SignerID); err != nil {
				return err
			}
		}
		if v.Submissions, err = q.Submissions(r.ID); err != nil {
			return err
		}
		own := access.Commands(actor, in.OrgID)
		v.Can = map[string]bool{
			"edit":            own && report.Editable(r.Status),
			"request_signoff": own && r.Status == report.StatusDraft,
			"sign":            mayReportSign(actor, r, in) == nil && report.Editable(r.Status),
			"submit":          own && r.Status == report.StatusSigned,
			"correct":         own && r.Status == report.StatusSubmitted && r.SupersededBy == 0,
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}
