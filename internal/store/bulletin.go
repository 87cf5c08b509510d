package store

import (
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"yingji/internal/bulletin"
	"yingji/internal/errs"
)

// 通报 to units (issue 14): bulletins, their recipients (one row per unit)
// and saved recipient lists; the outbox rows to units' contacts.

const bulletinCols = `id, org_id, COALESCE(incident_id, 0), doc_number, title, body, actions, deadline, contact, phone, status,
	author_id, COALESCE(signer_id, 0), signer_name, signed_at, sent_at, recipients, created_at, updated_at`

func scanBulletin(s scanner) (*bulletin.Bulletin, error) {
	var b bulletin.Bulletin
	var deadline, created, updated int64
	var signed, sent sql.NullInt64
	var status string
	err := s.Scan(&b.ID, &b.OrgID, &b.IncidentID, &b.DocNumber, &b.Title, &b.Body, &b.Actions, &deadline, &b.Contact, &b.Phone, &status,
		&b.AuthorID, &b.SignerID, &b.SignerName, &signed, &sent, &b.Recipients, &created, &updated)
	b.Status, b.Deadline, b.CreatedAt, b.UpdatedAt = bulletin.Status(status), fromMs(deadline), fromMs(created), fromMs(updated)
	b.SignedAt, b.SentAt = fromMsPtr(signed), fromMsPtr(sent)
	return &b, err
}

