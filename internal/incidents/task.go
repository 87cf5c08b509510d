package incidents

import (
	"context"
	"strconv"
	"strings"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
)

// TaskPatch changes a task; nil fields stay as they are.
type TaskPatch struct {
	Status     *string
	AssigneeID *int64 // 0 clears the assignee
	Note       *string
	// Reason is required when the status becomes na (不适用): why the task
	// does not apply. The termination approver sees it.
	Reason *string
}

// UpdateTask changes a task's status, assignee or note. The duty officer and
// the leading group may change any task; others only their department's.
func (s *Service) UpdateTask(ctx context.Context, actor *user.User, incidentID, taskID int64, p TaskPatch) (*incident.Task, error) {
	if p.Status == nil && p.AssigneeID == nil && p.Note == nil && p.Reason == nil {
		return nil, errs.Field("status", "error.empty_patch")
	}
	if p.Note != nil {
		if err := core.CheckText("note", *p.Note, false, 5000); err != nil {
			return nil, err
		}
	}
	reason := ""
	if p.Reason != nil {
		reason = strings.TrimSpace(*p.Reason)
		if err := core.CheckText("reason", reason, false, 2000); err != nil {
			return nil, err
		}
	}
	var t *incident.Task
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		w, err := s.workTask(&tx.Q, actor, incidentID, taskID)
		if err != nil {
			return err
		}
		in, kind, tt := w.in, w.kind, w.tmpl
		t = w.task
		// The tasks the plan puts after termination (终止预案,同时报告…)
		// stay workable after it; every other task locks at termination.
		if lock := incident.TaskLock(in.Status, kind); lock != "" {
			return errs.New(errs.Conflict, lock, string(in.Status))
		}
		ev := event.TaskUpdated{Title: t.Title}
		if p.Status != nil {
			to := incident.TaskStatus(*p.Status)
			if !to.Valid() {
				return errs.Field("status", "error.bad_task_status", *p.Status)
			}
			if to != t.Status {
				if !incident.CanMoveTask(t.Status, to) {
					return errs.New(errs.Conflict, "error.task_transition", string(t.Status), string(to))
				}
				switch to {
				case incident.TaskDone:
					switch incident.FinishLock(in.Status, kind, t.Approval.Status) {
					case "error.task_after_termination":
						return errs.New(errs.Conflict, "error.task_after_termination")
					case "error.task_needs_approval":
						// No raw status in the sentence: it read "（当前审批状态：pending）",
						// or nothing before a request; the task page shows the approval.
						return errs.New(errs.Conflict, "error.task_needs_approval", tt.Approval.Name)
					}
				case incident.TaskNA:
					// The reports the seed orders at termination (同时报告…)
					// cannot be waved away before it.
					if kind.AfterTermination && in.Status != incident.Terminated {
						return errs.New(errs.Conflict, "error.task_after_termination")
					}
					if reason == "" {
						return errs.Field("reason", "error.na_reason_required")
					}
					t.NAReason, ev.Reason = reason, reason
				}
				if t.Status == incident.TaskNA {
					t.NAReason = "" // reopened: it applies after all
				}
				ev.From, ev.To = string(t.Status), string(to)
				t.Status = to
			}
		}
		if p.AssigneeID != nil && *p.AssigneeID != t.AssigneeID {
			if *p.AssigneeID != 0 {
				u, err := tx.User(*p.AssigneeID)
				if err != nil || u.OrgID != in.OrgID {
					return errs.Field("assignee_id", "error.bad_assignee")
				}
				ev.Assignee = &u.DisplayName
			} else {
				ev.Assignee = new(string) // unassigned
			}
			t.AssigneeID = *p.AssigneeID
		}
		if p.Note != nil {
			note := strings.TrimSpace(*p.Note)
			if note != "" {
				ev.Note = note
			}
			t.Note = note
		}
		if err := tx.UpdateTask(t); err != nil {
			return err
		}
		_, err = core.Record(tx, core.Act{IncidentID: in.ID, ActorID: actor.ID, TaskID: t.ID, Event: ev,
			Audit: core.Audited(actor, "task.update", "task", t.ID, in.OrgID, map[string]any{"incident_id": in.ID, "change": event.Data(ev), "assignee_id": t.AssigneeID})})
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// tasksCreated is the entry of the plan's tasks created for an incident.
func tasksCreated(p *plan.Plan, n int) event.TasksCreated {
	return event.TasksCreated{Count: itoa(n), Plan: p.Title + " " + p.Version}
}
