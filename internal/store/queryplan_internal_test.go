package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"yingji/internal/alertrule"
	"yingji/internal/store/pgtest"
)

// The reads run on every page view or every pass of a worker use an index,
// on both databases: each case names the index its query must use. The
// tables hold rows (20,000 alerts, a few silenced, some of one unit, 5,000
// unit reports; PostgreSQL analysed): on empty tables SQLite took an index
// that it drops once there are rows. On PostgreSQL sequential scans are
// switched off for the EXPLAIN: what the test asks is whether an index fits
// the query, not where a scan would be cheaper on a small table. Without
// migration 024 the first cases read the whole table (SCAN unit_reports;
// SCAN alerts USING INDEX sqlite_autoindex_alerts_1; Seq Scan or a full
// Index Scan using the primary key).
func TestQueryPlansUseIndexes(t *testing.T) {
	// The organisation and the unit Bulk makes in a fresh database.
	unit := alertrule.Filter{Orgs: []int64{1}, UnitID: 1, Limit: 51}
	cases := []struct {
		name  string
		index string
		query string
		args  []any
	}{
		{"unit report of an alert", "unit_reports_alert", unitReportOfAlertSQL, []any{int64(3)}},
		{"silences over", "alerts_silenced", silencesOverSQL, []any{ms(time.Now()), 100}},
		// The handler's sweep of linked alerts whose status changed (025).
		{"linked alerts' status changes", "alerts_linked", alertStatusChangesSQL, []any{200}},
		{"one unit's queue", "alerts_unit", first(alertQueueSQL(unit)), second(alertQueueSQL(unit))},
		{"one unit's open queue", "alerts_unit", first(alertQueueSQL(withState(unit, "open"))), second(alertQueueSQL(withState(unit, "open")))},
		{"one unit's counts", "alerts_unit", first(alertCountsSQL(unit)), second(alertCountsSQL(unit))},
		// 023's queue, which alerts_unit must not take over.
		{"an organisation's open queue", "alerts_queue", first(alertQueueSQL(alertrule.Filter{Orgs: []int64{1}, State: "open", Limit: 51})), []any{int64(1), "open", 51, 0}},
	}
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			db := planDB(t, kind)
			rows := &Bulk{Alerts: 20_000, UnitEvery: 50, SilencedEvery: 200, SilencedUntil: ms(time.Now().Add(time.Hour)), Reports: 5_000}
			if err := rows.Write(ctx, db); err != nil || rows.Org != 1 || rows.Unit != 1 {
				t.Fatalf("rows: org %d unit %d: %v", rows.Org, rows.Unit, err)
			}
			for _, c := range cases {
				plan, err := explain(ctx, db, c.query, c.args)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				t.Logf("%s:\n%s", c.name, plan)
				if !strings.Contains(plan, c.index) {
					t.Errorf("%s: the plan does not use %s:\n%s", c.name, c.index, plan)
				}
			}
		})
	}
}

// explain returns the database's plan for a query, one line per step.
func explain(ctx context.Context, db *DB, query string, args []any) (string, error) {
	var lines []string
	err := db.Read(ctx, func(q *Q) error {
		prefix := "EXPLAIN QUERY PLAN "
		if db.Postgres() {
			prefix = "EXPLAIN "
			if _, err := q.tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
		}
		rows, err := q.query(prefix+query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			for i := range vals {
				vals[i] = new(any)
			}
			if err := rows.Scan(vals...); err != nil {
				return err
			}
			// SQLite: id, parent, notused, detail; PostgreSQL: QUERY PLAN.
			line, _ := (*vals[len(vals)-1].(*any)).(string)
			lines = append(lines, line)
		}
		return rows.Err()
	})
	return strings.Join(lines, "\n"), err
}

func withState(f alertrule.Filter, state string) alertrule.Filter { f.State = state; return f }
func first(q string, _ []any) string                              { return q }
func second(_ string, args []any) []any                           { return args }

// planDB opens an empty database of kind for a plan test; closed when the
// test ends.
func planDB(t *testing.T, kind string) *DB {
	t.Helper()
	url := ""
	if kind == "postgres" {
		url = pgtest.New(t)
	}
	db, err := Open(context.Background(), url, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
