package api

import (
	"net/http"
	"strconv"
	"time"

	"yingji/internal/i18n"
	"yingji/internal/incident"
)

type incidentJSON struct {
	ID              int64   `json:"id"`
	Number          string  `json:"number"`
	OrgID           int64   `json:"org_id"`
	PlanID          int64   `json:"plan_id"`
	Title           string  `json:"title"`
	Category        string  `json:"category"`
	GBClass         string  `json:"gb_class"`
	Level           int     `json:"level"`
	LevelName       string  `json:"level_name"`
	Color           string  `json:"color"`
	Status          string  `json:"status"`
	StatusName      string  `json:"status_name"`
	DiscoveredAt    string  `json:"discovered_at"`
	DiscoveryMethod string  `json:"discovery_method"`
	Description     string  `json:"description"`
	ReporterID      int64   `json:"reporter_id"`
	ActivatedAt     *string `json:"activated_at"`
	TerminatedAt    *string `json:"terminated_at"`
	ClosedAt        *string `json:"closed_at"`
	CreatedAt       string  `json:"created_at"`
	UpdatedAt       string  `json:"updated_at"`
}

type taskJSON struct {
	ID          int64   `json:"id"`
	Phase       string  `json:"phase"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Department  string  `json:"department"`
	AssigneeID  *int64  `json:"assignee_id"`
	DueAt       *string `json:"due_at"`
	Overdue     bool    `json:"overdue"`
	Status      string  `json:"status"`
	Note        string  `json:"note"`
	UpdatedAt   string  `json:"updated_at"`
	// Issue 11: why a task is 不适用 (status "na"), the approval a gated task
	// carries, and (in an incident's detail) what the caller may do to it.
	NAReason string            `json:"na_reason,omitempty"`
	Approval *taskApprovalJSON `json:"approval,omitempty"`
	Actions  []string          `json:"actions,omitempty"`
	// Issue 10: the roll-call on 通知领导小组成员到位 (in an incident's detail).
	RollCall    *taskRollCallJSON `json:"roll_call,omitempty"`
	templateKey string            // not in the answer: which task carries the roll-call
	// AfterTermination: done only once termination is approved, workable
	// after it (终止预案,同时报告…); Gate: the approval the task needs.
	AfterTermination bool   `json:"after_termination,omitempty"`
	Gate             string `json:"gate,omitempty"`
}

type taskApprovalJSON struct {
	Status      string  `json:"status"`
	Reason      string  `json:"reason"`
	RequestedBy *int64  `json:"requested_by"`
	RequestedAt *string `json:"requested_at"`
	DecidedBy   *int64  `json:"decided_by"`
	DecidedAt   *string `json:"decided_at"`
	Opinion     string  `json:"opinion"`
}

type approvalJSON struct {
	ID          int64   `json:"id"`
	IncidentID  int64   `json:"incident_id"`
	Kind        string  `json:"kind"`
	Status      string  `json:"status"`
	Reason      string  `json:"reason"`
	RequestedBy int64   `json:"requested_by"`
	RequestedAt string  `json:"requested_at"`
	DecidedBy   *int64  `json:"decided_by"`
	DecidedAt   *string `json:"decided_at"`
	Opinion     string  `json:"opinion"`
}

type deadlineJSON struct {
	Kind  string `json:"kind"`
	Due   string `json:"due"`
	State string `json:"state"`
}

type reportJSON struct {
	ID          int64   `json:"id"`
	Kind        string  `json:"kind"`
	Title       string  `json:"title"`
	Status      string  `json:"status"`
	SubmittedAt *string `json:"submitted_at"`
	SHA256      string  `json:"sha256"`
}

type entryJSON struct {
	ID         int64             `json:"id"`
	At         string            `json:"at"`
	ActorID    *int64            `json:"actor_id"`
	Actor      string            `json:"actor"`
	Kind       string            `json:"kind"`
	TaskID     *int64            `json:"task_id,omitempty"`
	ApprovalID *int64            `json:"approval_id,omitempty"`
	Data       map[string]string `json:"data"`
	Text       string            `json:"text"`
}

func ts(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.RFC3339) }

func tsPtr(t *time.Time, loc *time.Location) *string {
	if t == nil {
		return nil
	}
	s := ts(*t, loc)
	return &s
}

func idPtr(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func toIncidentJSON(in *incident.Incident, loc *time.Location, l i18n.Lang) incidentJSON {
	return incidentJSON{
		ID: in.ID, Number: in.Number, OrgID: in.OrgID, PlanID: in.PlanID, Title: in.Title, Category: in.Category, GBClass: in.GBClass,
		Level: int(in.Level), LevelName: i18n.T(l, "level."+strconv.Itoa(int(in.Level))), Color: in.Level.Color(),
		Status: string(in.Status), StatusName: i18n.T(l, "status."+string(in.Status)),
		DiscoveredAt: ts(in.DiscoveredAt, loc), DiscoveryMethod: in.DiscoveryMethod, Description: in.Description, ReporterID: in.ReporterID,
		ActivatedAt: tsPtr(in.ActivatedAt, loc), TerminatedAt: tsPtr(in.TerminatedAt, loc), ClosedAt: tsPtr(in.ClosedAt, loc),
		CreatedAt: ts(in.CreatedAt, loc), UpdatedAt: ts(in.UpdatedAt, loc),
	}
}

func toTaskJSON(t *incident.Task, loc *time.Location, now time.Time) taskJSON {
	return taskJSON{ID: t.ID, Phase: t.Phase, Title: t.Title, Description: t.Description, Department: t.Department,
		AssigneeID: idPtr(t.AssigneeID), DueAt: tsPtr(t.DueAt, loc), Overdue: t.Overdue(now), Status: string(t.Status), Note: t.Note,
		UpdatedAt: ts(t.UpdatedAt, loc), NAReason: t.NAReason, Approval: toTaskApprovalJSON(&t.Approval, loc), templateKey: t.TemplateKey}
}

func toTaskApprovalJSON(a *incident.TaskApproval, loc *time.Location) *taskApprovalJSON {
	if a.Status == "" {
		return nil
	}
	return &taskApprovalJSON{Status: string(a.Status), Reason: a.Reason, RequestedBy: idPtr(a.RequestedBy), RequestedAt: tsPtr(a.RequestedAt, loc),
		DecidedBy: idPtr(a.DecidedBy), DecidedAt: tsPtr(a.DecidedAt, loc), Opinion: a.Opinion}
}

func toApprovalJSON(a *incident.Approval, loc *time.Location) approvalJSON {
	return approvalJSON{ID: a.ID, IncidentID: a.IncidentID, Kind: string(a.Kind), Status: string(a.Status), Reason: a.Reason,
		RequestedBy: a.RequestedBy, RequestedAt: ts(a.RequestedAt, loc), DecidedBy: idPtr(a.DecidedBy), DecidedAt: tsPtr(a.DecidedAt, loc), Opinion: a.Opinion}
}

func lang(r *http.Request) i18n.Lang { return i18n.Parse(r.Header.Get("Accept-Language")) }
