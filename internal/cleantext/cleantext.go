// Package cleantext is the one check every piece of text passes at the
// edge (JSON bodies, console forms, ledger cells) before it can reach a
// database: it must be valid UTF-8 and hold no control characters other
// than tab, line feed and carriage return. PostgreSQL refuses NUL in text
// (a 500 where SQLite quietly stores it), a control character is invisible
// on every page and in every report, and Go's JSON decoder would silently
// turn invalid UTF-8 into U+FFFD: all three are refused, never repaired.
package cleantext

import (
	"strings"
	"unicode/utf8"

	"yingji/internal/errs"
)

// Key is the catalogue message of a refused text.
const Key = "error.bad_text"

// OK reports whether s is valid UTF-8 without forbidden control characters.
func OK(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return false
		}
		i += n
	}
	return true
}

// Check returns an Invalid error naming field when s is not OK.
func Check(field, s string) error {
	if OK(s) {
		return nil
	}
	return errs.Field(field, Key)
}

// Field checks a text field: Check, then present when required and at
// most max characters once trimmed. The use cases (core.CheckText) and
// the domain packages' own checks share it.
func Field(field, v string, required bool, max int) error {
	if err := Check(field, v); err != nil {
		return err
	}
	v = strings.TrimSpace(v)
	if required && v == "" {
		return errs.Field(field, "error.required")
	}
	if utf8.RuneCountInString(v) > max {
		return errs.Field(field, "error.too_long", max)
	}
	return nil
}
