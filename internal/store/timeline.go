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

// entries scans timeline rows selected with entrySelect. The data is decoded
// by decodeFlat, which answers as encoding/json does (FuzzDecodeFlat) at a
// fraction of the cost.
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
			if e.Data, err = decodeFlat(data); err != nil {
				return nil, errs.Wrap(err, "timeline data")
			}
		}
		out = append(out, &e)
	}
	return out, errs.Wrap(rows.Err(), "timeline")
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
	out, err := q.entries(entrySelect+` WHERE t.incident_id = ? AND t.id < ? ORDER BY t.id DESC LIMIT ?`, incidentID, before, limit)
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

// ReportWindow lists the timeline entries a report draft covers: those
// after the entry id after and at or after sinceMs, in order. A daily
// report over a busy incident reads tens of thousands of them, which is why
// entries decodes their data with decodeFlat.
func (q *Q) ReportWindow(incidentID, after, sinceMs int64) ([]*incident.Entry, error) {
	return q.entries(entrySelect+` WHERE t.incident_id = ? AND t.id > ? AND t.at >= ? ORDER BY t.id`, incidentID, after, sinceMs)
}
