package store

import (
	"encoding/json"

	"yingji/internal/errs"
	"yingji/internal/incident"
)

// AddEntry appends a timeline entry at the transaction's time.
func (tx *Tx) AddEntry(e *incident.Entry) error {
	data := []byte("{}")
	if len(e.Data) > 0 {
		data, _ = json.Marshal(e.Data) // map[string]string always marshals
	}
	e.At = tx.Now
	id, err := tx.insert(`INSERT INTO timeline (incident_id, at, actor_id, kind, task_id, approval_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		e.IncidentID, ms(tx.Now), nullID(e.ActorID), string(e.Kind), nullID(e.TaskID), nullID(e.ApprovalID), string(data))
	if err != nil {
		return errs.Wrap(err, "timeline")
	}
	e.ID = id
	return tx.touch(e.IncidentID, id)
}

const entrySelect = `SELECT t.id, t.incident_id, t.at, COALESCE(t.actor_id, 0), COALESCE(u.display_name, ''), t.kind,
		COALESCE(t.task_id, 0), COALESCE(t.approval_id, 0), t.data
		FROM timeline t LEFT JOIN users u ON u.id = t.actor_id`

// Timeline lists an incident's entries in order, with the actors' names,
// after the entry id after (0 for the start), at most limit (0: all).
func (q *Q) Timeline(incidentID, after int64, limit int) ([]*incident.Entry, error) {
	query := entrySelect + ` WHERE t.incident_id = ? AND t.id > ? ORDER BY t.id`
	args := []any{incidentID, after}
	if limit > 0 {
		query += ` LIMIT ?`
		args = append(args, limit)
	}
	return q.entries(query, args...)
}

// TaskHistory lists the timeline entries about one task of an incident.
func (q *Q) TaskHistory(incidentID, taskID int64) ([]*incident.Entry, error) {
	return q.entries(entrySelect+` WHERE t.incident_id = ? AND t.task_id = ? ORDER BY t.id`, incidentID, taskID)
}

func (q *Q) entries(query string, args ...any) ([]*incident.Entry, error) {
	rows, err := q.query(query, args...)
	if err != nil {
		return nil, errs.Wrap(err, "timeline")
	}
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
