package reports

import (
	"context"
	"strconv"
	"strings"

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
		if err := core.CheckText("title", t, true, 200); err != nil {
			return nil, err
		}
		patch.Title = &t
	}
	for k, v := range patch.Fields {
		if k == "signer" || !(&report.Fields{}).Set(k, "") {
			return nil, errs.Field("fields."+k, "error.unknown_field", k)
		}
		if err := core.CheckText("fields."+k, v, false, 50000); err != nil {
			return nil, err
		}
		if msg := report.CheckField(k, strings.TrimSpace(v)); msg != "" { // 份号, 密级, 保密期限, 紧急程度
			return nil, errs.Field("fields."+k, msg, v)
		}
	}
	return s.changeReport(ctx, actor, id, mayCommandReport, func(tx *store.Tx, r *report.Report, in *incident.Incident, _ *org.Tree, _ *plan.Plan) error {
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
		if len(changed) == 0 {
			return nil
		}
		r.AddEditor(actor.ID)
		r.Body = r.Fields.Body()
		r.Status, r.SignoffRequestedAt = report.StatusDraft, nil
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		return record(tx, actor, r, event.ReportEdited{ReportRef: reportRef(r), Fields: strings.Join(changed, ",")},
			core.Audited(actor, "report.edit", "report", r.ID, in.OrgID, map[string]any{"incident_id": in.ID, "changed": changed, "title": r.Title, "fields": r.Fields}))
	})
}

// RequestSignoff sends a draft to the leaders for signing (送签).
func (s *Service) RequestSignoff(ctx context.Context, actor *user.User, id int64) (*report.Report, error) {
	return s.changeReport(ctx, actor, id, mayCommandReport, func(tx *store.Tx, r *report.Report, in *incident.Incident, _ *org.Tree, _ *plan.Plan) error {
		if r.Status != report.StatusDraft {
			return errs.New(errs.Conflict, "error.report_status", r.Status)
		}
		now := tx.Now
		r.Status, r.SignoffRequestedAt = report.StatusSignoff, &now
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		if err := record(tx, actor, r, event.ReportSignoffRequested{ReportRef: reportRef(r)},
			core.Audited(actor, "report.request_signoff", "report", r.ID, in.OrgID, map[string]any{"incident_id": in.ID, "title": r.Title})); err != nil {
			return err
		}
		users, err := tx.Users(in.OrgID)
		if err != nil {
			return err
		}
		for _, u := range users {
			if !r.WrittenBy(u.ID) && !u.Disabled && u.HasRole(report.SignerRoles...) {
				if err := core.Notice(tx, u.ID, in.ID, "report_signoff_requested", map[string]any{"report_id": r.ID, "title": r.Title, "by": actor.DisplayName}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// mayReportSign: a leader or deputy leader of the incident's own
// organisation, and never the author of the version.
func mayReportSign(actor *user.User, r *report.Report, in *incident.Incident) error {
	if actor.OrgID != in.OrgID || !actor.HasRole(report.SignerRoles...) {
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
	return s.changeReport(ctx, actor, id, mayReportSign, func(tx *store.Tx, r *report.Report, in *incident.Incident, tree *org.Tree, p *plan.Plan) error {
		if !report.Editable(r.Status) {
			return errs.New(errs.Conflict, "error.report_status", r.Status)
		}
		org := tree.Org(in.OrgID)
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
		if err := record(tx, actor, r, event.ReportSigned{ReportRef: reportRef(r), DocNumber: r.DocNumber, SHA256: r.SHA256},
			core.Audited(actor, "report.sign", "report", r.ID, in.OrgID, map[string]any{"incident_id": in.ID, "doc_number": r.DocNumber, "sha256": r.SHA256})); err != nil {
			return err
		}
		return core.Notice(tx, r.AuthorID, in.ID, "report_signed", map[string]any{"report_id": r.ID, "title": r.Title, "by": actor.DisplayName})
	})
}

// SubmitReport submits a signed version to the plan's recipients and
// records the time. Submitting the summary closes the incident (the
// lifecycle action incident.FileSummary).
func (s *Service) SubmitReport(ctx context.Context, actor *user.User, id int64) (*report.Report, error) {
	return s.changeReport(ctx, actor, id, mayCommandReport, func(tx *store.Tx, r *report.Report, in *incident.Incident, _ *org.Tree, p *plan.Plan) error {
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
		}
		var ev event.Event = event.ReportSubmitted{ReportRef: reportRef(r), SHA256: r.SHA256, Recipients: r.Recipients}
		if closes {
			ev = event.SummaryFiled{ReportRef: reportRef(r), SHA256: r.SHA256}
		}
		return record(tx, actor, r, ev, core.Audited(actor, "report.submit", "report", r.ID, in.OrgID, detail))
	})
}

// CorrectReport starts a correction of a submitted version: a new draft
// version that supersedes it, with the same kind, number and deadline. The
// submitted version stays as it was.
func (s *Service) CorrectReport(ctx context.Context, actor *user.User, id int64) (*report.Report, error) {
	var out *report.Report
	if _, err := s.changeReport(ctx, actor, id, mayCommandReport, func(tx *store.Tx, old *report.Report, in *incident.Incident, tree *org.Tree, _ *plan.Plan) error {
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
		r.Fields.ReportingUnit = tree.Org(in.OrgID).Name
		r.Body = r.Fields.Body()
		if err := tx.CreateReport(r); err != nil {
			return err
		}
		out = r
		return record(tx, actor, r, event.ReportCorrected{ReportRef: reportRef(r), Supersedes: strconv.FormatInt(old.ID, 10)},
			core.Audited(actor, "report.correct", "report", r.ID, in.OrgID, map[string]any{"incident_id": in.ID, "supersedes": old.ID, "version": r.Version}))
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// changeReport runs one change of a report version as one transaction: it
// loads the version and its incident as the actor may see them, lets may
// refuse, then runs change. It returns the version as change left it.
func (s *Service) changeReport(ctx context.Context, actor *user.User, id int64,
	may func(*user.User, *report.Report, *incident.Incident) error,
	change func(tx *store.Tx, r *report.Report, in *incident.Incident, tree *org.Tree, p *plan.Plan) error) (*report.Report, error) {
	var out *report.Report
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		r, in, tree, p, err := s.loadReport(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		if err := may(actor, r, in); err != nil {
			return err
		}
		out = r
		return change(tx, r, in, tree, p)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// mayCommandReport: reports are written by the command roles of the
// incident's own organisation.
func mayCommandReport(actor *user.User, _ *report.Report, in *incident.Incident) error {
	if !access.Commands(actor, in.OrgID) {
		return errs.New(errs.Forbidden, "error.forbidden_report")
	}
	return nil
}
