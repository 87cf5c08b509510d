package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"yingji/internal/errs"
)

// Work runs fn in a write transaction outside the audit chain, for the
// delivery worker's bookkeeping: routing outbox notices, claiming and
// finishing deliveries. None of it is incident or registry state, and
// taking the audit head's lock for every claim would queue sending behind
// every change in the system. A write to a covered table is refused.
func (db *DB) Work(ctx context.Context, fn func(tx *WorkTx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return errs.Wrap(err, "begin work")
	}
	defer sqlTx.Rollback()
	tx := &WorkTx{Q: Q{db: db, tx: sqlTx, ctx: ctx, Now: db.Now().UTC().Truncate(time.Millisecond), w: &txState{}}}
	if err := fn(tx); err != nil {
		return err
	}
	if len(tx.w.dirty) > 0 {
		return fmt.Errorf("store: a work transaction wrote a table the audit chain covers")
	}
	return errs.Wrap(mapErr(sqlTx.Commit()), "commit work")
}

// WorkTx is a transaction of the delivery worker.
type WorkTx struct{ Q }

// skipLocked is appended to a claim on PostgreSQL, so that two workers
// never take the same rows and never wait for each other. SQLite has one
// writer (BEGIN IMMEDIATE), which is claim enough.
func (q *Q) skipLocked(of string) string {
	if q.db.Postgres() {
		return " FOR UPDATE" + of + " SKIP LOCKED"
	}
	return ""
}

// Notice is an outbox notice with what routing it needs: the recipient's
// contacts and the incident's number and title.
type Notice struct {
	ID, RecipientID, IncidentID int64
	Kind, Body                  string
	CreatedAt                   time.Time
	Phone, Email                string
	OrgID                       int64
	Disabled                    bool
	Number, Title               string
	RollCall                    *RollCall // the roll-call this notice pages, if any
	Channel                     string    // "inapp" (every channel of the person), or "sms" only (issue 10's resend)
	Direct                      bool      // issue 14: to an address that is no user's (a unit's contact), its text in the body
}

// Unrouted claims notices the worker has not routed yet, oldest first.
func (tx *WorkTx) Unrouted(limit int) ([]*Notice, error) {
	return list(&tx.Q, "unrouted notices", func(s scanner) (*Notice, error) {
		var n Notice
		var created, disabled int64
		var rc RollCall
		var rcID, rcExpires sql.NullInt64
		err := s.Scan(&n.ID, &n.RecipientID, &n.IncidentID, &n.Kind, &n.Body, &created, &n.Phone, &n.Email, &n.OrgID, &disabled, &n.Number, &n.Title,
			&rcID, &rcExpires, &n.Channel, &n.Direct)
		n.CreatedAt, n.Disabled = fromMs(created), disabled != 0
		if rcID.Valid {
			rc.ID, rc.IncidentID, rc.UserID, rc.OutboxID, rc.ExpiresAt = rcID.Int64, n.IncidentID, n.RecipientID, n.ID, fromMs(rcExpires.Int64)
			n.RollCall = &rc
		}
		return &n, err
	}, `SELECT o.id, COALESCE(o.recipient_id, 0), COALESCE(o.incident_id, 0), o.kind, o.body, o.created_at,
		COALESCE(o.to_phone, u.phone, ''), COALESCE(o.to_email, u.email, ''), COALESCE(u.org_id, 0), COALESCE(u.disabled, 0),
		COALESCE(i.number, ''), COALESCE(i.title, ''), r.id, r.expires_at, o.channel,
		o.to_phone IS NOT NULL OR o.to_email IS NOT NULL
		FROM outbox o LEFT JOIN users u ON u.id = o.recipient_id LEFT JOIN incidents i ON i.id = o.incident_id
		LEFT JOIN roll_calls r ON r.outbox_id = o.id
		WHERE o.routed_at IS NULL ORDER BY o.id LIMIT ?`+tx.skipLocked(" OF o"), limit)
}

// MarkRouted records that a notice was routed, and why nothing left beyond
// the console when note says so.
func (tx *WorkTx) MarkRouted(id int64, note string) error {
	_, err := tx.exec(`UPDATE outbox SET routed_at = ?, note = ?, status = 'routed' WHERE id = ?`, ms(tx.Now), note, id)
	return errs.Wrap(err, "mark routed")
}

