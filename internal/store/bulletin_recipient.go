package store

import (
	"database/sql"
	"encoding/json"
	"time"

	"yingji/internal/bulletin"
	"yingji/internal/errs"
)

// A 通报's recipients (issue 14): the tracking table's rows and counts,
// receipt, answer, revocation, reminders and the delivered mark.

const recipientCols = `r.id, r.bulletin_id, r.unit_id, r.unit_name, r.kind, r.region, r.contacts, r.expires_at, r.received_at, r.answered_at,
	r.answer, r.notes, r.attachments, r.revoked_at, r.reminded_at,
	CASE WHEN bd.recipient_id IS NULL THEN 0 ELSE 1 END`

// recipientFrom is the recipients with their delivered mark.
const recipientFrom = ` FROM bulletin_recipients r LEFT JOIN bulletin_delivered bd ON bd.recipient_id = r.id`

func scanRecipient(s scanner) (*bulletin.Recipient, error) {
	var r bulletin.Recipient
	var expires, delivered int64
	var received, answered, revoked, reminded sql.NullInt64
	var answer, att string
	err := s.Scan(&r.ID, &r.BulletinID, &r.UnitID, &r.UnitName, &r.Kind, &r.Region, &r.Contacts, &expires, &received, &answered,
		&answer, &r.Notes, &att, &revoked, &reminded, &delivered)
	r.ExpiresAt, r.Answer, r.Delivered = fromMs(expires), bulletin.Answer(answer), delivered != 0
	r.ReceivedAt, r.AnsweredAt, r.RevokedAt, r.RemindedAt = fromMsPtr(received), fromMsPtr(answered), fromMsPtr(revoked), fromMsPtr(reminded)
	if att != "" {
		json.Unmarshal([]byte(att), &r.Attachments)
	}
	return &r, err
}

// Recipient loads one recipient row.
func (q *Q) Recipient(id int64) (*bulletin.Recipient, error) {
	r, err := scanRecipient(q.row(`SELECT `+recipientCols+recipientFrom+` WHERE r.id = ?`, id))
	return r, notFound(err, "bulletin.recipient_not_found")
}

// recipientWhere is the filter as SQL over r.
func recipientWhere(bulletinID int64, deadline, now time.Time, f bulletin.TableFilter) (string, []any) {
	where := `r.bulletin_id = ?`
	args := []any{bulletinID}
	const delivered = `bd.recipient_id IS NOT NULL`
	const open = ` AND r.revoked_at IS NULL AND r.answered_at IS NULL`
	switch f.State {
	case "revoked":
		where += ` AND r.revoked_at IS NOT NULL`
	case "done":
		where += ` AND r.revoked_at IS NULL AND r.answered_at IS NOT NULL`
	case "received":
		where += open + ` AND r.received_at IS NOT NULL`
	case "delivered":
		where += open + ` AND r.received_at IS NULL AND ` + delivered
	case "sent":
		where += open + ` AND r.received_at IS NULL AND bd.recipient_id IS NULL`
	case "overdue":
		if now.Before(deadline) {
			where += ` AND 1 = 0`
		} else {
			where += open
		}
	}
	if f.Kind != "" {
		where += ` AND r.kind = ?`
		args = append(args, f.Kind)
	}
	if f.Region != "" {
		where += ` AND r.region = ?`
		args = append(args, f.Region)
	}
	if f.Q != "" {
		where += ` AND lower(r.unit_name) LIKE ? ESCAPE '\'`
		args = append(args, likeSubstring(f.Q))
	}
	return where, args
}

