package ingest

import (
	"errors"
	"strings"
	"testing"

	"yingji/internal/signal"
)

// A body of more than MaxRecords records is refused whole before it is
// decoded; one of exactly MaxRecords is read. Commas and line feeds inside
// the records do not count as records.
func TestMaxRecords(t *testing.T) {
	am := func(key string, n int) string {
		return `{"version":"4","status":"firing","` + key + `":[` + strings.Repeat(`{"status":"firing","labels":{"alertname":"a,b"}},`, n-1) + `{"status":"firing","labels":{"alertname":"a"}}]}`
	}
	arr := func(n int) string { return `[` + strings.Repeat(`{"title":"t,u"},`, n-1) + `{"title":"t"}]` }
	lines := func(rec string, n int) string { return strings.Repeat(rec+"\n\n", n) }
	eve := `{"event_type":"alert","alert":{"signature":"ET x","severity":1}}`
	const syslogLine = `<11>1 2026-11-30T01:00:00Z fw app - - - denied, dropped`
	// A body with many records that is not JSON at all (cut short, or with
	// junk after it) is refused as it is, not decoded up to its error.
	for _, body := range []string{strings.TrimSuffix(am("alerts", MaxRecords+1), "}"), am("alerts", MaxRecords+1) + "x"} {
		_, err := Parse(signal.FormatAlertmanager, []byte(body), now, sh)
		var many *TooManyRecords
		if err == nil || errors.As(err, &many) || !strings.Contains(err.Error(), "json_") {
			t.Errorf("a broken body of many records: %v", err)
		}
	}
	for _, c := range []struct {
		name, format, body string
		refused            bool
		signals            int
	}{
		{"alertmanager at the limit", signal.FormatAlertmanager, am("alerts", MaxRecords), false, MaxRecords},
		{"alertmanager over", signal.FormatAlertmanager, am("alerts", MaxRecords+1), true, 0},
		// encoding/json matches keys ignoring case, and so does the count.
		{"alertmanager over, key in capitals", signal.FormatAlertmanager, am("ALERTS", MaxRecords+1), true, 0},
		{"json at the limit", signal.FormatJSON, arr(MaxRecords), false, MaxRecords},
		{"json over", signal.FormatJSON, arr(MaxRecords + 1), true, 0},
		{"json: empty objects over", signal.FormatJSON, `[` + strings.Repeat(`{},`, MaxRecords) + `{}]`, true, 0},
		// A repeated key: the fast path would fill the first array.
		{"alertmanager over, key repeated", signal.FormatAlertmanager, strings.TrimSuffix(am("alerts", MaxRecords+1), "}") + `,"alerts":[]}`, true, 0},
		{"alertmanager over, key repeated in capitals", signal.FormatAlertmanager, strings.TrimSuffix(am("alerts", MaxRecords+1), "}") + `,"ALERTS":[]}`, true, 0},
		{"json: one object full of commas", signal.FormatJSON, `{"title":"t","detail":"` + strings.Repeat(",", 3*MaxRecords) + `"}`, false, 1},
		{"suricata at the limit (blank lines between)", signal.FormatSuricata, lines(eve, MaxRecords), false, MaxRecords},
		{"suricata over", signal.FormatSuricata, lines(eve, MaxRecords+1), true, 0},
		{"syslog over", signal.FormatSyslog, lines(syslogLine, MaxRecords+1), true, 0},
		{"syslog at the limit", signal.FormatSyslog, lines(syslogLine, MaxRecords), false, MaxRecords},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := Parse(c.format, []byte(c.body), now, sh)
			var many *TooManyRecords
			if errors.As(err, &many) != c.refused || (!c.refused && err != nil) {
				t.Fatalf("err %v, want refused %v", err, c.refused)
			}
			if c.refused && many.Max != MaxRecords {
				t.Fatalf("max %d", many.Max)
			}
			if len(res.Signals) != c.signals {
				t.Fatalf("%d signals (rejects %+v), want %d", len(res.Signals), res.Rejected[:min(3, len(res.Rejected))], c.signals)
			}
		})
	}
}
