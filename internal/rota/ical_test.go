package rota_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"yingji/internal/duty"
	"yingji/internal/i18n"
	"yingji/internal/rota"
	"yingji/internal/user"
)

// The calendar's content lines end in CRLF, are folded at 75 octets
// without splitting a character, and unfold to the text escaped as RFC 5545
// asks.
func TestCalendarFoldsAndEscapes(t *testing.T) {
	start := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	leader := &user.User{ID: 1, DisplayName: "王局长"}
	var officers []*user.User
	for i := 0; i < 12; i++ {
		officers = append(officers, &user.User{ID: int64(10 + i), DisplayName: "值班员甲乙丙"})
	}
	sc := &rota.Schedule{
		Shifts: []*rota.ShiftView{{Shift: &duty.Shift{ID: 7, Kind: duty.Day, Start: start, End: start.Add(12 * time.Hour),
			LeaderID: 1, OfficerIDs: []int64{10}, Note: "备注; 含逗号, 与反斜杠\\ 及换行\n第二行"}, Leader: leader, Officers: officers}},
		Periods: []*duty.Period{{ID: 3, Name: "全国两会", Level: "一级", Start: start, End: start.Add(72 * time.Hour), MinLeaders: 2, MinOfficers: 3}},
	}
	got := rota.Calendar(sc, start, i18n.ZH)
	if !strings.HasPrefix(got, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(got, "END:VCALENDAR\r\n") {
		t.Fatalf("not a calendar:\n%s", got)
	}
	for _, l := range strings.Split(strings.TrimSuffix(got, "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) || strings.ContainsAny(l, "\r\n") {
			t.Fatalf("bad content line %q", l)
		}
	}
	unfolded := strings.ReplaceAll(got, "\r\n ", "")
	for _, want := range []string{
		"UID:shift-7@yingji\r\n", "DTSTART:20261128T000000Z\r\n", "DTEND:20261128T120000Z\r\n",
		"SUMMARY:白班 值班领导：王局长；值班员：" + strings.Repeat("值班员甲乙丙、", 11) + "值班员甲乙丙\r\n",
		"DESCRIPTION:备注\\; 含逗号\\, 与反斜杠\\\\ 及换行\\n第二行\r\n",
		"UID:period-3@yingji\r\n", "SUMMARY:【敏感时期】全国两会 一级\r\n",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("missing %q in\n%s", want, unfolded)
		}
	}
}
