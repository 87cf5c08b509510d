package service

import (
	"context"
	"strconv"
	"strings"
	"time"

	"yingji/internal/deadline"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/officepdf" // issue 15
	"yingji/internal/plan"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Timeline entry kinds of the report flow. A submitted summary is recorded
// as incident.EntrySummaryFiled, since it also closes the incident.
const (
	EntryReportDrafted          incident.EntryKind = "report_drafted"
	EntryReportEdited           incident.EntryKind = "report_edited"
	EntryReportSignoffRequested incident.EntryKind = "report_signoff_requested"
	EntryReportSigned           incident.EntryKind = "report_signed"
	EntryReportSubmitted        incident.EntryKind = "report_submitted"
	EntryReportCorrected        incident.EntryKind = "report_corrected"
	EntryReminder               incident.EntryKind = "report_reminder"
	EntryOverdue                incident.EntryKind = "report_overdue"
)

// signerRoles may sign a report (签发): the leader and deputy leader of the
// leading group of the incident's own organisation.
var signerRoles = []string{user.RoleLeader, user.RoleDeputy}

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
		in, tree, err := s.loadForActor(&tx.Q, actor, incidentID)
		if err != nil {
			return err
		}
		if in.OrgID != actor.OrgID || !actor.HasRole(commandRoles...) {
			return errs.New(errs.Forbidden, "error.forbidden_report")
		}
		p, err := s.planByID(&tx.Q, in.PlanID)
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
		if err := tx.AddEntry(reportEntry(EntryReportDrafted, actor, r, map[string]string{"sources": strconv.Itoa(len(r.Sources))})); err != nil {
			return err
		}
		detail := map[string]any{"incident_id": in.ID, "kind": kind, "seq": r.Seq, "title": r.Title, "sources": len(r.Sources), "last_entry_id": r.LastEntryID}
		if r.DueAt != nil {
			detail["due_at"] = r.DueAt.UnixMilli()
		}
		return tx.Audit(auditEntry(actor, "report.draft", "report", r.ID, in.OrgID, detail))
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
func (s *Service) draft(q *store.Q, tree *orgTree, p *plan.Plan, in *incident.Incident, kind string, author *user.User, versions []*report.Report) (*report.Report, error) {
	seq, err := q.NextReportSeq(in.ID, kind)
	if err != nil {
		return nil, err
	}
	cat := p.Category(in.Category)
	var due *time.Time
	if kind == report.Daily {
		if d, ok := report.BindDaily(ObligationRule(p, cat, in), in, lightReports(versions), q.Now); ok {
			due = &d
		}
	}
	if kind == report.Summary && in.TerminatedAt != nil && p.Reports.Summary.Within > 0 {
		d := DeadlineSummary(p, *in.TerminatedAt)
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
	instructions, err := s.reportInstructions(q, p, in.ID)
	if err != nil {
		return nil, err
	}
	resources, err := q.Resources(in.ID)
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
		Kind: kind, Seq: seq, Incident: in, OrgName: tree.byID[in.OrgID].Name, Plan: p, Category: cat,
		Entries: entries, Tasks: tasks, Approvals: approvals, Informed: informed, Instructions: instructions,
		Author: author.DisplayName, Phone: author.Phone, Resources: resources,
	})
	r := &report.Report{Fields: d.Fields, Sources: d.Sources, LastEntryID: d.LastEntryID, Recipients: recipients, Version: 1}
	r.IncidentID, r.Kind, r.Seq, r.Title, r.AuthorID, r.Status, r.DueAt = in.ID, kind, seq, d.Title, author.ID, report.StatusDraft, due
	r.Body = r.Fields.Body()
	return r, nil
}

