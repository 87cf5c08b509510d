package store

import (
	"database/sql"
	"encoding/json"
	"time"

	"yingji/internal/errs"
	"yingji/internal/unitreport"
)

// The units' reporting channel (issue 12): per-unit links and the reports
// sent through them, both covered by the audit chain.

// CreateUnitLink stores a link by its token's hash.
func (tx *Tx) CreateUnitLink(l *unitreport.Link, tokenHash string) error {
	l.CreatedAt = tx.Now
	id, err := tx.insert(`INSERT INTO unit_links (org_id, unit_id, token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		l.OrgID, l.UnitID, tokenHash, nullID(l.CreatedBy), ms(tx.Now), ms(l.ExpiresAt))
	if err != nil {
		return errs.Wrap(err, "create unit link")
	}
	l.ID = id
	return nil
}

// RevokeUnitLink ends a link.
func (tx *Tx) RevokeUnitLink(id, by int64) error {
	_, err := tx.exec(`UPDATE unit_links SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL`, ms(tx.Now), nullID(by), id)
	return errs.Wrap(err, "revoke unit link")
}

// UseUnitLink marks a link used; false when another request used it first.
func (tx *Tx) UseUnitLink(id int64) (bool, error) {
	res, err := tx.exec(`UPDATE unit_links SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL`, ms(tx.Now), id)
	if err != nil {
		return false, errs.Wrap(err, "use unit link")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

const unitLinkCols = `l.id, l.org_id, l.unit_id, u.name, COALESCE(l.created_by, 0), l.created_at, l.expires_at, l.used_at, l.revoked_at,
	COALESCE(r.id, 0), COALESCE(r.receipt, '')`

const unitLinkFrom = ` FROM unit_links l JOIN units u ON u.id = l.unit_id LEFT JOIN unit_reports r ON r.link_id = l.id`

func scanUnitLink(s scanner) (*unitreport.Link, error) {
	var l unitreport.Link
	var created, expires int64
	var used, revoked sql.NullInt64
	err := s.Scan(&l.ID, &l.OrgID, &l.UnitID, &l.UnitName, &l.CreatedBy, &created, &expires, &used, &revoked, &l.ReportID, &l.Receipt)
	if err != nil {
		return nil, err
	}
	l.CreatedAt, l.ExpiresAt, l.UsedAt, l.RevokedAt = fromMs(created), fromMs(expires), fromMsPtr(used), fromMsPtr(revoked)
	return &l, nil
}

// UnitLinkByHash loads the link a token names.
func (q *Q) UnitLinkByHash(hash string) (*unitreport.Link, error) {
	l, err := scanUnitLink(q.row(`SELECT `+unitLinkCols+unitLinkFrom+` WHERE l.token_hash = ?`, hash))
	return l, notFound(err, "unitrep.bad_link")
}

// UnitLink loads one link.
func (q *Q) UnitLink(id int64) (*unitreport.Link, error) {
	l, err := scanUnitLink(q.row(`SELECT `+unitLinkCols+unitLinkFrom+` WHERE l.id = ?`, id))
	return l, notFound(err, "unitrep.link_not_found")
}

// UnitLinks lists the links of some organisations (of one unit when unitID
// is not 0), newest first.
func (q *Q) UnitLinks(orgIDs []int64, unitID int64, limit int) ([]*unitreport.Link, error) {
	in, args := inList(orgIDs)
	where := ` WHERE l.org_id IN ` + in
	if unitID != 0 {
		where += ` AND l.unit_id = ?`
		args = append(args, unitID)
	}
	return list(q, "unit links", scanUnitLink, `SELECT `+unitLinkCols+unitLinkFrom+where+` ORDER BY l.id DESC LIMIT ?`, append(args, limit)...)
}

// ReportsOnDay counts the unit reports received in [from, to): the
// receipt's sequence number.
func (q *Q) ReportsOnDay(from, to time.Time) (int, error) {
	var n int
	err := q.row(`SELECT COUNT(*) FROM unit_reports WHERE created_at >= ? AND created_at < ?`, ms(from), ms(to)).Scan(&n)
	return n, errs.Wrap(err, "count unit reports")
}

// CreateUnitReport stores a report.
func (tx *Tx) CreateUnitReport(r *unitreport.Report) error {
	att, _ := json.Marshal(r.Attachments)
	if r.Attachments == nil {
		att = []byte("[]")
	}
	r.CreatedAt = tx.Now
	id, err := tx.insert(`INSERT INTO unit_reports (org_id, unit_id, link_id, receipt, what, happened_at, system_name, contact_name, contact_phone,
		attachments, alert_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.OrgID, r.UnitID, r.LinkID, r.Receipt, r.What,
		ms(r.HappenedAt), r.System, r.ContactName, r.ContactPhone, string(att), nullID(r.AlertID), ms(tx.Now))
	if err != nil {
		return errs.Wrap(err, "create unit report")
	}
	r.ID = id
	return nil
}

const unitReportCols = `r.id, r.org_id, r.unit_id, u.name, r.link_id, r.receipt, r.what, r.happened_at, r.system_name, r.contact_name,
	r.contact_phone, r.attachments, COALESCE(r.alert_id, 0), r.created_at`

func scanUnitReport(s scanner) (*unitreport.Report, error) {
	var r unitreport.Report
	var happened, created int64
	var att string
	err := s.Scan(&r.ID, &r.OrgID, &r.UnitID, &r.UnitName, &r.LinkID, &r.Receipt, &r.What, &happened, &r.System, &r.ContactName,
		&r.ContactPhone, &att, &r.AlertID, &created)
	if err != nil {
		return nil, err
	}
	r.HappenedAt, r.CreatedAt = fromMs(happened), fromMs(created)
	return &r, json.Unmarshal([]byte(att), &r.Attachments)
}

// UnitReport loads one report.
func (q *Q) UnitReport(id int64) (*unitreport.Report, error) {
	r, err := scanUnitReport(q.row(`SELECT `+unitReportCols+` FROM unit_reports r JOIN units u ON u.id = r.unit_id WHERE r.id = ?`, id))
	return r, notFound(err, "unitrep.not_found")
}

// UnitReports lists the reports of some organisations, newest first.
func (q *Q) UnitReports(orgIDs []int64, limit int) ([]*unitreport.Report, error) {
	in, args := inList(orgIDs)
	return list(q, "unit reports", scanUnitReport, `SELECT `+unitReportCols+` FROM unit_reports r JOIN units u ON u.id = r.unit_id
		WHERE r.org_id IN `+in+` ORDER BY r.id DESC LIMIT ?`, append(args, limit)...)
}

// UnitReportOfAlert finds the report whose signal made an alert: the
// channel's own record of the unit, which a label from a source cannot
// forge. Zero values when the alert came from no report.
func (q *Q) UnitReportOfAlert(alertID int64) (reportID, unitID int64, receipt string, err error) {
	err = q.row(unitReportOfAlertSQL, alertID).Scan(&reportID, &unitID, &receipt)
	if err == sql.ErrNoRows {
		return 0, 0, "", nil
	}
	return reportID, unitID, receipt, errs.Wrap(err, "unit report of alert")
}

// unitReportOfAlertSQL is UnitReportOfAlert's query, read on every alert's
// page (its plan is tested: 024's unit_reports_alert).
const unitReportOfAlertSQL = `SELECT id, unit_id, receipt FROM unit_reports WHERE alert_id = ? ORDER BY id LIMIT 1`
