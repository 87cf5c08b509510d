package timeline

import (
	"yingji/internal/bulletins"
	"yingji/internal/i18n"
	"yingji/internal/incident"
)

// bulletinEntryText renders issue 14's entries: a 通报 drafted, signed,
// sent, received, answered and reminded.
func bulletinEntryText(l i18n.Lang, e *incident.Entry) (string, bool) {
	d := e.Data
	switch e.Kind {
	case bulletins.EntryDrafted:
		return i18n.T(l, "timeline.bulletin_drafted", d["title"]), true
	case bulletins.EntrySigned:
		return i18n.T(l, "timeline.bulletin_signed", d["title"], d["doc_number"]), true
	case bulletins.EntrySent:
		return i18n.T(l, "timeline.bulletin_sent", d["title"], d["units"], d["addresses"]), true
	case bulletins.EntryReceived:
		return i18n.T(l, "timeline.bulletin_received", d["title"], d["unit"]), true
	case bulletins.EntryAnswered:
		return i18n.T(l, "timeline.bulletin_answered", d["title"], d["unit"], i18n.T(l, "bl.answer."+d["answer"])), true
	case bulletins.EntryReminded:
		return i18n.T(l, "timeline.bulletin_reminded", d["title"], d["units"]), true
	}
	return "", false
}