// DeadlineSummary is the summary's due time after termination.
func DeadlineSummary(p *plan.Plan, terminated time.Time) time.Time {
	return deadline.Summary(terminated, p.Reports.Summary.Within, p.Location)
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

func reportEntry(kind incident.EntryKind, actor *user.User, r *report.Report, extra map[string]string) *incident.Entry {
	d := map[string]string{"report_id": strconv.FormatInt(r.ID, 10), "kind": r.Kind, "title": r.Title, "version": strconv.Itoa(r.Version)}
	for k, v := range extra {
		d[k] = v
	}
	e := &incident.Entry{IncidentID: r.IncidentID, Kind: kind, Data: d}
	if actor != nil {
		e.ActorID = actor.ID
	}
	return e
}

// loadReport loads a report version and its incident for an actor who may
// see the incident; others get NotFound.
func (s *Service) loadReport(q *store.Q, actor *user.User, id int64) (*report.Report, *incident.Incident, *orgTree, *plan.Plan, error) {
	r, err := q.Report(id)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	in, tree, err := s.loadForActor(q, actor, r.IncidentID)
	if errs.CodeOf(err) == errs.NotFound {
		return nil, nil, nil, nil, errs.New(errs.NotFound, "error.report_not_found")
	}
	if err != nil {
		return nil, nil, nil, nil, err
	}
	p, err := s.planByID(q, in.PlanID)
	return r, in, tree, p, err
}

// ListReports lists an incident's report versions, oldest first.
func (s *Service) ListReports(ctx context.Context, actor *user.User, incidentID int64) ([]*report.Report, error) {
	var out []*report.Report
	err := s.DB.Read(ctx, func(q *store.Q) error {
		if _, _, err := s.loadForActor(q, actor, incidentID); err != nil {
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
		v.Report, v.Incident, v.Org, v.Plan = r, in, tree.byID[in.OrgID], p
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
		own := actor.OrgID == in.OrgID && actor.HasRole(commandRoles...)
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

// ReportPatch edits a draft: the title and any of the fields (report.FieldKeys).
type ReportPatch struct {
	Title  *string
	Fields map[string]string
}

// EditReport changes a version that is not signed yet. Editing a version
// that waits for sign-off takes it back to draft: the leader must see what
// he signs.
func (s *Service) EditReport(ctx context.Context, actor *user.User, id int64, patch ReportPatch) (*report.Report, error) {
	if patch.Title == nil && len(patch.Fields) == 0 {
		return nil, errs.New(errs.Invalid, "error.empty_patch")
	}
	if patch.Title != nil {
		t := strings.TrimSpace(*patch.Title)
		if err := checkText("title", t, true, 200); err != nil {
			return nil, err
		}
		patch.Title = &t
	}
	for k, v := range patch.Fields {
		if k == "signer" || !(&report.Fields{}).Set(k, "") {
			return nil, errs.Field("fields."+k, "error.unknown_field", k)
		}
		if err := checkText("fields."+k, v, false, 50000); err != nil {
			return nil, err
		}
		if msg := report.CheckField(k, strings.TrimSpace(v)); msg != "" { // issue 15: 份号, 密级, 保密期限, 紧急程度
			return nil, errs.Field("fields."+k, msg, v)
		}
	}
	var out *report.Report
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		r, in, _, _, err := s.loadReport(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		if in.OrgID != actor.OrgID || !actor.HasRole(commandRoles...) {
			return errs.New(errs.Forbidden, "error.forbidden_report")
		}
		if !report.Editable(r.Status) {
			return errs.New(errs.Conflict, "error.report_frozen")
		}
		var changed []string
		if patch.Title != nil && *patch.Title != r.Title {
			r.Title = *patch.Title
			changed = append(changed, "title")
		}
		for _, k := range report.FieldKeys {
			v, ok := patch.Fields[k]
			if !ok {
				continue
			}
			v = strings.TrimSpace(v)
			old := r.Fields
			r.Fields.Set(k, v)
			if old != r.Fields {
				changed = append(changed, k)
			}
		}
		out = r
		if len(changed) == 0 {
			return nil
		}
		r.AddEditor(actor.ID)
		r.Body = r.Fields.Body()
		r.Status, r.SignoffRequestedAt = report.StatusDraft, nil
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		if err := tx.AddEntry(reportEntry(EntryReportEdited, actor, r, map[string]string{"fields": strings.Join(changed, ",")})); err != nil {
			return err
		}
		return tx.Audit(auditEntry(actor, "report.edit", "report", r.ID, in.OrgID, map[string]any{"incident_id": in.ID, "changed": changed, "title": r.Title, "fields": r.Fields}))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RequestSignoff sends a draft to the leaders for signing (送签).
func (s *Service) RequestSignoff(ctx context.Context, actor *user.User, id int64) (*report.Report, error) {
	var out *report.Report
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		r, in, _, _, err := s.loadReport(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		if in.OrgID != actor.OrgID || !actor.HasRole(commandRoles...) {
			return errs.New(errs.Forbidden, "error.forbidden_report")
		}
		if r.Status != report.StatusDraft {
			return errs.New(errs.Conflict, "error.report_status", r.Status)
		}
		now := tx.Now
		r.Status, r.SignoffRequestedAt = report.StatusSignoff, &now
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		out = r
		if err := tx.AddEntry(reportEntry(EntryReportSignoffRequested, actor, r, nil)); err != nil {
			return err
		}
		if err := tx.Audit(auditEntry(actor, "report.request_signoff", "report", r.ID, in.OrgID, map[string]any{"incident_id": in.ID, "title": r.Title})); err != nil {
			return err
		}
		users, err := tx.Users(in.OrgID)
		if err != nil {
			return err
		}
		for _, u := range users {
			if !r.WrittenBy(u.ID) && !u.Disabled && u.HasRole(signerRoles...) {
				if err := enqueueNotice(tx, u.ID, in.ID, "report_signoff_requested", map[string]any{"report_id": r.ID, "title": r.Title, "by": actor.DisplayName}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// mayReportSign: a leader or deputy leader of the incident's own
// organisation, and never the author of the version.
func mayReportSign(actor *user.User, r *report.Report, in *incident.Incident) error {
	if actor.OrgID != in.OrgID || !actor.HasRole(signerRoles...) {
		return errs.New(errs.Forbidden, "error.not_signer")
	}
	if actor.ID == r.AuthorID {
		return errs.New(errs.Forbidden, "error.sign_own_report")
	}
	if r.WrittenBy(actor.ID) {
		return errs.New(errs.Forbidden, "error.sign_own_text")
	}
	return nil
}

// SignReport signs a version (签发): it gets its 发文字号 and date, the
// signer's name, and from now on it is frozen under its SHA-256.
func (s *Service) SignReport(ctx context.Context, actor *user.User, id int64) (*report.Report, error) {
	var out *report.Report
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		r, in, tree, p, err := s.loadReport(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		if err := mayReportSign(actor, r, in); err != nil {
			return err
		}
		if !report.Editable(r.Status) {
			return errs.New(errs.Conflict, "error.report_status", r.Status)
		}
		org := tree.byID[in.OrgID]
		year := tx.Now.In(p.Location).Year()
		n, err := tx.NextDocNumber(org.ID, year)
		if err != nil {
			return err
		}
		now := tx.Now
		r.DocNumber = report.DocNumber(org.Name, year, n)
		r.SignerID, r.SignedAt, r.Status = actor.ID, &now, report.StatusSigned
		r.Fields.Signer = actor.DisplayName
		r.Body = r.Fields.Body()
		r.SHA256 = r.Hash()
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		out = r
		if err := tx.AddEntry(reportEntry(EntryReportSigned, actor, r, map[string]string{"doc_number": r.DocNumber, "sha256": r.SHA256})); err != nil {
			return err
		}
		if err := tx.Audit(auditEntry(actor, "report.sign", "report", r.ID, in.OrgID, map[string]any{"incident_id": in.ID, "doc_number": r.DocNumber, "sha256": r.SHA256})); err != nil {
			return err
		}
		return enqueueNotice(tx, r.AuthorID, in.ID, "report_signed", map[string]any{"report_id": r.ID, "title": r.Title, "by": actor.DisplayName})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SubmitReport submits a signed version to the plan's recipients and
// records the time. Submitting the summary closes the incident (the
// lifecycle action incident.FileSummary).
func (s *Service) SubmitReport(ctx context.Context, actor *user.User, id int64) (*report.Report, error) {
	var out *report.Report
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		r, in, _, p, err := s.loadReport(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		if in.OrgID != actor.OrgID || !actor.HasRole(commandRoles...) {
			return errs.New(errs.Forbidden, "error.forbidden_report")
		}
		if r.Status != report.StatusSigned {
			return errs.New(errs.Conflict, "error.report_not_signed", r.Status)
		}
		if r.Hash() != r.SHA256 {
			return errs.New(errs.Internal, "error.report_hash")
		}
		now := tx.Now
		r.Status, r.SubmittedAt, r.SubmittedBy = report.StatusSubmitted, &now, actor.ID
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		out = r
		for _, rc := range recipientKeys(p, r.Kind) {
			if err := tx.AddSubmission(&store.Submission{ReportID: r.ID, RecipientKey: rc.Key, RecipientName: rc.Name, SubmittedBy: actor.ID}); err != nil {
				return err
			}
		}
		detail := map[string]any{"incident_id": in.ID, "kind": r.Kind, "seq": r.Seq, "version": r.Version, "sha256": r.SHA256, "recipients": r.Recipients}
		if r.DueAt != nil {
			detail["due_at"] = r.DueAt.UnixMilli()
			detail["late_ms"] = max(0, now.Sub(*r.DueAt).Milliseconds())
		}
		closes := r.Kind == report.Summary && r.Supersedes == 0 && in.Status == incident.Terminated
		if closes {
			to, ok := incident.Next(in.Status, incident.FileSummary)
			if !ok {
				return errs.New(errs.Conflict, "error.transition", string(in.Status), string(incident.FileSummary))
			}
			in.Status, in.ClosedAt = to, &now
			if err := tx.UpdateIncident(in); err != nil {
				return err
			}
			detail["to"] = string(to)
			if err := tx.AddEntry(reportEntry(incident.EntrySummaryFiled, actor, r, map[string]string{"sha256": r.SHA256})); err != nil {
				return err
			}
		} else if err := tx.AddEntry(reportEntry(EntryReportSubmitted, actor, r, map[string]string{"sha256": r.SHA256, "recipients": strings.Join(r.Recipients, "、")})); err != nil {
			return err
		}
		return tx.Audit(auditEntry(actor, "report.submit", "report", r.ID, in.OrgID, detail))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CorrectReport starts a correction of a submitted version: a new draft
// version that supersedes it, with the same kind, number and deadline. The
// submitted version stays as it was.
func (s *Service) CorrectReport(ctx context.Context, actor *user.User, id int64) (*report.Report, error) {
	var out *report.Report
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		old, in, tree, _, err := s.loadReport(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		if in.OrgID != actor.OrgID || !actor.HasRole(commandRoles...) {
			return errs.New(errs.Forbidden, "error.forbidden_report")
		}
		if old.Status != report.StatusSubmitted {
			return errs.New(errs.Conflict, "error.report_not_submitted")
		}
		if old.SupersededBy != 0 {
			return errs.New(errs.Conflict, "error.report_superseded", old.SupersededBy)
		}
		r := &report.Report{Version: old.Version + 1, Fields: old.Fields, Sources: old.Sources, LastEntryID: old.LastEntryID, Recipients: old.Recipients}
		r.IncidentID, r.Kind, r.Seq, r.Title, r.AuthorID, r.Status, r.DueAt, r.Supersedes = old.IncidentID, old.Kind, old.Seq, old.Title, actor.ID, report.StatusDraft, old.DueAt, old.ID
		r.Fields.Signer = ""
		// The correction carries the text of the version it corrects, so
		// whoever wrote that wrote this too.
		r.Editors = append([]int64{}, old.Editors...)
		r.AddEditor(old.AuthorID)
		r.Fields.Contact, r.Fields.Phone = actor.DisplayName, actor.Phone
		r.Fields.ReportingUnit = tree.byID[in.OrgID].Name
		r.Body = r.Fields.Body()
		if err := tx.CreateReport(r); err != nil {
			return err
		}
		out = r
		if err := tx.AddEntry(reportEntry(EntryReportCorrected, actor, r, map[string]string{"supersedes": strconv.FormatInt(old.ID, 10)})); err != nil {
			return err
		}
		return tx.Audit(auditEntry(actor, "report.correct", "report", r.ID, in.OrgID, map[string]any{"incident_id": in.ID, "supersedes": old.ID, "version": r.Version}))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Document renders a report version as a DOCX or PDF file.
func (s *Service) ReportDocument(ctx context.Context, actor *user.User, id int64, format string) ([]byte, string, error) {
	if format != "docx" && format != "pdf" {
		return nil, "", errs.Field("format", "error.report_format", format)
	}
	v, err := s.GetReport(ctx, actor, id)
	if err != nil {
		return nil, "", err
	}
	// issue 15 (begin): a report with a secrecy level downloads only for report.MayDownload, on the audit trail, its PDF watermarked below.
	classified := v.Report.Fields.Marking().Classified()
	if classified && !report.MayDownload(v.Report, report.Reader{ID: actor.ID, Leader: actor.HasRole(report.ClassifiedReaders(v.Plan)...)}) {
		return nil, "", errs.New(errs.Forbidden, "error.report_classified", v.Report.Fields.Marking().SecrecyMark())
	}
	if classified {
		if err := s.DB.Write(ctx, func(tx *store.Tx) error {
			return tx.Audit(auditEntry(actor, "report.download", "report", v.Report.ID, v.Incident.OrgID, map[string]any{"incident_id": v.Incident.ID, "format": format, "secrecy": v.Report.Fields.Marking().SecrecyMark()}))
		}); err != nil {
			return nil, "", err
		}
	}
	// issue 15 (end)
	doc := DocumentOf(v)
	name := v.Incident.Number + "-" + v.Report.Kind + "-" + strconv.Itoa(v.Report.Seq) + "-v" + strconv.Itoa(v.Report.Version) + "." + format
	var b []byte
	if format == "docx" {
		b, err = report.DOCX(doc)
	} else {
		// issue 15: signed reports' PDFs come from LibreOffice (cached by SHA-256, converted off the request path), else the pure-Go writer.
		b, err = officepdf.Shared().PDF(doc.SHA256, func() ([]byte, error) { return report.DOCX(doc) }, func() ([]byte, error) { return report.PDF(doc) })
	}
	if err == nil && classified && format == "pdf" { // issue 15: the reader's account and the time across every page
		b, err = officepdf.Watermark(b, actor.Username+" "+s.Now().In(v.Plan.Location).Format("2006-01-02 15:04"))
	}
	if err != nil {
		return nil, "", errs.Wrap(err, "render "+format)
	}
	return b, name, nil
}

// DocumentOf lays a report version out as an official document.
func DocumentOf(v *ReportView) *report.Document {
	r := v.Report
	date := r.CreatedAt
	if r.SignedAt != nil {
		date = *r.SignedAt
	}
	return &report.Document{
		Issuer: v.Org.Name, DocNumber: r.DocNumber, Signer: r.Fields.Signer, Title: r.Title, Recipients: r.Recipients,
		Fields: r.Fields, Date: date.In(v.Plan.Location), Draft: r.Status != report.StatusSigned && r.Status != report.StatusSubmitted,
		SHA256: r.SHA256,
	}
}
