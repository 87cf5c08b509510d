package ingest

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// jscan reads one JSON document for a decoder written for a fixed shape
// (amdecode.go). It is strict where encoding/json is (the grammar, control
// characters in strings, nothing after the document) and gives up (bad) on
// anything it does not take exactly as encoding/json would: the caller then
// decodes with encoding/json, so the answer is always encoding/json's.
type jscan struct {
	b   []byte
	i   int
	bad bool
}

// maxDepth is how deep jscan follows values it skips; deeper documents go
// to encoding/json (which allows 10000).
const maxDepth = 64

func (s *jscan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek is the next byte after white space (0 at the end).
func (s *jscan) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// take consumes c (after white space) or marks the scan bad.
func (s *jscan) take(c byte) bool {
	if s.peek() == c {
		s.i++
		return true
	}
	s.bad = true
	return false
}

// end reports whether only white space is left.
func (s *jscan) end() bool {
	s.ws()
	return s.i == len(s.b)
}

// strToken scans a string at s.i (after white space) and returns its bytes
// between the quotes, whether it has escapes, and whether it has bytes
// above ASCII.
func (s *jscan) strToken() (raw []byte, esc, high bool) {
	if s.peek() != '"' {
		s.bad = true
		return nil, false, false
	}
	start := s.i + 1
	for i := start; i < len(s.b); {
		c := s.b[i]
		switch {
		case c == '"':
			s.i = i + 1
			return s.b[start:i], esc, high
		case c == '\\':
			esc = true
			n := escapeLen(s.b[i:])
			if n == 0 {
				s.bad = true
				return nil, false, false
			}
			i += n
		case c < 0x20:
			s.bad = true
			return nil, false, false
		default:
			if c >= 0x80 {
				high = true
			}
			i++
		}
	}
	s.bad = true
	return nil, false, false
}

// escapeLen is the length of the valid escape at the start of b, 0 if none.
func escapeLen(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	switch b[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if len(b) < 6 {
			return 0
		}
		for _, h := range b[2:6] {
			if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
				return 0
			}
		}
		return 6
	}
	return 0
}

// str reads a string value. Plain text (no escapes, valid UTF-8) is taken as
// it is, as encoding/json takes it; the rest is unquoted by encoding/json
// itself (escapes, invalid UTF-8 replaced).
func (s *jscan) str() string {
	s.ws()
	start := s.i
	raw, esc, high := s.strToken()
	if s.bad {
		return ""
	}
	if !esc && (!high || utf8.Valid(raw)) {
		return common(raw)
	}
	var v string
	if json.Unmarshal(s.b[start:s.i], &v) != nil {
		s.bad = true
	}
	return v
}

// common returns the strings that Alertmanager sends in most alerts
// without allocating them again.
func common(raw []byte) string {
	switch string(raw) { // no allocation: the compiler compares the bytes
	case "":
		return ""
	case "firing":
		return "firing"
	case "resolved":
		return "resolved"
	case "alertname":
		return "alertname"
	case "instance":
		return "instance"
	case "job":
		return "job"
	case "severity":
		return "severity"
	case "summary":
		return "summary"
	case "description":
		return "description"
	case "warning":
		return "warning"
	case "critical":
		return "critical"
	case "0001-01-01T00:00:00Z":
		return "0001-01-01T00:00:00Z"
	}
	return string(raw)
}

// key reads an object key for a struct's fields: plain keys only (a key
// with escapes might name a field; encoding/json decides those).
func (s *jscan) key() []byte {
	raw, esc, _ := s.strToken()
	if esc {
		s.bad = true
	}
	if s.bad || !s.take(':') {
		return nil
	}
	return raw
}

// foldsTo reports whether encoding/json would match key to one of names
// without it being one of them exactly (it matches field names ignoring
// case, Unicode folding included).
func foldsTo(key []byte, names ...string) bool {
	for _, n := range names {
		if bytes.EqualFold(key, []byte(n)) {
			return true
		}
	}
	return false
}

// next reads what follows a member or element: true for ',' (another
// follows), false for the closing byte; anything else marks the scan bad.
func (s *jscan) next(closing byte) bool {
	switch s.peek() {
	case ',':
		s.i++
		return true
	case closing:
		s.i++
		return false
	}
	s.bad = true
	return false
}

// skip reads and checks one value of any kind.
func (s *jscan) skip(depth int) {
	if depth > maxDepth {
		s.bad = true
		return
	}
	switch c := s.peek(); {
	case c == '"':
		s.strToken()
	case c == '{':
		s.i++
		if s.peek() == '}' {
			s.i++
			return
		}
		for !s.bad {
			s.strToken()
			if s.bad || !s.take(':') {
				return
			}
			s.skip(depth + 1)
			if s.bad || !s.next('}') {
				return
			}
		}
	case c == '[':
		s.i++
		if s.peek() == ']' {
			s.i++
			return
		}
		for !s.bad {
			s.skip(depth + 1)
			if s.bad || !s.next(']') {
				return
			}
		}
	case c == '-' || c >= '0' && c <= '9':
		s.number()
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if bytes.HasPrefix(s.b[s.i:], []byte(lit)) {
				s.i += len(lit)
				return
			}
		}
		s.bad = true
	}
}

// number reads a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *jscan) number() {
	b, i := s.b, s.i
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		s.bad = true
		return
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			s.bad = true
			return
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			s.bad = true
			return
		}
	}
	s.i = i
}

// strMap reads an object of strings into a new map (later keys win, as in
// encoding/json); a value of another kind (null included) marks the scan
// bad.
func (s *jscan) strMap() map[string]string {
	if !s.take('{') {
		return nil
	}
	m := make(map[string]string, 8)
	if s.peek() == '}' {
		s.i++
		return m
	}
	for !s.bad {
		k := s.str()
		if s.bad || !s.take(':') {
			return nil
		}
		if s.peek() != '"' {
			s.bad = true
			return nil
		}
		m[k] = s.str()
		if s.bad || !s.next('}') {
			break
		}
	}
	return m
}
