package report

import (
	"time"

	"yingji/internal/deadline"
	"yingji/internal/incident"
)

// Obligation kinds, as the API names them.
const (
	ObligationDaily   = "daily_report"
	ObligationSummary = "summary"
)

// Rule is what the plan says an incident owes.
type Rule struct {
	Daily         deadline.DailyRule
	DailyOn       bool          // the incident's category is under the daily regime
	SummaryWithin time.Duration // 0: no summary owed
	DueSoon       time.Duration // window before a deadline that counts as due soon
}

// Obligation is one report an incident owes, with its state at an instant.
type Obligation struct {
	Kind        string
	Due         time.Time
	State       deadline.State
	ReportID    int64      // the original report that met it, 0 if none
	SubmittedAt *time.Time // when that report was first submitted
	// Late is how late: submitted minus due for a late report, now minus
	// due for an overdue or missed one; 0 otherwise.
	Late time.Duration
}

// Pending reports whether the obligation can still be met on time or late.
func (o Obligation) Pending() bool {
	return o.State == deadline.Upcoming || o.State == deadline.DueSoon || o.State == deadline.Overdue
}

// Obligations lists every obligation of an incident up to now, and the next
// daily deadline while the plan is active, oldest first.
//
// Matching: a daily report is bound to one deadline when it is drafted
// (DueAt; see BindDaily) and meets exactly that deadline, whenever it is
// submitted; the submission time of the original version counts, a later
// correction does not change it. A daily deadline that passes unmet is
// overdue until the next deadline (or termination), then missed. The summary
// is met by the first summary submitted; it stays overdue until then.
func Obligations(rule Rule, in *incident.Incident, reports []*incident.Report, now time.Time) []Obligation {
	var out []Obligation
	if in.ActivatedAt != nil && rule.DailyOn {
		end := now
		if in.TerminatedAt != nil && in.TerminatedAt.Before(end) {
			end = *in.TerminatedAt
		}
		dues := rule.Daily.Dailies(*in.ActivatedAt, end)
		if in.TerminatedAt == nil {
			dues = append(dues, rule.Daily.Next(*in.ActivatedAt, now))
		}
		for i, due := range dues {
			var closed time.Time
			if i+1 < len(dues) {
				closed = dues[i+1]
			} else {
				closed = rule.Daily.Next(*in.ActivatedAt, due)
			}
			if in.TerminatedAt != nil && in.TerminatedAt.Before(closed) {
				closed = *in.TerminatedAt
				if closed.Before(due) {
					closed = due
				}
			}
			r := firstSubmitted(reports, Daily, &due)
			out = append(out, assess(ObligationDaily, due, r, now, rule.DueSoon, &closed))
		}
	}
	if in.TerminatedAt != nil && rule.SummaryWithin > 0 {
		due := deadline.Summary(*in.TerminatedAt, rule.SummaryWithin, rule.Daily.Loc)
		out = append(out, assess(ObligationSummary, due, firstSubmitted(reports, Summary, nil), now, rule.DueSoon, nil))
	}
	return out
}

func assess(kind string, due time.Time, r *incident.Report, now time.Time, dueSoon time.Duration, closed *time.Time) Obligation {
	o := Obligation{Kind: kind, Due: due}
	if r != nil {
		o.ReportID, o.SubmittedAt = r.ID, r.SubmittedAt
	}
	o.State = deadline.Assess(due, o.SubmittedAt, now, dueSoon, closed)
	switch o.State {
	case deadline.Late:
		o.Late = o.SubmittedAt.Sub(due)
	case deadline.Overdue:
		o.Late = now.Sub(due)
	case deadline.Missed:
		o.Late = now.Sub(due)
	}
	return o
}

// firstSubmitted returns the original report of kind submitted first (and
// bound to due, if due is given), nil if none.
func firstSubmitted(reports []*incident.Report, kind string, due *time.Time) *incident.Report {
	var best *incident.Report
	for _, r := range reports {
		if r.Kind != kind || r.Supersedes != 0 || r.SubmittedAt == nil {
			continue
		}
		if due != nil && (r.DueAt == nil || !r.DueAt.Equal(*due)) {
			continue
		}
		if best == nil || r.SubmittedAt.Before(*best.SubmittedAt) {
			best = r
		}
	}
	return best
}

// BindDaily picks the deadline a new daily report answers: the earliest
// daily obligation that is still open (the one overdue now, else the next).
// false when there is none (e.g. after termination with nothing overdue).
func BindDaily(rule Rule, in *incident.Incident, reports []*incident.Report, now time.Time) (time.Time, bool) {
	for _, o := range Obligations(rule, in, reports, now) {
		if o.Kind == ObligationDaily && o.Pending() && !boundOpen(reports, o.Due) {
			return o.Due, true
		}
	}
	return time.Time{}, false
}

// boundOpen reports whether an unsubmitted original is already bound to due.
func boundOpen(reports []*incident.Report, due time.Time) bool {
	for _, r := range reports {
		if r.Kind == Daily && r.Supersedes == 0 && r.SubmittedAt == nil && r.DueAt != nil && r.DueAt.Equal(due) {
			return true
		}
	}
	return false
}

// Current is what an incident page shows: the daily obligations still open
// or not yet due, and the summary whatever its state.
func Current(obs []Obligation, now time.Time) []Obligation {
	var out []Obligation
	for _, o := range obs {
		if o.Kind == ObligationSummary || !o.Due.Before(now) || o.State == deadline.Overdue {
			out = append(out, o)
		}
	}
	return out
}
