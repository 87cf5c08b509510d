package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/user"
)

// FileSummary files the summary of the handling (处置工作总结) after
// termination; filing it closes the incident. The report is frozen with the
// SHA-256 of its title and body.
func (s *Service) FileSummary(ctx context.Context, actor *user.User, id int64, title, body string) (*incident.Report, error) {
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	if err := checkText("title", title, false, 200); err != nil {
		return nil, err
	}
	if err := checkText("body", body, true, 100000); err != nil {
		return nil, err
	}
	var r *incident.Report
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, _, err := s.loadForActor(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		if in.OrgID != actor.OrgID || !actor.HasRole(commandRoles...) {
			return errs.New(errs.Forbidden, "error.forbidden_request")
		}
		to, ok := incident.Next(in.Status, incident.FileSummary)
		if !ok {
			return errs.New(errs.Conflict, "error.transition", string(in.Status), string(incident.FileSummary))
		}
		if title == "" {
			title = in.Title + "处置工作总结"
		}
		sum := sha256.Sum256([]byte(title + "\n" + body))
		now := tx.Now
		r = &incident.Report{IncidentID: id, Kind: "summary", Seq: 1, Title: title, Body: body, AuthorID: actor.ID,
			Status: "submitted", SubmittedAt: &now, SHA256: hex.EncodeToString(sum[:])}
		if err := tx.CreateReport(r); err != nil {
			return err
		}
		in.Status, in.ClosedAt = to, &now
		if err := tx.UpdateIncident(in); err != nil {
			return err
		}
		if err := tx.AddEntry(&incident.Entry{IncidentID: id, ActorID: actor.ID, Kind: incident.EntrySummaryFiled, Data: map[string]string{"title": title, "sha256": r.SHA256}}); err != nil {
			return err
		}
		return tx.Audit(auditEntry(actor, "report.submit", "report", r.ID, in.OrgID, map[string]any{"incident_id": id, "kind": "summary", "sha256": r.SHA256, "to": string(to)}))
	})
	if err != nil {
		return nil, err
	}
	s.changed(id)
	return r, nil
}
