package deadline

import (
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // hermetic: do not depend on the host's zoneinfo
)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var (
	sh = mustLoad("Asia/Shanghai")
	ny = mustLoad("America/New_York")
	// A zone whose calendar day differs from Shanghai's most of the time.
	minus11 = time.FixedZone("UTC-11", -11*3600)
)

func at(loc *time.Location, y int, m time.Month, d, hh, mm, ss int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, 0, loc)
}

func shT(y int, m time.Month, d, hh, mm, ss int) time.Time { return at(sh, y, m, d, hh, mm, ss) }

// underLocals runs fn once per value of time.Local; each run checks the
// same expected instants, so the answers must be identical.
func underLocals(t *testing.T, fn func(t *testing.T)) {
	t.Helper()
	saved := time.Local
	defer func() { time.Local = saved }()
	for _, l := range []*time.Location{time.UTC, ny} {
		time.Local = l
		t.Run("Local="+l.String(), fn)
	}
}

// inputLocs gives the same instant in several Locations, including
// time.Local as currently set.
func inputLocs(x time.Time) []time.Time {
	return []time.Time{x.In(sh), x.UTC(), x.In(ny), x.In(minus11), x.In(time.Local)}
}

func checkTime(t *testing.T, what string, got, want time.Time, loc *time.Location) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %v, want %v", what, got.In(loc), want.In(loc))
	}
	if got.Location() != loc {
		t.Errorf("%s location = %v, want %v", what, got.Location(), loc)
	}
}

var rule = DailyRule{Hour: 17, Minute: 0, MinLead: 30 * time.Minute, Loc: sh}

func TestDeadlineIsWallClockInLoc(t *testing.T) {
	underLocals(t, func(t *testing.T) {
		got := rule.FirstDaily(shT(2026, 5, 10, 9, 0, 0))
		if want := time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC); !got.Equal(want) {
			t.Fatalf("17:00 Shanghai = %v, want %v", got.UTC(), want)
		}
	})
}

func TestFirstDaily(t *testing.T) {
	zeroLead := rule
	zeroLead.MinLead = 0
	longLead := rule
	longLead.MinLead = 25 * time.Hour
	nyRule := DailyRule{Hour: 17, MinLead: 30 * time.Minute, Loc: ny}

	tests := []struct {
		name      string
		r         DailyRule
		activated time.Time
		want      time.Time
	}{
		{"morning", rule, shT(2026, 5, 10, 9, 0, 0), shT(2026, 5, 10, 17, 0, 0)},
		{"lead one second over MinLead", rule, shT(2026, 5, 10, 16, 29, 59), shT(2026, 5, 10, 17, 0, 0)},
		{"lead exactly MinLead", rule, shT(2026, 5, 10, 16, 30, 0), shT(2026, 5, 10, 17, 0, 0)},
		{"lead one second under MinLead", rule, shT(2026, 5, 10, 16, 30, 1), shT(2026, 5, 11, 17, 0, 0)},
		{"within MinLead", rule, shT(2026, 5, 10, 16, 45, 0), shT(2026, 5, 11, 17, 0, 0)},
		{"exactly at deadline", rule, shT(2026, 5, 10, 17, 0, 0), shT(2026, 5, 11, 17, 0, 0)},
		{"just after deadline", rule, shT(2026, 5, 10, 17, 0, 1), shT(2026, 5, 11, 17, 0, 0)},
		{"evening", rule, shT(2026, 5, 10, 20, 0, 0), shT(2026, 5, 11, 17, 0, 0)},
		{"23:59 before midnight", rule, shT(2026, 5, 10, 23, 59, 0), shT(2026, 5, 11, 17, 0, 0)},
		{"00:01 after midnight", rule, shT(2026, 5, 11, 0, 1, 0), shT(2026, 5, 11, 17, 0, 0)},
		{"month end", rule, shT(2026, 2, 28, 18, 0, 0), shT(2026, 3, 1, 17, 0, 0)},
		{"year end within MinLead", rule, shT(2026, 12, 31, 16, 45, 0), shT(2027, 1, 1, 17, 0, 0)},
		{"year end last second", rule, shT(2026, 12, 31, 23, 59, 59), shT(2027, 1, 1, 17, 0, 0)},
		{"new year midnight", rule, shT(2027, 1, 1, 0, 0, 0), shT(2027, 1, 1, 17, 0, 0)},
		// 22:00 on 15 June in New York is already 10:00 on 16 June in
		// Shanghai: the Shanghai day decides.
		{"input on previous day elsewhere", rule, at(ny, 2026, 6, 15, 22, 0, 0), shT(2026, 6, 16, 17, 0, 0)},
		// 在每日17时前: activation at 17:00 is not before 17:00, so the day
		// does not count (the old rule made the report due at the very
		// instant of activation).
		{"zero lead at deadline", zeroLead, shT(2026, 5, 10, 17, 0, 0), shT(2026, 5, 11, 17, 0, 0)},
		{"zero lead one second before", zeroLead, shT(2026, 5, 10, 16, 59, 59), shT(2026, 5, 10, 17, 0, 0)},
		// Issue 11: activation at 15:30 owed nothing that day under the
		// shipped plan's 2h lead; the seed counts the day.
		{"zero lead 15:30 owes today", zeroLead, shT(2026, 5, 10, 15, 30, 0), shT(2026, 5, 10, 17, 0, 0)},
		{"zero lead after deadline", zeroLead, shT(2026, 5, 10, 17, 0, 1), shT(2026, 5, 11, 17, 0, 0)},
		{"lead over a day", longLead, shT(2026, 5, 10, 10, 0, 0), shT(2026, 5, 11, 17, 0, 0)},
		{"lead over a day, short", longLead, shT(2026, 5, 10, 16, 0, 1), shT(2026, 5, 12, 17, 0, 0)},
		{"New York rule on DST day", nyRule, at(ny, 2026, 3, 8, 12, 0, 0), at(ny, 2026, 3, 8, 17, 0, 0)},
	}
	underLocals(t, func(t *testing.T) {
		for _, tc := range tests {
			for _, in := range inputLocs(tc.activated) {
				checkTime(t, fmt.Sprintf("%s: FirstDaily(%v)", tc.name, in), tc.r.FirstDaily(in), tc.want, tc.r.Loc)
			}
		}
	})
}

