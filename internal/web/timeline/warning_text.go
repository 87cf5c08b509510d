package timeline

import (
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/warnings"
)

// warningEntryText renders issue 14's entries: a public warning drafted,
// approved, released (its update and cancellation alike).
func warningEntryText(l i18n.Lang, e *incident.Entry) (string, bool) {
	d := e.Data
	args := func() (string, string, string) {
		return i18n.T(l, "warn.type."+d["type"]), i18n.T(l, "warn.level."+d["level"]), d["headline"]
	}
	switch e.Kind {
	case warnings.EntryDrafted:
		a, b, c := args()
		return i18n.T(l, "timeline.warning_drafted", a, b, c), true
	case warnings.EntryApproved:
		a, b, c := args()
		t := i18n.T(l, "timeline.warning_approved", a, b, c)
		if d["note"] != "" {
			t += i18n.T(l, "timeline.warning_note", d["note"])
		}
		return t, true
	case warnings.EntryReleased:
		a, b, c := args()
		return i18n.T(l, "timeline.warning_released", a, b, c), true
	}
	return "", false
}
