package service

import (
	"time"

	"yingji/internal/deadline"
	"yingji/internal/incident"
	"yingji/internal/plan"
)

// Deadline is one report obligation of an incident.
type Deadline struct {
	Kind  string // daily_report, summary
	Due   time.Time
	State deadline.State
}

// dueSoon is the window before a deadline in which it shows as due soon.
const dueSoon = time.Hour

// DailyRule is the plan's daily report rule.
func DailyRule(p *plan.Plan) deadline.DailyRule {
	return deadline.DailyRule{Hour: p.Reports.Daily.Hour, Minute: p.Reports.Daily.Minute, MinLead: p.Reports.Daily.MinLead, Loc: p.Location}
}

// Deadlines lists the obligations an incident has now: the next daily report
// while the plan is active (for categories under the daily regime), and the
// summary once it is terminated.
func Deadlines(p *plan.Plan, cat *plan.Category, in *incident.Incident, reports []*incident.Report, now time.Time) []Deadline {
	var out []Deadline
	if in.ActivatedAt != nil && in.TerminatedAt == nil && cat != nil && cat.DailyReport {
		rule := DailyRule(p)
		due := rule.Next(*in.ActivatedAt, now)
		// A deadline passed without its report stays on show as overdue
		// until the next one; reports (filed through the report flow) clear it.
		if last := rule.Dailies(*in.ActivatedAt, now); len(last) > 0 {
			prev := last[len(last)-1]
			if submittedIn(reports, "daily", prev.Add(-24*time.Hour), prev) == nil {
				next := due
				out = append(out, Deadline{Kind: "daily_report", Due: prev, State: deadline.Assess(prev, nil, now, dueSoon, &next)})
			}
		}
		out = append(out, Deadline{Kind: "daily_report", Due: due, State: deadline.Assess(due, submittedIn(reports, "daily", due.Add(-24*time.Hour), due), now, dueSoon, nil)})
	}
	if in.TerminatedAt != nil {
		due := deadline.Summary(*in.TerminatedAt, p.Reports.Summary.Within, p.Location)
		out = append(out, Deadline{Kind: "summary", Due: due, State: deadline.Assess(due, submittedIn(reports, "summary", *in.TerminatedAt, time.Time{}), now, dueSoon, nil)})
	}
	return out
}

// submittedIn returns the submission time of the first report of kind
// submitted at or after from and not after to (zero to: no upper bound).
func submittedIn(reports []*incident.Report, kind string, from, to time.Time) *time.Time {
	for _, r := range reports {
		if r.Kind != kind || r.SubmittedAt == nil || r.SubmittedAt.Before(from) {
			continue
		}
		if to.IsZero() || !r.SubmittedAt.After(to) {
			return r.SubmittedAt
		}
	}
	return nil
}
