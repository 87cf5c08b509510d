package report

import (
	"time"

	"yingji/internal/deadline"
	"yingji/internal/incident"
)

// Obligation kinds, as the API names them.
const (
	ObligationInitial = "initial_report" // 首报
	ObligationDaily   = "daily_report"
	ObligationFinal   = "final_report" // 终报
	ObligationSummary = "summary"
)

// Rule is what the plan says an incident owes.
type Rule struct {
	Daily         deadline.DailyRule
	DailyOn       bool          // the incident's category is under the daily regime
	SummaryWithin time.Duration // 0: no summary owed
	// InitialWithin: the 首报 is due this long after discovery (the plan's
	// figure for the incident's level); 0: no first-report deadline.
	InitialWithin time.Duration
	// FinalWithin: the 终报 is due this long after termination; 0: none.
	FinalWithin time.Duration
	DueSoon     time.Duration // window before a deadline that counts as due soon
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
//
// The 首报 is due InitialWithin after discovery and met by the first initial
// report submitted; past due it is overdue, and missed once the incident is
// closed without one. The day of activation's daily deadline (when the day
// owes one, see deadline.DailyRule.ActivationDay) is also met by a 首报
// submitted that day after activation: 当日情况 is in it. The 终报 is due
// FinalWithin after termination and met by the first final report submitted.
func Obligations(rule Rule, in *incident.Incident, reports []*incident.Report, now time.Time) []Obligation {
	var out []Obligation
	if rule.InitialWithin > 0 && !in.DiscoveredAt.IsZero() {
		due := deadline.FirstReport(in.DiscoveredAt, rule.InitialWithin, rule.Daily.Loc)
		out = append(out, assess(ObligationInitial, due, firstSubmitted(reports, Initial, nil), now, rule.DueSoon, in.ClosedAt))
	}
	if in.ActivatedAt != nil && rule.DailyOn {
		actDay, owed := rule.Daily.ActivationDay(*in.ActivatedAt)
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
			if owed && due.Equal(actDay) {
				if ini := initialOnActivationDay(rule, in, reports); ini != nil && (r == nil || ini.SubmittedAt.Before(*r.SubmittedAt)) {
					r = ini
				}
			}
			out = append(out, assess(ObligationDaily, due, r, now, rule.DueSoon, &closed))
		}
	}
	if in.TerminatedAt != nil && rule.FinalWithin > 0 {
		due := deadline.Within(*in.TerminatedAt, rule.FinalWithin, rule.Daily.Loc)
		out = append(out, assess(ObligationFinal, due, firstSubmitted(reports, Final, nil), now, rule.DueSoon, nil))
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

// initialOnActivationDay returns the first original 首报 submitted on the
// day of activation at or after activation, nil if none.
func initialOnActivationDay(rule Rule, in *incident.Incident, reports []*incident.Report) *incident.Report {
	var best *incident.Report
	for _, r := range reports {
		if r.Kind != Initial || r.Supersedes != 0 || r.SubmittedAt == nil || r.SubmittedAt.Before(*in.ActivatedAt) || !rule.Daily.SameDay(*r.SubmittedAt, *in.ActivatedAt) {
			continue
		}
		if best == nil || r.SubmittedAt.Before(*best.SubmittedAt) {
			best = r
		}
	}
	return best
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
// When every deadline up to the next is met already (today's report went in
// before 17:00, or the 首报 met the day of activation), it is the first
// later deadline no original is bound to. false when there is none (not
// active, terminated with nothing overdue, or no daily regime).
func BindDaily(rule Rule, in *incident.Incident, reports []*incident.Report, now time.Time) (time.Time, bool) {
	var last time.Time
	for _, o := range Obligations(rule, in, reports, now) {
		if o.Kind != ObligationDaily {
			continue
		}
		last = o.Due
		if o.Pending() && !boundOpen(reports, o.Due) {
			return o.Due, true
		}
	}
	if last.IsZero() || in.ActivatedAt == nil || in.TerminatedAt != nil {
		return time.Time{}, false
	}
	// Bounded: each deadline ahead can hold at most the originals drafted
	// so far.
	for range len(reports) + 1 {
		last = rule.Daily.Next(*in.ActivatedAt, last)
		if !bound(reports, last) {
			return last, true
		}
	}
	return time.Time{}, false
}

// bound reports whether any daily original (open or submitted) is bound to due.
func bound(reports []*incident.Report, due time.Time) bool {
	for _, r := range reports {
		if r.Kind == Daily && r.Supersedes == 0 && r.DueAt != nil && r.DueAt.Equal(due) {
			return true
		}
	}
	return false
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
// or not yet due, and the 首报, 终报 and summary whatever their state.
func Current(obs []Obligation, now time.Time) []Obligation {
	var out []Obligation
	for _, o := range obs {
		if o.Kind != ObligationDaily || !o.Due.Before(now) || o.State == deadline.Overdue {
			out = append(out, o)
		}
	}
	return out
}