// CreateBulletin inserts a draft.
func (tx *Tx) CreateBulletin(b *bulletin.Bulletin) error {
	b.CreatedAt, b.UpdatedAt, b.Status = tx.Now, tx.Now, bulletin.Draft
	id, err := tx.insert(`INSERT INTO bulletins (org_id, incident_id, title, body, actions, deadline, contact, phone, status, author_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.OrgID, nullID(b.IncidentID), b.Title, b.Body, b.Actions, ms(b.Deadline), b.Contact, b.Phone, string(b.Status), b.AuthorID, ms(tx.Now), ms(tx.Now))
	b.ID = id
	return errs.Wrap(err, "create bulletin")
}

// UpdateBulletin writes a bulletin's changeable columns.
func (tx *Tx) UpdateBulletin(b *bulletin.Bulletin) error {
	b.UpdatedAt = tx.Now
	_, err := tx.exec(`UPDATE bulletins SET doc_number = ?, title = ?, body = ?, actions = ?, deadline = ?, contact = ?, phone = ?, status = ?,
		signer_id = ?, signer_name = ?, signed_at = ?, sent_at = ?, recipients = ?, updated_at = ? WHERE id = ?`,
		b.DocNumber, b.Title, b.Body, b.Actions, ms(b.Deadline), b.Contact, b.Phone, string(b.Status),
		nullID(b.SignerID), b.SignerName, msPtr(b.SignedAt), msPtr(b.SentAt), b.Recipients, ms(tx.Now), b.ID)
	return errs.Wrap(err, "update bulletin")
}

// Bulletin loads one bulletin.
func (q *Q) Bulletin(id int64) (*bulletin.Bulletin, error) {
	b, err := scanBulletin(q.row(`SELECT `+bulletinCols+` FROM bulletins WHERE id = ?`, id))
	return b, notFound(err, "bulletin.not_found")
}

// Bulletins lists the bulletins of organisations (and of one incident when
// incidentID is set), newest first.
func (q *Q) Bulletins(orgIDs []int64, incidentID int64, limit int) ([]*bulletin.Bulletin, error) {
	in, args := inList(orgIDs)
	where := `org_id IN ` + in
	if incidentID != 0 {
		where += ` AND incident_id = ?`
		args = append(args, incidentID)
	}
	return list(q, "bulletins", scanBulletin, `SELECT `+bulletinCols+` FROM bulletins WHERE `+where+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
}

// BulletinCandidates lists an organisation's units as recipient selection
// sees them: kind, region, and whether the unit owns a key website.
func (q *Q) BulletinCandidates(orgID int64) ([]bulletin.Candidate, error) {
	return list(q, "bulletin candidates", func(s scanner) (bulletin.Candidate, error) {
		var c bulletin.Candidate
		var key int64
		err := s.Scan(&c.ID, &c.Kind, &c.Region, &key)
		c.KeySite = key != 0
		return c, err
	}, `SELECT u.id, u.kind, u.region, CASE WHEN EXISTS (SELECT 1 FROM websites w WHERE w.unit_id = u.id AND w.key_site = 1) THEN 1 ELSE 0 END
		FROM units u WHERE u.org_id = ? ORDER BY u.id`, orgID)
}

// UnitAddress is one address a unit's copy goes to: the unit's own
// contact person or one of its contacts rows.
type UnitAddress struct {
	UnitID       int64
	Name         string
	Phone, Email string
}

// BulletinAddresses returns the units (id → name, kind, region) and every
// address of an organisation's units, the unit's contact person first.
func (q *Q) BulletinAddresses(orgID int64) (map[int64][3]string, map[int64][]UnitAddress, error) {
	units := map[int64][3]string{}
	addrs := map[int64][]UnitAddress{}
	rows, err := q.query(`SELECT id, name, kind, region, contact_name, contact_phone, contact_email FROM units WHERE org_id = ?`, orgID)
	if err != nil {
		return nil, nil, errs.Wrap(err, "bulletin units")
	}
	for rows.Next() {
		var a UnitAddress
		var name, kind, region string
		if err := rows.Scan(&a.UnitID, &name, &kind, &region, &a.Name, &a.Phone, &a.Email); err != nil {
			rows.Close()
			return nil, nil, errs.Wrap(err, "bulletin units")
		}
		units[a.UnitID] = [3]string{name, kind, region}
		if a.Phone != "" || a.Email != "" {
			addrs[a.UnitID] = append(addrs[a.UnitID], a)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, errs.Wrap(err, "bulletin units")
	}
	cs, err := list(q, "bulletin contacts", func(s scanner) (UnitAddress, error) {
		var a UnitAddress
		err := s.Scan(&a.UnitID, &a.Name, &a.Phone, &a.Email)
		return a, err
	}, `SELECT unit_id, name, phone, email FROM contacts WHERE org_id = ? AND unit_id IS NOT NULL ORDER BY unit_id, id`, orgID)
	for _, a := range cs {
		if a.Phone == "" && a.Email == "" || dupAddress(addrs[a.UnitID], a) {
			continue
		}
		addrs[a.UnitID] = append(addrs[a.UnitID], a)
	}
	return units, addrs, err
}

// dupAddress: the contact person is often a contacts row as well.
func dupAddress(have []UnitAddress, a UnitAddress) bool {
	for _, h := range have {
		if h.Phone == a.Phone && h.Email == a.Email {
			return true
		}
	}
	return false
}

// InsertRecipients inserts a bulletin's recipient rows in batches and sets
// their ids.
func (tx *Tx) InsertRecipients(bulletinID int64, rs []*bulletin.Recipient) error {
	const per = 500 // 7 parameters a row
	for i := 0; i < len(rs); i += per {
		batch := rs[i:min(i+per, len(rs))]
		var b strings.Builder
		b.WriteString(`INSERT INTO bulletin_recipients (bulletin_id, unit_id, unit_name, kind, region, contacts, expires_at) VALUES `)
		args := make([]any, 0, len(batch)*7)
		for j, r := range batch {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?)")
			args = append(args, bulletinID, r.UnitID, r.UnitName, r.Kind, r.Region, r.Contacts, ms(r.ExpiresAt))
		}
		if _, err := tx.exec(b.String(), args...); err != nil {
			return errs.Wrap(mapErr(err), "insert bulletin recipients")
		}
	}
	rows, err := tx.query(`SELECT unit_id, id FROM bulletin_recipients WHERE bulletin_id = ?`, bulletinID)
	if err != nil {
		return errs.Wrap(err, "recipient ids")
	}
	defer rows.Close()
	ids := map[int64]int64{}
	for rows.Next() {
		var u, id int64
		if err := rows.Scan(&u, &id); err != nil {
			return errs.Wrap(err, "recipient ids")
		}
		ids[u] = id
	}
	for _, r := range rs {
		r.ID, r.BulletinID = ids[r.UnitID], bulletinID
	}
	return errs.Wrap(rows.Err(), "recipient ids")
}

// DirectMessage is a notice to an address that is no user's: a unit's
// contact. The text is the message as sent (with the unit's link).
type DirectMessage struct {
	RecipientRow int64 // bulletin_recipients.id
	Phone, Email string
	Kind, Body   string
}

// EnqueueDirect adds notices to addresses in batches, in the transaction.
func (tx *Tx) EnqueueDirect(ms_ []DirectMessage) error {
	const per = 400 // 7 parameters a row
	for i := 0; i < len(ms_); i += per {
		batch := ms_[i:min(i+per, len(ms_))]
		var b strings.Builder
		b.WriteString(`INSERT INTO outbox (created_at, channel, kind, body, to_phone, to_email, bulletin_recipient_id) VALUES `)
		args := make([]any, 0, len(batch)*7)
		for j, m := range batch {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, 'unit', ?, ?, ?, ?, ?)")
			args = append(args, ms(tx.Now), m.Kind, m.Body, nullText(m.Phone), nullText(m.Email), m.RecipientRow)
		}
		if _, err := tx.exec(b.String(), args...); err != nil {
			return errs.Wrap(err, "enqueue to units")
		}
	}
	return nil
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

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
// ids it claimed (a row reminded meanwhile by another node is left out).
func (tx *Tx) MarkReminded(ids []int64) ([]int64, error) {
	var out []int64
	for i := 0; i < len(ids); i += 500 {
		in, args := inList(ids[i:min(i+500, len(ids))])
		got, err := list(&tx.Q, "remind", scanID, `SELECT id FROM bulletin_recipients WHERE id IN `+in+` AND reminded_at IS NULL`, args...)
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

// CreateBulletinList saves a recipient list.
func (tx *Tx) CreateBulletinList(l *bulletin.List) error {
	b, _ := json.Marshal(l.UnitIDs)
	id, err := tx.insert(`INSERT INTO bulletin_lists (org_id, name, unit_ids, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
		l.OrgID, l.Name, string(b), l.CreatedBy, ms(tx.Now))
	l.ID, l.CreatedAt = id, tx.Now
	return mapErr(err)
}

func scanList(s scanner) (*bulletin.List, error) {
	var l bulletin.List
	var ids string
	var created int64
	err := s.Scan(&l.ID, &l.OrgID, &l.Name, &ids, &l.CreatedBy, &created)
	l.CreatedAt = fromMs(created)
	json.Unmarshal([]byte(ids), &l.UnitIDs)
	return &l, err
}

// BulletinList loads a saved list.
func (q *Q) BulletinList(id int64) (*bulletin.List, error) {
	l, err := scanList(q.row(`SELECT id, org_id, name, unit_ids, created_by, created_at FROM bulletin_lists WHERE id = ?`, id))
	return l, notFound(err, "bulletin.list_not_found")
}

// BulletinLists lists an organisation's saved lists by name.
func (q *Q) BulletinLists(orgID int64) ([]*bulletin.List, error) {
	return list(q, "bulletin lists", scanList, `SELECT id, org_id, name, unit_ids, created_by, created_at FROM bulletin_lists WHERE org_id = ? ORDER BY name`, orgID)
}

// markBulletinDelivered marks the units whose notices the given sent
// deliveries carried (the delivery worker's Record and Finish call it).
func (tx *WorkTx) markBulletinDelivered(deliveryIDs []int64) error {
	if len(deliveryIDs) == 0 {
		return nil
	}
	in, args := inList(deliveryIDs)
	_, err := tx.exec(`INSERT INTO bulletin_delivered (recipient_id, at)
		SELECT DISTINCT o.bulletin_recipient_id, CAST(? AS BIGINT) FROM deliveries d JOIN outbox o ON o.id = d.outbox_id
		WHERE d.id IN `+in+` AND o.bulletin_recipient_id IS NOT NULL ON CONFLICT (recipient_id) DO NOTHING`, append([]any{ms(tx.Now)}, args...)...)
	return errs.Wrap(err, "bulletin delivered")
}
