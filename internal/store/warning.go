package store

import (
	"database/sql"
	"time"

	"yingji/internal/errs"
	"yingji/internal/warning"
)

// Public warnings (预警信息), issue 14: migration 021.

const warningCols = `id, uuid, thread_uuid, COALESCE(original_id, 0), COALESCE(replaces_id, 0), org_id, COALESCE(incident_id, 0),
	msg_type, status, level, event, headline, description, instruction, area, effective_at, expires_at,
	COALESCE(drafted_by, 0), drafted_at, COALESCE(approved_by, 0), approved_at, approval_note,
	COALESCE(released_by, 0), released_at, ended_at`

func scanWarning(s scanner) (*warning.Message, error) {
	var m warning.Message
	var typ, status, level string
	var eff, exp, drafted int64
	var approved, released, ended sql.NullInt64
	if err := s.Scan(&m.ID, &m.UUID, &m.ThreadUUID, &m.OriginalID, &m.ReplacesID, &m.OrgID, &m.IncidentID,
		&typ, &status, &level, &m.Event, &m.Headline, &m.Description, &m.Instruction, &m.Area, &eff, &exp,
		&m.DraftedBy, &drafted, &m.ApprovedBy, &approved, &m.ApprovalNote, &m.ReleasedBy, &released, &ended); err != nil {
		return nil, err
	}
	m.Type, m.Status, m.Level = warning.Type(typ), warning.Status(status), warning.Level(level)
	m.Effective, m.Expires, m.DraftedAt = fromMs(eff), fromMs(exp), fromMs(drafted)
	m.ApprovedAt, m.ReleasedAt, m.EndedAt = fromMsPtr(approved), fromMsPtr(released), fromMsPtr(ended)
	return &m, nil
}

