package reports

import (
	"context"
	"strings"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// FileSummary is the shortcut for the summary of the handling (处置工作总结)
// after termination: in one transaction it drafts the summary from the
// record, puts body (when given) in place of the drafted course of events,
// and sends it for sign-off. The incident closes when a leader has signed
// the summary and it is submitted (SubmitReport), never before: the summary
// goes through the same draft → sign-off → submit flow as every report.
func (s *Service) FileSummary(ctx context.Context, actor *user.User, id int64, title, body string) (*report.Report, error) {
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	if err := core.CheckText("title", title, false, 200); err != nil {
		return nil, err
	}
	if err := core.CheckText("body", body, true, 50000); err != nil {
		return nil, err
	}
	var r *report.Report
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, tree, err := s.CommandIncident(&tx.Q, actor, id, "error.forbidden_request")
		if err != nil {
			return err
		}
		if _, ok := incident.Next(in.Status, incident.FileSummary); !ok {
			return errs.New(errs.Conflict, "error.transition", string(in.Status), string(incident.FileSummary))
		}
		versions, err := tx.ReportVersions(id)
		if err != nil {
			return err
		}
		for _, v := range versions {
			if v.Kind == report.Summary && v.Status != report.StatusSubmitted {
				return errs.New(errs.Conflict, "error.report_open", v.ID)
			}
		}
		p, err := s.PlanByID(&tx.Q, in.PlanID)
		if err != nil {
			return err
		}
		if r, err = s.draft(&tx.Q, tree, p, in, report.Summary, actor, versions); err != nil {
			return err
		}
		if title != "" {
			r.Title = title
		}
		r.Fields.Course = body
		r.Body = r.Fields.Body()
		now := tx.Now
		r.Status, r.SignoffRequestedAt = report.StatusSignoff, &now
		if err := tx.CreateReport(r); err != nil {
			return err
		}
		// One audit record tells both acts (drafted and sent for sign-off).
		if err := record(tx, actor, r, event.ReportDrafted{ReportRef: reportRef(r)}, nil); err != nil {
			return err
		}
		if err := record(tx, actor, r, event.ReportSignoffRequested{ReportRef: reportRef(r)},
			core.Audited(actor, "report.draft", "report", r.ID, in.OrgID, map[string]any{"incident_id": id, "kind": report.Summary, "title": r.Title, "body": body, "signoff_requested": true})); err != nil {
			return err
		}
		users, err := tx.Users(in.OrgID)
		if err != nil {
			return err
		}
		for _, u := range users {
			if u.ID != actor.ID && !u.Disabled && u.HasRole(report.SignerRoles...) {
				if err := core.Notice(tx, u.ID, id, "report_signoff_requested", map[string]any{"report_id": r.ID, "title": r.Title, "by": actor.DisplayName}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}
