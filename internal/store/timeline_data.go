package store

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// decodeFlat decodes a JSON object of strings as AddEntry writes it. The
// common case, no escapes, is sliced directly; anything else goes to
// encoding/json.
func decodeFlat(s string) (map[string]string, error) {
	slow := func() (map[string]string, error) {
		var m map[string]string
		err := json.Unmarshal([]byte(s), &m)
		return m, err
	}
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' || strings.IndexByte(s, '\\') >= 0 || !utf8.ValidString(s) {
		return slow()
	}
	for k := 0; k < len(s); k++ {
		if s[k] < 0x20 { // control characters are not allowed raw in JSON
			return slow()
		}
	}
	m := make(map[string]string, 4)
	i := 1
	str := func() (string, bool) {
		if i >= len(s) || s[i] != '"' {
			return "", false
		}
		j := strings.IndexByte(s[i+1:], '"')
		if j < 0 {
			return "", false
		}
		v := s[i+1 : i+1+j]
		i += j + 2
		return v, true
	}
	for i < len(s)-1 {
		k, ok := str()
		if !ok || i >= len(s) || s[i] != ':' {
			return slow()
		}
		i++
		v, ok := str()
		if !ok {
			return slow()
		}
		m[k] = v
		if i < len(s)-1 {
			if s[i] != ',' || i+1 >= len(s)-1 {
				return slow()
			}
			i++
		}
	}
	return m, nil
}
