package ingest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"yingji/internal/signal"
)

// benchBodies are 100 good records per body in each format: the cost of
// the path every good record takes (allocations per body with -benchmem).
func benchBodies() map[string][]byte {
	var am, eve, js, sys strings.Builder
	am.WriteString(`{"version":"4","status":"firing","receiver":"yingji","alerts":[`)
	js.WriteString("[")
	for i := range 100 {
		if i > 0 {
			am.WriteString(",")
			js.WriteString(",")
		}
		fmt.Fprintf(&am, `{"status":"firing","labels":{"alertname":"WebDown","instance":"10.0.0.%d:443","severity":"critical"},"annotations":{"summary":"门户网站无法访问"},"startsAt":"2026-11-30T01:59:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"f%d"}`, i, i)
		fmt.Fprintf(&eve, `{"timestamp":"2026-11-30T09:59:00.123456+0800","event_type":"alert","src_ip":"203.0.113.%d","src_port":51234,"dest_ip":"10.51.1.22","dest_port":80,"proto":"TCP","alert":{"action":"allowed","signature_id":2010935,"signature":"ET SCAN Nmap","category":"Attempted Information Leak","severity":2}}`+"\n", i)
		fmt.Fprintf(&js, `{"title":"WAF 拦截 SQL 注入","severity":"high","src_ip":"203.0.113.%d","dst_ip":"10.51.1.22","labels":{"waf":"w1"}}`, i)
		fmt.Fprintf(&sys, "<34>1 2026-11-30T09:59:00+08:00 fw01 waf 100 ID47 - blocked request from 203.0.113.%d\n", i)
	}
	am.WriteString("]}")
	js.WriteString("]")
	return map[string][]byte{signal.FormatAlertmanager: []byte(am.String()), signal.FormatSuricata: []byte(eve.String()),
		signal.FormatJSON: []byte(js.String()), signal.FormatSyslog: []byte(sys.String())}
}

func BenchmarkParse(b *testing.B) {
	at := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
	for _, f := range []string{signal.FormatAlertmanager, signal.FormatSuricata, signal.FormatJSON, signal.FormatSyslog} {
		body := benchBodies()[f]
		b.Run(f, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := Parse(f, body, at, time.UTC)
				if err != nil || len(res.Signals) != 100 {
					b.Fatalf("%v %d %+v", err, len(res.Signals), res.Rejected)
				}
			}
		})
	}
}
