package store

import "context"

// RowCounts counts the rows of every table of the application (the search
// index's own tables aside), and reports the audit head: what a
// transaction that failed must leave as it found it. For tests only.
func (db *DB) RowCounts(ctx context.Context) (map[string]int64, error) {
	list := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'`
	if db.Postgres() {
		list = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	out := map[string]int64{}
	err := db.Read(ctx, func(q *Q) error {
		names, err := tableNames(q, list)
		if err != nil {
			return err
		}
		for _, n := range names {
			var c int64
			if err := q.row(`SELECT count(*) FROM ` + n).Scan(&c); err != nil {
				return err
			}
			out[n] = c
		}
		var seq int64
		if err := q.row(`SELECT seq FROM audit_head WHERE id = 1`).Scan(&seq); err != nil {
			return err
		}
		out["audit_head.seq"] = seq
		return nil
	})
	return out, err
}

func tableNames(q *Q, query string) ([]string, error) {
	return list(q, "tables", func(s scanner) (string, error) { var n string; err := s.Scan(&n); return n, err }, query)
}
