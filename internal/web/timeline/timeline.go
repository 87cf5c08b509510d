// Package timeline renders an incident's timeline entries as the sentences
// people read, for the API and the console alike. The sentence of each kind
// is its typed event's (internal/event).
package timeline

import (
	"yingji/internal/event"
	"yingji/internal/i18n"
	"yingji/internal/incident"
)

// EntryText renders a timeline entry as the sentence people read.
func EntryText(l i18n.Lang, e *incident.Entry) string {
	return event.Entry(e).Text(l)
}
