package store

import (
	"database/sql"
	"time"

	"yingji/internal/errs"
)

// RollCall is one person's 到位 at an activation.
type RollCall struct {
	ID, IncidentID, UserID, OutboxID int64
	Role                             string // duty_leader, duty_officer, leading_group
	OpenedAt, ExpiresAt              time.Time
	ConfirmedAt                      *time.Time
	Via                              string // console, link
	Name                             string // the person's display name, for lists
}

// OpenRollCall opens a roll-call row in the transaction.
func (tx *Tx) OpenRollCall(r *RollCall) error {
	id, err := tx.insert(`INSERT INTO roll_calls (incident_id, user_id, outbox_id, role, opened_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		r.IncidentID, r.UserID, r.OutboxID, r.Role, ms(tx.Now), ms(r.ExpiresAt))
	if err != nil {
		return errs.Wrap(err, "open roll-call")
	}
	r.ID, r.OpenedAt = id, tx.Now
	return nil
}

const rollCallCols = `r.id, r.incident_id, r.user_id, r.outbox_id, r.role, r.opened_at, r.expires_at, r.confirmed_at, r.confirmed_via, COALESCE(u.display_name, '')`

func scanRollCall(s scanner) (*RollCall, error) {
	var r RollCall
	var opened, expires int64
	var confirmed sql.NullInt64
	err := s.Scan(&r.ID, &r.IncidentID, &r.UserID, &r.OutboxID, &r.Role, &opened, &expires, &confirmed, &r.Via, &r.Name)
	r.OpenedAt, r.ExpiresAt, r.ConfirmedAt = fromMs(opened), fromMs(expires), fromMsPtr(confirmed)
	return &r, err
}

// RollCall loads one roll-call row.
func (q *Q) RollCall(id int64) (*RollCall, error) {
	r, err := scanRollCall(q.row(`SELECT `+rollCallCols+` FROM roll_calls r LEFT JOIN users u ON u.id = r.user_id WHERE r.id = ?`, id))
	return r, notFound(err, "rollcall.not_found")
}

// RollCalls lists an incident's roll-call, in the order people were paged.
func (q *Q) RollCalls(incidentID int64) ([]*RollCall, error) {
	return list(q, "roll-calls", scanRollCall,
		`SELECT `+rollCallCols+` FROM roll_calls r LEFT JOIN users u ON u.id = r.user_id WHERE r.incident_id = ? ORDER BY r.id`, incidentID)
}

// ConfirmRollCall records 已到位; it reports false when it was confirmed
// before (the first confirmation stands).
func (tx *Tx) ConfirmRollCall(id int64, via string) (bool, error) {
	res, err := tx.exec(`UPDATE roll_calls SET confirmed_at = ?, confirmed_via = ? WHERE id = ? AND confirmed_at IS NULL`, ms(tx.Now), via, id)
	if err != nil {
		return false, errs.Wrap(err, "confirm roll-call")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
