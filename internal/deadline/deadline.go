// Package deadline computes the wall-clock deadlines of an incident's
// reports and assesses whether each obligation is met.
//
// All day boundaries are those of the rule's Location, never time.Local,
// so the answers do not depend on the server's zone or on the Location
// the caller's times happen to carry.
//
// The day of activation: the seed (四(一)4) says 预案启动期间执行每日情况报告
// 制度，在每日17时前将当日情况报…, so a plan activated before 17:00 owes that
// day's report at 17:00 (with MinLead 0, as the shipped plan has it); one
// activated at 17:00 or later owes its first on the next day. A plan may set
// MinLead: an activation less than MinLead before the deadline (e.g. 16:50
// with a 30-minute lead) then owes its first report the next day; a lead of
// exactly MinLead is enough. With or without a lead, a deadline never falls
// at the activation instant itself.
//
// First report (首报): due a plan-set window after discovery (FirstReport).
// Final report (终报): due a plan-set window after termination (Within).
package deadline

import (
	"fmt"
	"time"
)

// DailyRule is a report due every day at Hour:Minute in Loc while an
// incident is active.
type DailyRule struct {
	Hour, Minute int
	// MinLead: if activation is less than MinLead before a day's deadline,
	// that day's report is not required; the first one is due a day later.
	MinLead time.Duration
	Loc     *time.Location
}

// Validate reports a rule that would silently produce surprising
// deadlines (time.Date normalises out-of-range fields instead of failing).
func (r DailyRule) Validate() error {
	switch {
	case r.Loc == nil:
		return fmt.Errorf("deadline: daily rule has no location")
	case r.Hour < 0 || r.Hour > 23 || r.Minute < 0 || r.Minute > 59:
		return fmt.Errorf("deadline: daily rule time %d:%02d out of range", r.Hour, r.Minute)
	case r.MinLead < 0:
		return fmt.Errorf("deadline: daily rule MinLead %v is negative", r.MinLead)
	}
	return nil
}

func (r DailyRule) loc() *time.Location {
	// A nil Location would mean UTC in time.Date, an 8-hour error for a
	// Shanghai rule; failing loudly is safer than guessing.
	if r.Loc == nil {
		panic("deadline: DailyRule.Loc is nil")
	}
	return r.Loc
}

// on returns the deadline on the calendar day of t in Loc, shifted by
// addDays days. Using time.Date (not Add(24h)) keeps the wall clock fixed
// across DST changes.
func (r DailyRule) on(t time.Time, addDays int) time.Time {
	loc := r.loc()
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d+addDays, r.Hour, r.Minute, 0, 0, loc)
}

// FirstDaily returns the first daily report deadline after activation:
// the earliest deadline strictly after activated and at least MinLead
// after it. With MinLead 0, an activation at 16:59 owes 17:00 that day and
// one at 17:00:00 owes 17:00 the next day ("before 17:00" counts the day).
func (r DailyRule) FirstDaily(activated time.Time) time.Time {
	lead := max(r.MinLead, 0)
	earliest := activated.Add(lead)
	// Starting from the day of activated+MinLead rather than the day of
	// activation makes this correct for any MinLead, even over a day.
	d := r.on(earliest, 0)
	if d.Before(earliest) || !d.After(activated) {
		d = r.on(earliest, 1)
	}
	return d
}

// SameDay reports whether a and b fall on the same calendar day in Loc.
func (r DailyRule) SameDay(a, b time.Time) bool {
	loc := r.loc()
	ay, am, ad := a.In(loc).Date()
	by, bm, bd := b.In(loc).Date()
	return ay == by && am == bm && ad == bd
}

// ActivationDay returns the deadline of the day of activation when that
// day owes a daily report (activation before the deadline, by at least
// MinLead); false otherwise. A 首报 submitted that day after activation
// meets it (see report.Obligations).
func (r DailyRule) ActivationDay(activated time.Time) (time.Time, bool) {
	first := r.FirstDaily(activated)
	return first, r.SameDay(first, activated)
}

// Next returns the first daily deadline strictly after t that is not
// before FirstDaily(activated).
func (r DailyRule) Next(activated, t time.Time) time.Time {
	first := r.FirstDaily(activated)
	if t.Before(first) {
		return first
	}
	d := r.on(t, 0)
	if !d.After(t) {
		d = r.on(t, 1)
	}
	return d
}

// Dailies returns every daily deadline from FirstDaily(activated) up to
// and including the last one not after until, in order; nil if none.
func (r DailyRule) Dailies(activated, until time.Time) []time.Time {
	first := r.FirstDaily(activated)
	if until.Before(first) {
		return nil
	}
	out := make([]time.Time, 0, int(until.Sub(first)/(24*time.Hour))+2)
	// Count days from first's date so each deadline is computed afresh
	// and DST cannot accumulate drift.
	for i := 0; ; i++ {
		d := r.on(first, i)
		if d.After(until) {
			return out
		}
		out = append(out, d)
	}
}

// Summary returns the summary report deadline: within after terminated
// (see Within).
func Summary(terminated time.Time, within time.Duration, loc *time.Location) time.Time {
	return Within(terminated, within, loc)
}

// FirstReport returns the first report (首报) deadline: within after the
// incident was discovered — not after it was registered or activated, since
// 不得迟报 runs from the moment the bureau knows.
func FirstReport(discovered time.Time, within time.Duration, loc *time.Location) time.Time {
	return Within(discovered, within, loc)
}

// LateRegistration reports whether an incident registered at registered
// was discovered more than window before: its first report could not be on
// time however fast the registering officer is.
func LateRegistration(discovered, registered time.Time, window time.Duration) bool {
	return window > 0 && registered.Sub(discovered) > window
}

// Within returns the instant within after t, counted on the wall clock of
// loc. Whole days are calendar days (7*24h is the same wall-clock time 7
// days later even across a DST change); a sub-day remainder is elapsed
// time.
func Within(from time.Time, within time.Duration, loc *time.Location) time.Time {
	if loc == nil {
		panic("deadline: location is nil")
	}
	t := from.In(loc)
	const day = 24 * time.Hour
	if days := int(within / day); days != 0 {
		// Skipped when zero: re-deriving the instant from the wall clock
		// could move it inside an ambiguous DST hour.
		t = t.AddDate(0, 0, days)
	}
	return t.Add(within % day)
}

// State of an obligation at an instant.
type State string

// States returned by Assess.
const (
	Upcoming State = "upcoming"
	DueSoon  State = "due_soon"
	Overdue  State = "overdue"
	OnTime   State = "on_time"
	Late     State = "late"
	Missed   State = "missed"
)

// Assess returns the state of an obligation due at due, as seen at now.
// submitted is nil when nothing was submitted. dueSoon is the window
// before due (inclusive) that counts as due soon. closedAt, if non-nil, is
// when the obligation can no longer be met: an unsubmitted obligation past
// due is Missed once now is after closedAt, Overdue before that.
//
// Boundaries are inclusive of the deadline instant: submitting exactly at
// due is on time, so at now == due the obligation is not yet overdue, and
// likewise at now == closedAt it is not yet missed.
func Assess(due time.Time, submitted *time.Time, now time.Time, dueSoon time.Duration, closedAt *time.Time) State {
	if submitted != nil {
		if submitted.After(due) {
			return Late
		}
		return OnTime
	}
	if now.After(due) {
		if closedAt != nil && now.After(*closedAt) {
			return Missed
		}
		return Overdue
	}
	if due.Sub(now) <= dueSoon {
		return DueSoon
	}
	return Upcoming
}
