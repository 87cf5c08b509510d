package ingest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"

	"yingji/internal/signal"
)

// genericSignal is the generic JSON mapping (docs/intake.md): title is
// required; every other field has a default. Fields it does not name are
// ignored, so that a device's own document can be sent as it is.
type genericSignal struct {
	Title    string            `json:"title"`
	Rule     string            `json:"rule"`
	Detail   string            `json:"detail"`
	Severity json.RawMessage   `json:"severity"`
	Status   string            `json:"status"`
	Time     string            `json:"time"`
	SrcIP    string            `json:"src_ip"`
	DstIP    string            `json:"dst_ip"`
	Domain   string            `json:"domain"`
	Labels   map[string]string `json:"labels"`
	Key      string            `json:"key"`
}

// ParseJSON reads one generic signal object or an array of them; a bad
// element is a reject naming its index (0-based; 0 for a single object).
func ParseJSON(body []byte, now time.Time) (Result, error) {
	var res Result
	lead := len(body) - len(bytes.TrimLeftFunc(body, unicode.IsSpace)) // for the byte a reason names
	body = bytes.TrimSpace(body)
	var elems []json.RawMessage
	if len(body) > 0 && body[0] == '[' {
		if err := json.Unmarshal(body, &elems); err != nil {
			return res, jsonReason(err, "not_signal", len(body)).shift(lead)
		}
	} else {
		if !json.Valid(body) {
			var v json.RawMessage // only to learn where the JSON broke
			return res, jsonReason(json.Unmarshal(body, &v), "not_signal", len(body)).shift(lead)
		}
		elems = []json.RawMessage{body}
	}
	res.Signals = make([]signal.Signal, 0, len(elems))
	for i, raw := range elems {
		s, why := genericOne(raw, now)
		if why != nil {
			res.reject(i, why)
			continue
		}
		res.Signals = append(res.Signals, s)
	}
	return res, nil
}

func genericOne(raw json.RawMessage, now time.Time) (signal.Signal, *Reason) {
	s := signal.Signal{Format: signal.FormatJSON, Status: signal.Firing, Severity: signal.Medium, At: now}
	var g genericSignal
	if err := json.Unmarshal(raw, &g); err != nil {
		return s, jsonReason(err, "not_signal", len(raw))
	}
	s.Title = clean(g.Title, MaxTitle, false)
	if s.Title == "" {
		return s, reason("title_missing")
	}
	s.Rule = firstNonEmpty(clean(g.Rule, MaxRule, false), clean(s.Title, MaxRule, false))
	s.Detail = clean(g.Detail, MaxDetail, true)
	if len(g.Severity) > 0 && string(g.Severity) != "null" {
		var name string
		if json.Unmarshal(g.Severity, &name) == nil {
			sev, ok := SeverityName(name)
			if !ok {
				if n, err := strconv.Atoi(name); err == nil && signal.Severity(n).Valid() {
					sev, ok = signal.Severity(n), true
				}
			}
			if !ok {
				return s, reason("severity_bad", cut(name, 20))
			}
			s.Severity = sev
		} else {
			var n int
			if err := json.Unmarshal(g.Severity, &n); err != nil || !signal.Severity(n).Valid() {
				return s, reason("severity_bad", cut(string(g.Severity), 20))
			}
			s.Severity = signal.Severity(n)
		}
	}
	switch strings.ToLower(g.Status) {
	case "", "firing", "problem", "open":
	case "resolved", "ok", "closed":
		s.Status = signal.Resolved
	default:
		return s, reason("status_bad", cut(g.Status, 20))
	}
	if g.Time != "" {
		t, err := parseTime(g.Time)
		if err != nil {
			return s, timeReason("time", g.Time)
		}
		s.At = t
	}
	if g.SrcIP != "" {
		if s.SrcIP = addr(g.SrcIP); !s.SrcIP.IsValid() {
			return s, reason("ip_bad", "src_ip", cut(g.SrcIP, 50))
		}
	}
	if g.DstIP != "" {
		if s.DstIP = addr(g.DstIP); !s.DstIP.IsValid() {
			return s, reason("ip_bad", "dst_ip", cut(g.DstIP, 50))
		}
	}
	if g.Domain != "" {
		d := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(g.Domain), "."))
		if !domainLike(d) {
			return s, reason("domain_bad", cut(g.Domain, 50))
		}
		s.Domain = d
	}
	s.Labels = cleanLabels(g.Labels)
	s.Key = clean(g.Key, MaxKey, false)
	return s, nil
}
