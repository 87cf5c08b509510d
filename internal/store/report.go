package store

import (
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/report"
)

const reportCols = `id, incident_id, kind, seq, title, body, author_id, status, submitted_at, sha256, created_at, updated_at, due_at, COALESCE(supersedes, 0)`

func scanReport(s scanner) (*incident.Report, error) {
	var r incident.Report
	var submitted, due sql.NullInt64
	var created, updated int64
	if err := s.Scan(&r.ID, &r.IncidentID, &r.Kind, &r.Seq, &r.Title, &r.Body, &r.AuthorID, &r.Status, &submitted, &r.SHA256,
		&created, &updated, &due, &r.Supersedes); err != nil {
		return nil, err
	}
	r.SubmittedAt, r.CreatedAt, r.UpdatedAt, r.DueAt = fromMsPtr(submitted), fromMs(created), fromMs(updated), fromMsPtr(due)
	return &r, nil
}

const fullReportCols = reportCols + `, version, fields, sources, last_entry_id, doc_number, recipients, signoff_requested_at,
	COALESCE(signer_id, 0), signed_at, COALESCE(submitted_by, 0),
	COALESCE((SELECT c.id FROM reports c WHERE c.supersedes = reports.id), 0), editors`

func scanFullReport(s scanner) (*report.Report, error) {
	var r report.Report
	var submitted, due, requested, signed sql.NullInt64
	var created, updated int64
	var fields, sources, recipients, editors string
	if err := s.Scan(&r.ID, &r.IncidentID, &r.Kind, &r.Seq, &r.Title, &r.Body, &r.AuthorID, &r.Status, &submitted, &r.SHA256,
		&created, &updated, &due, &r.Supersedes, &r.Version, &fields, &sources, &r.LastEntryID, &r.DocNumber, &recipients,
		&requested, &r.SignerID, &signed, &r.SubmittedBy, &r.SupersededBy, &editors); err != nil {
		return nil, err
	}
	r.SubmittedAt, r.CreatedAt, r.UpdatedAt, r.DueAt = fromMsPtr(submitted), fromMs(created), fromMs(updated), fromMsPtr(due)
	r.SignoffRequestedAt, r.SignedAt = fromMsPtr(requested), fromMsPtr(signed)
	if err := json.Unmarshal([]byte(fields), &r.Fields); err != nil {
		return nil, err
	}
	if recipients != "" {
		if err := json.Unmarshal([]byte(recipients), &r.Recipients); err != nil {
			return nil, err
		}
	}
	r.Sources, r.Editors = splitIDs(sources), splitIDs(editors)
	return &r, nil
}

// Sources are stored as comma-separated ids: a daily report over a busy day
// lists thousands, and this keeps the row compact and readable.
func joinIDs(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}

