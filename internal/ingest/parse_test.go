package ingest

import (
	"bufio"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"yingji/internal/signal"
)

var (
	now = time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
	sh  = time.FixedZone("CST", 8*3600)
)

const amBody = `{"version":"4","groupKey":"{}:{alertname=\"x\"}","truncatedAlerts":0,"status":"firing","receiver":"yingji",
"groupLabels":{"alertname":"WebDown"},"commonLabels":{"alertname":"WebDown"},"commonAnnotations":{},"externalURL":"http://am:9093",
"alerts":[
 {"status":"firing","labels":{"alertname":"WebDown","instance":"www.xx.gov.cn:443","severity":"critical"},
  "annotations":{"summary":"门户网站无法访问","description":"probe failed"},"startsAt":"2026-11-30T01:59:00Z","endsAt":"0001-01-01T00:00:00Z",
  "generatorURL":"http://prom/graph","fingerprint":"a1b2c3"},
 {"status":"resolved","labels":{"alertname":"NodeDown","instance":"10.0.0.5:9100"},"annotations":{},
  "startsAt":"2026-11-30T01:00:00Z","endsAt":"2026-11-30T01:30:00Z","fingerprint":"d4"},
 {"status":"firing","labels":{"instance":"x"},"startsAt":"2026-11-30T01:00:00Z"},
 {"status":"pending","labels":{"alertname":"A"}},
 {"status":"firing","labels":{"alertname":"A"},"startsAt":"yesterday"},
 7
]}`