// Delivery is one notice on one channel to one address.
type Delivery struct {
	ID, OutboxID            int64
	Channel, Address, Key   string
	Subject, Text, Link     string
	Status                  string // pending, sending, sent, failed
	Attempts, Resends       int
	NextAt, CreatedAt       time.Time
	SentAt                  *time.Time
	LastError               string
	AttemptID               int64 // the attempt a claim opened
	Resend                  bool  // this claim resends after a worker stopped mid-send
	RecipientID, IncidentID int64 // from the notice, for lists
	Kind                    string
}

// AddDelivery adds a delivery unless one with its key exists (a group
// robot already carries the same notice); it reports whether it added.
func (tx *WorkTx) AddDelivery(d *Delivery) (bool, error) {
	var id int64
	err := tx.row(`INSERT INTO deliveries (outbox_id, channel, address, idem_key, subject, text, link, next_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idem_key) DO NOTHING RETURNING id`,
		d.OutboxID, d.Channel, d.Address, d.Key, d.Subject, d.Text, d.Link, ms(tx.Now), ms(tx.Now)).Scan(&id)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, errs.Wrap(mapErr(err), "add delivery")
	}
	d.ID, d.Status, d.NextAt, d.CreatedAt = id, "pending", tx.Now, tx.Now
	return true, nil
}

// AddDeliveries adds deliveries in one statement, skipping those whose key
// exists (a group robot already carries the notice).
func (tx *WorkTx) AddDeliveries(ds []*Delivery) error {
	for len(ds) > 0 {
		part := ds[:min(len(ds), 200)]
		ds = ds[len(part):]
		args := make([]any, 0, 9*len(part))
		for _, d := range part {
			args = append(args, d.OutboxID, d.Channel, d.Address, d.Key, d.Subject, d.Text, d.Link, ms(tx.Now), ms(tx.Now))
		}
		if _, err := tx.exec(`INSERT INTO deliveries (outbox_id, channel, address, idem_key, subject, text, link, next_at, created_at)
			VALUES `+rows(len(part), 9)+` ON CONFLICT (idem_key) DO NOTHING`, args...); err != nil {
			return errs.Wrap(mapErr(err), "add deliveries")
		}
	}
	return nil
}

// MarkRoutedMany marks notices routed with one note.
func (tx *WorkTx) MarkRoutedMany(ids []int64, note string) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{ms(tx.Now), note}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := tx.exec(`UPDATE outbox SET routed_at = ?, note = ?, status = 'routed' WHERE id IN (`+marks(len(ids))+`)`, args...)
	return errs.Wrap(err, "mark routed")
}

// StoppedMidSend is the error recorded on an attempt whose worker stopped
// (a crash, a lost node) before it recorded the outcome.
const StoppedMidSend = "worker stopped mid-send; outcome unknown"

