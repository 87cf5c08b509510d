package service

import (
	"context"
	"strconv"
	"strings"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/user"
)

// TaskPatch changes a task; nil fields stay as they are.
type TaskPatch struct {
	Status     *string
	AssigneeID *int64 // 0 clears the assignee
	Note       *string
}

// UpdateTask changes a task's status, assignee or note. The duty officer and
// the leading group may change any task; others only their department's.
func (s *Service) UpdateTask(ctx context.Context, actor *user.User, incidentID, taskID int64, p TaskPatch) (*incident.Task, error) {
	if p.Status == nil && p.AssigneeID == nil && p.Note == nil {
		return nil, errs.Field("status", "error.empty_patch")
	}
	if p.Note != nil {
		if err := checkText("note", *p.Note, false, 5000); err != nil {
			return nil, err
		}
	}
	var t *incident.Task
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, _, err := s.loadForActor(&tx.Q, actor, incidentID)
		if err != nil {
			return err
		}
		if t, err = tx.Task(incidentID, taskID); err != nil {
			return err
		}
		if in.OrgID != actor.OrgID || !(actor.HasRole(commandRoles...) || actor.Department == t.Department) {
			return errs.New(errs.Forbidden, "error.forbidden_task")
		}
		if !incident.TasksEditable(in.Status) {
			return errs.New(errs.Conflict, "error.tasks_locked", string(in.Status))
		}
		data := map[string]string{"title": t.Title}
		if p.Status != nil {
			to := incident.TaskStatus(*p.Status)
			if !to.Valid() {
				return errs.Field("status", "error.bad_task_status", *p.Status)
			}
			if to != t.Status {
				if !incident.CanMoveTask(t.Status, to) {
					return errs.New(errs.Conflict, "error.task_transition", string(t.Status), string(to))
				}
				data["from"], data["to"] = string(t.Status), string(to)
				t.Status = to
			}
		}
		if p.AssigneeID != nil && *p.AssigneeID != t.AssigneeID {
			if *p.AssigneeID != 0 {
				u, err := tx.User(*p.AssigneeID)
				if err != nil || u.OrgID != in.OrgID {
					return errs.Field("assignee_id", "error.bad_assignee")
				}
				data["assignee"] = u.DisplayName
			} else {
				data["assignee"] = ""
			}
			t.AssigneeID = *p.AssigneeID
		}
		if p.Note != nil {
			note := strings.TrimSpace(*p.Note)
			if note != "" {
				data["note"] = note
			}
			t.Note = note
		}
		if err := tx.UpdateTask(t); err != nil {
			return err
		}
		if err := tx.AddEntry(&incident.Entry{IncidentID: in.ID, ActorID: actor.ID, Kind: incident.EntryTaskUpdated, TaskID: t.ID, Data: data}); err != nil {
			return err
		}
		return tx.Audit(auditEntry(actor, "task.update", "task", t.ID, in.OrgID, map[string]any{"incident_id": in.ID, "change": data, "assignee_id": t.AssigneeID}))
	})
	if err != nil {
		return nil, err
	}
	s.changed(incidentID)
	return t, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
