package httpx

import (
	"bytes"
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"unicode/utf8"

	"yingji/internal/cleantext"
	"yingji/internal/errs"
)

// checkJSONText refuses a JSON body in which any string (value or key) is
// not clean text (package cleantext): invalid UTF-8, an escaped control
// character other than \t \n \r (\u0000, \b, \f …), or a lone surrogate
// escape. encoding/json would silently turn the first and last into U+FFFD
// and store the second; here they are refused before anything is decoded,
// with the JSON path of the string as the problem's field ("name",
// "incident.title", "open_items[2]"). A body that is not JSON at all passes
// through, for the decoder to report.
func checkJSONText(raw []byte) error {
	if utf8.Valid(raw) && bytes.IndexByte(raw, '\\') < 0 {
		return nil // raw control characters in a string are a syntax error already
	}
	type frame struct {
		object  bool
		wantKey bool
		key     string
		index   int
	}
	var stack []frame
	path := func(stack []frame) string {
		var b []byte
		for _, f := range stack {
			if f.object {
				if len(b) > 0 {
					b = append(b, '.')
				}
				b = append(b, f.key...)
			} else {
				b = append(b, '[')
				b = strconv.AppendInt(b, int64(f.index), 10)
				b = append(b, ']')
			}
		}
		if len(b) == 0 {
			return "body"
		}
		return string(b)
	}
	advance := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].object {
				stack[n-1].wantKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil // end, or a syntax error for the decoder to report
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{object: true, wantKey: true})
			case '[':
				stack = append(stack, frame{})
			default:
				stack = stack[:len(stack)-1]
				advance()
			}
		case string:
			seg := raw[off:dec.InputOffset()]
			lit := seg[max(bytes.IndexByte(seg, '"'), 0):]
			n := len(stack)
			if n > 0 && stack[n-1].object && stack[n-1].wantKey {
				if badLiteral(lit) { // a key: named by the object it is in
					return errs.Field(path(stack[:n-1]), cleantext.Key)
				}
				stack[n-1].key, stack[n-1].wantKey = t, false
				continue
			}
			if badLiteral(lit) {
				return errs.Field(path(stack), cleantext.Key)
			}
			advance()
		default:
			advance()
		}
	}
}

// badLiteral reports whether a raw JSON string literal (with its quotes)
// holds something cleantext refuses. Malformed escapes are left to the
// decoder.
func badLiteral(lit []byte) bool {
	if !utf8.Valid(lit) {
		return true
	}
	for i := 0; i < len(lit); i++ {
		if lit[i] < 0x20 && lit[i] != '\t' && lit[i] != '\n' && lit[i] != '\r' {
			return true
		}
		if lit[i] != '\\' || i+1 >= len(lit) {
			continue
		}
		i++
		switch lit[i] {
		case 'b', 'f':
			return true
		case 'u':
			r := hex4(lit[i+1:])
			if r < 0 {
				return false
			}
			i += 4
			switch {
			case r < 0x20 && r != '\t' && r != '\n' && r != '\r':
				return true
			case 0xD800 <= r && r < 0xDC00:
				// A high surrogate must be followed by an escaped low one.
				if i+2 < len(lit) && lit[i+1] == '\\' && lit[i+2] == 'u' {
					if r2 := hex4(lit[i+3:]); 0xDC00 <= r2 && r2 < 0xE000 {
						i += 6
						continue
					}
				}
				return true
			case 0xDC00 <= r && r < 0xE000:
				return true
			}
		}
	}
	return false
}

// hex4 reads four hex digits, or returns -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// CheckValues refuses the first query or form value (in name order) that
// is not clean text, naming it.
func CheckValues(v url.Values) error {
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !cleantext.OK(k) {
			return errs.Field("body", cleantext.Key)
		}
		for _, s := range v[k] {
			if !cleantext.OK(s) {
				return errs.Field(k, cleantext.Key)
			}
		}
	}
	return nil
}
