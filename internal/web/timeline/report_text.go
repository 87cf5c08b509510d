package timeline

import (
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/reports"
)

// reportEntryText renders the report flow's timeline entries; false for
// other kinds.
func reportEntryText(l i18n.Lang, e *incident.Entry) (string, bool) {
	d := e.Data
	obligation := func() string { return i18n.T(l, "deadline."+d["obligation"]) }
	switch e.Kind {
	case reports.EntryReportDrafted, reports.EntryReportEdited, reports.EntryReportSignoffRequested:
		return i18n.T(l, "timeline."+string(e.Kind), d["title"]), true
	case reports.EntryReportSigned:
		return i18n.T(l, "timeline.report_signed", d["title"], d["doc_number"]), true
	case reports.EntryReportSubmitted:
		return i18n.T(l, "timeline.report_submitted", d["title"], d["recipients"]), true
	case reports.EntryReportCorrected:
		return i18n.T(l, "timeline.report_corrected", d["title"], d["version"]), true
	case reports.EntryReminder:
		return i18n.T(l, "timeline.report_reminder", obligation(), d["due"], d["minutes"]), true
	case reports.EntryOverdue:
		return i18n.T(l, "timeline.report_overdue", obligation(), d["due"]), true
	}
	return "", false
}

// resourceEntryText renders the timeline entries about resources.
func resourceEntryText(l i18n.Lang, e *incident.Entry) (string, bool) {
	d := e.Data
	kind := i18n.T(l, "resource.kind."+d["kind"])
	switch e.Kind {
	case incident.EntryResourceAdded:
		extra := ""
		if d["detail"] != "" {
			extra = "（" + d["detail"] + "）"
			if l == i18n.EN {
				extra = " (" + d["detail"] + ")"
			}
		}
		return i18n.T(l, "timeline.resource_added", kind, d["name"], extra), true
	case incident.EntryResourceRemoved:
		return i18n.T(l, "timeline.resource_removed", kind, d["name"]), true
	case incident.EntryResourceReturned:
		return i18n.T(l, "timeline.resource_returned", d["name"]), true
	}
	return "", false
}
