package event

import (
	"strings"

	"yingji/internal/i18n"
	"yingji/internal/incident"
)

// TaskUpdated: a task's status, assignee or note changed, or the
// networked unit it concerns was set. Only what changed is stored.
type TaskUpdated struct {
	Title string `json:"title"`
	From  string `json:"from,omitempty"` // status before, with To
	To    string `json:"to,omitempty"`
	// Reason is why it was closed as not applicable.
	Reason string `json:"reason,omitempty"`
	// Assignee is the new assignee's name; "" unassigned, nil unchanged.
	Assignee *string `json:"assignee"`
	Note     string  `json:"note,omitempty"`
	// Unit is the networked unit linked to the task ("" none, nil
	// unchanged). Rows before the typed events carry it in Note as
	// "关联联网单位：…".
	Unit *string `json:"unit"`
}

func (TaskUpdated) Kind() incident.EntryKind { return incident.EntryTaskUpdated }
func (e TaskUpdated) Text(l i18n.Lang) string {
	en := l == i18n.EN
	var parts []string
	if e.To != "" {
		if en {
			parts = append(parts, "status "+i18n.T(l, "task."+e.From)+" → "+i18n.T(l, "task."+e.To))
		} else {
			parts = append(parts, "状态由“"+i18n.T(l, "task."+e.From)+"”改为“"+i18n.T(l, "task."+e.To)+"”")
		}
	}
	if e.Assignee != nil {
		if en {
			parts = append(parts, "assigned to "+*e.Assignee)
		} else {
			parts = append(parts, "承办人改为"+*e.Assignee)
		}
	}
	if e.Reason != "" {
		if en {
			parts = append(parts, "not applicable because "+e.Reason)
		} else {
			parts = append(parts, "不适用理由："+e.Reason)
		}
	}
	if e.Note != "" {
		if en {
			parts = append(parts, "note: "+e.Note)
		} else {
			parts = append(parts, "备注："+e.Note)
		}
	}
	if e.Unit != nil {
		if *e.Unit == "" {
			parts = append(parts, i18n.T(l, "timeline.task_unit_none"))
		} else {
			parts = append(parts, i18n.T(l, "timeline.task_unit", *e.Unit))
		}
	}
	sep := "；"
	if en {
		sep = "; "
	}
	return i18n.T(l, "timeline.task_updated", e.Title, strings.Join(parts, sep))
}

// TaskApprovalRequested: a gated task's approval asked for (四(一)2).
type TaskApprovalRequested struct {
	Title  string `json:"title"`
	Reason string `json:"reason"`
	Rule   string `json:"rule"` // the approval's name in the plan
}

func (TaskApprovalRequested) Kind() incident.EntryKind { return incident.EntryTaskApprovalRequested }
func (e TaskApprovalRequested) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.task_approval_requested", e.Title, e.Rule, e.Reason)
}

// TaskApprovalDecided: a gated task's approval decided.
type TaskApprovalDecided struct {
	Title    string `json:"title"`
	Decision string `json:"decision"` // approved, rejected
	Opinion  string `json:"opinion"`
}

func (TaskApprovalDecided) Kind() incident.EntryKind { return incident.EntryTaskApprovalDecided }
func (e TaskApprovalDecided) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.task_approval_decided", e.Title, i18n.T(l, "approval."+e.Decision), e.Opinion)
}

// KindRollCallComplete and KindRollCallConfirmed are the roll-call's kinds
// (issue 10).
const (
	KindRollCallComplete  incident.EntryKind = "roll_call_complete"
	KindRollCallConfirmed incident.EntryKind = "roll_call_confirmed"
)

// RollCallComplete: the last confirmation did the roll-call's task.
type RollCallComplete struct {
	Title string `json:"title"`
	Total string `json:"total"`
	From  string `json:"from"`
	To    string `json:"to"`
}

func (RollCallComplete) Kind() incident.EntryKind { return KindRollCallComplete }
func (e RollCallComplete) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.roll_call_complete", e.Title, e.Total)
}

// RollCallConfirmed: one person paged confirmed in place.
type RollCallConfirmed struct {
	Name string `json:"name"`
	Via  string `json:"via"`
}

func (RollCallConfirmed) Kind() incident.EntryKind { return KindRollCallConfirmed }
func (e RollCallConfirmed) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.roll_call_confirmed", e.Name)
}