func TestNext(t *testing.T) {
	tests := []struct {
		name         string
		activated, t time.Time
		want         time.Time
	}{
		{"before first", shT(2026, 5, 10, 9, 0, 0), shT(2026, 5, 10, 12, 0, 0), shT(2026, 5, 10, 17, 0, 0)},
		{"before activation", shT(2026, 5, 10, 9, 0, 0), shT(2026, 5, 9, 12, 0, 0), shT(2026, 5, 10, 17, 0, 0)},
		{"at first is strictly after", shT(2026, 5, 10, 9, 0, 0), shT(2026, 5, 10, 17, 0, 0), shT(2026, 5, 11, 17, 0, 0)},
		{"just after first", shT(2026, 5, 10, 9, 0, 0), shT(2026, 5, 10, 17, 0, 1), shT(2026, 5, 11, 17, 0, 0)},
		{"16:59:59 later day", shT(2026, 5, 10, 9, 0, 0), shT(2026, 5, 13, 16, 59, 59), shT(2026, 5, 13, 17, 0, 0)},
		{"17:00:00 later day", shT(2026, 5, 10, 9, 0, 0), shT(2026, 5, 13, 17, 0, 0), shT(2026, 5, 14, 17, 0, 0)},
		// Today's 17:00 is after t but not required (activated within
		// MinLead), so the answer is tomorrow's.
		{"not before first", shT(2026, 5, 10, 16, 45, 0), shT(2026, 5, 10, 16, 50, 0), shT(2026, 5, 11, 17, 0, 0)},
		{"after midnight", shT(2026, 5, 10, 9, 0, 0), shT(2026, 5, 12, 0, 1, 0), shT(2026, 5, 12, 17, 0, 0)},
		{"year end", shT(2026, 12, 30, 9, 0, 0), shT(2026, 12, 31, 17, 30, 0), shT(2027, 1, 1, 17, 0, 0)},
	}
	underLocals(t, func(t *testing.T) {
		for _, tc := range tests {
			for _, a := range inputLocs(tc.activated) {
				for _, x := range inputLocs(tc.t) {
					checkTime(t, fmt.Sprintf("%s: Next(%v, %v)", tc.name, a, x), rule.Next(a, x), tc.want, sh)
				}
			}
		}
	})
}

