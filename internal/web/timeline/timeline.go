// Package timeline renders an incident's timeline entries as the sentences
// people read, for the API and the console alike.
package timeline

import (
	"strings"

	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/report"
	"yingji/internal/rollcall"
)

// EntryText renders a timeline entry as the sentence people read.
func EntryText(l i18n.Lang, e *incident.Entry) string {
	d := e.Data
	switch e.Kind {
	case incident.EntryCreated:
		return i18n.T(l, "timeline.created", d["number"], d["title"], d["category"], d["level"])
	case incident.EntryNote:
		if e.InternalNote() {
			return i18n.T(l, "timeline.note_internal", d["text"])
		}
		if d[incidents.NoteFeedback] == "true" {
			return i18n.T(l, "timeline.note_feedback", d["text"])
		}
		return i18n.T(l, "timeline.note", d["text"])
	case incident.EntryActivationRequested:
		return i18n.T(l, "timeline."+string(e.Kind), d["reason"])
	case incident.EntryTerminationRequested:
		t := i18n.T(l, "timeline."+string(e.Kind), d["reason"])
		if d["na"] != "" { // the tasks closed as not applicable, for the approver
			t += i18n.T(l, "timeline.termination_na", d["na_count"], strings.ReplaceAll(d["na"], "\n", "；"))
		}
		return t
	case incident.EntryTaskApprovalRequested:
		return i18n.T(l, "timeline.task_approval_requested", d["title"], d["rule"], d["reason"])
	case incident.EntryTaskApprovalDecided:
		return i18n.T(l, "timeline.task_approval_decided", d["title"], i18n.T(l, "approval."+d["decision"]), d["opinion"])
	case incident.EntryActivationApproved, incident.EntryActivationRejected, incident.EntryTerminationApproved, incident.EntryTerminationRejected:
		return i18n.T(l, "timeline."+string(e.Kind), d["opinion"])
	case report.EntryLateRegistration:
		return lateRegistrationText(l, d)
	case incidents.EntrySuperiorInformed:
		if d["to"] == "" {
			return i18n.T(l, "timeline.superior_informed_nobody")
		}
		return i18n.T(l, "timeline.superior_informed", d["to"])
	case incidents.EntryAssigned:
		return i18n.T(l, "timeline.assigned", d["org"], d["by"], d["instructions"])
	case incident.EntryTasksCreated:
		return i18n.T(l, "timeline.tasks_created", d["count"], d["plan"])
	case incident.EntrySummaryFiled:
		return i18n.T(l, "timeline.summary_filed", d["title"])
	case incident.EntryTaskUpdated:
		var parts []string
		if d["to"] != "" {
			if l == i18n.EN {
				parts = append(parts, "status "+i18n.T(l, "task."+d["from"])+" → "+i18n.T(l, "task."+d["to"]))
			} else {
				parts = append(parts, "状态由“"+i18n.T(l, "task."+d["from"])+"”改为“"+i18n.T(l, "task."+d["to"])+"”")
			}
		}
		if a, ok := d["assignee"]; ok {
			if l == i18n.EN {
				parts = append(parts, "assigned to "+a)
			} else {
				parts = append(parts, "承办人改为"+a)
			}
		}
		if d["reason"] != "" {
			if l == i18n.EN {
				parts = append(parts, "not applicable because "+d["reason"])
			} else {
				parts = append(parts, "不适用理由："+d["reason"])
			}
		}
		if d["note"] != "" {
			if l == i18n.EN {
				parts = append(parts, "note: "+d["note"])
			} else {
				parts = append(parts, "备注："+d["note"])
			}
		}
		sep := "；"
		if l == i18n.EN {
			sep = "; "
		}
		return i18n.T(l, "timeline.task_updated", d["title"], strings.Join(parts, sep))
	}
	if t, ok := commandEntryText(l, e); ok { // command_text.go: corrections and 批示
		return t
	}
	if t, ok := reportEntryText(l, e); ok {
		return t
	}
	if t, ok := resourceEntryText(l, e); ok {
		return t
	}
	if t, ok := evidenceEntryText(l, e); ok { // issue 13: evidence_text.go
		return t
	}
	if t, ok := escalationEntryText(l, e); ok { // issue 10: escalation_text.go
		return t
	}
	if t, ok := warningEntryText(l, e); ok { // issue 14: warning_text.go
		return t
	}
	if t, ok := alertEntryText(l, e); ok { // issue 12: alert_text.go
		return t
	}
	if t, ok := bulletinEntryText(l, e); ok { // issue 14: bulletin_text.go
		return t
	}
	if e.Kind == rollcall.EntryConfirmed { // issue 10 (PORT)
		return i18n.T(l, "timeline.roll_call_confirmed", d["name"])
	}
	return string(e.Kind)
}
