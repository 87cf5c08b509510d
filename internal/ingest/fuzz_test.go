package ingest

import (
	"bufio"
	"bytes"
	"slices"
	"testing"
	"unicode/utf8"
)

// checkResult holds what every parser promises whatever it is given:
// signals within their bounds and valid UTF-8, rejects named.
func checkResult(t *testing.T, res Result) {
	for _, s := range res.Signals {
		if !s.Severity.Valid() || (s.Status != "firing" && s.Status != "resolved") || s.Title == "" || s.Rule == "" ||
			len(s.Title) > MaxTitle || len(s.Detail) > MaxDetail || len(s.Labels) > MaxLabels || len(s.Key) > MaxKey ||
			!utf8.ValidString(s.Title) || !utf8.ValidString(s.Detail) {
			t.Fatalf("bad signal %+v", s)
		}
		s.Fingerprint()
	}
	for _, r := range res.Rejected {
		if !slices.Contains(ReasonCodes, r.Code) {
			t.Fatalf("reject with an unlisted reason code %q", r.Code)
		}
	}
}

func FuzzParseAlertmanager(f *testing.F) {
	f.Add([]byte(amBody))
	f.Add([]byte(`{"version":"4","alerts":[{"labels":{"alertname":"a"},"status":"resolved","endsAt":"2026-01-01T00:00:00Z"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseAlertmanager(b, now)
		if err == nil {
			checkResult(t, res)
		}
	})
}

func FuzzParseSuricata(f *testing.F) {
	f.Add([]byte(eve))
	f.Fuzz(func(t *testing.T, b []byte) { checkResult(t, ParseSuricata(b, now)) })
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`[{"title":"a","severity":"high","dst_ip":"10.0.0.1","domain":"a.b"},{"title":"b","severity":3}]`))
	f.Add([]byte(`{"title":"x","labels":{"a":"b"},"status":"resolved","time":"2026-11-30T01:00:00Z"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseJSON(b, now)
		if err == nil {
			checkResult(t, res)
		}
	})
}

func FuzzSyslog(f *testing.F) {
	f.Add([]byte(`<165>1 2026-11-30T09:58:00.003+08:00 fw01 waf 8710 ID47 [a@1 b="c\]"] msg`))
	f.Add([]byte(`<34>Oct 11 22:14:15 mymachine su[1]: 'su root' failed`))
	f.Fuzz(func(t *testing.T, b []byte) { checkResult(t, ParseSyslog(b, now, sh)) })
}

func FuzzReadFrame(f *testing.F) {
	f.Add([]byte("12 <13>Nov 1 x\n<13>1 - h a - - - one\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bufio.NewReader(bytes.NewReader(b))
		for i := 0; i < 1000; i++ {
			fr, err := ReadFrame(r, 64)
			if err != nil {
				return
			}
			if len(fr) > 64 {
				t.Fatalf("frame of %d bytes", len(fr))
			}
		}
	})
}
