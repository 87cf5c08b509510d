package store

import "strings"

// insertRows inserts rows with multi-row INSERTs of at most per rows each:
// head is the statement up to and with VALUES, tuple one row's
// placeholders, add appends one row's values. per keeps a statement under
// the placeholder limits (SQLite 32,766, PostgreSQL 65,535). The error is
// the driver's, for the caller to map and wrap.
func insertRows[T any](tx *Tx, head, tuple string, per int, rows []T, add func(args []any, row T) []any) error {
	for i := 0; i < len(rows); i += per {
		batch := rows[i:min(i+per, len(rows))]
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, len(batch)*strings.Count(tuple, "?"))
		for j, r := range batch {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(tuple)
			args = add(args, r)
		}
		if _, err := tx.exec(b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
