// Package i18n is the message catalogue: every sentence a person reads comes
// from here, in Chinese (the default) and English.
package i18n

import (
	"fmt"
	"strings"
)

// Lang is a supported language.
type Lang string

const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

// Parse picks a language from a tag or an Accept-Language header; Chinese
// unless English is asked for first.
func Parse(s string) Lang {
	for _, part := range strings.Split(s, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return ZH
		case strings.HasPrefix(tag, "en"):
			return EN
		}
	}
	return ZH
}

// T renders a message. An unknown key renders as itself so that a missing
// translation is visible rather than silent.
func T(l Lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	f := m[0]
	if l == EN && m[1] != "" {
		f = m[1]
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// Has reports whether the catalogue knows key.
func Has(key string) bool { _, ok := messages[key]; return ok }

// Register adds messages from another file of the catalogue (one file per
// area of the product). A key defined twice is a programming error.
func Register(m map[string][2]string) {
	for k, v := range m {
		if _, dup := messages[k]; dup {
			panic("i18n: duplicate message key " + k)
		}
		messages[k] = v
	}
}