func TestParseAlertmanager(t *testing.T) {
	res, err := ParseAlertmanager([]byte(amBody), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Signals) != 2 || len(res.Rejected) != 4 {
		t.Fatalf("signals %d rejects %+v", len(res.Signals), res.Rejected)
	}
	a, b := res.Signals[0], res.Signals[1]
	if a.Rule != "WebDown" || a.Title != "门户网站无法访问" || a.Severity != signal.Critical || a.Status != signal.Firing ||
		a.Domain != "www.xx.gov.cn" || a.Key != "a1b2c3" || !a.At.Equal(now.Add(-time.Minute)) || !strings.Contains(a.Detail, "http://prom/graph") {
		t.Fatalf("first %+v", a)
	}
	if b.Status != signal.Resolved || b.DstIP != netip.MustParseAddr("10.0.0.5") || !b.At.Equal(time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)) || b.Severity != signal.Medium {
		t.Fatalf("second %+v", b)
	}
	for i, want := range map[int]string{0: "alertname_missing", 1: "status_bad [pending]", 2: "time_bad [startsAt yesterday]", 3: "not_alert"} {
		if r := res.Rejected[i]; r.Line != i+2 || codeArgs(r) != want {
			t.Errorf("reject %d = %+v, want index %d and %q", i, r, i+2, want)
		}
	}
	for _, bad := range []string{`not json`, `{"version":"3","alerts":[]}`, `[]`} {
		if _, err := ParseAlertmanager([]byte(bad), now); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

const eve = `{"timestamp":"2026-11-30T09:58:01.123456+0800","flow_id":1,"event_type":"alert","src_ip":"203.0.113.9","src_port":51000,"dest_ip":"10.1.2.3","dest_port":80,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2100498,"rev":7,"signature":"GPL ATTACK_RESPONSE id check returned root","category":"Potentially Bad Traffic","severity":2},"http":{"hostname":"www.xx.gov.cn","url":"/"}}
{"timestamp":"2026-11-30T09:58:02.000000+0800","event_type":"flow","src_ip":"1.2.3.4"}

{"timestamp":"2026-11-30T09:58:03.000000+0800","event_type":"dns"}
{"event_type":"alert","alert":{"signature":"X","severity":1},"dest_ip":"not-ip"}
{"event_type":"alert","alert":{"signature_id":1}}
{"event_type":"alert",
{"timestamp":"2026-11-30T09:58:04Z","event_type":"alert","dest_ip":"::ffff:10.1.2.4","dest_port":443,"proto":"TCP","alert":{"signature":"ET SCAN","signature_id":1,"severity":1}}`

func TestParseSuricata(t *testing.T) {
	res := ParseSuricata([]byte(eve), now)
	if len(res.Signals) != 2 || res.Skipped != 2 || len(res.Rejected) != 3 {
		t.Fatalf("signals %d skipped %d rejects %+v", len(res.Signals), res.Skipped, res.Rejected)
	}
	a, b := res.Signals[0], res.Signals[1]
	if a.Rule != "GPL ATTACK_RESPONSE id check returned root" || a.Severity != signal.Medium || a.DstIP.String() != "10.1.2.3" ||
		a.SrcIP.String() != "203.0.113.9" || a.Domain != "www.xx.gov.cn" || a.Labels["signature_id"] != "2100498" ||
		!a.At.Equal(time.Date(2026, 11, 30, 1, 58, 1, 123456000, time.UTC)) {
		t.Fatalf("first %+v", a)
	}
	if b.Severity != signal.High || b.DstIP.String() != "10.1.2.4" {
		t.Fatalf("second %+v", b)
	}
	for i, want := range []struct {
		line   int
		reason string
	}{{5, "ip_bad [dest_ip not-ip]"}, {6, "signature_missing"}, {7, "json_truncated [22]"}} {
		if r := res.Rejected[i]; r.Line != want.line || codeArgs(r) != want.reason {
			t.Errorf("reject %+v, want line %d %q", r, want.line, want.reason)
		}
	}
	// The same signature at the same target from another source is the same alert.
	c := a
	c.SrcIP = netip.MustParseAddr("198.51.100.1")
	if c.Fingerprint() != a.Fingerprint() {
		t.Error("source address changed the fingerprint")
	}
}

func TestParseJSON(t *testing.T) {
	cases := []struct {
		name, body string
		n          int
		rejects    []string
		check      func(t *testing.T, s []signal.Signal)
	}{
		{"one object", `{"title":"WAF 拦截 SQL 注入","severity":"high","dst_ip":"10.0.0.9","domain":"WWW.XX.gov.cn.","labels":{"waf":"w1"},"extra":1}`, 1, nil,
			func(t *testing.T, s []signal.Signal) {
				if s[0].Severity != signal.High || s[0].Domain != "www.xx.gov.cn" || s[0].Rule != "WAF 拦截 SQL 注入" || s[0].Labels["waf"] != "w1" || !s[0].At.Equal(now) {
					t.Fatalf("%+v", s[0])
				}
			}},
		{"array", `[{"title":"a","severity":5,"status":"resolved","time":"2026-11-30T09:00:00+08:00"},{"severity":2},{"title":"c","severity":9},{"title":"d","dst_ip":"x"},{"title":"e","status":"maybe"},"s",{"title":"g","severity":"2"}]`, 2,
			[]string{"1:title_missing", "2:severity_bad [9]", "3:ip_bad [dst_ip x]", "4:status_bad [maybe]", "5:not_signal"},
			func(t *testing.T, s []signal.Signal) {
				if s[0].Severity != signal.Critical || s[0].Status != signal.Resolved || !s[0].At.Equal(time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)) || s[1].Severity != signal.Low {
					t.Fatalf("%+v", s)
				}
			}},
		{"control characters cleaned", `{"title":"a\u0000b\u001bc","detail":"x\ny"}`, 1, nil, func(t *testing.T, s []signal.Signal) {
			if s[0].Title != "a b c" || s[0].Detail != "x\ny" {
				t.Fatalf("%q %q", s[0].Title, s[0].Detail)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := ParseJSON([]byte(c.body), now)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Signals) != c.n || len(res.Rejected) != len(c.rejects) {
				t.Fatalf("signals %d rejects %+v", len(res.Signals), res.Rejected)
			}
			for i, w := range c.rejects {
				idx, reason, _ := strings.Cut(w, ":")
				if r := res.Rejected[i]; itoa(r.Line) != idx || codeArgs(r) != reason {
					t.Errorf("reject %+v, want %s", r, w)
				}
			}
			if c.check != nil {
				c.check(t, res.Signals)
			}
		})
	}
	for _, bad := range []string{``, `{`, `[1,`, `x`} {
		if _, err := ParseJSON([]byte(bad), now); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+n))) }

