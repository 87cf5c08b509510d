package store

import (
	"yingji/internal/errs"
)

// Message is one outgoing notice. Channel "inapp" notices are read in the
// console; other channels are picked up by the sender after commit.
type Message struct {
	ID          int64
	Channel     string
	RecipientID int64
	IncidentID  int64
	Kind        string
	Body        string // JSON: the catalogue key and arguments
}

// Enqueue adds a message to the outbox inside the transaction, so that it
// leaves if and only if the change commits.
func (tx *Tx) Enqueue(m *Message) error {
	id, err := tx.insert(`INSERT INTO outbox (created_at, channel, recipient_id, incident_id, kind, body) VALUES (?, ?, ?, ?, ?, ?)`,
		ms(tx.Now), m.Channel, nullID(m.RecipientID), nullID(m.IncidentID), m.Kind, m.Body)
	if err != nil {
		return errs.Wrap(err, "enqueue")
	}
	m.ID = id
	return nil
}

// Inbox lists a user's in-app notices, newest first.
func (q *Q) Inbox(userID int64, limit int) ([]*Message, error) {
	rows, err := q.query(`SELECT id, channel, COALESCE(recipient_id, 0), COALESCE(incident_id, 0), kind, body FROM outbox
		WHERE recipient_id = ? AND channel = 'inapp' ORDER BY id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, errs.Wrap(err, "inbox")
	}
	defer rows.Close()
	var out []*Message
	for rows.Next() {
		var m Message
		if err := rows.Scan(&m.ID, &m.Channel, &m.RecipientID, &m.IncidentID, &m.Kind, &m.Body); err != nil {
			return nil, errs.Wrap(err, "inbox")
		}
		out = append(out, &m)
	}
	return out, errs.Wrap(rows.Err(), "inbox")
}
