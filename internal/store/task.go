package store

import (
	"database/sql"

	"yingji/internal/errs"
	"yingji/internal/incident"
)

const taskCols = `id, incident_id, phase, template_key, title, description, department, COALESCE(assignee_id, 0), due_at, status, note, created_at, updated_at,
	na_reason, approval_status, approval_reason, COALESCE(approval_requested_by, 0), approval_requested_at, COALESCE(approval_decided_by, 0), approval_decided_at, approval_opinion`

func scanTask(s scanner) (*incident.Task, error) {
	var t incident.Task
	var status string
	var due sql.NullInt64
	var created, updated int64
	var ast string
	var areq, adec sql.NullInt64
	a := &t.Approval
	if err := s.Scan(&t.ID, &t.IncidentID, &t.Phase, &t.TemplateKey, &t.Title, &t.Description, &t.Department, &t.AssigneeID,
		&due, &status, &t.Note, &created, &updated,
		&t.NAReason, &ast, &a.Reason, &a.RequestedBy, &areq, &a.DecidedBy, &adec, &a.Opinion); err != nil {
		return nil, err
	}
	a.Status, a.RequestedAt, a.DecidedAt = incident.ApprovalStatus(ast), fromMsPtr(areq), fromMsPtr(adec)
	t.Status, t.DueAt = incident.TaskStatus(status), fromMsPtr(due)
	t.CreatedAt, t.UpdatedAt = fromMs(created), fromMs(updated)
	return &t, nil
}

// CreateTask inserts a task.
func (tx *Tx) CreateTask(t *incident.Task) error {
	t.CreatedAt, t.UpdatedAt = tx.Now, tx.Now
	id, err := tx.insert(`INSERT INTO tasks (incident_id, phase, template_key, title, description, department, assignee_id, due_at, status, note, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.IncidentID, t.Phase, t.TemplateKey, t.Title, t.Description, t.Department, nullID(t.AssigneeID), msPtr(t.DueAt),
		string(t.Status), t.Note, ms(tx.Now), ms(tx.Now))
	if err != nil {
		return errs.Wrap(err, "create task")
	}
	t.ID = id
	return nil
}

// UpdateTask writes a task's mutable fields.
func (tx *Tx) UpdateTask(t *incident.Task) error {
	t.UpdatedAt = tx.Now
	a := &t.Approval
	_, err := tx.exec(`UPDATE tasks SET assignee_id = ?, due_at = ?, status = ?, note = ?, updated_at = ?,
		na_reason = ?, approval_status = ?, approval_reason = ?, approval_requested_by = ?, approval_requested_at = ?,
		approval_decided_by = ?, approval_decided_at = ?, approval_opinion = ? WHERE id = ?`,
		nullID(t.AssigneeID), msPtr(t.DueAt), string(t.Status), t.Note, ms(tx.Now),
		t.NAReason, string(a.Status), a.Reason, nullID(a.RequestedBy), msPtr(a.RequestedAt),
		nullID(a.DecidedBy), msPtr(a.DecidedAt), a.Opinion, t.ID)
	return errs.Wrap(err, "update task")
}

// Task loads one task of an incident; a task of another incident is not found.
func (q *Q) Task(incidentID, id int64) (*incident.Task, error) {
	t, err := scanTask(q.row(`SELECT `+taskCols+` FROM tasks WHERE id = ? AND incident_id = ?`, id, incidentID))
	return t, notFound(err, "error.task_not_found")
}

// Tasks lists an incident's tasks in plan order.
func (q *Q) Tasks(incidentID int64) ([]*incident.Task, error) {
	return list(q, "tasks", scanTask, `SELECT `+taskCols+` FROM tasks WHERE incident_id = ? ORDER BY id`, incidentID)
}
