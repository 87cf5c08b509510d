// Package duty is the duty roster (值班备勤) in pure Go: shifts and
// rotations in the plan's time zone, who is on duty at an instant, gaps and
// overlaps, handover rules and sensitive periods. It reads no clock: every
// function takes the instant it is about.
package duty

import (
	"slices"
	"sort"
	"time"
)

// Kind is the kind of a shift.
type Kind string

const (
	FullDay Kind = "24h"   // 24-hour shift
	Day     Kind = "day"   // day shift of a day/night rotation
	Night   Kind = "night" // night shift
	Special Kind = "special"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == FullDay || k == Day || k == Night || k == Special }

// Shift is one period of duty with its leader (值班领导) and officers (值班员).
type Shift struct {
	ID         int64
	OrgID      int64
	Kind       Kind
	Start, End time.Time // [Start, End)
	LeaderID   int64
	OfficerIDs []int64
	Note       string
}

// Covers reports whether t falls within the shift.
func (s *Shift) Covers(t time.Time) bool { return !t.Before(s.Start) && t.Before(s.End) }

// Staffed reports whether the shift has a leader and at least one officer.
func (s *Shift) Staffed() bool { return s.LeaderID != 0 && len(s.OfficerIDs) > 0 }

// Has reports whether the user serves on the shift (as leader or officer).
func (s *Shift) Has(userID int64) bool {
	return s.LeaderID == userID || slices.Contains(s.OfficerIDs, userID)
}

// Overlaps reports whether two half-open intervals share an instant.
func Overlaps(aStart, aEnd, bStart, bEnd time.Time) bool {
	return aStart.Before(bEnd) && bStart.Before(aEnd)
}

// FindOverlap returns the first shift in list that overlaps s (other than s
// itself, by ID), or nil.
func FindOverlap(list []*Shift, s *Shift) *Shift {
	for _, o := range list {
		if (s.ID == 0 || o.ID != s.ID) && Overlaps(o.Start, o.End, s.Start, s.End) {
			return o
		}
	}
	return nil
}

// SortShifts orders shifts by start.
func SortShifts(list []*Shift) {
	sort.Slice(list, func(i, j int) bool { return list[i].Start.Before(list[j].Start) })
}

// OnDuty returns the shift covering t in a list sorted by start (shifts do
// not overlap), or nil when nobody is on duty.
func OnDuty(sorted []*Shift, t time.Time) *Shift {
	// The last shift starting at or before t is the only candidate.
	i := sort.Search(len(sorted), func(i int) bool { return sorted[i].Start.After(t) })
	if i == 0 {
		return nil
	}
	if s := sorted[i-1]; s.Covers(t) {
		return s
	}
	return nil
}

// Interval is a half-open span of time.
type Interval struct{ Start, End time.Time }

// Gaps lists the spans in [from, to) that no shift covers.
func Gaps(sorted []*Shift, from, to time.Time) []Interval {
	var out []Interval
	cur := from
	for _, s := range sorted {
		if !s.End.After(cur) {
			continue
		}
		if !s.Start.Before(to) {
			break
		}
		if s.Start.After(cur) {
			out = append(out, Interval{cur, s.Start})
		}
		if s.End.After(cur) {
			cur = s.End
		}
	}
	if cur.Before(to) {
		out = append(out, Interval{cur, to})
	}
	return out
}

// Rotation describes how a stretch of days is cut into shifts: 24-hour
// shifts changing at DayStart, or day/night shifts changing at DayStart and
// NightStart, all in Loc (the plan's zone).
type Rotation struct {
	Kind       string // "24h" or "day_night"
	DayStart   time.Duration
	NightStart time.Duration
	Loc        *time.Location
}

// at returns the instant at offset d into the local day y-m-d.
func at(y int, m time.Month, d int, off time.Duration, loc *time.Location) time.Time {
	return time.Date(y, m, d, int(off/time.Hour), int(off%time.Hour/time.Minute), 0, 0, loc)
}

// Slots cuts the local days first .. first+days-1 into shifts without people.
func (r Rotation) Slots(first time.Time, days int) []*Shift {
	y, m, d := first.In(r.Loc).Date()
	var out []*Shift
	for i := 0; i < days; i++ {
		start := at(y, m, d+i, r.DayStart, r.Loc)
		next := at(y, m, d+i+1, r.DayStart, r.Loc)
		if r.Kind == "day_night" {
			mid := at(y, m, d+i, r.NightStart, r.Loc)
			out = append(out, &Shift{Kind: Day, Start: start, End: mid}, &Shift{Kind: Night, Start: mid, End: next})
		} else {
			out = append(out, &Shift{Kind: FullDay, Start: start, End: next})
		}
	}
	return out
}

// Assign fills the slots in turn: leaders one per shift, officers perShift
// per shift, each list cycled round-robin.
func Assign(slots []*Shift, leaders, officers []int64, perShift int) {
	k := 0
	for i, s := range slots {
		if len(leaders) > 0 {
			s.LeaderID = leaders[i%len(leaders)]
		}
		s.OfficerIDs = nil
		for j := 0; j < perShift && len(officers) > 0; j++ {
			id := officers[k%len(officers)]
			k++
			if !slices.Contains(s.OfficerIDs, id) {
				s.OfficerIDs = append(s.OfficerIDs, id)
			}
		}
	}
}

// Period is a sensitive period or major event (重要会议和活动期间) with
// the staffing it requires.
type Period struct {
	ID          int64
	OrgID       int64
	Name        string
	Start, End  time.Time
	Level       string // e.g. 一级, 二级: the heightened state shown
	MinLeaders  int
	MinOfficers int
	Note        string
}

// Staffing is what a shift needs.
type Staffing struct {
	Leaders, Officers int
}

// Normal staffing: one leader and one officer.
var Normal = Staffing{Leaders: 1, Officers: 1}

// Active returns the periods in force at t.
func Active(periods []*Period, t time.Time) []*Period {
	var out []*Period
	for _, p := range periods {
		if !t.Before(p.Start) && t.Before(p.End) {
			out = append(out, p)
		}
	}
	return out
}

// Required is the staffing for a span: normal, raised by every period
// overlapping it.
func Required(periods []*Period, start, end time.Time) Staffing {
	st := Normal
	for _, p := range periods {
		if Overlaps(p.Start, p.End, start, end) {
			st.Leaders = max(st.Leaders, p.MinLeaders)
			st.Officers = max(st.Officers, p.MinOfficers)
		}
	}
	return st
}

// Shortfall reports how the shift falls short of the staffing it needs.
func Shortfall(s *Shift, need Staffing) (leaders, officers int) {
	have := 0
	if s.LeaderID != 0 {
		have = 1
	}
	return max(0, need.Leaders-have), max(0, need.Officers-len(s.OfficerIDs))
}

// CanHandOver reports whether a handover may pass from one shift to the
// next: the receiving shift starts where the giving one ends (or later, when
// there is a gap), and the giver serves on the giving shift.
func CanHandOver(from, to *Shift, giver int64) bool {
	return from.Has(giver) && !to.Start.Before(from.End) && from.OrgID == to.OrgID
}

// CanReceive reports whether a user may confirm a handover to shift to.
func CanReceive(to *Shift, receiver int64) bool { return to.Has(receiver) }
