package store

import (
	"database/sql"
	"encoding/json"

	"yingji/internal/errs"
	"yingji/internal/signal"
)

// UpsertAlert counts a signal on its alert: a new fingerprint in the
// organisation makes a new open alert; a known one adds to its count and
// moves last_seen, status, title and detail on. It reports the alert's id
// and whether this signal made it.
func (tx *Tx) UpsertAlert(orgID, sourceID int64, s *signal.Signal) (id int64, created bool, err error) {
	at := ms(s.At)
	if s.At.IsZero() {
		at = ms(tx.Now)
	}
	l := Landing{Signal: s}
	l.Prepare(tx.Now)
	var count int64
	err = tx.row(upsertAlertSQL, appendAlertArgs(nil, orgID, sourceID, l.row.fp, s, l.row, at, at, 1, ms(tx.Now))...).Scan(&id, &count)
	if err != nil {
		return 0, false, errs.Wrap(mapErr(err), "upsert alert")
	}
	tx.w.alerts = true // a monitor's or a unit's signal rings the queue too
	return id, count == 1, nil
}

// upsertAlertSQL counts n signals of one fingerprint seen between
// first_seen and last_seen on their alert (Tx.UpsertAlert: one; DB.Ingest:
// the batch's signals of that fingerprint).
const upsertAlertSQL = upsertAlertHead + upsertAlertRow + upsertAlertTail + ` RETURNING id, count`

const (
	upsertAlertHead = `INSERT INTO alerts (org_id, source_id, fingerprint, format, rule, title, detail, severity, priority, status,
		first_seen, last_seen, dst_ip, domain, labels, count, updated_at) VALUES `
	upsertAlertRow  = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	upsertAlertTail = ` ON CONFLICT (org_id, fingerprint) DO UPDATE SET
		  count = alerts.count + excluded.count,
		  first_seen = CASE WHEN excluded.first_seen < alerts.first_seen THEN excluded.first_seen ELSE alerts.first_seen END,
		  last_seen = CASE WHEN excluded.last_seen > alerts.last_seen THEN excluded.last_seen ELSE alerts.last_seen END,
		  status = excluded.status, title = excluded.title, detail = excluded.detail,
		  updated_at = excluded.updated_at`
)

// upsertCols is the number of parameters of one upsertAlertRow.
const upsertCols = 17

func appendAlertArgs(args []any, orgID, sourceID int64, fp string, s *signal.Signal, r *alertRow, first, last, n, updated int64) []any {
	return append(args, orgID, nullID(sourceID), fp, s.Format, s.Rule, s.Title, s.Detail, int(s.Severity), int(s.Severity), string(s.Status),
		first, last, r.dst, s.Domain, r.labels, n, updated)
}

const alertCols = `id, org_id, COALESCE(source_id, 0), fingerprint, format, rule, title, detail, severity, priority, status, state, count,
	first_seen, last_seen, dst_ip, domain, labels, COALESCE(unit_id, 0), COALESCE(website_id, 0), handled_at,
	COALESCE(acked_by, 0), acked_at, silenced_until, silence_reason, COALESCE(incident_id, 0), updated_at`

func scanAlert(s scanner) (*signal.Alert, error) {
	var a signal.Alert
	var first, last, updated int64
	var handled, acked, silenced sql.NullInt64
	var sev int
	var status, state, labels string
	err := s.Scan(&a.ID, &a.OrgID, &a.SourceID, &a.Fingerprint, &a.Format, &a.Rule, &a.Title, &a.Detail, &sev, &a.Priority,
		&status, &state, &a.Count, &first, &last, &a.DstIP, &a.Domain, &labels, &a.UnitID, &a.WebsiteID, &handled,
		&a.AckedBy, &acked, &silenced, &a.SilenceReason, &a.IncidentID, &updated)
	if err != nil {
		return nil, err
	}
	a.Severity, a.Status, a.State = signal.Severity(sev), signal.Status(status), signal.State(state)
	a.FirstSeen, a.LastSeen, a.UpdatedAt = fromMs(first), fromMs(last), fromMs(updated)
	a.HandledAt, a.AckedAt, a.SilencedUntil = fromMsPtr(handled), fromMsPtr(acked), fromMsPtr(silenced)
	if err := json.Unmarshal([]byte(labels), &a.Labels); err != nil {
		return nil, errs.Wrap(err, "alert labels")
	}
	return &a, nil
}

// Alert loads one alert.
func (q *Q) Alert(id int64) (*signal.Alert, error) {
	a, err := scanAlert(q.row(`SELECT `+alertCols+` FROM alerts WHERE id = ?`, id))
	return a, notFound(err, "alert.not_found")
}
