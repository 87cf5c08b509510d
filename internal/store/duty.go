package store

import (
	"database/sql"
	"encoding/json"
	"time"

	"yingji/internal/duty"
	"yingji/internal/errs"
)

// joinIDs and splitIDs (report.go) store officer ids as a comma-separated list.

const shiftCols = `id, org_id, kind, starts_at, ends_at, COALESCE(leader_id, 0), officer_ids, note`

func scanShift(s scanner) (*duty.Shift, error) {
	var sh duty.Shift
	var kind, officers string
	var start, end int64
	if err := s.Scan(&sh.ID, &sh.OrgID, &kind, &start, &end, &sh.LeaderID, &officers, &sh.Note); err != nil {
		return nil, err
	}
	sh.Kind, sh.Start, sh.End, sh.OfficerIDs = duty.Kind(kind), fromMs(start), fromMs(end), splitIDs(officers)
	return &sh, nil
}

// CreateShift inserts a shift.
func (tx *Tx) CreateShift(s *duty.Shift) error {
	id, err := tx.insert(`INSERT INTO duty_shifts (org_id, kind, starts_at, ends_at, leader_id, officer_ids, note, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.OrgID, string(s.Kind), ms(s.Start), ms(s.End), nullID(s.LeaderID), joinIDs(s.OfficerIDs), s.Note, ms(tx.Now), ms(tx.Now))
	s.ID = id
	return errs.Wrap(err, "create shift")
}

// UpdateShift writes a shift's people and note.
func (tx *Tx) UpdateShift(s *duty.Shift) error {
	_, err := tx.exec(`UPDATE duty_shifts SET leader_id = ?, officer_ids = ?, note = ?, updated_at = ? WHERE id = ?`,
		nullID(s.LeaderID), joinIDs(s.OfficerIDs), s.Note, ms(tx.Now), s.ID)
	return errs.Wrap(err, "update shift")
}

// DeleteShift removes a shift that has no handover, changes or log entries.
func (tx *Tx) DeleteShift(id int64) error {
	var n int
	if err := tx.row(`SELECT (SELECT count(*) FROM duty_handovers WHERE from_shift_id = ? OR to_shift_id = ?) +
		(SELECT count(*) FROM duty_log WHERE shift_id = ?)`, id, id, id).Scan(&n); err != nil {
		return errs.Wrap(err, "delete shift")
	}
	if n > 0 {
		return errs.New(errs.Conflict, "duty.shift_in_use")
	}
	if _, err := tx.exec(`DELETE FROM duty_changes WHERE shift_id = ?`, id); err != nil {
		return errs.Wrap(err, "delete shift")
	}
	_, err := tx.exec(`DELETE FROM duty_shifts WHERE id = ?`, id)
	return errs.Wrap(err, "delete shift")
}

// Shift loads one shift.
func (q *Q) Shift(id int64) (*duty.Shift, error) {
	s, err := scanShift(q.row(`SELECT `+shiftCols+` FROM duty_shifts WHERE id = ?`, id))
	return s, notFound(err, "duty.shift_not_found")
}

// ShiftsBetween lists an organisation's shifts that overlap [from, to), by start.
func (q *Q) ShiftsBetween(orgID int64, from, to time.Time) ([]*duty.Shift, error) {
	return list(q, "shifts", scanShift, `SELECT `+shiftCols+` FROM duty_shifts WHERE org_id = ? AND ends_at > ? AND starts_at < ? ORDER BY starts_at`,
		orgID, ms(from), ms(to))
}

// ShiftAt returns the organisation's shift covering t, or nil.
func (q *Q) ShiftAt(orgID int64, t time.Time) (*duty.Shift, error) {
	// The index on (org_id, ends_at) finds the first shift ending after t.
	s, err := scanShift(q.row(`SELECT `+shiftCols+` FROM duty_shifts WHERE org_id = ? AND ends_at > ? ORDER BY ends_at LIMIT 1`, orgID, ms(t)))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, errs.Wrap(err, "shift at")
	}
	if !s.Covers(t) {
		return nil, nil
	}
	return s, nil
}

// ShiftNowAndNext returns the shift covering t (or nil) and the one after
// it (or, in a gap, the next to start) with one indexed query: shifts do
// not overlap, so ordering by end orders by start too.
func (q *Q) ShiftNowAndNext(orgID int64, t time.Time) (cur, next *duty.Shift, err error) {
	two, err := list(q, "shift now", scanShift, `SELECT `+shiftCols+` FROM duty_shifts WHERE org_id = ? AND ends_at > ? ORDER BY ends_at LIMIT 2`, orgID, ms(t))
	if err != nil || len(two) == 0 {
		return nil, nil, err
	}
	if two[0].Covers(t) {
		cur = two[0]
		if len(two) > 1 {
			next = two[1]
		}
		return cur, next, nil
	}
	return nil, two[0], nil
}

// NextShift returns the first shift of the organisation starting at or after t.
func (q *Q) NextShift(orgID int64, t time.Time) (*duty.Shift, error) {
	s, err := scanShift(q.row(`SELECT `+shiftCols+` FROM duty_shifts WHERE org_id = ? AND starts_at >= ? ORDER BY starts_at LIMIT 1`, orgID, ms(t)))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return s, errs.Wrap(err, "next shift")
}

const changeCols = `id, shift_id, role, COALESCE(from_user_id, 0), to_user_id, reason, status, requested_by, requested_at, COALESCE(decided_by, 0), decided_at`

func scanChange(s scanner) (*duty.Change, error) {
	var c duty.Change
	var req int64
	var dec sql.NullInt64
	if err := s.Scan(&c.ID, &c.ShiftID, &c.Role, &c.FromUserID, &c.ToUserID, &c.Reason, &c.Status, &c.RequestedBy, &req, &c.DecidedBy, &dec); err != nil {
		return nil, err
	}
	c.RequestedAt, c.DecidedAt = fromMs(req), fromMsPtr(dec)
	return &c, nil
}

// CreateChange inserts a change request.
func (tx *Tx) CreateChange(c *duty.Change) error {
	c.RequestedAt = tx.Now
	id, err := tx.insert(`INSERT INTO duty_changes (shift_id, role, from_user_id, to_user_id, reason, status, requested_by, requested_at, decided_by, decided_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ShiftID, c.Role, nullID(c.FromUserID), c.ToUserID, c.Reason, c.Status, c.RequestedBy, ms(tx.Now),
		nullID(c.DecidedBy), msPtr(c.DecidedAt))
	c.ID = id
	return errs.Wrap(err, "create change")
}

// DecideChange records the decision on a pending change; false when it was no longer pending.
func (tx *Tx) DecideChange(c *duty.Change) (bool, error) {
	res, err := tx.exec(`UPDATE duty_changes SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'`,
		c.Status, c.DecidedBy, ms(tx.Now), c.ID)
	if err != nil {
		return false, errs.Wrap(err, "decide change")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Change loads one change.
func (q *Q) Change(id int64) (*duty.Change, error) {
	c, err := scanChange(q.row(`SELECT `+changeCols+` FROM duty_changes WHERE id = ?`, id))
	return c, notFound(err, "duty.change_not_found")
}

// PendingChanges lists the pending changes of an organisation's shifts.
func (q *Q) PendingChanges(orgID int64) ([]*duty.Change, error) {
	return list(q, "changes", scanChange, `SELECT `+changeCols+` FROM duty_changes WHERE status = 'pending'
		AND shift_id IN (SELECT id FROM duty_shifts WHERE org_id = ?) ORDER BY id`, orgID)
}

const handoverCols = `id, org_id, from_shift_id, to_shift_id, given_by, notes, open_items, created_at, COALESCE(confirmed_by, 0), confirmed_at`

func scanHandover(s scanner) (*duty.Handover, error) {
	var h duty.Handover
	var items string
	var created int64
	var conf sql.NullInt64
	if err := s.Scan(&h.ID, &h.OrgID, &h.FromShiftID, &h.ToShiftID, &h.GivenBy, &h.Notes, &items, &created, &h.ConfirmedBy, &conf); err != nil {
		return nil, err
	}
	json.Unmarshal([]byte(items), &h.OpenItems)
	h.CreatedAt, h.ConfirmedAt = fromMs(created), fromMsPtr(conf)
	return &h, nil
}

// CreateHandover inserts a handover; a shift hands over once (Conflict otherwise).
func (tx *Tx) CreateHandover(h *duty.Handover) error {
	if h.OpenItems == nil {
		h.OpenItems = []string{}
	}
	items, _ := json.Marshal(h.OpenItems)
	h.CreatedAt = tx.Now
	id, err := tx.insert(`INSERT INTO duty_handovers (org_id, from_shift_id, to_shift_id, given_by, notes, open_items, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		h.OrgID, h.FromShiftID, h.ToShiftID, h.GivenBy, h.Notes, string(items), ms(tx.Now))
	h.ID = id
	return errs.Wrap(err, "create handover")
}

// ConfirmHandover records the receiver's confirmation; false if already confirmed.
func (tx *Tx) ConfirmHandover(id, userID int64) (bool, error) {
	res, err := tx.exec(`UPDATE duty_handovers SET confirmed_by = ?, confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL`, userID, ms(tx.Now), id)
	if err != nil {
		return false, errs.Wrap(err, "confirm handover")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Handover loads one handover.
func (q *Q) Handover(id int64) (*duty.Handover, error) {
	h, err := scanHandover(q.row(`SELECT `+handoverCols+` FROM duty_handovers WHERE id = ?`, id))
	return h, notFound(err, "duty.handover_not_found")
}

// Handovers lists an organisation's handovers, newest first.
func (q *Q) Handovers(orgID int64, limit int) ([]*duty.Handover, error) {
	return list(q, "handovers", scanHandover, `SELECT `+handoverCols+` FROM duty_handovers WHERE org_id = ? ORDER BY id DESC LIMIT ?`, orgID, limit)
}

// HandoverTo returns the handover into a shift, or nil.
func (q *Q) HandoverTo(shiftID int64) (*duty.Handover, error) {
	h, err := scanHandover(q.row(`SELECT `+handoverCols+` FROM duty_handovers WHERE to_shift_id = ? ORDER BY id DESC LIMIT 1`, shiftID))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return h, errs.Wrap(err, "handover to")
}

const logCols = `id, org_id, COALESCE(shift_id, 0), at, place, what, measures, informed, informed_at, reporter_unit, reporter_name, reporter_phone,
	recorder_id, COALESCE(incident_id, 0), created_at`

func scanLog(s scanner) (*duty.LogEntry, error) {
	var e duty.LogEntry
	var at, created int64
	var inf sql.NullInt64
	if err := s.Scan(&e.ID, &e.OrgID, &e.ShiftID, &at, &e.Place, &e.What, &e.Measures, &e.Informed, &inf, &e.ReporterUnit, &e.ReporterName,
		&e.ReporterPhone, &e.RecorderID, &e.IncidentID, &created); err != nil {
		return nil, err
	}
	e.At, e.InformedAt, e.CreatedAt = fromMs(at), fromMsPtr(inf), fromMs(created)
	return &e, nil
}

// CreateLogEntry inserts a duty log entry.
func (tx *Tx) CreateLogEntry(e *duty.LogEntry) error {
	e.CreatedAt = tx.Now
	id, err := tx.insert(`INSERT INTO duty_log (org_id, shift_id, at, place, what, measures, informed, informed_at, reporter_unit, reporter_name,
		reporter_phone, recorder_id, incident_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.OrgID, nullID(e.ShiftID), ms(e.At), e.Place, e.What, e.Measures, e.Informed, msPtr(e.InformedAt), e.ReporterUnit, e.ReporterName,
		e.ReporterPhone, e.RecorderID, nullID(e.IncidentID), ms(tx.Now))
	e.ID = id
	return errs.Wrap(err, "create log entry")
}

// SetLogIncident links a log entry to the incident made from it.
func (tx *Tx) SetLogIncident(id, incidentID int64) error {
	_, err := tx.exec(`UPDATE duty_log SET incident_id = ? WHERE id = ?`, incidentID, id)
	return errs.Wrap(err, "log incident")
}

// LogEntry loads one duty log entry.
func (q *Q) LogEntry(id int64) (*duty.LogEntry, error) {
	e, err := scanLog(q.row(`SELECT `+logCols+` FROM duty_log WHERE id = ?`, id))
	return e, notFound(err, "duty.log_not_found")
}

// DutyLog lists an organisation's log entries, newest first, before id (0: from the newest).
func (q *Q) DutyLog(orgIDs []int64, before int64, limit int) ([]*duty.LogEntry, error) {
	in, args := inList(orgIDs)
	where := `org_id IN ` + in
	if before > 0 {
		where += ` AND id < ?`
		args = append(args, before)
	}
	return list(q, "duty log", scanLog, `SELECT `+logCols+` FROM duty_log WHERE `+where+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
}

const periodCols = `id, org_id, name, starts_at, ends_at, level, min_leaders, min_officers, note`

func scanPeriod(s scanner) (*duty.Period, error) {
	var p duty.Period
	var start, end int64
	if err := s.Scan(&p.ID, &p.OrgID, &p.Name, &start, &end, &p.Level, &p.MinLeaders, &p.MinOfficers, &p.Note); err != nil {
		return nil, err
	}
	p.Start, p.End = fromMs(start), fromMs(end)
	return &p, nil
}

// CreatePeriod inserts a sensitive period.
func (tx *Tx) CreatePeriod(p *duty.Period) error {
	id, err := tx.insert(`INSERT INTO duty_periods (org_id, name, starts_at, ends_at, level, min_leaders, min_officers, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.OrgID, p.Name, ms(p.Start), ms(p.End), p.Level, p.MinLeaders, p.MinOfficers, p.Note, ms(tx.Now))
	p.ID = id
	return errs.Wrap(err, "create period")
}

// DeletePeriod removes a sensitive period.
func (tx *Tx) DeletePeriod(id int64) error {
	_, err := tx.exec(`DELETE FROM duty_periods WHERE id = ?`, id)
	return errs.Wrap(err, "delete period")
}

// Period loads one period.
func (q *Q) Period(id int64) (*duty.Period, error) {
	p, err := scanPeriod(q.row(`SELECT `+periodCols+` FROM duty_periods WHERE id = ?`, id))
	return p, notFound(err, "duty.period_not_found")
}

// PeriodsBetween lists the organisations' periods overlapping [from, to).
func (q *Q) PeriodsBetween(orgIDs []int64, from, to time.Time) ([]*duty.Period, error) {
	in, args := inList(orgIDs)
	return list(q, "periods", scanPeriod, `SELECT `+periodCols+` FROM duty_periods WHERE org_id IN `+in+` AND ends_at > ? AND starts_at < ? ORDER BY starts_at`,
		append(args, ms(from), ms(to))...)
}

// SetFeedToken stores (replacing) the hash of a user's calendar feed token.
func (tx *Tx) SetFeedToken(userID int64, hash string) error {
	if _, err := tx.exec(`DELETE FROM duty_feed_tokens WHERE user_id = ?`, userID); err != nil {
		return errs.Wrap(err, "feed token")
	}
	_, err := tx.exec(`INSERT INTO duty_feed_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)`, userID, hash, ms(tx.Now))
	return errs.Wrap(err, "feed token")
}

// UserByFeedToken finds the user holding a calendar feed token.
func (q *Q) UserByFeedToken(hash string) (int64, error) {
	var id int64
	err := q.row(`SELECT user_id FROM duty_feed_tokens WHERE token_hash = ?`, hash).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, errs.New(errs.Unauthorized, "error.bad_token")
	}
	return id, errs.Wrap(err, "feed token")
}
