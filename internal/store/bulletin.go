package store

import (
	"database/sql"
	"encoding/json"

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
	err := insertRows(tx, `INSERT INTO bulletin_recipients (bulletin_id, unit_id, unit_name, kind, region, contacts, expires_at) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?)", 500, rs, func(args []any, r *bulletin.Recipient) []any {
			return append(args, bulletinID, r.UnitID, r.UnitName, r.Kind, r.Region, r.Contacts, ms(r.ExpiresAt))
		})
	if err != nil {
		return errs.Wrap(mapErr(err), "insert bulletin recipients")
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
	err := insertRows(tx, `INSERT INTO outbox (created_at, channel, kind, body, to_phone, to_email, bulletin_recipient_id) VALUES `,
		"(?, 'unit', ?, ?, ?, ?, ?)", 400, ms_, func(args []any, m DirectMessage) []any {
			return append(args, ms(tx.Now), m.Kind, m.Body, nullText(m.Phone), nullText(m.Email), m.RecipientRow)
		})
	return errs.Wrap(err, "enqueue to units")
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
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
