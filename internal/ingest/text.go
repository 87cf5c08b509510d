package ingest

import (
	"errors"
	"net/netip"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"yingji/internal/signal"
)

// Bounds on what one signal may carry: devices are not trusted to keep
// their texts short, and an alert row must stay small.
const (
	MaxTitle     = 300
	MaxDetail    = 4000
	MaxRule      = 200
	MaxLabels    = 32
	MaxLabelText = 256
	MaxKey       = 512
)

// clean makes device text safe to store and show: invalid UTF-8 and
// control characters become spaces (a line break in a detail stays), and
// the text is cut at max bytes on a character boundary.
func clean(s string, max int, keepNewlines bool) string {
	ok := utf8.ValidString(s)
	if ok {
		for _, r := range s {
			if unicode.IsControl(r) && !(keepNewlines && r == '\n') {
				ok = false
				break
			}
		}
	}
	if !ok {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r == utf8.RuneError, unicode.IsControl(r) && !(keepNewlines && r == '\n'):
				b.WriteByte(' ')
			default:
				b.WriteRune(r)
			}
		}
		s = b.String()
	}
	s = strings.TrimSpace(s)
	if len(s) > max {
		i := max
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i]
	}
	return s
}

// cleanLabels bounds a label set: at most MaxLabels pairs, each text cut.
// Which pairs are kept must not depend on Go's map order, or the same
// signal sent twice could get two fingerprints: the first MaxLabels names
// in byte order are kept, and where two names clean to the same one the
// first of them in that order wins.
func cleanLabels(in map[string]string) map[string]string {
	if len(in) == 0 {
		return nil
	}
	if len(in) <= MaxLabels && labelsClean(in) {
		return in // the parsers' own map: kept rather than copied
	}
	names := make([]string, 0, len(in))
	for k := range in {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make(map[string]string, min(len(in), MaxLabels))
	for _, name := range names {
		k := clean(name, MaxLabelText, false)
		if _, dup := out[k]; k == "" || dup {
			continue
		}
		out[k] = clean(in[name], MaxLabelText, false)
		if len(out) >= MaxLabels {
			break
		}
	}
	return out
}

// labelsClean reports whether cleaning would leave every label as it is.
func labelsClean(in map[string]string) bool {
	for k, v := range in {
		if k == "" || clean(k, MaxLabelText, false) != k || clean(v, MaxLabelText, false) != v {
			return false
		}
	}
	return true
}

// SeverityName reads the severity words devices use.
func SeverityName(s string) (signal.Severity, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "critical", "crit", "emergency", "emerg", "alert", "fatal", "page", "disaster":
		return signal.Critical, true
	case "high", "error", "err", "major":
		return signal.High, true
	case "medium", "warning", "warn", "average":
		return signal.Medium, true
	case "low", "minor", "notice":
		return signal.Low, true
	case "info", "informational", "information", "debug", "none", "ok":
		return signal.Info, true
	}
	return 0, false
}

// addr reads an IP address; a bad or missing one is the zero Addr.
func addr(s string) netip.Addr {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

// hostOf splits an Alertmanager instance label ("10.0.0.5:9100",
// "www.example.gov.cn:443") into an address or a domain.
func hostOf(instance string) (netip.Addr, string) {
	h := instance
	if ap, err := netip.ParseAddrPort(h); err == nil {
		return ap.Addr().Unmap(), ""
	}
	if a := addr(h); a.IsValid() {
		return a, ""
	}
	if i := strings.LastIndexByte(h, ':'); i > 0 && !strings.Contains(h[:i], ":") {
		h = h[:i]
	}
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if !domainLike(h) {
		return netip.Addr{}, ""
	}
	return netip.Addr{}, h
}

// domainLike accepts host names of letters, digits, '-' and '.', with a dot.
func domainLike(h string) bool {
	if len(h) == 0 || len(h) > 253 || !strings.Contains(h, ".") {
		return false
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// parseTime reads RFC 3339 and Suricata's "+0000" offsets.
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999-0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errNotRFC3339
}

var errNotRFC3339 = errors.New("not RFC 3339")

// timeReason is the reject of a time that is not RFC 3339, in field.
func timeReason(field, v string) *Reason { return reason("time_bad", field, cut(v, 40)) }

// cut makes a value shown in a reason: cleaned, and cut at n bytes with
// "…" where it was longer. Only rejects call it.
func cut(s string, n int) string {
	if len(s) <= n {
		return clean(s, n, false)
	}
	return clean(s, n, false) + "…"
}

// Cut is cut for a value the use case shows (a format in a path).
func Cut(s string, n int) string { return cut(s, n) }