func TestDailies(t *testing.T) {
	nyRule := DailyRule{Hour: 17, Loc: ny}
	tests := []struct {
		name             string
		r                DailyRule
		activated, until time.Time
		want             []time.Time
	}{
		{"until before activation", rule, shT(2026, 5, 10, 9, 0, 0), shT(2026, 5, 9, 9, 0, 0), nil},
		{"until before first", rule, shT(2026, 5, 10, 9, 0, 0), shT(2026, 5, 10, 16, 59, 59), nil},
		{"until before first, within MinLead", rule, shT(2026, 5, 10, 16, 45, 0), shT(2026, 5, 11, 12, 0, 0), nil},
		{"until at first", rule, shT(2026, 5, 10, 9, 0, 0), shT(2026, 5, 10, 17, 0, 0),
			[]time.Time{shT(2026, 5, 10, 17, 0, 0)}},
		{"several days across year end", rule, shT(2026, 12, 29, 10, 0, 0), shT(2027, 1, 2, 16, 59, 59),
			[]time.Time{shT(2026, 12, 29, 17, 0, 0), shT(2026, 12, 30, 17, 0, 0), shT(2026, 12, 31, 17, 0, 0), shT(2027, 1, 1, 17, 0, 0)}},
		{"last one inclusive", rule, shT(2026, 12, 29, 10, 0, 0), shT(2027, 1, 2, 17, 0, 0),
			[]time.Time{shT(2026, 12, 29, 17, 0, 0), shT(2026, 12, 30, 17, 0, 0), shT(2026, 12, 31, 17, 0, 0), shT(2027, 1, 1, 17, 0, 0), shT(2027, 1, 2, 17, 0, 0)}},
		{"activated after deadline", rule, shT(2026, 5, 10, 18, 0, 0), shT(2026, 5, 12, 18, 0, 0),
			[]time.Time{shT(2026, 5, 11, 17, 0, 0), shT(2026, 5, 12, 17, 0, 0)}},
		// US DST starts 2026-03-08: 17:00 stays 17:00 on the wall clock.
		{"across DST in rule's zone", nyRule, at(ny, 2026, 3, 7, 9, 0, 0), at(ny, 2026, 3, 9, 23, 0, 0),
			[]time.Time{at(ny, 2026, 3, 7, 17, 0, 0), at(ny, 2026, 3, 8, 17, 0, 0), at(ny, 2026, 3, 9, 17, 0, 0)}},
	}
	underLocals(t, func(t *testing.T) {
		for _, tc := range tests {
			for _, a := range inputLocs(tc.activated) {
				for _, u := range inputLocs(tc.until) {
					got := tc.r.Dailies(a, u)
					if len(got) != len(tc.want) {
						t.Errorf("%s: Dailies(%v, %v) = %v, want %v", tc.name, a, u, got, tc.want)
						continue
					}
					for i := range got {
						checkTime(t, fmt.Sprintf("%s: Dailies[%d]", tc.name, i), got[i], tc.want[i], tc.r.Loc)
					}
				}
			}
		}
	})
}

func TestDailiesMatchesNext(t *testing.T) {
	activated := shT(2026, 12, 20, 16, 40, 0)
	ds := rule.Dailies(activated, shT(2027, 1, 20, 0, 0, 0))
	if len(ds) != 30 {
		t.Fatalf("got %d dailies, want 30", len(ds))
	}
	if !ds[0].Equal(rule.FirstDaily(activated)) {
		t.Errorf("Dailies[0] = %v, want FirstDaily", ds[0])
	}
	for i := 1; i < len(ds); i++ {
		if n := rule.Next(activated, ds[i-1]); !n.Equal(ds[i]) {
			t.Errorf("Next(Dailies[%d]) = %v, want %v", i-1, n, ds[i])
		}
	}
}

