package ingest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"yingji/internal/signal"
)

// eveRecord is the part of a Suricata EVE JSON record intake reads
// (https://docs.suricata.io/en/latest/output/eve/eve-json-format.html).
type eveRecord struct {
	Timestamp string      `json:"timestamp"`
	EventType string      `json:"event_type"`
	SrcIP     string      `json:"src_ip"`
	SrcPort   json.Number `json:"src_port"`
	DestIP    string      `json:"dest_ip"`
	DestPort  json.Number `json:"dest_port"`
	Proto     string      `json:"proto"`
	Alert     *eveAlert   `json:"alert"`
	HTTP      *struct {
		Host string `json:"hostname"`
	} `json:"http"`
}

type eveAlert struct {
	Action      string      `json:"action"`
	SignatureID json.Number `json:"signature_id"`
	Signature   string      `json:"signature"`
	Category    string      `json:"category"`
	Severity    json.Number `json:"severity"`
}

// ParseSuricata reads newline-delimited EVE JSON. Alert records become
// signals; other event types (flow, dns, http, stats …) are skipped and
// counted; a line that is not a record, or an alert without its
// signature or severity, is a reject naming its line (1-based).
func ParseSuricata(body []byte, now time.Time) Result {
	var res Result
	eachLine(body, func(n int, line []byte) {
		var rec eveRecord
		if err := json.Unmarshal(line, &rec); err != nil {
			res.reject(n, jsonReason(err, "not_eve", len(line)))
			return
		}
		if rec.EventType != "alert" {
			res.Skipped++
			return
		}
		s, why := eveSignal(&rec, now)
		if why != nil {
			res.reject(n, why)
			return
		}
		res.Signals = append(res.Signals, s)
	})
	return res
}

func eveSignal(rec *eveRecord, now time.Time) (signal.Signal, *Reason) {
	s := signal.Signal{Format: signal.FormatSuricata, Status: signal.Firing, At: now}
	a := rec.Alert
	if a == nil || clean(a.Signature, MaxRule, false) == "" {
		return s, reason("signature_missing")
	}
	sev, err := strconv.Atoi(a.Severity.String())
	if err != nil || sev < 1 || sev > 255 {
		return s, reason("eve_severity_bad", cut(a.Severity.String(), 10))
	}
	// Suricata's 1 is the worst; priorities past 3 come from local
	// classification files and are taken as information.
	s.Severity = map[int]signal.Severity{1: signal.High, 2: signal.Medium, 3: signal.Low}[sev]
	if s.Severity == 0 {
		s.Severity = signal.Info
	}
	if rec.Timestamp != "" {
		t, err := parseTime(rec.Timestamp)
		if err != nil {
			return s, timeReason("timestamp", rec.Timestamp)
		}
		s.At = t
	}
	s.SrcIP, s.DstIP = addr(rec.SrcIP), addr(rec.DestIP)
	if rec.DestIP != "" && !s.DstIP.IsValid() {
		return s, reason("ip_bad", "dest_ip", cut(rec.DestIP, 50))
	}
	if rec.HTTP != nil {
		if h := clean(rec.HTTP.Host, 253, false); domainLike(h) {
			s.Domain = h
		}
	}
	s.Rule = clean(a.Signature, MaxRule, false)
	s.Title = s.Rule
	// One alert per signature, target, port and protocol: a scan from many
	// addresses at one site counts on one alert, the sources in its detail.
	// A part the record lacks is no label: an empty one would only be
	// noise ("proto="). Labels are in the fingerprint, so this moved only
	// records that had empty ones (docs/intake.md); a complete record's
	// fingerprint is as it was (TestCompleteEVEUnchanged).
	labels := make(map[string]string, 3)
	if v := a.SignatureID.String(); v != "" {
		labels["signature_id"] = v
	}
	if v := rec.DestPort.String(); v != "" {
		labels["dest_port"] = v
	}
	if strings.TrimSpace(rec.Proto) != "" {
		labels["proto"] = rec.Proto
	}
	s.Labels = cleanLabels(labels)
	s.Detail = clean(string(eveDetail(rec)), MaxDetail, true)
	return s, nil
}

// eveDetail is "PROTO SRC:PORT -> DST:PORT", the category and the action,
// written from the parts the record has (no ": -> :" for missing ones); a
// complete record's is as it always was.
func eveDetail(rec *eveRecord) []byte {
	a := rec.Alert
	d := make([]byte, 0, 64+len(a.Category))
	d = append(d, strings.TrimSpace(rec.Proto)...)
	if rec.SrcIP != "" || rec.SrcPort != "" {
		if len(d) > 0 {
			d = append(d, ' ')
		}
		d = appendEndpoint(d, rec.SrcIP, rec.SrcPort)
	}
	if rec.DestIP != "" || rec.DestPort != "" {
		if len(d) > 0 {
			d = append(d, ' ')
		}
		d = append(d, "-> "...)
		d = appendEndpoint(d, rec.DestIP, rec.DestPort)
	}
	if a.Category != "" {
		if len(d) > 0 {
			d = append(d, '\n')
		}
		d = append(d, a.Category...)
	}
	if a.Action != "" {
		if len(d) > 0 {
			d = append(d, ' ')
		}
		d = append(d, '(')
		d = append(d, a.Action...)
		d = append(d, ')')
	}
	return d
}

// appendEndpoint writes "IP:PORT", "IP" or ":PORT", as far as given.
func appendEndpoint(d []byte, ip string, port json.Number) []byte {
	d = append(d, ip...)
	if port != "" {
		d = append(d, ':')
		d = append(d, port...)
	}
	return d
}

// eachLine calls f with each non-blank line and its 1-based number.
func eachLine(body []byte, f func(n int, line []byte)) {
	n := 0
	for len(body) > 0 {
		n++
		line := body
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		f(n, line)
	}
}
