package store

import (
	"database/sql"

	"yingji/internal/errs"
	"yingji/internal/incident"
)

const reportCols = `id, incident_id, kind, seq, title, body, author_id, status, submitted_at, sha256, created_at, updated_at`

func scanReport(s scanner) (*incident.Report, error) {
	var r incident.Report
	var submitted sql.NullInt64
	var created, updated int64
	if err := s.Scan(&r.ID, &r.IncidentID, &r.Kind, &r.Seq, &r.Title, &r.Body, &r.AuthorID, &r.Status, &submitted, &r.SHA256, &created, &updated); err != nil {
		return nil, err
	}
	r.SubmittedAt, r.CreatedAt, r.UpdatedAt = fromMsPtr(submitted), fromMs(created), fromMs(updated)
	return &r, nil
}

// CreateReport inserts a report.
func (tx *Tx) CreateReport(r *incident.Report) error {
	r.CreatedAt, r.UpdatedAt = tx.Now, tx.Now
	id, err := tx.insert(`INSERT INTO reports (incident_id, kind, seq, title, body, author_id, status, submitted_at, sha256, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.IncidentID, r.Kind, r.Seq, r.Title, r.Body, r.AuthorID, r.Status, msPtr(r.SubmittedAt), r.SHA256, ms(tx.Now), ms(tx.Now))
	if err != nil {
		return errs.Wrap(err, "create report")
	}
	r.ID = id
	return nil
}

// Reports lists an incident's reports, oldest first.
func (q *Q) Reports(incidentID int64) ([]*incident.Report, error) {
	return list(q, "reports", scanReport, `SELECT `+reportCols+` FROM reports WHERE incident_id = ? ORDER BY id`, incidentID)
}