// ClaimDue claims up to limit deliveries that are due, or whose worker
// stopped mid-send (lease run out), for worker until now+lease. take is
// asked for each (the channel's rate limit): a delivery it refuses waits
// the time it gives, without an attempt. A delivery whose worker stopped
// mid-send is sent again once, recorded as a resend; after a second such
// stop it fails, as a second resend could reach the person a third time.
func (tx *WorkTx) ClaimDue(worker string, lease time.Duration, limit int, take func(*Delivery) (bool, time.Duration)) ([]*Delivery, error) {
	now := ms(tx.Now)
	cands, err := list(&tx.Q, "due deliveries", func(s scanner) (*Delivery, error) {
		var d Delivery
		return &d, s.Scan(&d.ID, &d.OutboxID, &d.Channel, &d.Address, &d.Key, &d.Subject, &d.Text, &d.Link, &d.Status, &d.Attempts, &d.Resends)
	}, `SELECT id, outbox_id, channel, address, idem_key, subject, text, link, status, attempts, resends FROM deliveries
		WHERE (status = 'pending' AND next_at <= ?) OR (status = 'sending' AND lease_until < ?)
		ORDER BY next_at, id LIMIT ?`+tx.skipLocked(""), now, now, limit)
	if err != nil {
		return nil, err
	}
	var out []*Delivery
	var plain []any // claims that are not resends, updated together
	for _, d := range cands {
		if d.Status == "sending" {
			if _, err := tx.exec(`UPDATE delivery_attempts SET finished_at = ?, error = ? WHERE delivery_id = ? AND finished_at IS NULL`, now, StoppedMidSend, d.ID); err != nil {
				return nil, errs.Wrap(err, "close stopped attempt")
			}
			if d.Resends >= 1 {
				if _, err := tx.exec(`UPDATE deliveries SET status = 'failed', last_error = ?, lease_until = NULL WHERE id = ?`,
					StoppedMidSend+" twice; not sent a third time", d.ID); err != nil {
					return nil, errs.Wrap(err, "fail delivery")
				}
				continue
			}
		}
		if ok, wait := take(d); !ok {
			if _, err := tx.exec(`UPDATE deliveries SET status = 'pending', next_at = ? WHERE id = ?`, now+wait.Milliseconds(), d.ID); err != nil {
				return nil, errs.Wrap(err, "defer delivery")
			}
			continue
		}
		d.Resend = d.Status == "sending"
		d.Attempts++
		if d.Resend {
			d.Resends++
			if _, err := tx.exec(`UPDATE deliveries SET status = 'sending', attempts = ?, resends = ?, lease_until = ?, worker = ? WHERE id = ?`,
				d.Attempts, d.Resends, now+lease.Milliseconds(), worker, d.ID); err != nil {
				return nil, errs.Wrap(err, "claim delivery")
			}
		} else {
			plain = append(plain, d.ID)
		}
		d.Status = "sending"
		out = append(out, d)
	}
	if len(plain) > 0 {
		if _, err := tx.exec(`UPDATE deliveries SET status = 'sending', attempts = attempts + 1, lease_until = ?, worker = ? WHERE id IN (`+marks(len(plain))+`)`,
			append([]any{now + lease.Milliseconds(), worker}, plain...)...); err != nil {
			return nil, errs.Wrap(err, "claim deliveries")
		}
	}
	if len(out) > 0 {
		args := make([]any, 0, 5*len(out))
		for _, d := range out {
			resend := 0
			if d.Resend {
				resend = 1
			}
			args = append(args, d.ID, d.Attempts, worker, now, resend)
		}
		if _, err := tx.exec(`INSERT INTO delivery_attempts (delivery_id, n, worker, started_at, resend) VALUES `+rows(len(out), 5), args...); err != nil {
			return nil, errs.Wrap(err, "record attempts")
		}
	}
	return out, nil
}

// marks is "?, ?, …" for n values.
func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// rows is "(?, …), (?, …)" for n rows of k values.
func rows(n, k int) string {
	r := "(" + marks(k) + ")"
	return strings.TrimSuffix(strings.Repeat(r+", ", n), ", ")
}

// Outcome is the result of one claimed attempt: sent (Err ""), failed for
// good, or pending again at RetryAt.
type Outcome struct {
	D       *Delivery
	Err     string
	Failed  bool
	RetryAt time.Time
}

// Record records the outcomes of claimed attempts. worker must still hold
// each claim (status sending, its name, the same attempt): one whose lease
// ran out and was taken over records nothing. Sent deliveries, the common
// case, are recorded with two statements whatever their number.
func (tx *WorkTx) Record(worker string, outs []Outcome) error {
	now := ms(tx.Now)
	var sent []any
	for _, o := range outs {
		if o.Err == "" {
			sent = append(sent, o.D.ID)
			continue
		}
		if err := tx.Finish(o.D, worker, o.Err, o.Failed, o.RetryAt); err != nil {
			return err
		}
	}
	if len(sent) == 0 {
		return nil
	}
	// attempts is not compared here: a claim taken over has another worker's
	// name, and this worker cannot have claimed it again while it sends.
	ids, err := list(&tx.Q, "record sent", func(s scanner) (int64, error) {
		var id int64
		return id, s.Scan(&id)
	}, `UPDATE deliveries SET status = 'sent', sent_at = ?, lease_until = NULL, last_error = ''
		WHERE status = 'sending' AND worker = ? AND id IN (`+marks(len(sent))+`) RETURNING id`, append([]any{now, worker}, sent...)...)
	if err != nil || len(ids) == 0 {
		return err
	}
	args := []any{now}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err = tx.exec(`UPDATE delivery_attempts SET finished_at = ?, ok = 1 WHERE finished_at IS NULL AND delivery_id IN (`+marks(len(ids))+`)`, args...)
	if err == nil {
		err = tx.markBulletinDelivered(ids) // issue 14: a unit's copy delivered
	}
	return errs.Wrap(err, "record sent attempts")
}

