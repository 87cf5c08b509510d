package store

import (
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"yingji/internal/alertrule"
	"yingji/internal/errs"
	"yingji/internal/signal"
)

// Alert handling (issue 12, part 2): the handler's work list, the queue,
// the office's acts on an alert and its history (migration 022).

const alertHandlingCols = alertCols + `, rule_name, suggested_category, suggested_level, paged_at`

func scanAlertHandled(s scanner) (*signal.Alert, error) {
	var a signal.Alert
	var first, last, updated int64
	var handled, acked, silenced, paged sql.NullInt64
	var sev int
	var status, state, labels string
	err := s.Scan(&a.ID, &a.OrgID, &a.SourceID, &a.Fingerprint, &a.Format, &a.Rule, &a.Title, &a.Detail, &sev, &a.Priority,
		&status, &state, &a.Count, &first, &last, &a.DstIP, &a.Domain, &labels, &a.UnitID, &a.WebsiteID, &handled,
		&a.AckedBy, &acked, &silenced, &a.SilenceReason, &a.IncidentID, &updated,
		&a.RuleName, &a.SuggestedCategory, &a.SuggestedLevel, &paged)
	if err != nil {
		return nil, err
	}
	a.Severity, a.Status, a.State = signal.Severity(sev), signal.Status(status), signal.State(state)
	a.FirstSeen, a.LastSeen, a.UpdatedAt = fromMs(first), fromMs(last), fromMs(updated)
	a.HandledAt, a.AckedAt, a.SilencedUntil, a.PagedAt = fromMsPtr(handled), fromMsPtr(acked), fromMsPtr(silenced), fromMsPtr(paged)
	if err := json.Unmarshal([]byte(labels), &a.Labels); err != nil {
		return nil, errs.Wrap(err, "alert labels")
	}
	return &a, nil
}

// AlertFull loads one alert with what its handling set.
func (q *Q) AlertFull(id int64) (*signal.Alert, error) {
	a, err := scanAlertHandled(q.row(`SELECT `+alertHandlingCols+` FROM alerts WHERE id = ?`, id))
	return a, notFound(err, "alert.not_found")
}

// UnhandledAlerts lists up to limit alerts whose plan rules are not applied
// yet, the most severe first and, among equals, the oldest (023).
func (q *Q) UnhandledAlerts(limit int) ([]*signal.Alert, error) {
	return list(q, "unhandled alerts", scanAlertHandled,
		`SELECT `+alertHandlingCols+` FROM alerts WHERE handled_at IS NULL ORDER BY severity DESC, id LIMIT ?`, limit)
}

// Handling is what the handler sets on an alert.
type Handling struct {
	UnitID, WebsiteID int64
	Priority          int
	RuleName          string
	Category          string
	Level             int
	Paged             bool
	IncidentID        int64 // registered by the rule; the alert is then promoted
}

// HandleAlert applies h to an alert not handled yet; false when another
// node handled it first.
func (tx *Tx) HandleAlert(id int64, h Handling) (bool, error) {
	var paged any
	if h.Paged {
		paged = ms(tx.Now)
	}
	state := "state"
	if h.IncidentID != 0 {
		// Linked now: the incident's timeline says the status it has (025).
		state = "'" + string(signal.Promoted) + "', noted_status = status"
	}
	res, err := tx.exec(`UPDATE alerts SET handled_at = ?, unit_id = ?, website_id = ?, priority = ?, rule_name = ?,
		suggested_category = ?, suggested_level = ?, paged_at = ?, incident_id = COALESCE(?, incident_id), state = `+state+`, updated_at = ?
		WHERE id = ? AND handled_at IS NULL`,
		ms(tx.Now), nullID(h.UnitID), nullID(h.WebsiteID), h.Priority, h.RuleName, h.Category, h.Level, paged, nullID(h.IncidentID), ms(tx.Now), id)
	if err != nil {
		return false, errs.Wrap(mapErr(err), "handle alert")
	}
	n, _ := res.RowsAffected()
	tx.w.alerts = tx.w.alerts || n > 0
	return n == 1, nil
}

// SetAlertState moves an alert from one of the states from to state; false
// when it was no longer in one of them (another person acted first).
func (tx *Tx) SetAlertState(id int64, from []signal.State, state signal.State, actorID int64, until *time.Time, reason string, incidentID int64) (bool, error) {
	set := `state = ?, updated_at = ?`
	args := []any{string(state), ms(tx.Now)}
	switch state {
	case signal.Acked:
		set += `, acked_by = ?, acked_at = ?`
		args = append(args, nullID(actorID), ms(tx.Now))
	case signal.Silenced:
		set += `, silenced_until = ?, silence_reason = ?`
		args = append(args, msPtr(until), reason)
	case signal.Promoted:
		// Linked now: the entry that links it says the status it has; a
		// later change is the handler's to put on the timeline (025).
		set += `, incident_id = ?, noted_status = status`
		args = append(args, nullID(incidentID))
	}
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(from)), ", ")
	args = append(args, id)
	for _, f := range from {
		args = append(args, string(f))
	}
	res, err := tx.exec(`UPDATE alerts SET `+set+` WHERE id = ? AND state IN (`+ph+`)`, args...)
	if err != nil {
		return false, errs.Wrap(mapErr(err), "alert state")
	}
	n, _ := res.RowsAffected()
	tx.w.alerts = tx.w.alerts || n > 0
	return n == 1, nil
}

