package store

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"yingji/internal/audit"
)

// incidentObjects are the audit records' objects that belong to an
// incident, each with the rows that say which incident: an incident's
// records are its own and those of everything under it. Records about an
// object that later left the incident (an alert detached) follow its
// current link.
var incidentObjects = []struct{ typ, ids string }{
	{"task", `SELECT id FROM tasks WHERE incident_id = ?`},
	{"approval", `SELECT id FROM approvals WHERE incident_id = ?`},
	{"report", `SELECT id FROM reports WHERE incident_id = ?`},
	{"instruction", `SELECT id FROM instructions WHERE incident_id = ?`},
	{"evidence", `SELECT id FROM evidence_items WHERE incident_id = ?`},
	{"roll_call", `SELECT id FROM roll_calls WHERE incident_id = ?`},
	{"bulletin", `SELECT id FROM bulletins WHERE incident_id = ?`},
	{"bulletin_recipient", `SELECT r.id FROM bulletin_recipients r JOIN bulletins b ON b.id = r.bulletin_id WHERE b.incident_id = ?`},
	{"warning", `SELECT id FROM warnings WHERE incident_id = ?`},
	{"alert", `SELECT id FROM alerts WHERE incident_id = ?`},
	{"duty_log", `SELECT id FROM duty_log WHERE incident_id = ?`},
}

// auditPageSQL is the query of one page of AuditPage: every filter is a
// condition on an indexed column (026), the scope is the organisations',
// and paging is by seq, so a page reads about its own rows.
func auditPageSQL(orgs []int64, unowned bool, f audit.Filter) (string, []any) {
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
		cond, args = append(cond, `at >= ?`), append(args, ms(f.From))
	}
	if !f.To.IsZero() {
		cond, args = append(cond, `at < ?`), append(args, ms(f.To))
	}
	if f.Actor != "" {
		cond, args = append(cond, `actor = ?`), append(args, f.Actor)
	}
	if f.Action != "" {
		cond, args = append(cond, `action = ?`), append(args, f.Action)
	}
	if f.Incident > 0 {
		objs := []string{`(object_type = 'incident' AND object_id = ?)`}
		args = append(args, f.Incident)
		for _, o := range incidentObjects {
			objs = append(objs, `(object_type = '`+o.typ+`' AND object_id IN (`+o.ids+`))`)
			args = append(args, f.Incident)
		}
		cond = append(cond, `(`+strings.Join(objs, ` OR `)+`)`)
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
	query, args := auditPageSQL(orgs, unowned, f)
	return list(q, "audit records", func(s scanner) (*audit.Record, error) {
		var r audit.Record
		return &r, scanAudit(s, &r)
	}, query, args...)
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