func TestSummary(t *testing.T) {
	const week = 7 * 24 * time.Hour
	tests := []struct {
		name       string
		terminated time.Time
		within     time.Duration
		loc        *time.Location
		want       time.Time
		elapsed    time.Duration // real time between terminated and the deadline
	}{
		// US DST starts 2026-03-08 and ends 2026-11-01.
		{"New York spring forward", at(ny, 2026, 3, 5, 10, 30, 0), week, ny, at(ny, 2026, 3, 12, 10, 30, 0), week - time.Hour},
		{"New York fall back", at(ny, 2026, 10, 29, 9, 0, 0), week, ny, at(ny, 2026, 11, 5, 9, 0, 0), week + time.Hour},
		// A New York input spanning a US DST change must not shift a
		// Shanghai deadline.
		{"Shanghai, input across US DST", shT(2026, 3, 5, 10, 30, 0).In(ny), week, sh, shT(2026, 3, 12, 10, 30, 0), week},
		{"Shanghai year end", shT(2026, 12, 28, 12, 0, 0), week, sh, shT(2027, 1, 4, 12, 0, 0), week},
		{"zero", shT(2026, 5, 10, 12, 0, 0), 0, sh, shT(2026, 5, 10, 12, 0, 0), 0},
		{"day and a half", shT(2026, 5, 10, 12, 0, 0), 36 * time.Hour, sh, shT(2026, 5, 12, 0, 0, 0), 36 * time.Hour},
		// The sub-day remainder is elapsed time.
		{"hours across DST", at(ny, 2026, 3, 7, 20, 0, 0), 12 * time.Hour, ny, at(ny, 2026, 3, 8, 9, 0, 0), 12 * time.Hour},
		{"days plus hours across DST", at(ny, 2026, 3, 7, 20, 0, 0), 36 * time.Hour, ny, at(ny, 2026, 3, 9, 8, 0, 0), 35 * time.Hour},
	}
	underLocals(t, func(t *testing.T) {
		for _, tc := range tests {
			for _, in := range inputLocs(tc.terminated) {
				got := Summary(in, tc.within, tc.loc)
				checkTime(t, fmt.Sprintf("%s: Summary(%v)", tc.name, in), got, tc.want, tc.loc)
				if e := got.Sub(in); e != tc.elapsed {
					t.Errorf("%s: elapsed %v, want %v", tc.name, e, tc.elapsed)
				}
			}
		}
	})
}

func TestAssess(t *testing.T) {
	due := shT(2026, 5, 10, 17, 0, 0)
	nextDue := shT(2026, 5, 11, 17, 0, 0)
	p := func(x time.Time) *time.Time { return &x }
	tests := []struct {
		name      string
		submitted *time.Time
		now       time.Time
		closedAt  *time.Time
		want      State
	}{
		{"well before", nil, shT(2026, 5, 10, 9, 0, 0), nil, Upcoming},
		{"just outside due-soon window", nil, shT(2026, 5, 10, 15, 59, 59), nil, Upcoming},
		{"due-soon window starts", nil, shT(2026, 5, 10, 16, 0, 0), nil, DueSoon},
		{"inside due-soon window", nil, shT(2026, 5, 10, 16, 30, 0), nil, DueSoon},
		{"at the deadline", nil, due, p(nextDue), DueSoon},
		{"one second late", nil, shT(2026, 5, 10, 17, 0, 1), p(nextDue), Overdue},
		{"overdue, never closes", nil, shT(2026, 6, 10, 17, 0, 0), nil, Overdue},
		{"overdue until next deadline", nil, shT(2026, 5, 11, 16, 59, 59), p(nextDue), Overdue},
		{"at closedAt", nil, nextDue, p(nextDue), Overdue},
		{"after closedAt", nil, shT(2026, 5, 11, 17, 0, 1), p(nextDue), Missed},
		{"closed before due, now past both", nil, shT(2026, 5, 10, 18, 0, 0), p(shT(2026, 5, 10, 12, 0, 0)), Missed},
		{"closed before due, not yet due", nil, shT(2026, 5, 10, 13, 0, 0), p(shT(2026, 5, 10, 12, 0, 0)), Upcoming},
		{"submitted early", p(shT(2026, 5, 10, 9, 0, 0)), shT(2026, 5, 10, 9, 5, 0), nil, OnTime},
		{"submitted 16:59:59", p(shT(2026, 5, 10, 16, 59, 59)), shT(2026, 5, 10, 18, 0, 0), p(nextDue), OnTime},
		{"submitted 17:00:00", p(due), shT(2026, 5, 10, 18, 0, 0), p(nextDue), OnTime},
		{"submitted 17:00:01", p(shT(2026, 5, 10, 17, 0, 1)), shT(2026, 5, 10, 18, 0, 0), p(nextDue), Late},
		{"submitted after closedAt", p(shT(2026, 5, 12, 9, 0, 0)), shT(2026, 5, 12, 10, 0, 0), p(nextDue), Late},
	}
	underLocals(t, func(t *testing.T) {
		for _, tc := range tests {
			for i, d := range inputLocs(due) {
				// Rotate the zones so each argument carries a different one.
				now := inputLocs(tc.now)[(i+1)%5]
				var sub, closed *time.Time
				if tc.submitted != nil {
					sub = p(inputLocs(*tc.submitted)[(i+2)%5])
				}
				if tc.closedAt != nil {
					closed = p(inputLocs(*tc.closedAt)[(i+3)%5])
				}
				if got := Assess(d, sub, now, time.Hour, closed); got != tc.want {
					t.Errorf("%s: Assess(due %v, now %v) = %q, want %q", tc.name, d, now, got, tc.want)
				}
			}
		}
	})
}

