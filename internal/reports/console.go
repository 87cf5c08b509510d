package reports

import (
	"context"

	"yingji/internal/access"
	"yingji/internal/incident"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// ReportKindsNow lists the report kinds that may be drafted for an incident
// in its present status, in the order they occur.
func ReportKindsNow(in *incident.Incident) []string {
	var out []string
	for _, k := range report.Kinds {
		if kindAllowed(k, in) == nil {
			out = append(out, k)
		}
	}
	return out
}

// AwaitingSignoff is one report waiting for the actor's signature.
type AwaitingSignoff struct {
	Report   *incident.Report
	Incident *incident.Incident
}

// SignoffInbox lists the reports of the actor's organisation waiting for
// sign-off that the actor may sign (a leader or deputy, never the author).
// Anyone else gets an empty list.
func (s *Service) SignoffInbox(ctx context.Context, actor *user.User) ([]AwaitingSignoff, error) {
	if !actor.HasRole(report.SignerRoles...) {
		return nil, nil
	}
	var out []AwaitingSignoff
	err := s.DB.Read(ctx, func(q *store.Q) error {
		rs, err := q.ReportsAwaitingSignoff(actor.OrgID)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if r.AuthorID == actor.ID {
				continue
			}
			if full, err := q.Report(r.ID); err != nil {
				return err
			} else if full.WrittenBy(actor.ID) {
				continue
			}
			in, err := q.Incident(r.IncidentID)
			if err != nil {
				return err
			}
			out = append(out, AwaitingSignoff{Report: r, Incident: in})
		}
		return nil
	})
	return out, err
}

// SignRefusal says why the actor may not sign the version (nil if he may):
// the console shows it next to the missing button.
func SignRefusal(actor *user.User, r *report.Report, in *incident.Incident) error {
	return mayReportSign(actor, r, in)
}

// MayDraftReport reports whether the actor may draft reports for the
// incident: the command roles of its own organisation.
func MayDraftReport(actor *user.User, in *incident.Incident) bool {
	return access.Commands(actor, in.OrgID)
}
