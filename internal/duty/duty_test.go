package duty

import (
	"testing"
	"time"
)

var sh = mustLoc("Asia/Shanghai")

func mustLoc(n string) *time.Location {
	l, err := time.LoadLocation(n)
	if err != nil {
		panic(err)
	}
	return l
}

func TestRotationOnDuty(t *testing.T) {
	first := time.Date(2026, 11, 28, 0, 0, 0, 0, sh)
	dn := Rotation{Kind: "day_night", DayStart: 8 * time.Hour, NightStart: 20 * time.Hour, Loc: sh}.Slots(first, 3)
	Assign(dn, []int64{1, 2}, []int64{10, 11, 12}, 1)
	full := Rotation{Kind: "24h", DayStart: 8*time.Hour + 30*time.Minute, Loc: sh}.Slots(first, 2)
	Assign(full, []int64{1}, []int64{10, 11}, 2)
	if len(dn) != 6 || len(full) != 2 {
		t.Fatalf("slots %d %d", len(dn), len(full))
	}
	for _, c := range []struct {
		name   string
		list   []*Shift
		at     time.Time
		start  string // local start of the shift on duty, "" for none
		kind   Kind
		leader int64
	}{
		{"before the first shift", dn, time.Date(2026, 11, 28, 7, 59, 59, 0, sh), "", "", 0},
		{"first day shift", dn, time.Date(2026, 11, 28, 8, 0, 0, 0, sh), "2026-11-28 08:00", Day, 1},
		{"last instant of the day shift", dn, time.Date(2026, 11, 28, 19, 59, 59, 999e6, sh), "2026-11-28 08:00", Day, 1},
		{"day/night boundary", dn, time.Date(2026, 11, 28, 20, 0, 0, 0, sh), "2026-11-28 20:00", Night, 2},
		{"across midnight (UTC 16:00 is 00:00 in Shanghai)", dn, time.Date(2026, 11, 28, 16, 0, 0, 0, time.UTC), "2026-11-28 20:00", Night, 2},
		{"night shift morning", dn, time.Date(2026, 11, 29, 7, 59, 0, 0, sh), "2026-11-28 20:00", Night, 2},
		{"next day shift", dn, time.Date(2026, 11, 29, 8, 0, 0, 0, sh), "2026-11-29 08:00", Day, 1},
		{"after the last shift", dn, time.Date(2026, 12, 1, 8, 0, 0, 0, sh), "", "", 0},
		{"24h across midnight", full, time.Date(2026, 11, 29, 0, 30, 0, 0, sh), "2026-11-28 08:30", FullDay, 1},
		{"24h change-over", full, time.Date(2026, 11, 29, 8, 30, 0, 0, sh), "2026-11-29 08:30", FullDay, 1},
	} {
		got := OnDuty(c.list, c.at)
		if c.start == "" {
			if got != nil {
				t.Errorf("%s: on duty %v", c.name, got.Start)
			}
			continue
		}
		if got == nil {
			t.Errorf("%s: nobody on duty", c.name)
			continue
		}
		if s := got.Start.In(sh).Format("2006-01-02 15:04"); s != c.start || got.Kind != c.kind || got.LeaderID != c.leader {
			t.Errorf("%s: got %s %s leader %d", c.name, s, got.Kind, got.LeaderID)
		}
	}
	if len(full[0].OfficerIDs) != 2 || full[1].OfficerIDs[0] != 10 {
		t.Errorf("officers %v %v", full[0].OfficerIDs, full[1].OfficerIDs)
	}
}

func TestGapsAndOverlap(t *testing.T) {
	h := func(n int) time.Time { return time.Date(2026, 11, 28, n, 0, 0, 0, sh) }
	list := []*Shift{{ID: 1, Start: h(8), End: h(12)}, {ID: 2, Start: h(14), End: h(20)}}
	gaps := Gaps(list, h(0), h(22))
	if len(gaps) != 3 || !gaps[0].End.Equal(h(8)) || !gaps[1].Start.Equal(h(12)) || !gaps[1].End.Equal(h(14)) || !gaps[2].Start.Equal(h(20)) {
		t.Fatalf("gaps %v", gaps)
	}
	if len(Gaps(list, h(8), h(12))) != 0 {
		t.Error("no gap expected")
	}
	if o := FindOverlap(list, &Shift{Start: h(11), End: h(15)}); o == nil || o.ID != 1 {
		t.Errorf("overlap %v", o)
	}
	if o := FindOverlap(list, &Shift{Start: h(12), End: h(14)}); o != nil {
		t.Errorf("touching shifts overlap: %v", o)
	}
}

func TestPeriods(t *testing.T) {
	h := func(n int) time.Time { return time.Date(2026, 11, 28, n, 0, 0, 0, sh) }
	ps := []*Period{{Name: "全国两会", Start: h(0), End: h(12), MinLeaders: 1, MinOfficers: 3}}
	if len(Active(ps, h(11))) != 1 || len(Active(ps, h(12))) != 0 {
		t.Error("active")
	}
	need := Required(ps, h(8), h(20))
	if need.Officers != 3 {
		t.Errorf("need %+v", need)
	}
	s := &Shift{LeaderID: 1, OfficerIDs: []int64{2}}
	if l, o := Shortfall(s, need); l != 0 || o != 2 {
		t.Errorf("shortfall %d %d", l, o)
	}
	if Required(ps, h(12), h(20)) != Normal {
		t.Error("normal after the period")
	}
	from, to := &Shift{OrgID: 1, End: h(20), LeaderID: 1}, &Shift{OrgID: 1, Start: h(20), OfficerIDs: []int64{5}}
	if !CanHandOver(from, to, 1) || CanHandOver(from, to, 5) || !CanReceive(to, 5) || CanReceive(to, 1) {
		t.Error("handover rules")
	}
}

func BenchmarkOnDuty(b *testing.B) {
	slots := Rotation{Kind: "day_night", DayStart: 8 * time.Hour, NightStart: 20 * time.Hour, Loc: sh}.Slots(time.Date(2026, 1, 1, 0, 0, 0, 0, sh), 365)
	at := time.Date(2026, 7, 1, 3, 0, 0, 0, sh)
	for b.Loop() {
		if OnDuty(slots, at) == nil {
			b.Fatal("nobody")
		}
	}
}