func TestValidate(t *testing.T) {
	tests := []struct {
		r  DailyRule
		ok bool
	}{
		{rule, true},
		{DailyRule{Hour: 0, Minute: 0, Loc: sh}, true},
		{DailyRule{Hour: 23, Minute: 59, Loc: sh}, true},
		{DailyRule{Hour: 17}, false},
		{DailyRule{Hour: 24, Loc: sh}, false},
		{DailyRule{Hour: -1, Loc: sh}, false},
		{DailyRule{Hour: 17, Minute: 60, Loc: sh}, false},
		{DailyRule{Hour: 17, MinLead: -time.Minute, Loc: sh}, false},
	}
	for _, tc := range tests {
		if err := tc.r.Validate(); (err == nil) != tc.ok {
			t.Errorf("Validate(%+v) = %v, want ok=%v", tc.r, err, tc.ok)
		}
	}
}

func TestNilLocationPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for nil Loc")
		}
	}()
	DailyRule{Hour: 17}.FirstDaily(shT(2026, 5, 10, 9, 0, 0))
}

func TestActivationDay(t *testing.T) {
	zero := DailyRule{Hour: 17, Loc: sh}
	lead := DailyRule{Hour: 17, MinLead: 2 * time.Hour, Loc: sh}
	for _, c := range []struct {
		name      string
		r         DailyRule
		activated time.Time
		want      time.Time
		owed      bool
	}{
		{"15:30 owes today", zero, shT(2026, 5, 10, 15, 30, 0), shT(2026, 5, 10, 17, 0, 0), true},
		{"16:59:59 owes today", zero, shT(2026, 5, 10, 16, 59, 59), shT(2026, 5, 10, 17, 0, 0), true},
		{"17:00 owes nothing today", zero, shT(2026, 5, 10, 17, 0, 0), shT(2026, 5, 11, 17, 0, 0), false},
		{"23:00 owes nothing today", zero, shT(2026, 5, 10, 23, 0, 0), shT(2026, 5, 11, 17, 0, 0), false},
		{"00:00 owes today", zero, shT(2026, 5, 10, 0, 0, 0), shT(2026, 5, 10, 17, 0, 0), true},
		{"a plan's lead still works", lead, shT(2026, 5, 10, 15, 30, 0), shT(2026, 5, 11, 17, 0, 0), false},
	} {
		got, owed := c.r.ActivationDay(c.activated)
		if !got.Equal(c.want) || owed != c.owed {
			t.Errorf("%s: %v %v, want %v %v", c.name, got.In(sh), owed, c.want, c.owed)
		}
	}
}

func TestFirstReportAndLateRegistration(t *testing.T) {
	for _, c := range []struct {
		name       string
		discovered time.Time
		within     time.Duration
		registered time.Time
		due        time.Time
		late       bool
	}{
		{"4h, registered at once", shT(2026, 5, 10, 9, 0, 0), 4 * time.Hour, shT(2026, 5, 10, 9, 5, 0), shT(2026, 5, 10, 13, 0, 0), false},
		{"1h, registered after exactly an hour", shT(2026, 5, 10, 9, 0, 0), time.Hour, shT(2026, 5, 10, 10, 0, 0), shT(2026, 5, 10, 10, 0, 0), false},
		{"1h, registered a second later", shT(2026, 5, 10, 9, 0, 0), time.Hour, shT(2026, 5, 10, 10, 0, 1), shT(2026, 5, 10, 10, 0, 0), true},
		{"registered two days after discovery", shT(2026, 5, 8, 9, 0, 0), 4 * time.Hour, shT(2026, 5, 10, 9, 0, 0), shT(2026, 5, 8, 13, 0, 0), true},
		{"across midnight", shT(2026, 5, 10, 22, 30, 0), 4 * time.Hour, shT(2026, 5, 10, 23, 0, 0), shT(2026, 5, 11, 2, 30, 0), false},
		{"no window: never late", shT(2026, 5, 1, 9, 0, 0), 0, shT(2026, 5, 10, 9, 0, 0), shT(2026, 5, 1, 9, 0, 0), false},
	} {
		if got := FirstReport(c.discovered, c.within, sh); !got.Equal(c.due) {
			t.Errorf("%s: due %v, want %v", c.name, got.In(sh), c.due)
		}
		if got := LateRegistration(c.discovered, c.registered, c.within); got != c.late {
			t.Errorf("%s: late registration %v, want %v", c.name, got, c.late)
		}
	}
}
