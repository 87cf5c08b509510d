package audit

import (
	"errors"
	"slices"
	"testing"
	"time"

	"yingji/internal/errs"
)

var shanghai = time.FixedZone("CST", 8*3600)

func values(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParseFilter(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, shanghai) }
	cases := []struct {
		name string
		in   map[string]string
		want Filter
		bad  []string // fields named, in order
	}{
		{"empty", nil, Filter{Limit: PageSize}, nil},
		{"a day, both ends included", map[string]string{"from": "2026-12-01", "to": "2026-12-01"},
			Filter{From: day(2026, 12, 1), To: day(2026, 12, 2), Limit: PageSize}, nil},
		{"who and what", map[string]string{"actor": " duty ", "action": "approval.decide", "incident": "qs-2026-001", "before": "90", "limit": "20"},
			Filter{Actor: "duty", Action: "approval.decide", IncidentRef: "QS-2026-001", Before: 90, Limit: 20}, nil},
		{"incident id", map[string]string{"incident": "17"}, Filter{IncidentRef: "17", Limit: PageSize}, nil},
		{"bad date", map[string]string{"from": "2026-13-01"}, Filter{}, []string{"from"}},
		{"reversed", map[string]string{"from": "2026-12-02", "to": "2026-12-01"}, Filter{}, []string{"to"}},
		{"every field bad at once", map[string]string{"from": "昨天", "to": "x", "actor": "张 三", "action": "drop.table", "incident": "1; DROP", "before": "-1", "limit": "5000"},
			Filter{}, []string{"from", "to", "actor", "action", "incident", "before", "limit"}},
		{"unknown action of the right shape", map[string]string{"action": "incident.vanish"}, Filter{}, []string{"action"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := ParseFilter(values(c.in), shanghai, Known)
			var got []string
			for _, e := range errs.FieldErrors(err) {
				got = append(got, e.Field)
			}
			if !slices.Equal(got, c.bad) {
				t.Fatalf("fields %v, want %v (%v)", got, c.bad, err)
			}
			if c.bad == nil && (!f.From.Equal(c.want.From) || !f.To.Equal(c.want.To) || f.Actor != c.want.Actor || f.Action != c.want.Action ||
				f.IncidentRef != c.want.IncidentRef || f.Before != c.want.Before || f.Limit != c.want.Limit) {
				t.Fatalf("got %+v\nwant %+v", f, c.want)
			}
		})
	}
}

// The filter's query string reads back as the same filter (the 较早的记录
// and export links carry it).
func TestFilterQueryRoundTrip(t *testing.T) {
	in := map[string]string{"from": "2026-11-01", "to": "2026-11-30", "actor": "duty", "action": "report.sign", "incident": "QS-2026-007"}
	f, err := ParseFilter(values(in), shanghai, Known)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Query(shanghai); got != "from=2026-11-01&to=2026-11-30&actor=duty&action=report.sign&incident=QS-2026-007" {
		t.Fatalf("query %q", got)
	}
}

// Every action the page offers is one ParseFilter takes.
func TestActionsKnown(t *testing.T) {
	for _, a := range Actions {
		if !actionRE.MatchString(a) || !Known(a) {
			t.Errorf("action %q", a)
		}
	}
}

// Any input gives a filter within bounds or field errors, never a panic.
func FuzzParseFilter(f *testing.F) {
	f.Add("2026-12-01", "2026-12-31", "duty", "approval.decide", "QS-2026-001", "10", "50")
	f.Add("", "", "", "", "", "", "")
	f.Add("2026-02-30", "9999-99-99", "a@b", "x.y", "0", "-5", "0")
	f.Fuzz(func(t *testing.T, from, to, actor, action, incident, before, limit string) {
		in := map[string]string{"from": from, "to": to, "actor": actor, "action": action, "incident": incident, "before": before, "limit": limit}
		flt, err := ParseFilter(values(in), shanghai, Known)
		if err != nil {
			var fe errs.Fields
			var one *errs.Error
			if !errors.As(err, &fe) && !errors.As(err, &one) {
				t.Fatalf("not a field error: %v", err)
			}
			return
		}
		if flt.Limit < 1 || flt.Limit > MaxPage || flt.Before < 0 || (flt.Action != "" && !Known(flt.Action)) {
			t.Fatalf("out of bounds: %+v", flt)
		}
	})
}