// CreateWarning inserts a drafted message at the transaction's time.
func (tx *Tx) CreateWarning(m *warning.Message) error {
	m.DraftedAt = tx.Now
	id, err := tx.insert(`INSERT INTO warnings (uuid, thread_uuid, original_id, replaces_id, org_id, incident_id, msg_type, status, level,
		event, headline, description, instruction, area, effective_at, expires_at, drafted_by, drafted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.UUID, m.ThreadUUID, nullID(m.OriginalID), nullID(m.ReplacesID), m.OrgID, nullID(m.IncidentID), string(m.Type), string(m.Status),
		string(m.Level), m.Event, m.Headline, m.Description, m.Instruction, m.Area, ms(m.Effective), ms(m.Expires), nullID(m.DraftedBy), ms(tx.Now))
	if err != nil {
		return errs.Wrap(err, "create warning")
	}
	m.ID = id
	return nil
}

// ApproveWarning writes an approval the domain allowed: of two approvers
// at once exactly one wins.
func (tx *Tx) ApproveWarning(m *warning.Message) error {
	res, err := tx.exec(`UPDATE warnings SET status = ?, approved_by = ?, approved_at = ?, approval_note = ? WHERE id = ? AND status = 'draft'`,
		string(m.Status), nullID(m.ApprovedBy), msPtr(m.ApprovedAt), m.ApprovalNote, m.ID)
	return oneRow(res, err, "approve warning")
}

// ReleaseWarning writes a release the domain allowed, and the end of the
// message it replaces; each only from the status it was read in.
func (tx *Tx) ReleaseWarning(m, replaced *warning.Message) error {
	res, err := tx.exec(`UPDATE warnings SET status = ?, released_by = ?, released_at = ? WHERE id = ? AND status = 'approved'`,
		string(m.Status), nullID(m.ReleasedBy), msPtr(m.ReleasedAt), m.ID)
	if err := oneRow(res, err, "release warning"); err != nil {
		return err
	}
	if replaced == nil {
		return nil
	}
	res, err = tx.exec(`UPDATE warnings SET status = ?, ended_at = ? WHERE id = ? AND status = 'released'`,
		string(replaced.Status), msPtr(replaced.EndedAt), replaced.ID)
	return oneRow(res, err, "end replaced warning")
}

// oneRow turns "no row changed" into a conflict: the row moved on.
func oneRow(res sql.Result, err error, what string) error {
	if err != nil {
		return errs.Wrap(err, what)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "error.warning_moved_on")
	}
	return nil
}

// Warning reads one message.
func (q *Q) Warning(id int64) (*warning.Message, error) {
	m, err := scanWarning(q.row(`SELECT `+warningCols+` FROM warnings WHERE id = ?`, id))
	return m, notFound(err, "error.warning_not_found")
}

// WarningByUUID reads one message by its CAP identifier.
func (q *Q) WarningByUUID(uuid string) (*warning.Message, error) {
	m, err := scanWarning(q.row(`SELECT `+warningCols+` FROM warnings WHERE uuid = ?`, uuid))
	return m, notFound(err, "error.warning_not_found")
}

// WarningThread lists a warning's messages, oldest first.
func (q *Q) WarningThread(threadUUID string) ([]*warning.Message, error) {
	return list(q, "warning thread", scanWarning, `SELECT `+warningCols+` FROM warnings WHERE thread_uuid = ? ORDER BY id`, threadUUID)
}

// Warnings lists the messages of the organisations orgIDs (newest first,
// at most limit), or of one incident when incidentID is not 0.
func (q *Q) Warnings(orgIDs []int64, incidentID int64, limit int) ([]*warning.Message, error) {
	if incidentID != 0 {
		return list(q, "warnings", scanWarning, `SELECT `+warningCols+` FROM warnings WHERE incident_id = ? ORDER BY id DESC LIMIT ?`, incidentID, limit)
	}
	if len(orgIDs) == 0 {
		return nil, nil
	}
	in, args := inList(orgIDs)
	return list(q, "warnings", scanWarning, `SELECT `+warningCols+` FROM warnings WHERE org_id IN `+in+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
}

// DraftWarnings lists the drafts (waiting for approval) of the
// organisations orgIDs, oldest first: the command post's 待我审批.
func (q *Q) DraftWarnings(orgIDs []int64) ([]*warning.Message, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	in, args := inList(orgIDs)
	return list(q, "draft warnings", scanWarning, `SELECT `+warningCols+` FROM warnings WHERE status = 'draft' AND org_id IN `+in+` ORDER BY id`, args...)
}

// ReleasedWarnings lists the messages in force at now, whatever their
// type: released (not superseded or cancelled) and unexpired, newest
// release first. The public page shows the alerts and updates among them;
// the feed also carries the cancellations, so that readers see a warning
// end.
func (q *Q) ReleasedWarnings(now time.Time) ([]*warning.Message, error) {
	return list(q, "released warnings", scanWarning, `SELECT `+warningCols+` FROM warnings WHERE status = 'released' AND expires_at > ?
		ORDER BY released_at DESC, id DESC LIMIT 500`, ms(now))
}

// PublicChanged is when the public set last changed at now: the latest
// release, end (superseded, cancelled) or expiry past now of any released
// message; the zero time when none was ever released.
func (q *Q) PublicChanged(now time.Time) (time.Time, error) {
	var rel, end, exp sql.NullInt64
	err := q.row(`SELECT MAX(released_at), MAX(ended_at), MAX(CASE WHEN expires_at <= ? THEN expires_at END)
		FROM warnings WHERE released_at IS NOT NULL`, ms(now)).Scan(&rel, &end, &exp)
	if err != nil {
		return time.Time{}, errs.Wrap(err, "public warnings changed")
	}
	var last int64
	for _, v := range []sql.NullInt64{rel, end, exp} {
		if v.Valid && v.Int64 > last {
			last = v.Int64
		}
	}
	if last == 0 {
		return time.Time{}, nil
	}
	return fromMs(last), nil
}

// WarningCounts counts an incident's released messages by type.
func (q *Q) WarningCounts(incidentID int64) (map[warning.Type]int, error) {
	out := map[warning.Type]int{}
	rows, err := q.query(`SELECT msg_type, COUNT(*) FROM warnings WHERE incident_id = ? AND released_at IS NOT NULL GROUP BY msg_type`, incidentID)
	if err != nil {
		return nil, errs.Wrap(err, "warning counts")
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, errs.Wrap(err, "warning counts")
		}
		out[warning.Type(t)] = n
	}
	return out, errs.Wrap(rows.Err(), "warning counts")
}