// AddAlertEvent appends a step to an alert's history.
func (tx *Tx) AddAlertEvent(alertID, actorID int64, kind string, data map[string]string) error {
	b, _ := json.Marshal(data)
	if data == nil {
		b = []byte("{}")
	}
	_, err := tx.insert(`INSERT INTO alert_events (alert_id, at, actor_id, kind, data) VALUES (?, ?, ?, ?, ?)`,
		alertID, ms(tx.Now), nullID(actorID), kind, string(b))
	return errs.Wrap(mapErr(err), "alert event")
}

// AlertEvents is an alert's history, oldest first, with who acted.
func (q *Q) AlertEvents(alertID int64) ([]*alertrule.Event, error) {
	return list(q, "alert events", func(s scanner) (*alertrule.Event, error) {
		var e alertrule.Event
		var at int64
		var data string
		if err := s.Scan(&e.ID, &e.AlertID, &at, &e.ActorID, &e.ActorName, &e.Kind, &data); err != nil {
			return nil, err
		}
		e.At = fromMs(at)
		return &e, json.Unmarshal([]byte(data), &e.Data)
	}, `SELECT e.id, e.alert_id, e.at, COALESCE(e.actor_id, 0), COALESCE(u.display_name, ''), e.kind, e.data
		FROM alert_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.alert_id = ? ORDER BY e.id`, alertID)
}

func alertWhere(f alertrule.Filter, withState bool) (string, []any) {
	in, args := inList(f.Orgs)
	where := `org_id IN ` + in
	if withState && f.State != "" {
		where += ` AND state = ?`
		args = append(args, f.State)
	}
	if f.MinPriority > 0 {
		where += ` AND priority >= ?`
		args = append(args, f.MinPriority)
	}
	if f.UnitID != 0 {
		where += ` AND unit_id = ?`
		args = append(args, f.UnitID)
	}
	return where, args
}

// AlertQueue lists the alerts f selects, worst first, then newest by
// arrival (023: a repeat does not move an alert up).
func (q *Q) AlertQueue(f alertrule.Filter) ([]*signal.Alert, error) {
	query, args := alertQueueSQL(f)
	return list(q, "alert queue", scanAlertHandled, query, args...)
}

// alertQueueSQL is AlertQueue's query (its plan is tested with a unit:
// 024's alerts_unit).
func alertQueueSQL(f alertrule.Filter) (string, []any) {
	where, args := alertWhere(f, true)
	return `SELECT ` + alertHandlingCols + ` FROM alerts WHERE ` + where + `
		ORDER BY priority DESC, id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)
}

// AlertCounts counts the alerts f selects by state (f.State is ignored).
func (q *Q) AlertCounts(f alertrule.Filter) (map[signal.State]int, error) {
	query, args := alertCountsSQL(f)
	rows, err := q.query(query, args...)
	if err != nil {
		return nil, errs.Wrap(err, "alert counts")
	}
	defer rows.Close()
	out := map[signal.State]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, errs.Wrap(err, "alert counts")
		}
		out[signal.State(s)] = n
	}
	return out, errs.Wrap(rows.Err(), "alert counts")
}

// alertCountsSQL is AlertCounts' query.
func alertCountsSQL(f alertrule.Filter) (string, []any) {
	where, args := alertWhere(f, false)
	return `SELECT state, COUNT(*) FROM alerts WHERE ` + where + ` GROUP BY state`, args
}

// AlertsOfIncident lists the alerts attached to or promoted into an incident.
func (q *Q) AlertsOfIncident(incidentID int64) ([]*signal.Alert, error) {
	return list(q, "incident alerts", scanAlertHandled, `SELECT `+alertHandlingCols+` FROM alerts WHERE incident_id = ? ORDER BY id`, incidentID)
}

// SilencesOver lists up to limit silenced alerts whose silence ended by now,
// in the order the ingest writes alerts (organisation, fingerprint): one
// transaction waking several while a batch of signals counts on them would
// otherwise take their row locks in the other order, and PostgreSQL would
// abort one of the two as a deadlock.
func (q *Q) SilencesOver(now time.Time, limit int) ([]int64, error) {
	return list(q, "silences over", func(s scanner) (int64, error) {
		var id int64
		return id, s.Scan(&id)
	}, silencesOverSQL, ms(now), limit)
}

// silencesOverSQL is SilencesOver's query (its plan is tested: 024's
// alerts_silenced).
const silencesOverSQL = `SELECT id FROM alerts WHERE state = 'silenced' AND silenced_until <= ? ORDER BY org_id, fingerprint LIMIT ?`
