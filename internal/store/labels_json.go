package store

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"
)

// labelsJSON is json.Marshal of an alert's labels, byte for byte (keys
// sorted), without its reflection: it was a twentieth of ingest's CPU.
// Texts that encoding/json would escape go to encoding/json.
// FuzzLabelsJSON checks the two agree.
func labelsJSON(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	keys := make([]string, 0, len(m))
	n := 2
	for k, v := range m {
		if !plainJSON(k) || !plainJSON(v) {
			b, _ := json.Marshal(m)
			return string(b)
		}
		keys = append(keys, k)
		n += len(k) + len(v) + 6
	}
	slices.Sort(keys)
	var b strings.Builder
	b.Grow(n)
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(k)
		b.WriteString(`":"`)
		b.WriteString(m[k])
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// plainJSON reports whether encoding/json writes s between quotes as it is:
// valid UTF-8 with no control characters, no '"', '\\', '<', '>', '&'
// (escaped for HTML), and no U+2028 or U+2029 (escaped for JavaScript).
func plainJSON(s string) bool {
	high := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		case c >= 0x80:
			high = true
		}
	}
	return !high || utf8.ValidString(s) && !strings.Contains(s, "\u2028") && !strings.Contains(s, "\u2029")
}
