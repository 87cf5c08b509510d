package store

import (
	"database/sql"
	"sort"

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

// TaskCount is the open and overdue work of one incident.
type TaskCount struct{ Open, Overdue int }

// OpenTaskCounts counts the unfinished and overdue tasks of the given incidents.
func (q *Q) OpenTaskCounts(incidentIDs []int64) (map[int64]TaskCount, error) {
	out := map[int64]TaskCount{}
	if len(incidentIDs) == 0 {
		return out, nil
	}
	args := append([]any{ms(q.Now)}, idArgs(incidentIDs)...)
	rows, err := q.query(`SELECT incident_id, COUNT(*), SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END)
		FROM tasks WHERE status NOT IN ('done', 'na') AND incident_id IN (`+placeholders(len(incidentIDs))+`)
		GROUP BY incident_id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "task counts")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c TaskCount
		if err := rows.Scan(&id, &c.Open, &c.Overdue); err != nil {
			return nil, errs.Wrap(err, "task counts")
		}
		out[id] = c
	}
	return out, errs.Wrap(rows.Err(), "task counts")
}

// TaskRow is a task with the incident it belongs to.
type TaskRow struct {
	*incident.Task
	Number, IncidentTitle string
}

// MyTasks lists the unfinished tasks of a department, or assigned to a user,
// in the organisation's incidents whose plan is running; the earliest due
// first, those without a due time last. Three index walks that each stop
// early, rather than sorting every open task of the organisation.
func (q *Q) MyTasks(orgID int64, department string, userID int64, limit int) ([]*TaskRow, error) {
	const base = `SELECT t.id, t.incident_id, t.phase, t.template_key, t.title, t.description, t.department,
		COALESCE(t.assignee_id, 0), t.due_at, t.status, t.note, t.created_at, t.updated_at, i.number, i.title
		FROM tasks t JOIN incidents i ON i.id = t.incident_id
		WHERE i.org_id = ? AND i.status IN ('active', 'termination_requested') AND t.status NOT IN ('done', 'na') AND `
	var out []*TaskRow
	seen := map[int64]bool{}
	add := func(query string, args ...any) error {
		rows, err := q.query(base+query, append([]any{orgID}, args...)...)
		if err != nil {
			return errs.Wrap(err, "my tasks")
		}
		list, err := scanTaskRows(rows)
		for _, r := range list {
			if !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
		return err
	}
	if department != "" {
		if err := add(`t.department = ? AND t.due_at IS NOT NULL ORDER BY t.due_at, t.id LIMIT ?`, department, limit); err != nil {
			return nil, err
		}
	}
	if err := add(`t.assignee_id = ? ORDER BY t.id LIMIT ?`, userID, limit); err != nil {
		return nil, err
	}
	if department != "" {
		if err := add(`t.department = ? AND t.due_at IS NULL ORDER BY t.id LIMIT ?`, department, limit); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].DueAt, out[j].DueAt
		switch {
		case a == nil || b == nil:
			return a != nil && b == nil
		case !a.Equal(*b):
			return a.Before(*b)
		}
		return out[i].ID < out[j].ID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func scanTaskRows(rows *sql.Rows) ([]*TaskRow, error) {
	defer rows.Close()
	var out []*TaskRow
	for rows.Next() {
		var t incident.Task
		var r TaskRow
		var status string
		var due sql.NullInt64
		var created, updated int64
		if err := rows.Scan(&t.ID, &t.IncidentID, &t.Phase, &t.TemplateKey, &t.Title, &t.Description, &t.Department, &t.AssigneeID,
			&due, &status, &t.Note, &created, &updated, &r.Number, &r.IncidentTitle); err != nil {
			return nil, errs.Wrap(err, "my tasks")
		}
		t.Status, t.DueAt, t.CreatedAt, t.UpdatedAt = incident.TaskStatus(status), fromMsPtr(due), fromMs(created), fromMs(updated)
		r.Task = &t
		out = append(out, &r)
	}
	return out, errs.Wrap(rows.Err(), "my tasks")
}
