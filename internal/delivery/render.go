// Package delivery is the worker that takes notices from the outbox after
// their change commits and delivers them on the outside channels: it routes
// each notice to its recipient's channels (one delivery per channel and
// address), claims due deliveries, sends them, and records every attempt,
// retrying with backoff until the last attempt, which leaves the delivery
// failed with its reason.
package delivery

import (
	"strings"
	"unicode/utf8"

	"yingji/internal/i18n"
	"yingji/internal/notices"
	"yingji/internal/store"
)

// SMSSegment is the length of one SMS in Chinese (UCS-2): 70 characters.
const SMSSegment = 70

// Render gives the subject, the short text (one SMS segment when the link
// allows) and the link of a notice, in Chinese.
func Render(n *store.Notice, baseURL string) (subject, text, link string) {
	l := i18n.ZH
	key := "notify.text." + n.Kind
	if d, _ := notices.Detail(n.Kind, n.Body); d != "" && i18n.Has(key+"."+d) {
		key += "." + d // granted or not, said in the text
	}
	if !i18n.Has(key) {
		key = "notify.text.generic"
		if n.IncidentID != 0 {
			key = "notify.text.generic_incident"
		}
	}
	if baseURL != "" {
		// The thing the reader is asked to act on, when the notice names one.
		link = baseURL + notices.Path(n.Kind, n.Body, n.IncidentID)
	}
	format := func(title string) string {
		s := i18n.T(l, "notify.prefix")
		if n.IncidentID != 0 && strings.Contains(i18n.T(l, key), "%") {
			s += i18n.T(l, key, n.Number, title)
		} else {
			s += i18n.T(l, key)
		}
		if link != "" {
			s += link
		}
		return s
	}
	text = format(n.Title)
	if over := utf8.RuneCountInString(text) - SMSSegment; over > 0 {
		// Cut the title, never the number or the link.
		r := []rune(n.Title)
		keep := max(len(r)-over-1, 0)
		title := ""
		if keep > 0 {
			title = string(r[:keep]) + "…"
		}
		text = format(title)
	}
	return i18n.T(l, "notify.subject"), text, link
}
