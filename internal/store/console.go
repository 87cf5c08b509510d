package store

import (
	"database/sql"
	"encoding/json"
	"sort"
	"time"

	"yingji/internal/errs"
	"yingji/internal/incident"
)

// The command post reads everything it shows in a handful of set-based
// queries, whatever the number of open incidents: no query per incident.

func idArgs(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// OpenIncidents lists the incidents of the given organisations that are not
// closed, most severe first, then newest. Only what the command post shows
// and the deadline rules need is read: the list can be long.
func (q *Q) OpenIncidents(orgIDs []int64, sc *Scope) ([]*incident.Incident, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	args, scope := idArgs(orgIDs), ""
	if sc != nil {
		c, a := sc.cond("incidents")
		scope, args = " AND "+c, append(args, a...)
	}
	rows, err := q.query(`SELECT id, org_id, plan_id, number, title, category, level, status, activated_at, terminated_at
		FROM incidents WHERE status <> 'closed' AND org_id IN (`+placeholders(len(orgIDs))+`)`+scope+` ORDER BY level, id DESC`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "open incidents")
	}
	defer rows.Close()
	var out []*incident.Incident
	for rows.Next() {
		var in incident.Incident
		var level int
		var status string
		var activated, terminated sql.NullInt64
		if err := rows.Scan(&in.ID, &in.OrgID, &in.PlanID, &in.Number, &in.Title, &in.Category, &level, &status, &activated, &terminated); err != nil {
			return nil, errs.Wrap(err, "open incidents")
		}
		in.Level, in.Status = incident.Level(level), incident.Status(status)
		in.ActivatedAt, in.TerminatedAt = fromMsPtr(activated), fromMsPtr(terminated)
		out = append(out, &in)
	}
	return out, errs.Wrap(rows.Err(), "open incidents")
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

// RecentReports returns, per open incident, the reports submitted since
// since and every submitted 首报, 终报 and summary: what the deadline rules
// look at.
func (q *Q) RecentReports(orgIDs []int64, since time.Time) (map[int64][]*incident.Report, error) {
	out := map[int64][]*incident.Report{}
	if len(orgIDs) == 0 {
		return out, nil
	}
	args := append([]any{ms(since)}, idArgs(orgIDs)...)
	rows, err := q.query(`SELECT r.id, r.incident_id, r.kind, r.submitted_at, r.due_at, COALESCE(r.supersedes, 0) FROM reports r JOIN incidents i ON i.id = r.incident_id
		WHERE r.submitted_at IS NOT NULL AND (r.kind IN ('summary', 'initial', 'final') OR r.submitted_at >= ?)
		AND i.status <> 'closed' AND i.org_id IN (`+placeholders(len(orgIDs))+`) ORDER BY r.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "recent reports")
	}
	defer rows.Close()
	for rows.Next() {
		var r incident.Report
		var sub, due sql.NullInt64
		if err := rows.Scan(&r.ID, &r.IncidentID, &r.Kind, &sub, &due, &r.Supersedes); err != nil {
			return nil, errs.Wrap(err, "recent reports")
		}
		// The deadline a daily report answers is bound when it is drafted:
		// without it the command post would still count today's as open.
		r.SubmittedAt, r.DueAt, r.Status = fromMsPtr(sub), fromMsPtr(due), "submitted"
		out[r.IncidentID] = append(out[r.IncidentID], &r)
	}
	return out, errs.Wrap(rows.Err(), "recent reports")
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

// TimelineTail lists an incident's newest entries before the entry id before
// (0: from the newest), newest first, and how many entries there are in all.
func (q *Q) TimelineTail(incidentID, before int64, limit int) ([]*incident.Entry, int, error) {
	var total int
	if err := q.row(`SELECT COUNT(*) FROM timeline WHERE incident_id = ?`, incidentID).Scan(&total); err != nil {
		return nil, 0, errs.Wrap(err, "timeline count")
	}
	if before <= 0 {
		before = 1<<62 - 1
	}
	rows, err := q.query(`SELECT t.id, t.incident_id, t.at, COALESCE(t.actor_id, 0), COALESCE(u.display_name, ''), t.kind,
		COALESCE(t.task_id, 0), COALESCE(t.approval_id, 0), t.data
		FROM timeline t LEFT JOIN users u ON u.id = t.actor_id
		WHERE t.incident_id = ? AND t.id < ? ORDER BY t.id DESC LIMIT ?`, incidentID, before, limit)
	if err != nil {
		return nil, 0, errs.Wrap(err, "timeline")
	}
	out, err := scanEntries(rows)
	return out, total, err
}

// TimelineMark is the newest timeline entry id of one incident (0: all
// incidents): every change writes an entry, so a new mark means a change.
func (q *Q) TimelineMark(incidentID int64) (int64, error) {
	var id int64
	var err error
	if incidentID == 0 {
		err = q.row(`SELECT COALESCE(MAX(id), 0) FROM timeline`).Scan(&id)
	} else {
		err = q.row(`SELECT COALESCE(MAX(id), 0) FROM timeline WHERE incident_id = ?`, incidentID).Scan(&id)
	}
	return id, errs.Wrap(err, "timeline mark")
}

// ChangedIn reports whether any timeline entry after after and up to upto
// belongs to an incident of the given organisations.
func (q *Q) ChangedIn(orgIDs []int64, sc *Scope, after, upto int64) (bool, error) {
	if len(orgIDs) == 0 {
		return false, nil
	}
	var n int
	args, scope := append([]any{after, upto}, idArgs(orgIDs)...), ""
	if sc != nil {
		c, a := sc.cond("i")
		scope, args = " AND "+c, append(args, a...)
	}
	err := q.row(`SELECT COUNT(*) FROM timeline t JOIN incidents i ON i.id = t.incident_id
		WHERE t.id > ? AND t.id <= ? AND i.org_id IN (`+placeholders(len(orgIDs))+`)`+scope, args...).Scan(&n)
	return n > 0, errs.Wrap(err, "changed")
}

func scanEntries(rows *sql.Rows) ([]*incident.Entry, error) {
	defer rows.Close()
	var out []*incident.Entry
	for rows.Next() {
		var e incident.Entry
		var at int64
		var kind, data string
		if err := rows.Scan(&e.ID, &e.IncidentID, &at, &e.ActorID, &e.Actor, &kind, &e.TaskID, &e.ApprovalID, &data); err != nil {
			return nil, errs.Wrap(err, "timeline")
		}
		e.At, e.Kind = fromMs(at), incident.EntryKind(kind)
		if data != "{}" {
			if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
				return nil, errs.Wrap(err, "timeline data")
			}
		}
		out = append(out, &e)
	}
	return out, errs.Wrap(rows.Err(), "timeline")
}
