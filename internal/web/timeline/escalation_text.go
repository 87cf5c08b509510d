package timeline

import (
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/rollcall"
)

// escalationEntryText renders issue 10's entries: the roll-call's task
// done by the last confirmation, and the escalations.
func escalationEntryText(l i18n.Lang, e *incident.Entry) (string, bool) {
	d := e.Data
	switch e.Kind {
	case rollcall.EntryComplete:
		return i18n.T(l, "timeline.roll_call_complete", d["title"], d["total"]), true
	}
	return "", false
}
