package store

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"yingji/internal/audit"
	"yingji/internal/errs"
)

// incidentObjects are the audit records' objects that belong to an
// incident, each with the rows that say which incident (x, joined to the
// incident by the condition after it): an incident's records are its own
// and those of everything under it. Records about an object that later
// left the incident (an alert detached) follow its current link.
var incidentObjects = []struct{ typ, from, incident string }{
	{"task", "tasks x", "x.incident_id"},
	{"approval", "approvals x", "x.incident_id"},
	{"report", "reports x", "x.incident_id"},
	{"instruction", "instructions x", "x.incident_id"},
	{"evidence", "evidence_items x", "x.incident_id"},
	{"roll_call", "roll_calls x", "x.incident_id"},
	{"bulletin", "bulletins x", "x.incident_id"},
	{"bulletin_recipient", "bulletins b CROSS JOIN bulletin_recipients x", "x.bulletin_id = b.id AND b.incident_id"},
	{"warning", "warnings x", "x.incident_id"},
	{"alert", "alerts x", "x.incident_id"},
	{"duty_log", "duty_log x", "x.incident_id"},
}

// incidentSeqs selects the seqs of an incident's records: one join per
// kind of object under it, from the incident's objects to their records
// through audit_object (026) by the object's id, never every record of the
// kind. CROSS JOIN keeps SQLite's loop in that order (it has no statistics
// to know that an incident's tasks are few and the task records many);
// PostgreSQL plans it by its statistics.
func incidentSeqs() string {
	parts := []string{`SELECT seq FROM audit WHERE object_type = 'incident' AND object_id = ?`}
	for _, o := range incidentObjects {
		parts = append(parts, `SELECT a.seq FROM `+o.from+` CROSS JOIN audit a WHERE `+o.incident+` = ? AND a.object_type = '`+o.typ+`' AND a.object_id = x.id`)
	}
	return strings.Join(parts, ` UNION ALL `)
}

// auditPageSQL is the query of one page of AuditPage: every filter is a
// condition on an indexed column (026), the scope is the organisations',
// and paging is by seq, so a page reads about its own rows. bySeq keeps
// SQLite off the date index (`+at`): it then walks the chain in seq order,
// testing each record's date (see auditBySeq).
func auditPageSQL(orgs []int64, unowned bool, f audit.Filter, bySeq bool) (string, []any) {
	at := `at`
	if bySeq {
		at = `+at`
	}
	var cond, scope []string
	var args []any
	if len(orgs) > 0 {
		scope = append(scope, `org_id IN (?`+strings.Repeat(`, ?`, len(orgs)-1)+`)`)
		for _, o := range orgs {
			args = append(args, o)
		}
	}
	if unowned {
		scope = append(scope, `org_id = 0`)
	}
	cond = append(cond, `(`+strings.Join(scope, ` OR `)+`)`)
	order := `ASC`
	if f.Newest {
		order = `DESC`
		if f.Before > 0 {
			cond, args = append(cond, `seq < ?`), append(args, f.Before)
		}
	} else if f.After > 0 {
		cond, args = append(cond, `seq > ?`), append(args, f.After)
	}
	if !f.From.IsZero() {
		cond, args = append(cond, at+` >= ?`), append(args, ms(f.From))
	}
	if !f.To.IsZero() {
		cond, args = append(cond, at+` < ?`), append(args, ms(f.To))
	}
	if f.Actor != "" {
		cond, args = append(cond, `actor = ?`), append(args, f.Actor)
	}
	if f.Action != "" {
		cond, args = append(cond, `action = ?`), append(args, f.Action)
	}
	if f.Incident > 0 {
		cond = append(cond, `seq IN (`+incidentSeqs()+`)`)
		for range len(incidentObjects) + 1 {
			args = append(args, f.Incident)
		}
	}
	args = append(args, f.Limit)
	return `SELECT ` + auditCols + ` FROM audit WHERE ` + strings.Join(cond, ` AND `) +
		` ORDER BY seq ` + order + ` LIMIT ?`, args
}

// AuditPage lists the audit records of orgs (and, if unowned, those of no
// organisation) that pass the filter: newest first below f.Before when
// f.Newest, else oldest first after f.After; at most f.Limit.
func (q *Q) AuditPage(orgs []int64, unowned bool, f audit.Filter) ([]*audit.Record, error) {
	if len(orgs) == 0 && !unowned {
		return nil, nil
	}
	bySeq, err := q.auditBySeq(f)
	if err != nil {
		return nil, err
	}
	query, args := auditPageSQL(orgs, unowned, f, bySeq)
	return list(q, "audit records", func(s scanner) (*audit.Record, error) {
		var r audit.Record
		return &r, scanAudit(s, &r)
	}, query, args...)
}

// auditBySeq says whether SQLite should read a page with dates by walking
// the chain in seq order rather than through audit_at. SQLite has no
// statistics: given a date range it takes audit_at and sorts the whole range
// by seq to return 50 records (a year of 300,000 records: 0.6 s a page).
// Walking from where the page starts costs the records between there and
// the range, and then about a page. Two lookups on audit_at give the seqs at
// the range's ends, which say which costs less. They only choose the plan:
// both plans test every date, so a clock that once went backwards (a date
// out of seq order) changes the cost, never the records read.
func (q *Q) auditBySeq(f audit.Filter) (bool, error) {
	if q.db.Postgres() || (f.From.IsZero() && f.To.IsZero()) {
		return false, nil // PostgreSQL plans it by its statistics
	}
	edge := func(query string, v int64) (int64, bool, error) {
		var seq int64
		err := q.row(query, v).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil
		}
		return seq, err == nil, errs.Wrap(err, "audit dates")
	}
	var head int64
	if err := q.row(`SELECT seq FROM audit_head WHERE id = 1`).Scan(&head); err != nil {
		return false, errs.Wrap(err, "audit head")
	}
	lo, hi := int64(0), head
	var ok bool
	var err error
	if !f.From.IsZero() {
		if lo, ok, err = edge(`SELECT seq FROM audit WHERE at >= ? ORDER BY at LIMIT 1`, ms(f.From)); !ok {
			return false, err // nothing after the start: the index finds none at once
		}
	}
	if !f.To.IsZero() {
		if hi, ok, err = edge(`SELECT seq FROM audit WHERE at < ? ORDER BY at DESC LIMIT 1`, ms(f.To)); !ok {
			return false, err
		}
	}
	walk := max(lo-f.After, 0) // oldest first, from After up to the range
	if f.Newest {
		top := head
		if f.Before > 0 {
			top = min(f.Before-1, head)
		}
		walk = max(top-hi, 0)
	}
	return walk < hi-lo, nil
}

// IncidentRef finds an incident by its number (QS-2026-001) or, for a
// string of digits, its id; with its organisation. 0 when there is none.
func (q *Q) IncidentRef(ref string) (id, orgID int64, err error) {
	query, arg := `SELECT id, org_id FROM incidents WHERE number = ?`, any(ref)
	if n, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
		query, arg = `SELECT id, org_id FROM incidents WHERE id = ?`, n
	}
	err = q.row(query, arg).Scan(&id, &orgID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return id, orgID, err
}