func splitIDs(s string) []int64 {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]int64, 0, len(parts))
	for _, p := range parts {
		if v, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

func jsonText(v any) string {
	b, _ := json.Marshal(v) // fields and string slices always marshal
	return string(b)
}

// CreateReport inserts a report version.
func (tx *Tx) CreateReport(r *report.Report) error {
	r.CreatedAt, r.UpdatedAt = tx.Now, tx.Now
	if r.Version == 0 {
		r.Version = 1
	}
	id, err := tx.insert(`INSERT INTO reports (incident_id, kind, seq, title, body, author_id, status, submitted_at, sha256, created_at, updated_at,
		due_at, supersedes, version, fields, sources, last_entry_id, doc_number, recipients, editors)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.IncidentID, r.Kind, r.Seq, r.Title, r.Body, r.AuthorID, r.Status, msPtr(r.SubmittedAt), r.SHA256, ms(tx.Now), ms(tx.Now),
		msPtr(r.DueAt), nullID(r.Supersedes), r.Version, jsonText(r.Fields), joinIDs(r.Sources), r.LastEntryID, r.DocNumber, jsonText(r.Recipients),
		joinIDs(r.Editors))
	if err != nil {
		return errs.Wrap(err, "create report")
	}
	r.ID = id
	return nil
}

// UpdateReport writes a version's mutable state. Only versions not yet
// submitted change; the WHERE clause keeps a submitted row as it is even if
// a caller forgot to check.
func (tx *Tx) UpdateReport(r *report.Report) error {
	r.UpdatedAt = tx.Now
	res, err := tx.exec(`UPDATE reports SET title = ?, body = ?, status = ?, submitted_at = ?, sha256 = ?, updated_at = ?, fields = ?,
		doc_number = ?, recipients = ?, signoff_requested_at = ?, signer_id = ?, signed_at = ?, submitted_by = ?, editors = ?
		WHERE id = ? AND status <> 'submitted'`,
		r.Title, r.Body, r.Status, msPtr(r.SubmittedAt), r.SHA256, ms(tx.Now), jsonText(r.Fields),
		r.DocNumber, jsonText(r.Recipients), msPtr(r.SignoffRequestedAt), nullID(r.SignerID), msPtr(r.SignedAt), nullID(r.SubmittedBy),
		joinIDs(r.Editors), r.ID)
	if err != nil {
		return errs.Wrap(err, "update report")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "error.report_frozen")
	}
	return nil
}

// Reports lists an incident's report versions, oldest first.
func (q *Q) Reports(incidentID int64) ([]*incident.Report, error) {
	return list(q, "reports", scanReport, `SELECT `+reportCols+` FROM reports WHERE incident_id = ? ORDER BY id`, incidentID)
}

// ReportVersions lists an incident's report versions with everything the
// flow records, oldest first.
func (q *Q) ReportVersions(incidentID int64) ([]*report.Report, error) {
	return list(q, "reports", scanFullReport, `SELECT `+fullReportCols+` FROM reports WHERE incident_id = ? ORDER BY id`, incidentID)
}

// Report loads one report version.
func (q *Q) Report(id int64) (*report.Report, error) {
	r, err := scanFullReport(q.row(`SELECT `+fullReportCols+` FROM reports WHERE id = ?`, id))
	return r, notFound(err, "error.report_not_found")
}

// NextReportSeq returns the number the next original report of kind gets
// (续报一, 第N期 …): one more than the highest so far.
func (q *Q) NextReportSeq(incidentID int64, kind string) (int, error) {
	var n int
	err := q.row(`SELECT COALESCE(MAX(seq), 0) FROM reports WHERE incident_id = ? AND kind = ?`, incidentID, kind).Scan(&n)
	return n + 1, errs.Wrap(err, "report seq")
}

// LastReportedEntry returns the newest timeline entry a submitted report of
// kind covered, 0 if none was submitted.
func (q *Q) LastReportedEntry(incidentID int64, kind string) (int64, error) {
	var n int64
	err := q.row(`SELECT COALESCE(MAX(last_entry_id), 0) FROM reports WHERE incident_id = ? AND kind = ? AND status = 'submitted'`, incidentID, kind).Scan(&n)
	return n, errs.Wrap(err, "last reported entry")
}

// NextDocNumber returns the next 发文字号 number of an organisation's year.
func (tx *Tx) NextDocNumber(orgID int64, year int) (int, error) {
	var last int
	err := tx.row(`SELECT last FROM report_counters WHERE org_id = ? AND year = ?`, orgID, year).Scan(&last)
	switch {
	case err == sql.ErrNoRows:
		_, err = tx.exec(`INSERT INTO report_counters (org_id, year, last) VALUES (?, ?, 1)`, orgID, year)
		return 1, errs.Wrap(err, "doc number")
	case err != nil:
		return 0, errs.Wrap(err, "doc number")
	}
	_, err = tx.exec(`UPDATE report_counters SET last = ? WHERE org_id = ? AND year = ?`, last+1, orgID, year)
	return last + 1, errs.Wrap(err, "doc number")
}

// Submission is the record that a report went to one recipient.
type Submission struct {
	ReportID      int64
	RecipientKey  string
	RecipientName string
	SubmittedAt   time.Time
	SubmittedBy   int64
}

// AddSubmission records that a report went to a recipient.
func (tx *Tx) AddSubmission(s *Submission) error {
	s.SubmittedAt = tx.Now
	_, err := tx.insert(`INSERT INTO report_submissions (report_id, recipient_key, recipient_name, submitted_at, submitted_by) VALUES (?, ?, ?, ?, ?)`,
		s.ReportID, s.RecipientKey, s.RecipientName, ms(tx.Now), s.SubmittedBy)
	return errs.Wrap(err, "submission")
}

// Submissions lists where a report went.
func (q *Q) Submissions(reportID int64) ([]*Submission, error) {
	return list(q, "submissions", func(s scanner) (*Submission, error) {
		var v Submission
		var at int64
		err := s.Scan(&v.ReportID, &v.RecipientKey, &v.RecipientName, &at, &v.SubmittedBy)
		v.SubmittedAt = fromMs(at)
		return &v, err
	}, `SELECT report_id, recipient_key, recipient_name, submitted_at, submitted_by FROM report_submissions WHERE report_id = ? ORDER BY id`, reportID)
}

// ReportingIncidents lists the incidents that have or had report
// obligations in the given organisations (all when orgIDs is empty), oldest
// first: those activated at some time, and those discovered since
// discoveredSince (their 首报 may fall due in the period).
func (q *Q) ReportingIncidents(orgIDs []int64, sc *Scope, discoveredSince time.Time) ([]*incident.Incident, error) {
	query := `SELECT ` + incidentCols + ` FROM incidents WHERE (activated_at IS NOT NULL OR discovered_at >= ?)`
	args := []any{ms(discoveredSince)}
	if len(orgIDs) > 0 {
		query += ` AND org_id IN (` + placeholders(len(orgIDs)) + `)`
		for _, id := range orgIDs {
			args = append(args, id)
		}
	}
	if sc != nil {
		c, a := sc.cond("incidents")
		query, args = query+" AND "+c, append(args, a...)
	}
	return list(q, "reporting incidents", scanIncident, query+` ORDER BY id`, args...)
}

// OpenForReminders lists the incidents the scheduler watches: activated and
// not closed.
func (q *Q) OpenForReminders() ([]*incident.Incident, error) {
	return list(q, "open incidents", scanIncident, `SELECT `+incidentCols+` FROM incidents
		WHERE activated_at IS NOT NULL AND status IN ('active', 'termination_requested', 'terminated') ORDER BY id`)
}

// RecentReports returns, per open incident, the reports submitted since
// since and every submitted 首报, 终报 and summary: what the deadline rules
// look at.
func (q *Q) RecentReports(orgIDs []int64, since time.Time) (map[int64][]*incident.Report, error) {
	out := map[int64][]*incident.Report{}
	if len(orgIDs) == 0 {
		return out, nil
	}
	args := append([]any{ms(since)}, idArgs(orgIDs)...)
	rows, err := q.query(`SELECT r.id, r.incident_id, r.kind, r.submitted_at, r.due_at, COALESCE(r.supersedes, 0) FROM reports r JOIN incidents i ON i.id = r.incident_id
		WHERE r.submitted_at IS NOT NULL AND (r.kind IN ('summary', 'initial', 'final') OR r.submitted_at >= ?)
		AND i.status <> 'closed' AND i.org_id IN (`+placeholders(len(orgIDs))+`) ORDER BY r.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "recent reports")
	}
	defer rows.Close()
	for rows.Next() {
		var r incident.Report
		var sub, due sql.NullInt64
		if err := rows.Scan(&r.ID, &r.IncidentID, &r.Kind, &sub, &due, &r.Supersedes); err != nil {
			return nil, errs.Wrap(err, "recent reports")
		}
		// The deadline a daily report answers is bound when it is drafted:
		// without it the command post would still count today's as open.
		r.SubmittedAt, r.DueAt, r.Status = fromMsPtr(sub), fromMsPtr(due), "submitted"
		out[r.IncidentID] = append(out[r.IncidentID], &r)
	}
	return out, errs.Wrap(rows.Err(), "recent reports")
}

// ReportsAwaitingSignoff lists the report versions of an organisation's
// incidents that wait for sign-off (签发), oldest first: a leader's "待签发".
func (q *Q) ReportsAwaitingSignoff(orgID int64) ([]*incident.Report, error) {
	return list(q, "reports", scanReport, `SELECT `+reportCols+` FROM reports WHERE status = 'signoff_requested'
		AND incident_id IN (SELECT id FROM incidents WHERE org_id = ?) ORDER BY id`, orgID)
}
