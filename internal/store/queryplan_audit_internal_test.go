package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"yingji/internal/audit"
)

// The 审计记录 page's filters read through 026's indexes on both databases,
// over a chain of 20,000 records (a person's, an action's and a day's a
// small part of them, as in a year of a bureau's work) (PostgreSQL
// analysed, sequential scans off as in TestQueryPlansUseIndexes). Without
// 026 each filtered page walked the chain backwards by seq until the page
// was full: a filter that matched little read the whole chain.
func TestAuditFilterPlansUseIndexes(t *testing.T) {
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	orgs := []int64{1, 2}
	page := func(f audit.Filter) audit.Filter { f.Newest, f.Limit = true, 50; return f }
	cases := []struct {
		name, index string
		f           audit.Filter
		noSort      bool // SQLite reads the page in seq order, not by sorting a range
	}{
		{"one person's records", "audit_actor", page(audit.Filter{Actor: "user7"}), false},
		{"one person's records, older page", "audit_actor", page(audit.Filter{Actor: "user7", Before: 10_000}), false},
		{"one action", "audit_action", page(audit.Filter{Action: "incident.note"}), false},
		{"one person on one day", "audit_actor|audit_at", page(audit.Filter{Actor: "user7", From: day, To: day.AddDate(0, 0, 1)}), false},
		{"one day", "audit_at", page(audit.Filter{From: day, To: day.AddDate(0, 0, 1)}), false},
		// Every record in range (SQLite sorted all 20,000 by seq for a page
		// of 50 until auditBySeq); walked from the head instead.
		{"four months", "audit_at|SCAN audit|audit_pkey", page(audit.Filter{From: day.AddDate(0, 0, -30), To: day.AddDate(0, 0, 120)}), true},
		{"from a date on, oldest first", "audit_at|SCAN audit|audit_pkey", audit.Filter{From: day.AddDate(0, 0, -30), Limit: 50}, true},
		{"one incident and what is under it", "audit_object", page(audit.Filter{Incident: 3}), false},
	}
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			db := planDB(t, kind)
			// 20,000 records, one every ten minutes from 2026-11-10, of 400
			// people, 1 in 200 a note (chain hashes are not what this test
			// reads).
			fill := `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
				INSERT INTO audit (seq, at, actor_id, actor, action, object_type, object_id, org_id, detail, prev_hash, hash)
				SELECT i, CAST(? AS BIGINT) + CAST(i AS BIGINT) * 600000, i % 400, 'user' || (i % 400), CASE WHEN i % 200 = 0 THEN 'incident.note' WHEN i % 2 = 0 THEN 'task.update' ELSE 'session.login' END,
				       CASE i % 50 WHEN 0 THEN 'incident' ELSE 'session' END, i % 97, 1 + i % 2, '{}', '', '' FROM n`
			err := db.Write(ctx, func(tx *Tx) error {
				if _, err := tx.tx.ExecContext(ctx, db.rebind(fill), ms(day.AddDate(0, 0, -30))); err != nil {
					return err
				}
				if _, err := tx.tx.ExecContext(ctx, `UPDATE audit_head SET seq = 20000 WHERE id = 1`); err != nil {
					return err
				}
				if db.Postgres() {
					_, err := tx.tx.ExecContext(ctx, `ANALYZE audit`)
					return err
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cases {
				var bySeq bool
				if err := db.Read(ctx, func(q *Q) (err error) { bySeq, err = q.auditBySeq(c.f); return err }); err != nil {
					t.Fatal(err)
				}
				query, args := auditPageSQL(orgs, true, c.f, bySeq)
				plan, err := explain(ctx, db, query, args)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				t.Logf("%s:\n%s", c.name, plan)
				if !containsAny(plan, strings.Split(c.index, "|")) {
					t.Errorf("%s: the plan does not use %s:\n%s", c.name, c.index, plan)
				}
				if c.noSort && !db.Postgres() && strings.Contains(plan, "TEMP B-TREE") {
					t.Errorf("%s: SQLite sorts the range for a page:\n%s", c.name, plan)
				}
				if strings.Contains(plan, "audit_object (object_type=?)") {
					t.Errorf("%s: the plan reads every record of a kind of object:\n%s", c.name, plan)
				}
			}
		})
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
