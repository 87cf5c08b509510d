package timeline

import (
	"yingji/internal/exhibits"
	"yingji/internal/i18n"
	"yingji/internal/incident"
)

// evidenceEntryText renders the evidence register's timeline entries
// (issue 13); false for other kinds.
func evidenceEntryText(l i18n.Lang, e *incident.Entry) (string, bool) {
	d := e.Data
	switch e.Kind {
	case exhibits.EntryRegistered:
		return i18n.T(l, "timeline.evidence_registered", d["number"], i18n.T(l, "evidence.kind."+d["kind"]), d["description"]), true
	case exhibits.EntryCustody:
		extra := ""
		open, close := "（", "）"
		if l == i18n.EN {
			open, close = " (", ")"
		}
		for _, v := range []string{d["to"], d["seal"], d["reason"]} {
			if v != "" {
				extra = open + v + close
				break
			}
		}
		return i18n.T(l, "timeline.evidence_custody", d["number"], i18n.T(l, "evidence.action."+d["action"]), extra), true
	}
	return "", false
}
