package service

import (
	"time"

	"yingji/internal/deadline"
	"yingji/internal/incident"
	"yingji/internal/plan"
	"yingji/internal/report"
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

// ObligationRule is what the plan makes an incident of category cat owe.
func ObligationRule(p *plan.Plan, cat *plan.Category) report.Rule {
	return report.Rule{Daily: DailyRule(p), DailyOn: cat != nil && cat.DailyReport, SummaryWithin: p.Reports.Summary.Within, DueSoon: dueSoon}
}

// Deadlines lists the obligations an incident shows now: the daily report
// deadlines still open or to come while the plan is active (for categories
// under the daily regime), and the summary once it is terminated. The
// matching of reports to deadlines is report.Obligations'.
func Deadlines(p *plan.Plan, cat *plan.Category, in *incident.Incident, reports []*incident.Report, now time.Time) []Deadline {
	var out []Deadline
	for _, o := range report.Current(report.Obligations(ObligationRule(p, cat), in, reports, now), now) {
		out = append(out, Deadline{Kind: o.Kind, Due: o.Due, State: o.State})
	}
	return out
}
