package store

import (
	"database/sql"

	"yingji/internal/audit"
	"yingji/internal/errs"
	"yingji/internal/evidence"
)

// Evidence (issue 13): the register's items, files and custody rows. They
// are covered state (CoveredTables) and written only through the Tx helpers.

const itemCols = `id, incident_id, org_id, seq, number, kind, description, place, collected_at, collected_by, witnesses,
	seal_number, COALESCE(task_id, 0), source_url, COALESCE(custodian_id, 0), status, reason, COALESCE(created_by, 0), created_at, updated_at`

func scanItem(s scanner) (*evidence.Item, error) {
	var it evidence.Item
	var kind, status string
	var collected, created, updated int64
	if err := s.Scan(&it.ID, &it.IncidentID, &it.OrgID, &it.Seq, &it.Number, &kind, &it.Description, &it.Place, &collected,
		&it.CollectedBy, &it.Witnesses, &it.SealNumber, &it.TaskID, &it.SourceURL, &it.CustodianID, &status, &it.Reason,
		&it.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	it.Kind, it.Status = evidence.Kind(kind), evidence.Status(status)
	it.CollectedAt, it.CreatedAt, it.UpdatedAt = fromMs(collected), fromMs(created), fromMs(updated)
	return &it, nil
}

// EvidenceItems lists an incident's register in number order, files included.
func (q *Q) EvidenceItems(incidentID int64) ([]*evidence.Item, error) {
	items, err := list(q, "evidence items", scanItem, `SELECT `+itemCols+` FROM evidence_items WHERE incident_id = ? ORDER BY seq`, incidentID)
	if err != nil {
		return nil, err
	}
	files, err := list(q, "evidence files", scanFile, `SELECT `+fileCols+` FROM evidence_files
		WHERE item_id IN (SELECT id FROM evidence_items WHERE incident_id = ?) ORDER BY id`, incidentID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*evidence.Item{}
	for _, it := range items {
		byID[it.ID] = it
	}
	for _, f := range files {
		if it := byID[f.ItemID]; it != nil {
			it.Files = append(it.Files, f)
		}
	}
	return items, nil
}

// EvidenceItem loads one item with its files.
func (q *Q) EvidenceItem(id int64) (*evidence.Item, error) {
	it, err := scanItem(q.row(`SELECT `+itemCols+` FROM evidence_items WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "evidence.not_found")
	}
	it.Files, err = list(q, "evidence files", scanFile, `SELECT `+fileCols+` FROM evidence_files WHERE item_id = ? ORDER BY id`, id)
	return it, err
}

// NextEvidenceSeq is the next item number of an incident.
func (q *Q) NextEvidenceSeq(incidentID int64) (int, error) {
	var n int
	err := q.row(`SELECT COALESCE(MAX(seq), 0) + 1 FROM evidence_items WHERE incident_id = ?`, incidentID).Scan(&n)
	return n, errs.Wrap(err, "evidence seq")
}

// AddEvidenceItem inserts an item.
func (tx *Tx) AddEvidenceItem(it *evidence.Item) error {
	it.CreatedAt, it.UpdatedAt = tx.Now, tx.Now
	id, err := tx.insert(`INSERT INTO evidence_items (incident_id, org_id, seq, number, kind, description, place, collected_at,
		collected_by, witnesses, seal_number, task_id, source_url, custodian_id, status, reason, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		it.IncidentID, it.OrgID, it.Seq, it.Number, string(it.Kind), it.Description, it.Place, ms(it.CollectedAt), it.CollectedBy,
		it.Witnesses, it.SealNumber, nullID(it.TaskID), it.SourceURL, nullID(it.CustodianID), string(it.Status), it.Reason,
		nullID(it.CreatedBy), ms(tx.Now), ms(tx.Now))
	if err != nil {
		return errs.Wrap(err, "add evidence item")
	}
	it.ID = id
	return nil
}

// UpdateEvidenceItem writes what custody changes: status, custodian, seal
// number and reason.
func (tx *Tx) UpdateEvidenceItem(it *evidence.Item) error {
	it.UpdatedAt = tx.Now
	_, err := tx.exec(`UPDATE evidence_items SET status = ?, custodian_id = ?, seal_number = ?, reason = ?, updated_at = ? WHERE id = ?`,
		string(it.Status), nullID(it.CustodianID), it.SealNumber, it.Reason, ms(tx.Now), it.ID)
	return errs.Wrap(err, "update evidence item")
}

const fileCols = `id, item_id, name, media_type, size, sha256, sm3, captured_at, COALESCE(added_by, 0), added_at`

func scanFile(s scanner) (*evidence.FileRef, error) {
	var f evidence.FileRef
	var captured sql.NullInt64
	var added int64
	if err := s.Scan(&f.ID, &f.ItemID, &f.Name, &f.MediaType, &f.Size, &f.SHA256, &f.SM3, &captured, &f.AddedBy, &added); err != nil {
		return nil, err
	}
	f.CapturedAt, f.AddedAt = fromMsPtr(captured), fromMs(added)
	return &f, nil
}

// EvidenceFile loads one file of an item.
func (q *Q) EvidenceFile(itemID, id int64) (*evidence.FileRef, error) {
	f, err := scanFile(q.row(`SELECT `+fileCols+` FROM evidence_files WHERE item_id = ? AND id = ?`, itemID, id))
	return f, notFound(err, "evidence.file_not_found")
}

// AddEvidenceFile registers a file whose content is stored: the content's
// row is added if this is its first file.
func (tx *Tx) AddEvidenceFile(f *evidence.FileRef) error {
	f.AddedAt = tx.Now
	if _, err := tx.exec(`INSERT INTO evidence_blobs (sha256, sm3, size, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`,
		f.SHA256, f.SM3, f.Size, ms(tx.Now)); err != nil {
		return errs.Wrap(err, "add evidence blob")
	}
	id, err := tx.insert(`INSERT INTO evidence_files (item_id, name, media_type, size, sha256, sm3, captured_at, added_by, added_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.ItemID, f.Name, f.MediaType, f.Size, f.SHA256, f.SM3, msPtr(f.CapturedAt), nullID(f.AddedBy), ms(tx.Now))
	if err != nil {
		return errs.Wrap(err, "add evidence file")
	}
	f.ID = id
	return nil
}

// EvidenceBlobs lists every stored content's hash (backup copies these).
func (q *Q) EvidenceBlobs() ([]string, error) {
	return list(q, "evidence blobs", func(s scanner) (string, error) {
		var h string
		return h, s.Scan(&h)
	}, `SELECT sha256 FROM evidence_blobs ORDER BY sha256`)
}

const custodyCols = `id, item_id, COALESCE(file_id, 0), action, COALESCE(actor_id, 0), actor, at, reason, COALESCE(to_user_id, 0), detail`

func scanCustody(s scanner) (*evidence.Custody, error) {
	var c evidence.Custody
	var action string
	var at int64
	if err := s.Scan(&c.ID, &c.ItemID, &c.FileID, &action, &c.ActorID, &c.Actor, &at, &c.Reason, &c.ToUserID, &c.Detail); err != nil {
		return nil, err
	}
	c.Action, c.At = evidence.Action(action), fromMs(at)
	return &c, nil
}

// Custody lists an item's custody log, oldest first.
func (q *Q) Custody(itemID int64) ([]*evidence.Custody, error) {
	return list(q, "custody", scanCustody, `SELECT `+custodyCols+` FROM evidence_custody WHERE item_id = ? ORDER BY id`, itemID)
}

// AddCustody appends a row to an item's custody log.
func (tx *Tx) AddCustody(c *evidence.Custody) error {
	c.At = tx.Now
	id, err := tx.insert(`INSERT INTO evidence_custody (item_id, file_id, action, actor_id, actor, at, reason, to_user_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ItemID, nullID(c.FileID), string(c.Action), nullID(c.ActorID), c.Actor, ms(tx.Now),
		c.Reason, nullID(c.ToUserID), c.Detail)
	if err != nil {
		return errs.Wrap(err, "add custody")
	}
	c.ID = id
	return nil
}

// AllEvidenceFiles lists every registered file (verification of the store).
func (q *Q) AllEvidenceFiles() ([]*evidence.FileRef, error) {
	return list(q, "evidence files", scanFile, `SELECT `+fileCols+` FROM evidence_files ORDER BY id`)
}

// EvidenceAudit lists the audit records about the given items, in chain
// order (an evidence package carries them with their stored hashes).
func (q *Q) EvidenceAudit(itemIDs []int64) ([]*audit.Record, error) {
	in, args := inList(itemIDs)
	return list(q, "evidence audit", func(s scanner) (*audit.Record, error) {
		var r audit.Record
		err := scanAudit(s, &r)
		return &r, err
	}, `SELECT `+auditCols+` FROM audit WHERE object_type = 'evidence' AND object_id IN `+in+` ORDER BY seq`, args...)
}

// AuditAnchor is the chain's head: what an auditor keeps to check later
// that the chain still holds what it held.
func (q *Q) AuditAnchor() (audit.Anchor, error) {
	var a audit.Anchor
	err := q.row(`SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&a.Seq, &a.Hash)
	return a, errs.Wrap(err, "audit head")
}