func TestSyslogMessage(t *testing.T) {
	cases := []struct {
		line           string
		err            string
		sev            signal.Severity
		host, app, msg string
		at             time.Time
	}{
		{`<165>1 2026-11-30T09:58:00.003+08:00 fw01.xx.gov.cn waf 8710 ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][x@1 a="b\]c"] SQL injection blocked from 203.0.113.9`,
			"", signal.Low, "fw01.xx.gov.cn", "waf", "SQL injection blocked from 203.0.113.9", time.Date(2026, 11, 30, 1, 58, 0, 3e6, time.UTC)},
		{`<34>1 2026-11-30T01:00:00Z 10.0.0.1 su - ID47 - 'su root' failed for lonvick on /dev/pts/8`,
			"", signal.Critical, "10.0.0.1", "su", "'su root' failed for lonvick on /dev/pts/8", time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)},
		{`<13>1 - - - - - -` + " \ufeffhello", "", signal.Low, "", "", "hello", now},
		{`<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick on /dev/pts/8`,
			"", signal.Critical, "mymachine", "su", "'su root' failed for lonvick on /dev/pts/8", time.Date(2026, 10, 11, 14, 14, 15, 0, time.UTC)},
		{`<11>Dec 31 23:59:59 fw1 attack detected`, "", signal.High, "fw1", "", "attack detected", time.Date(2025, 12, 31, 15, 59, 59, 0, time.UTC)},
		{`no pri`, "syslog_no_pri", 0, "", "", "", time.Time{}},
		{`<999>1 - - - - - - x`, "syslog_bad_pri", 0, "", "", "", time.Time{}},
		{`<13>1 2026-13-01T00:00:00Z h a - - - x`, "time_bad TIMESTAMP", 0, "", "", "", time.Time{}},
		{`<13>1 - h a - - [unclosed x`, "rfc5424_sd_open", 0, "", "", "", time.Time{}},
		{`<13>1 - h a`, "rfc5424_fields", 0, "", "", "", time.Time{}},
		{`<13>Foo 11 22:14:15 h x: y`, "rfc3164_time", 0, "", "", "", time.Time{}},
		{`<13>1 - h a - - -`, "syslog_empty", 0, "", "", "", time.Time{}},
	}
	for _, c := range cases {
		s, err := SyslogMessage([]byte(c.line), now, sh)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: err %v, want %q", c.line, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.line, err)
			continue
		}
		if s.Severity != c.sev || s.Labels["host"] != c.host || s.Labels["app"] != c.app || s.Detail != c.msg || !s.At.Equal(c.at) {
			t.Errorf("%q: got sev %d host %q app %q msg %q at %s", c.line, s.Severity, s.Labels["host"], s.Labels["app"], s.Detail, s.At)
		}
	}
	res := ParseSyslog([]byte("<13>Nov 30 09:00:00 h a: one\nbad\n\n<13>Nov 30 09:00:01 h a: one\n"), now, sh)
	if len(res.Signals) != 2 || len(res.Rejected) != 1 || res.Rejected[0].Line != 2 || res.Signals[0].Fingerprint() != res.Signals[1].Fingerprint() {
		t.Fatalf("%+v", res)
	}
}

func TestReadFrame(t *testing.T) {
	in := "<13>1 - h a - - - one\n12 <13>Nov 1 x\n<13>Nov 30 09:00:00 h a: two\x00" + "5 ab"
	r := bufio.NewReader(strings.NewReader(in))
	var got []string
	for {
		f, err := ReadFrame(r, 100)
		if err != nil {
			got = append(got, "err:"+err.Error())
			break
		}
		got = append(got, string(f))
	}
	want := []string{"<13>1 - h a - - - one", "<13>Nov 1 x\n", "<13>Nov 30 09:00:00 h a: two", "err:unexpected EOF"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q", got)
	}
	if _, err := ReadFrame(bufio.NewReader(strings.NewReader("999 x")), 100); err != ErrFrameTooLong {
		t.Fatalf("long count: %v", err)
	}
	if _, err := ReadFrame(bufio.NewReader(strings.NewReader("<1>"+strings.Repeat("x", 200)+"\n")), 100); err != ErrFrameTooLong {
		t.Fatalf("long line: %v", err)
	}
}

func TestKeys(t *testing.T) {
	k, h := NewKey()
	k2, _ := NewKey()
	if len(k) != 43 || k == k2 || HashKey(k) != h || len(h) != 64 {
		t.Fatalf("%q %q", k, h)
	}
}

// codeArgs writes a reject as its code and arguments, "code [a b]".
func codeArgs(r Reject) string {
	if len(r.Args) == 0 {
		return r.Code
	}
	return r.Code + " " + fmt.Sprint(r.Args)
}
