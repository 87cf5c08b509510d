package store

import (
	"database/sql"
	"strings"

	"yingji/internal/errs"
	"yingji/internal/incident"
)

const incidentCols = `id, org_id, plan_id, year, seq, number, title, category, gb_class, level, status,
	discovered_at, discovery_method, description, reporter_id, activated_at, terminated_at, closed_at, created_at, updated_at`

func scanIncident(s scanner) (*incident.Incident, error) {
	var in incident.Incident
	var status string
	var level int
	var discovered, created, updated int64
	var activated, terminated, closed sql.NullInt64
	if err := s.Scan(&in.ID, &in.OrgID, &in.PlanID, &in.Year, &in.Seq, &in.Number, &in.Title, &in.Category, &in.GBClass,
		&level, &status, &discovered, &in.DiscoveryMethod, &in.Description, &in.ReporterID,
		&activated, &terminated, &closed, &created, &updated); err != nil {
		return nil, err
	}
	in.Status, in.Level = incident.Status(status), incident.Level(level)
	in.DiscoveredAt, in.CreatedAt, in.UpdatedAt = fromMs(discovered), fromMs(created), fromMs(updated)
	in.ActivatedAt, in.TerminatedAt, in.ClosedAt = fromMsPtr(activated), fromMsPtr(terminated), fromMsPtr(closed)
	return &in, nil
}

// NextIncidentSeq allocates the organisation's next yearly incident number.
func (tx *Tx) NextIncidentSeq(orgID int64, year int) (int, error) {
	var last int
	err := tx.row(`SELECT last FROM incident_counters WHERE org_id = ? AND year = ?`, orgID, year).Scan(&last)
	switch {
	case err == sql.ErrNoRows:
		_, err = tx.exec(`INSERT INTO incident_counters (org_id, year, last) VALUES (?, ?, 1)`, orgID, year)
		return 1, errs.Wrap(err, "incident counter")
	case err != nil:
		return 0, errs.Wrap(err, "incident counter")
	}
	_, err = tx.exec(`UPDATE incident_counters SET last = ? WHERE org_id = ? AND year = ?`, last+1, orgID, year)
	return last + 1, errs.Wrap(err, "incident counter")
}

// CreateIncident inserts an incident; in.Year, Seq and Number must be set.
func (tx *Tx) CreateIncident(in *incident.Incident) error {
	in.CreatedAt, in.UpdatedAt = tx.Now, tx.Now
	id, err := tx.insert(`INSERT INTO incidents (org_id, plan_id, year, seq, number, title, category, gb_class, level, status,
		discovered_at, discovery_method, description, reporter_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.OrgID, in.PlanID, in.Year, in.Seq, in.Number, in.Title, in.Category, in.GBClass, int(in.Level), string(in.Status),
		ms(in.DiscoveredAt), in.DiscoveryMethod, in.Description, in.ReporterID, ms(tx.Now), ms(tx.Now))
	if err != nil {
		return errs.Wrap(err, "create incident")
	}
	in.ID = id
	return nil
}

// UpdateIncident writes an incident's mutable fields.
func (tx *Tx) UpdateIncident(in *incident.Incident) error {
	in.UpdatedAt = tx.Now
	_, err := tx.exec(`UPDATE incidents SET plan_id = ?, title = ?, level = ?, status = ?, description = ?,
		activated_at = ?, terminated_at = ?, closed_at = ?, updated_at = ? WHERE id = ?`,
		in.PlanID, in.Title, int(in.Level), string(in.Status), in.Description,
		msPtr(in.ActivatedAt), msPtr(in.TerminatedAt), msPtr(in.ClosedAt), ms(tx.Now), in.ID)
	return errs.Wrap(err, "update incident")
}

// Incident loads one incident.
func (q *Q) Incident(id int64) (*incident.Incident, error) {
	in, err := scanIncident(q.row(`SELECT `+incidentCols+` FROM incidents WHERE id = ?`, id))
	return in, notFound(err, "error.incident_not_found")
}

// Incidents lists incidents, newest first, one page at a time.
func (q *Q) Incidents(f incident.Filter, sc *Scope) ([]*incident.Incident, error) {
	var where []string
	var args []any
	if len(f.OrgIDs) > 0 {
		where = append(where, "org_id IN ("+placeholders(len(f.OrgIDs))+")")
		for _, id := range f.OrgIDs {
			args = append(args, id)
		}
	}
	if sc != nil {
		c, a := sc.cond("incidents")
		where, args = append(where, c), append(args, a...)
	}
	if len(f.Statuses) > 0 {
		where = append(where, "status IN ("+placeholders(len(f.Statuses))+")")
		for _, s := range f.Statuses {
			args = append(args, string(s))
		}
	}
	if f.Level != 0 {
		where, args = append(where, "level = ?"), append(args, int(f.Level))
	}
	if f.Category != "" {
		where, args = append(where, "category = ?"), append(args, f.Category)
	}
	if f.Text != "" {
		c, a := q.incidentText(f.Text)
		where, args = append(where, c), append(args, a...)
	}
	if f.Before > 0 {
		where, args = append(where, "id < ?"), append(args, f.Before)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	query := `SELECT ` + incidentCols + ` FROM incidents`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY id DESC LIMIT ?`
	args = append(args, f.Limit)
	return list(q, "list incidents", scanIncident, query, args...)
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// escapeLike makes the LIKE wildcards a user may type literal, with an
// explicit ESCAPE so that both dialects read the pattern alike.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func idArgs(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// The command post reads everything it shows in a handful of set-based
// queries, whatever the number of open incidents: no query per incident
// (OpenIncidents, OpenTaskCounts, RecentReports, MyTasks).

// OpenIncidents lists the incidents of the given organisations that are not
// closed, most severe first, then newest. Only what the command post shows
// and the deadline rules need is read: the list can be long.
func (q *Q) OpenIncidents(orgIDs []int64, sc *Scope) ([]*incident.Incident, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	args, scope := idArgs(orgIDs), ""
	if sc != nil {
		c, a := sc.cond("incidents")
		scope, args = " AND "+c, append(args, a...)
	}
	// discovered_at: the 首报 is due a window after discovery, before any
	// activation; without it the command post never showed the 首报.
	rows, err := q.query(`SELECT id, org_id, plan_id, number, title, category, level, status, discovered_at, activated_at, terminated_at
		FROM incidents WHERE status <> 'closed' AND org_id IN (`+placeholders(len(orgIDs))+`)`+scope+` ORDER BY level, id DESC`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "open incidents")
	}
	defer rows.Close()
	var out []*incident.Incident
	for rows.Next() {
		var in incident.Incident
		var level int
		var status string
		var discovered int64
		var activated, terminated sql.NullInt64
		if err := rows.Scan(&in.ID, &in.OrgID, &in.PlanID, &in.Number, &in.Title, &in.Category, &level, &status, &discovered, &activated, &terminated); err != nil {
			return nil, errs.Wrap(err, "open incidents")
		}
		in.Level, in.Status, in.DiscoveredAt = incident.Level(level), incident.Status(status), fromMs(discovered)
		in.ActivatedAt, in.TerminatedAt = fromMsPtr(activated), fromMsPtr(terminated)
		out = append(out, &in)
	}
	return out, errs.Wrap(rows.Err(), "open incidents")
}
