package event

import (
	"yingji/internal/i18n"
	"yingji/internal/incident"
)

// KindEscalated is issue 10's escalation entry.
const KindEscalated incident.EntryKind = "escalated"

// The escalation rules, and the kinds of request an approval escalation
// is about (Escalated.Rule, Escalated.Subject).
const (
	RuleResend   = "rollcall_resend"   // SMS again to those not confirmed
	RuleMissing  = "rollcall_missing"  // the duty leader told who is missing
	RuleRemind   = "approval_remind"   // the deciders reminded
	RuleNextUp   = "approval_escalate" // the next person up told
	RuleOverdue  = "task_overdue"      // the task's department told
	KindApproval = "approval"          // an activation or termination
	KindTask     = "task_approval"     // a gated task
	KindReport   = "report_signoff"    // a report's 签发
)

// Escalated: an escalation rule fired. Which fields are set depends on
// the rule; Rest keeps the keys of a rule this version does not know.
type Escalated struct {
	Rule    string            `json:"rule"`
	Names   string            `json:"names,omitempty"` // who was told, joined with 、
	Count   string            `json:"count,omitempty"`
	Told    string            `json:"told,omitempty"`    // rollcall_missing: whom the missing were reported to
	Subject string            `json:"kind,omitempty"`    // approvals: KindApproval, KindTask or KindReport
	Title   string            `json:"title,omitempty"`   // the task or report; for an approval, activation or termination
	Waiting string            `json:"waiting,omitempty"` // approval_escalate: the deciders waited on
	Rest    map[string]string `json:",rest"`
}

func (Escalated) Kind() incident.EntryKind { return KindEscalated }
func (e Escalated) Text(l i18n.Lang) string {
	switch e.Rule {
	case RuleResend:
		return i18n.T(l, "timeline.esc.rollcall_resend", e.Count, e.Names)
	case RuleMissing:
		return i18n.T(l, "timeline.esc.rollcall_missing", e.Count, e.Names, e.Told)
	case RuleRemind:
		return i18n.T(l, "timeline.esc.approval_remind", e.what(l), e.Names)
	case RuleNextUp:
		return i18n.T(l, "timeline.esc.approval_escalate", e.what(l), e.Waiting, e.Names)
	case RuleOverdue:
		return i18n.T(l, "timeline.esc.task_overdue", e.Title, e.Names)
	}
	return string(KindEscalated)
}

// what names the request an approval escalation is about.
func (e Escalated) what(l i18n.Lang) string {
	switch e.Subject {
	case KindTask:
		return i18n.T(l, "esc.what.task", e.Title)
	case KindReport:
		return i18n.T(l, "esc.what.report", e.Title)
	case KindApproval:
		if e.Title == "termination" {
			return i18n.T(l, "esc.what.termination")
		}
	}
	return i18n.T(l, "esc.what.activation")
}
