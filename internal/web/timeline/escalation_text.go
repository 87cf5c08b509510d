package timeline

import (
	"yingji/internal/escalation"
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
	case escalation.EntryEscalated:
		switch d["rule"] {
		case escalation.RuleResend:
			return i18n.T(l, "timeline.esc.rollcall_resend", d["count"], d["names"]), true
		case escalation.RuleMissing:
			return i18n.T(l, "timeline.esc.rollcall_missing", d["count"], d["names"], d["told"]), true
		case escalation.RuleRemind:
			return i18n.T(l, "timeline.esc.approval_remind", what(l, d), d["names"]), true
		case escalation.RuleNextUp:
			return i18n.T(l, "timeline.esc.approval_escalate", what(l, d), d["waiting"], d["names"]), true
		case escalation.RuleOverdue:
			return i18n.T(l, "timeline.esc.task_overdue", d["title"], d["names"]), true
		}
	}
	return "", false
}

// what names the request an approval escalation is about.
func what(l i18n.Lang, d map[string]string) string {
	switch d["kind"] {
	case escalation.KindTask:
		return i18n.T(l, "esc.what.task", d["title"])
	case escalation.KindReport:
		return i18n.T(l, "esc.what.report", d["title"])
	case escalation.KindApproval:
		if d["title"] == "termination" {
			return i18n.T(l, "esc.what.termination")
		}
	}
	return i18n.T(l, "esc.what.activation")
}
