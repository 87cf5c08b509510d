package report

import (
	"time"

	"yingji/internal/deadline"
	"yingji/internal/incident"
	"yingji/internal/plan"
)

// Deadline is one report obligation of an incident.
type Deadline struct {
	Kind  string // initial_report, daily_report, final_report, summary
	Due   time.Time
	State deadline.State
}

// EntryLateRegistration is the timeline entry written at registration when
// the incident was discovered more than its 首报 window before.
const EntryLateRegistration incident.EntryKind = "late_registration"

// dueSoon is the window before a deadline in which it shows as due soon.
const dueSoon = time.Hour

// DailyRule is the plan's daily report rule.
func DailyRule(p *plan.Plan) deadline.DailyRule {
	return deadline.DailyRule{Hour: p.Reports.Daily.Hour, Minute: p.Reports.Daily.Minute, MinLead: p.Reports.Daily.MinLead, Loc: p.Location}
}

// ObligationRule is what the plan makes incident in, of category cat, owe:
// the 首报 window of its level, the daily regime of its category, the 终报
// and the summary after termination.
func ObligationRule(p *plan.Plan, cat *plan.Category, in *incident.Incident) Rule {
	return Rule{Daily: DailyRule(p), DailyOn: cat != nil && cat.DailyReport, SummaryWithin: p.Reports.Summary.Within,
		InitialWithin: p.Reports.Initial.For(int(in.Level)), FinalWithin: p.Reports.Final.Within, DueSoon: dueSoon}
}

// LateRegistration reports whether in was registered more than its 首报
// window after discovery (the first report cannot have been on time), and
// by how long after discovery it was registered.
func LateRegistration(p *plan.Plan, in *incident.Incident) (bool, time.Duration) {
	delay := in.CreatedAt.Sub(in.DiscoveredAt)
	return deadline.LateRegistration(in.DiscoveredAt, in.CreatedAt, p.Reports.Initial.For(int(in.Level))), delay
}

// Deadlines lists the obligations an incident shows now: the daily report
// deadlines still open or to come while the plan is active (for categories
// under the daily regime), and the summary once it is terminated. The
// matching of reports to deadlines is report.Obligations'.
func Deadlines(p *plan.Plan, cat *plan.Category, in *incident.Incident, reports []*incident.Report, now time.Time) []Deadline {
	var out []Deadline
	for _, o := range Current(Obligations(ObligationRule(p, cat, in), in, reports, now), now) {
		out = append(out, Deadline{Kind: o.Kind, Due: o.Due, State: o.State})
	}
	return out
}
