package event

import (
	"strings"

	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/report"
)

// Kinds of the incident's own course that the use cases own (the others
// are incident.Entry*); a report states them, so report declares them.
const (
	KindSuperiorInformed = report.EntrySuperiorInformed
	KindAssigned         = report.EntryAssigned
)

// NoteFeedback is the data key of a note that is the 上报 to the superior
// of an assigned incident.
const NoteFeedback = "feedback"

// Created: the incident registered.
type Created struct {
	Number   string `json:"number"`
	Title    string `json:"title"`
	Category string `json:"category"` // the category's name
	Level    string `json:"level"`    // Roman numeral
}

func (Created) Kind() incident.EntryKind { return incident.EntryCreated }
func (e Created) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.created", e.Number, e.Title, e.Category, e.Level)
}

// Note: a note on the record; internal ones never leave the bureau,
// feedback ones are the 上报 to the assigning superior.
type Note struct {
	Body     string `json:"text"`
	Internal bool   `json:"internal,omitempty"`
	Feedback bool   `json:"feedback,omitempty"`
}

func (Note) Kind() incident.EntryKind { return incident.EntryNote }
func (e Note) Text(l i18n.Lang) string {
	switch {
	case e.Internal:
		return i18n.T(l, "timeline.note_internal", e.Body)
	case e.Feedback:
		return i18n.T(l, "timeline.note_feedback", e.Body)
	}
	return i18n.T(l, "timeline.note", e.Body)
}

// ActivationRequested: activation of the plan asked for.
type ActivationRequested struct {
	Reason string `json:"reason"`
}

func (ActivationRequested) Kind() incident.EntryKind { return incident.EntryActivationRequested }
func (e ActivationRequested) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.activation_requested", e.Reason)
}

// TerminationRequested: termination asked for, with the count of tasks
// done and those closed as not applicable, each with its reason, for the
// approver.
type TerminationRequested struct {
	Reason string `json:"reason"`
	// Counts of the tasks done, closed as not applicable, and those the
	// plan puts after termination; release 1 stored none of them.
	Done    string `json:"done,omitempty"`
	NACount string `json:"na_count,omitempty"`
	After   string `json:"after,omitempty"`
	// NAItems holds the tasks closed as not applicable, "title<TAB>reason"
	// each (NotApplicable). Rows before it hold NA, "title：reason" each,
	// composed in Chinese; a separate key keeps the two apart even when an
	// old reason held a tab.
	NAItems []string `json:"na_items,omitempty"`
	NA      []string `json:"na,omitempty"`
}

func (TerminationRequested) Kind() incident.EntryKind { return incident.EntryTerminationRequested }
func (e TerminationRequested) Text(l i18n.Lang) string {
	t := i18n.T(l, "timeline.termination_requested", e.Reason)
	switch {
	case len(e.NAItems) > 0:
		colon, sep := "：", "；"
		if l == i18n.EN {
			colon, sep = ": ", "; "
		}
		na := make([]string, len(e.NAItems))
		for i, x := range e.NAItems {
			na[i] = strings.Replace(x, "\t", colon, 1)
		}
		t += i18n.T(l, "timeline.termination_na", e.NACount, strings.Join(na, sep))
	case len(e.NA) > 0:
		t += i18n.T(l, "timeline.termination_na", e.NACount, strings.Join(e.NA, "；"))
	}
	return t
}

// NotApplicable is an item of TerminationRequested.NAItems. The reason's
// line breaks and tabs become spaces: one item is one line, and its first
// tab ends the title (the task itself keeps the reason as typed).
func NotApplicable(title, reason string) string {
	return title + "\t" + strings.Join(strings.Fields(reason), " ")
}

// Decided: a leader's decision on activation or termination. The four
// kinds share the shape; each is its own type.
type decided struct {
	Opinion string `json:"opinion"`
}

type (
	ActivationApproved  decided
	ActivationRejected  decided
	TerminationApproved decided
	TerminationRejected decided
)

func (ActivationApproved) Kind() incident.EntryKind  { return incident.EntryActivationApproved }
func (ActivationRejected) Kind() incident.EntryKind  { return incident.EntryActivationRejected }
func (TerminationApproved) Kind() incident.EntryKind { return incident.EntryTerminationApproved }
func (TerminationRejected) Kind() incident.EntryKind { return incident.EntryTerminationRejected }
func (e ActivationApproved) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.activation_approved", e.Opinion)
}
func (e ActivationRejected) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.activation_rejected", e.Opinion)
}
func (e TerminationApproved) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.termination_approved", e.Opinion)
}
func (e TerminationRejected) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.termination_rejected", e.Opinion)
}

// Decided is the event of a leader's decision whose entry kind the
// decision rule (incident.Decide) chose.
func Decided(kind incident.EntryKind, opinion string) Event {
	switch kind {
	case incident.EntryActivationApproved:
		return ActivationApproved{opinion}
	case incident.EntryActivationRejected:
		return ActivationRejected{opinion}
	case incident.EntryTerminationApproved:
		return TerminationApproved{opinion}
	case incident.EntryTerminationRejected:
		return TerminationRejected{opinion}
	}
	return Unknown{K: kind, Data: map[string]string{"opinion": opinion}}
}

// TasksCreated: the plan's tasks created at activation.
type TasksCreated struct {
	Count string `json:"count"`
	Plan  string `json:"plan"` // the plan's title and version
}

func (TasksCreated) Kind() incident.EntryKind { return incident.EntryTasksCreated }
func (e TasksCreated) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.tasks_created", e.Count, e.Plan)
}

// SuperiorInformed: the superiors told of an activation (To: each one's
// organisation and name; none when no account holds the role).
type SuperiorInformed struct {
	To   []string `json:"to"`
	Rule string   `json:"rule"`
}

func (SuperiorInformed) Kind() incident.EntryKind { return KindSuperiorInformed }
func (e SuperiorInformed) Text(l i18n.Lang) string {
	if len(e.To) == 0 {
		return i18n.T(l, "timeline.superior_informed_nobody")
	}
	return i18n.T(l, "timeline.superior_informed", list(l, e.To))
}

// Assigned: a superior's organisation assigned the incident (交办).
type Assigned struct {
	Org          string `json:"org"`
	By           string `json:"by"`
	Instructions string `json:"instructions"`
	Rule         string `json:"rule"`
}

func (Assigned) Kind() incident.EntryKind { return KindAssigned }
func (e Assigned) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.assigned", e.Org, e.By, e.Instructions)
}
