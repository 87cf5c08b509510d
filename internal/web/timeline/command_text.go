package timeline

import (
	"strings"

	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/report"
)

// commandEntryText renders the timeline entries of corrections and
// instructions (批示).
func commandEntryText(l i18n.Lang, e *incident.Entry) (string, bool) {
	d := e.Data
	switch e.Kind {
	case incident.EntryCorrected:
		if l != i18n.EN {
			return i18n.T(l, "timeline.corrected", report.CorrectionText(d), d["reason"]), true
		}
		var parts []string
		for _, f := range strings.Split(d["fields"], ",") {
			from, to := d[f+".from"], d[f+".to"]
			switch f {
			case "discovered_at":
				continue
			case "category":
				from, to = d["category.from_name"], d["category.to_name"]
			case "level":
				to += " (" + i18n.T(l, "correct."+d["level.direction"]) + ")"
			}
			parts = append(parts, i18n.T(l, "correct.field."+f)+" “"+from+"” → “"+to+"”")
		}
		if strings.Contains(d["fields"], "discovered_at") {
			parts = append(parts, i18n.T(l, "correct.field.discovered_at"))
		}
		return i18n.T(l, "timeline.corrected", strings.Join(parts, "; "), d["reason"]), true
	case incident.EntryInstructed:
		return i18n.T(l, "timeline.instructed", d["text"], d["to"]), true
	case incident.EntryInstructionAcked:
		return i18n.T(l, "timeline.instruction_acked", d["text"]), true
	case incident.EntryInstructionDone:
		return i18n.T(l, "timeline.instruction_done", d["text"], d["result"]), true
	}
	return "", false
}