// Finish records the outcome of a claimed attempt: sent, failed for good,
// or pending again at retryAt. worker must still hold the claim: a worker
// whose lease ran out and was taken over records nothing.
func (tx *WorkTx) Finish(d *Delivery, worker string, sendErr string, failed bool, retryAt time.Time) error {
	now := ms(tx.Now)
	ok := 0
	var res sql.Result
	var err error
	switch {
	case sendErr == "":
		ok = 1
		res, err = tx.exec(`UPDATE deliveries SET status = 'sent', sent_at = ?, lease_until = NULL, last_error = '' WHERE id = ? AND status = 'sending' AND worker = ? AND attempts = ?`,
			now, d.ID, worker, d.Attempts)
	case failed:
		res, err = tx.exec(`UPDATE deliveries SET status = 'failed', lease_until = NULL, last_error = ? WHERE id = ? AND status = 'sending' AND worker = ? AND attempts = ?`,
			sendErr, d.ID, worker, d.Attempts)
	default:
		res, err = tx.exec(`UPDATE deliveries SET status = 'pending', next_at = ?, lease_until = NULL, last_error = ? WHERE id = ? AND status = 'sending' AND worker = ? AND attempts = ?`,
			ms(retryAt), sendErr, d.ID, worker, d.Attempts)
	}
	if err != nil {
		return errs.Wrap(err, "finish delivery")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	_, err = tx.exec(`UPDATE delivery_attempts SET finished_at = ?, ok = ?, error = ? WHERE delivery_id = ? AND n = ?`, now, ok, sendErr, d.ID, d.Attempts)
	if err == nil && ok == 1 {
		err = tx.markBulletinDelivered([]int64{d.ID}) // issue 14
	}
	return errs.Wrap(err, "finish attempt")
}

// Attempt is one recorded try of a delivery.
type Attempt struct {
	N          int
	Worker     string
	StartedAt  time.Time
	FinishedAt *time.Time
	OK, Resend bool
	Error      string
}

// Attempts lists a delivery's attempts in order.
func (q *Q) Attempts(deliveryID int64) ([]*Attempt, error) {
	return list(q, "attempts", func(s scanner) (*Attempt, error) {
		var a Attempt
		var started, ok, resend int64
		var fin sql.NullInt64
		err := s.Scan(&a.N, &a.Worker, &started, &fin, &ok, &resend, &a.Error)
		a.StartedAt, a.FinishedAt, a.OK, a.Resend = fromMs(started), fromMsPtr(fin), ok != 0, resend != 0
		return &a, err
	}, `SELECT n, worker, started_at, finished_at, ok, resend, error FROM delivery_attempts WHERE delivery_id = ? ORDER BY id`, deliveryID)
}

// DeliveryFilter selects deliveries for the log.
type DeliveryFilter struct {
	// UsersOnly leaves out messages to units' addresses (通报), so that a
	// page of people's deliveries is not crowded out by them.
	UsersOnly   bool
	IncidentID  int64
	RecipientID int64
	Status      string
	Channel     string
	Limit       int
}

// Deliveries lists deliveries, newest first.
func (q *Q) Deliveries(f DeliveryFilter) ([]*Delivery, error) {
	var where []string
	var args []any
	if f.IncidentID != 0 {
		where, args = append(where, "o.incident_id = ?"), append(args, f.IncidentID)
	}
	if f.UsersOnly {
		where = append(where, "o.recipient_id IS NOT NULL")
	}
	if f.RecipientID != 0 {
		where, args = append(where, "o.recipient_id = ?"), append(args, f.RecipientID)
	}
	if f.Status != "" {
		where, args = append(where, "d.status = ?"), append(args, f.Status)
	}
	if f.Channel != "" {
		where, args = append(where, "d.channel = ?"), append(args, f.Channel)
	}
	query := `SELECT d.id, d.outbox_id, d.channel, d.address, d.idem_key, d.subject, d.text, d.link, d.status, d.attempts, d.resends,
		d.next_at, d.created_at, d.sent_at, d.last_error, COALESCE(o.recipient_id, 0), COALESCE(o.incident_id, 0), o.kind
		FROM deliveries d JOIN outbox o ON o.id = d.outbox_id`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	args = append(args, f.Limit)
	return list(q, "deliveries", func(s scanner) (*Delivery, error) {
		var d Delivery
		var next, created int64
		var sent sql.NullInt64
		err := s.Scan(&d.ID, &d.OutboxID, &d.Channel, &d.Address, &d.Key, &d.Subject, &d.Text, &d.Link, &d.Status, &d.Attempts, &d.Resends,
			&next, &created, &sent, &d.LastError, &d.RecipientID, &d.IncidentID, &d.Kind)
		d.NextAt, d.CreatedAt, d.SentAt = fromMs(next), fromMs(created), fromMsPtr(sent)
		return &d, err
	}, query+" ORDER BY d.id DESC LIMIT ?", args...)
}

// InboxNotice is an outbox notice as its recipient reads it.
type InboxNotice struct {
	Message
	CreatedAt time.Time
	ReadAt    *time.Time
	Status    string
	Note      string
	Number    string
}

// noticeCols are an outbox notice's columns (outbox o) as scanNotice reads
// them; a query adds one column of its own.
const noticeCols = `o.id, o.channel, COALESCE(o.recipient_id, 0), COALESCE(o.incident_id, 0), o.kind, o.body, o.created_at, o.read_at,
	o.status, o.note`

// scanNotice reads noticeCols into n and the query's own column into extra.
func scanNotice(s scanner, n *InboxNotice, extra any) error {
	var created int64
	var read sql.NullInt64
	err := s.Scan(&n.ID, &n.Channel, &n.RecipientID, &n.IncidentID, &n.Kind, &n.Body, &created, &read, &n.Status, &n.Note, extra)
	n.CreatedAt, n.ReadAt = fromMs(created), fromMsPtr(read)
	return err
}

// Notices lists a user's notices, unread first, then newest first.
func (q *Q) Notices(userID int64, limit int) ([]*InboxNotice, error) {
	return list(q, "notices", func(s scanner) (*InboxNotice, error) {
		var n InboxNotice
		return &n, scanNotice(s, &n, &n.Number)
	}, `SELECT `+noticeCols+`, COALESCE(i.number, '')
		FROM outbox o LEFT JOIN incidents i ON i.id = o.incident_id
		WHERE o.recipient_id = ? ORDER BY CASE WHEN o.read_at IS NULL THEN 0 ELSE 1 END, o.id DESC LIMIT ?`, userID, limit)
}

// AckNotice marks a user's notice read; it reports whether the notice is
// his (acknowledging twice keeps the first time).
func (tx *Tx) AckNotice(userID, id int64) (bool, error) {
	var owner sql.NullInt64
	err := tx.row(`SELECT recipient_id FROM outbox WHERE id = ?`, id).Scan(&owner)
	if err == sql.ErrNoRows || (err == nil && owner.Int64 != userID) {
		return false, nil
	}
	if err != nil {
		return false, errs.Wrap(err, "ack notice")
	}
	_, err = tx.exec(`UPDATE outbox SET read_at = ? WHERE id = ? AND read_at IS NULL`, ms(tx.Now), id)
	return true, errs.Wrap(err, "ack notice")
}

// UnreadNotices counts a user's unread notices (the console's bell).
func (q *Q) UnreadNotices(userID int64) (int, error) {
	var n int
	err := q.row(`SELECT COUNT(*) FROM outbox WHERE recipient_id = ? AND read_at IS NULL`, userID).Scan(&n)
	return n, errs.Wrap(err, "unread notices")
}

// Contacts returns a user's phone and e-mail.
func (q *Q) Contacts(userID int64) (phone, email string, err error) {
	err = q.row(`SELECT phone, email FROM users WHERE id = ?`, userID).Scan(&phone, &email)
	return phone, email, notFound(err, "error.user_not_found")
}

// SetContacts replaces a user's phone and e-mail.
func (tx *Tx) SetContacts(userID int64, phone, email string) error {
	_, err := tx.exec(`UPDATE users SET phone = ?, email = ? WHERE id = ?`, phone, email, userID)
	return errs.Wrap(err, "set contacts")
}

// IncidentNotice is a notice about an incident with its recipient's name.
type IncidentNotice struct {
	InboxNotice
	RecipientName string
}

// NoticesOfIncident lists every notice sent about an incident, oldest first.
func (q *Q) NoticesOfIncident(incidentID int64) ([]*IncidentNotice, error) {
	return list(q, "incident notices", func(s scanner) (*IncidentNotice, error) {
		var n IncidentNotice
		return &n, scanNotice(s, &n.InboxNotice, &n.RecipientName)
	}, `SELECT `+noticeCols+`, COALESCE(u.display_name, '')
		FROM outbox o LEFT JOIN users u ON u.id = o.recipient_id WHERE o.incident_id = ? ORDER BY o.id`, incidentID)
}
