package store

import (
	"database/sql"
	"fmt"
	"strings"
	"time"

	"yingji/internal/errs"
	"yingji/internal/incident"
)

// escalationStatuses are the incidents escalation looks at: a request
// waiting (activation), running, or waiting to terminate.
const escalationStatuses = `('activation_requested', 'active', 'termination_requested')`

// EscalationIncidents lists the incidents escalation looks at.
func (q *Q) EscalationIncidents() ([]*incident.Incident, error) {
	return list(q, "escalation incidents", scanIncident, `SELECT `+incidentCols+` FROM incidents WHERE status IN `+escalationStatuses+` ORDER BY id`)
}

// MissingRollCalls lists the roll-call rows not confirmed of those
// incidents, by incident.
func (q *Q) MissingRollCalls() (map[int64][]*RollCall, error) {
	rs, err := list(q, "missing roll-calls", scanRollCall, `SELECT `+rollCallCols+` FROM roll_calls r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.confirmed_at IS NULL AND r.incident_id IN (SELECT id FROM incidents WHERE status IN `+escalationStatuses+`) ORDER BY r.id`)
	out := map[int64][]*RollCall{}
	for _, r := range rs {
		out[r.IncidentID] = append(out[r.IncidentID], r)
	}
	return out, err
}

// EscalationKeys are the escalations taken on those incidents.
func (q *Q) EscalationKeys() (map[string]bool, error) {
	ks, err := list(q, "escalation keys", func(s scanner) (string, error) {
		var k string
		return k, s.Scan(&k)
	}, `SELECT key FROM escalations WHERE incident_id IN (SELECT id FROM incidents WHERE status IN `+escalationStatuses+`)`)
	out := make(map[string]bool, len(ks))
	for _, k := range ks {
		out[k] = true
	}
	return out, err
}

// ClaimEscalation records an escalation in this transaction; false, and
// nothing written, when its key was taken before: send nothing then.
func (tx *Tx) ClaimEscalation(key string, incidentID int64, rule string, subjectID, recipientID int64) (bool, error) {
	// ON CONFLICT DO NOTHING rather than a unique violation, which would
	// abort a PostgreSQL transaction.
	res, err := tx.exec(`INSERT INTO escalations (key, incident_id, rule, subject_id, recipient_id, at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		key, incidentID, rule, subjectID, nullID(recipientID), ms(tx.Now))
	if err != nil {
		return false, errs.Wrap(err, "claim escalation")
	}
	n, err := res.RowsAffected()
	return n == 1, errs.Wrap(err, "claim escalation")
}

// Pending is a request waiting for a decision on an incident escalation
// looks at: an approval, a gated task or a report's sign-off.
type Pending struct {
	Kind        string // approval, task_approval, report_signoff
	ID          int64
	IncidentID  int64
	Title       string
	RequestedAt time.Time
}

// PendingRequests lists the requests waiting for a decision.
func (q *Q) PendingRequests() ([]*Pending, error) {
	scan := func(kind string) func(s scanner) (*Pending, error) {
		return func(s scanner) (*Pending, error) {
			p := &Pending{Kind: kind}
			var at sql.NullInt64
			err := s.Scan(&p.ID, &p.IncidentID, &p.Title, &at)
			if at.Valid {
				p.RequestedAt = fromMs(at.Int64)
			}
			return p, err
		}
	}
	in := ` AND incident_id IN (SELECT id FROM incidents WHERE status IN ` + escalationStatuses + `) ORDER BY id`
	a, err := list(q, "pending approvals", scan("approval"), `SELECT id, incident_id, kind, requested_at FROM approvals WHERE status = 'pending'`+in)
	if err != nil {
		return nil, err
	}
	t, err := list(q, "pending task approvals", scan("task_approval"), `SELECT id, incident_id, title, approval_requested_at FROM tasks WHERE approval_status = 'pending'`+in)
	if err != nil {
		return nil, err
	}
	r, err := list(q, "reports awaiting sign-off", scan("report_signoff"), `SELECT id, incident_id, title, signoff_requested_at FROM reports WHERE status = 'signoff_requested'`+in)
	return append(append(a, t...), r...), err
}

// StillPending reports whether a request PendingRequests listed (kind
// approval, task_approval or report_signoff) still waits for a decision.
func (q *Q) StillPending(kind string, id int64) (bool, error) {
	query, ok := map[string]string{
		"approval":       `SELECT COUNT(*) FROM approvals WHERE id = ? AND status = 'pending'`,
		"task_approval":  `SELECT COUNT(*) FROM tasks WHERE id = ? AND approval_status = 'pending'`,
		"report_signoff": `SELECT COUNT(*) FROM reports WHERE id = ? AND status = 'signoff_requested'`,
	}[kind]
	if !ok {
		return false, errs.Wrap(fmt.Errorf("request kind %q", kind), "still pending")
	}
	var n int
	err := q.row(query, id).Scan(&n)
	return n == 1, errs.Wrap(err, "still pending")
}

// AskNotice is a notice that asked someone to decide.
type AskNotice struct {
	RecipientID, IncidentID int64
	Kind, Body              string
}

// AskNotices lists the notices that asked for a decision on the incidents
// escalation looks at: who was asked is who is reminded.
func (q *Q) AskNotices(kinds []string) ([]*AskNotice, error) {
	args := []any{}
	for _, k := range kinds {
		args = append(args, k)
	}
	return list(q, "ask notices", func(s scanner) (*AskNotice, error) {
		var n AskNotice
		return &n, s.Scan(&n.RecipientID, &n.IncidentID, &n.Kind, &n.Body)
	}, `SELECT recipient_id, incident_id, kind, body FROM outbox WHERE channel = 'inapp' AND recipient_id IS NOT NULL
		AND kind IN (?`+strings.Repeat(", ?", len(kinds)-1)+`) AND incident_id IN (SELECT id FROM incidents WHERE status IN `+escalationStatuses+`) ORDER BY id`, args...)
}

// OverdueTasks lists the open tasks past their due time on the incidents
// escalation looks at.
func (q *Q) OverdueTasks(now time.Time) ([]*incident.Task, error) {
	return list(q, "overdue tasks", scanTask, `SELECT `+taskCols+` FROM tasks WHERE status NOT IN ('done', 'na') AND due_at IS NOT NULL AND due_at <= ?
		AND incident_id IN (SELECT id FROM incidents WHERE status IN ('active', 'termination_requested')) ORDER BY id`, ms(now))
}
