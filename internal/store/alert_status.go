package store

import (
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/signal"
)

// A linked alert's status as its incident's timeline last said it
// (migration 025's alerts.noted_status): the ingest changes the status
// without reading it, the alert handler notices the change afterwards.

// AlertStatusChange is a linked alert whose source now says something
// other than what its incident's timeline last said.
type AlertStatusChange struct {
	AlertID, OrgID, IncidentID int64
	Title                      string
	Status, Noted              signal.Status
	IncidentStatus             incident.Status
}

// AlertStatusChanges lists up to limit linked alerts whose status differs
// from the noted one, in the order the ingest writes alerts.
func (q *Q) AlertStatusChanges(limit int) ([]AlertStatusChange, error) {
	return list(q, "alert status changes", func(s scanner) (AlertStatusChange, error) {
		var c AlertStatusChange
		err := s.Scan(&c.AlertID, &c.OrgID, &c.IncidentID, &c.Title, &c.Status, &c.Noted, &c.IncidentStatus)
		return c, err
	}, alertStatusChangesSQL, limit)
}

// alertStatusChangesSQL is AlertStatusChanges' query (its plan is tested:
// 025's alerts_linked).
const alertStatusChangesSQL = `SELECT a.id, a.org_id, a.incident_id, a.title, a.status, a.noted_status, i.status
	FROM alerts a JOIN incidents i ON i.id = a.incident_id
	WHERE a.incident_id IS NOT NULL AND a.status <> a.noted_status
	ORDER BY a.org_id, a.fingerprint LIMIT ?`

// NoteAlertStatus records that the incident's timeline now says status of
// the alert, if it still said was: false when another writer noted it
// first (two nodes never put one change on the timeline twice). Not an
// alert change the queue shows: updated_at stays and no bell rings.
func (tx *Tx) NoteAlertStatus(id int64, was, status signal.Status) (bool, error) {
	res, err := tx.exec(`UPDATE alerts SET noted_status = ? WHERE id = ? AND noted_status = ?`, string(status), id, string(was))
	if err != nil {
		return false, errs.Wrap(mapErr(err), "note alert status")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
