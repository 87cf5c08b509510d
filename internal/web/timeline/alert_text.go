package timeline

import (
	"yingji/internal/alerts"
	"yingji/internal/i18n"
	"yingji/internal/incident"
)

// alertEntryText renders issue 12's entry: an alert attached to the
// incident, promoted into it, or registered by the plan's alert rule.
func alertEntryText(l i18n.Lang, e *incident.Entry) (string, bool) {
	if e.Kind != alerts.EntryAlert {
		return "", false
	}
	d := e.Data
	key := "timeline.alert_attached"
	switch d["how"] {
	case alerts.HowPromoted:
		key = "timeline.alert_promoted"
	case alerts.HowRule:
		key = "timeline.alert_rule"
	}
	return i18n.T(l, key, d["title"], d["rule"], d["count"]), true
}