// RecipientPage is one page of the tracking table and the number of rows
// the filter matches; count false skips counting (the caller knows it from
// the counts) and returns -1.
func (q *Q) RecipientPage(bulletinID int64, deadline time.Time, f bulletin.TableFilter, count bool) ([]*bulletin.Recipient, int, error) {
	where, args := recipientWhere(bulletinID, deadline, q.Now, f)
	n := -1
	if count {
		if err := q.row(`SELECT COUNT(*)`+recipientFrom+` WHERE `+where, args...).Scan(&n); err != nil {
			return nil, 0, errs.Wrap(err, "count recipients")
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1 // every row (the export)
		if q.db.Postgres() {
			limit = 1 << 30
		}
	}
	// The page's ids first, then its rows: skipping to a deep page reads
	// only ids, not every column of the rows it skips.
	ids, err := list(q, "recipient ids", scanID, `SELECT r.id`+recipientFrom+` WHERE `+where+` ORDER BY r.id LIMIT ? OFFSET ?`,
		append(args, limit, f.Offset)...)
	if err != nil || len(ids) == 0 {
		return nil, n, err
	}
	var rs []*bulletin.Recipient
	for i := 0; i < len(ids); i += 500 {
		in, iargs := inList(ids[i:min(i+500, len(ids))])
		part, err := list(q, "recipients", scanRecipient, `SELECT `+recipientCols+recipientFrom+` WHERE r.id IN `+in+` ORDER BY r.id`, iargs...)
		if err != nil {
			return nil, n, err
		}
		rs = append(rs, part...)
	}
	return rs, n, nil
}

// RecipientCounts are the figures on top of the table, in one pass.
func (q *Q) RecipientCounts(bulletinID int64, deadline time.Time) (bulletin.Counts, error) {
	var c bulletin.Counts
	overdue := 0
	if !q.Now.Before(deadline) {
		overdue = 1
	}
	err := q.row(`SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN revoked_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN revoked_at IS NULL AND (received_at IS NOT NULL OR answered_at IS NOT NULL OR bd.recipient_id IS NOT NULL) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN revoked_at IS NULL AND (received_at IS NOT NULL OR answered_at IS NOT NULL) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN revoked_at IS NULL AND answered_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN revoked_at IS NULL AND answered_at IS NULL AND ? = 1 THEN 1 ELSE 0 END), 0)
		`+recipientFrom+` WHERE r.bulletin_id = ?`, overdue, bulletinID).Scan(&c.Units, &c.Revoked, &c.Delivered, &c.Received, &c.Done, &c.Overdue)
	c.Sent = c.Units
	return c, errs.Wrap(err, "recipient counts")
}

// ReceiveRecipient records 签收; false when received before.
func (tx *Tx) ReceiveRecipient(id int64) (bool, error) {
	res, err := tx.exec(`UPDATE bulletin_recipients SET received_at = ? WHERE id = ? AND received_at IS NULL`, ms(tx.Now), id)
	if err != nil {
		return false, errs.Wrap(err, "receive")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// AnswerRecipient records a unit's answer (and its receipt, if it had not
// signed for it yet); false when answered before: the link is used.
func (tx *Tx) AnswerRecipient(id int64, r *bulletin.Reply) (bool, error) {
	att := ""
	if len(r.Attachments) > 0 {
		b, _ := json.Marshal(r.Attachments)
		att = string(b)
	}
	res, err := tx.exec(`UPDATE bulletin_recipients SET received_at = COALESCE(received_at, ?), answered_at = ?, answer = ?, notes = ?, attachments = ?
		WHERE id = ? AND answered_at IS NULL AND revoked_at IS NULL`, ms(tx.Now), ms(tx.Now), string(r.Answer), r.Notes, att, id)
	if err != nil {
		return false, errs.Wrap(err, "answer")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// RevokeRecipient kills a unit's link; false when revoked or answered.
func (tx *Tx) RevokeRecipient(id int64) (bool, error) {
	res, err := tx.exec(`UPDATE bulletin_recipients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL AND answered_at IS NULL`, ms(tx.Now), id)
	if err != nil {
		return false, errs.Wrap(err, "revoke")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// DueBulletinReminders lists sent bulletins whose deadline has passed with
// units not answered nor reminded, and those units.
func (q *Q) DueBulletinReminders(now time.Time) (map[int64][]*bulletin.Recipient, error) {
	rs, err := list(q, "due reminders", scanRecipient, `SELECT `+recipientCols+recipientFrom+` JOIN bulletins b ON b.id = r.bulletin_id
		WHERE b.status = 'sent' AND b.deadline <= ? AND r.answered_at IS NULL AND r.revoked_at IS NULL AND r.reminded_at IS NULL
		AND r.expires_at > ? ORDER BY r.id LIMIT 5000`, ms(now), ms(now))
	out := map[int64][]*bulletin.Recipient{}
	for _, r := range rs {
		out[r.BulletinID] = append(out[r.BulletinID], r)
	}
	return out, err
}

// MarkReminded claims recipients for their one reminder; it returns the
// ids it claimed (a row reminded, answered or revoked since it was read is
// left out).
func (tx *Tx) MarkReminded(ids []int64) ([]int64, error) {
	var out []int64
	for i := 0; i < len(ids); i += 500 {
		in, args := inList(ids[i:min(i+500, len(ids))])
		got, err := list(&tx.Q, "remind", scanID, `SELECT id FROM bulletin_recipients WHERE id IN `+in+` AND reminded_at IS NULL AND answered_at IS NULL AND revoked_at IS NULL`, args...)
		if err != nil {
			return nil, err
		}
		if len(got) == 0 {
			continue
		}
		gin, gargs := inList(got)
		if _, err := tx.exec(`UPDATE bulletin_recipients SET reminded_at = ? WHERE id IN `+gin, append([]any{ms(tx.Now)}, gargs...)...); err != nil {
			return nil, errs.Wrap(err, "remind")
		}
		out = append(out, got...)
	}
	return out, nil
}

// RecipientAddresses are the addresses a unit's copy went to, from the
// outbox, with the body (text and link) each carried.
func (q *Q) RecipientAddresses(recipientIDs []int64) (map[int64][]DirectMessage, error) {
	out := map[int64][]DirectMessage{}
	for i := 0; i < len(recipientIDs); i += 500 {
		in, args := inList(recipientIDs[i:min(i+500, len(recipientIDs))])
		ms_, err := list(q, "recipient addresses", func(s scanner) (DirectMessage, error) {
			var m DirectMessage
			err := s.Scan(&m.RecipientRow, &m.Phone, &m.Email, &m.Kind, &m.Body)
			return m, err
		}, `SELECT bulletin_recipient_id, COALESCE(to_phone, ''), COALESCE(to_email, ''), kind, body FROM outbox
			WHERE bulletin_recipient_id IN `+in+` AND kind = ? ORDER BY id`, append(args, bulletin.KindSent)...)
		if err != nil {
			return nil, err
		}
		for _, m := range ms_ {
			out[m.RecipientRow] = append(out[m.RecipientRow], m)
		}
	}
	return out, nil
}
