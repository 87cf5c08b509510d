package store

import (
	"time"

	"yingji/internal/errs"
)

// Reminder is one reminder or escalation the scheduler sent or skipped.
type Reminder struct {
	Key        string // unique: what makes a restart or a second node never send twice
	IncidentID int64
	Kind       string // obligation kind
	DueAt      time.Time
	Stage      string // e.g. "before_60m", "overdue"
	Outcome    string // "sent", "skipped_late", "skipped_superseded"
	Recipients int
	At         time.Time
}

// RecordReminder claims a reminder's key in this transaction. It returns
// false, and writes nothing, when the key was claimed before: the caller must
// then send nothing.
func (tx *Tx) RecordReminder(r *Reminder) (bool, error) {
	r.At = tx.Now
	// ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike) rather than a
	// unique violation, which would abort a PostgreSQL transaction.
	res, err := tx.exec(`INSERT INTO reminders_sent (key, incident_id, kind, due_at, stage, outcome, recipients, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		r.Key, r.IncidentID, r.Kind, ms(r.DueAt), r.Stage, r.Outcome, r.Recipients, ms(tx.Now))
	if err != nil {
		return false, errs.Wrap(err, "reminder")
	}
	n, err := res.RowsAffected()
	return n == 1, errs.Wrap(err, "reminder")
}

// SetReminderRecipients records how many people a claimed reminder went to.
func (tx *Tx) SetReminderRecipients(key string, n int) error {
	_, err := tx.exec(`UPDATE reminders_sent SET recipients = ? WHERE key = ?`, n, key)
	return errs.Wrap(err, "reminder")
}

// Reminders lists an incident's reminders (all incidents for 0), oldest first.
func (q *Q) Reminders(incidentID int64) ([]*Reminder, error) {
	query, args := `SELECT key, incident_id, kind, due_at, stage, outcome, recipients, at FROM reminders_sent ORDER BY id`, []any{}
	if incidentID != 0 {
		query, args = `SELECT key, incident_id, kind, due_at, stage, outcome, recipients, at FROM reminders_sent WHERE incident_id = ? ORDER BY id`, []any{incidentID}
	}
	return list(q, "reminders", func(s scanner) (*Reminder, error) {
		var r Reminder
		var due, at int64
		err := s.Scan(&r.Key, &r.IncidentID, &r.Kind, &due, &r.Stage, &r.Outcome, &r.Recipients, &at)
		r.DueAt, r.At = fromMs(due), fromMs(at)
		return &r, err
	}, query, args...)
}

// ReminderKeys returns the keys already claimed for an incident.
func (q *Q) ReminderKeys(incidentID int64) (map[string]bool, error) {
	keys, err := list(q, "reminder keys", func(s scanner) (string, error) {
		var k string
		return k, s.Scan(&k)
	}, `SELECT key FROM reminders_sent WHERE incident_id = ?`, incidentID)
	out := make(map[string]bool, len(keys))
	for _, k := range keys {
		out[k] = true
	}
	return out, err
}
