package store

import (
	"database/sql"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"yingji/internal/audit"
	"yingji/internal/errs"
)

// CoveredTables are the tables whose rows the audit chain covers: every
// write through a Tx to one of them is noted, and the transaction's last
// audit record carries the hash of each such row as the change left it.
// Verification recomputes every current row against its last covering
// record. Users, sessions, tokens, the outbox and counters are not covered:
// they change without an audited act (a login counts failures) or carry
// nothing an investigator reads.
var CoveredTables = []string{
	"incidents", "tasks", "approvals", "timeline", "reports", "report_submissions", "reminders_sent",
	"escalations", // issue 10
	"units", "websites", "contacts", "experts", "equipment",
	"duty_shifts", "duty_changes", "duty_handovers", "duty_log", "duty_periods",
	"instructions", "instruction_to",
	"incident_resources",
	"roll_calls", // issue 10
	"warnings",   // issue 14: public warnings (预警信息)
	// issue 12: monitors' settings and baselines, the units' channel
	"monitors", "unit_links", "unit_reports",
	// issue 13: the evidence register
	"evidence_items", "evidence_files", "evidence_custody",
	"bulletins", "bulletin_recipients", "bulletin_lists", // issue 14: 通报 to units
}

var coveredSet = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range CoveredTables {
		m[t] = true
	}
	return m
}()

// writeTarget finds the table a write statement writes: the first INSERT
// INTO, UPDATE or DELETE FROM, wherever it stands (after a WITH, say).
var writeTarget = regexp.MustCompile(`(?is)\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)`)

// coveredTable returns the covered table a statement writes, or "".
func (db *DB) coveredTable(query string) string {
	if v, ok := db.targets.Load(query); ok {
		return v.(string)
	}
	t := ""
	if m := writeTarget.FindStringSubmatch(query); m != nil && coveredSet[strings.ToLower(m[1])] {
		t = strings.ToLower(m[1])
	}
	db.targets.Store(query, t)
	return t
}

type stateKey struct {
	table string
	id    int64
}

// txState is what a write transaction collects for the audit chain: the
// records to append and the covered rows written since.
type txState struct {
	pending []*pendingRecord
	dirty   map[stateKey]struct{}
	alerts  bool // the transaction wrote alerts: ring DB.alerts after commit
}

// maxRefs bounds the rows one record names (about 85 bytes each).
const maxRefs = 1000

type pendingRecord struct {
	rec  audit.Record
	refs []audit.StateRef
}

func (w *txState) mark(table string, id int64) {
	if w.dirty == nil {
		w.dirty = map[stateKey]struct{}{}
	}
	w.dirty[stateKey{table, id}] = struct{}{}
}

// Exec runs a write statement in the transaction, for seeding benchmarks
// and tests in bulk. Rows it writes to covered tables are covered by the
// chain like those of any other write.
func (tx *Tx) Exec(query string, args ...any) error {
	_, err := tx.exec(query, args...)
	return errs.Wrap(mapErr(err), "exec")
}

type rowsResult int64

func (n rowsResult) LastInsertId() (int64, error) {
	return 0, fmt.Errorf("store: LastInsertId is not used; INSERT … RETURNING id is")
}
func (n rowsResult) RowsAffected() (int64, error) { return int64(n), nil }

// execTracked runs a write to a covered table with RETURNING id, so that
// every row it touched is noted however the statement selects them.
func (q *Q) execTracked(table, query string, args []any) (sql.Result, error) {
	if strings.Contains(strings.ToUpper(query), "RETURNING") {
		return nil, fmt.Errorf("store: write to %s with its own RETURNING must go through insert, to be covered by the audit chain", table)
	}
	rows, err := q.tx.QueryContext(q.ctx, q.db.rebind(query+" RETURNING id"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		q.w.mark(table, id)
		n++
	}
	return rowsResult(n), rows.Err()
}

// flushAudit appends the transaction's audit records, the last one
// carrying the state of every covered row the transaction wrote. A
// transaction that wrote covered rows without an audited act (a skipped
// reminder) gets a system record, so that no write goes uncovered.
func (tx *Tx) flushAudit() error {
	w := tx.w
	if len(w.dirty) > 0 {
		keys := make([]stateKey, 0, len(w.dirty))
		for k := range w.dirty {
			keys = append(keys, k)
		}
		refs, err := tx.stateOf(keys)
		if err != nil {
			return err
		}
		// The last record carries the rows; beyond maxRefs (a bulk import) the
		// rest go into system records that follow it, so that no record grows
		// beyond a few hundred KB.
		audit.FormatState(refs) // sorts
		if len(w.pending) == 0 {
			tx.queue(AuditEntry{Action: "audit.state", ObjectType: "state", Detail: map[string]int{"rows": min(len(refs), maxRefs)}}, nil)
		}
		last := w.pending[len(w.pending)-1]
		last.refs = append(last.refs, refs[:min(len(refs), maxRefs)]...)
		for rest := refs[min(len(refs), maxRefs):]; len(rest) > 0; rest = rest[min(len(rest), maxRefs):] {
			part := rest[:min(len(rest), maxRefs)]
			tx.queue(AuditEntry{Action: "audit.state", ObjectType: "state", Detail: map[string]int{"rows": len(part)}}, part)
		}
		w.dirty = nil
	}
	if len(w.pending) == 0 {
		return nil
	}
	for _, p := range w.pending {
		r := &p.rec
		r.Version = 2
		r.State = audit.FormatState(p.refs)
		var prev *audit.Record
		if tx.head.seq > 0 {
			prev = &audit.Record{Seq: tx.head.seq, Hash: tx.head.hash}
		}
		audit.Seal(r, prev)
		if _, err := tx.Q.tx.ExecContext(tx.ctx, tx.db.rebind(`INSERT INTO audit (seq, at, actor_id, actor, action, object_type, object_id, org_id, detail, prev_hash, hash, v, state)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			r.Seq, ms(r.At), r.ActorID, r.Actor, r.Action, r.ObjectType, r.ObjectID, r.OrgID, r.Detail, r.PrevHash, r.Hash, r.Version, r.State); err != nil {
			return errs.Wrap(err, "audit insert")
		}
		tx.head = auditHead{r.Seq, r.Hash}
	}
	w.pending = nil
	if _, err := tx.exec(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, tx.head.seq, tx.head.hash); err != nil {
		return errs.Wrap(err, "audit head")
	}
	return nil
}

// stateOf hashes the current content of the given rows (Deleted for rows
// that no longer exist), reading each table in batches.
func (q *Q) stateOf(keys []stateKey) ([]audit.StateRef, error) {
	byTable := map[string][]int64{}
	for _, k := range keys {
		byTable[k.table] = append(byTable[k.table], k.id)
	}
	var out []audit.StateRef
	for table, ids := range byTable {
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for len(ids) > 0 {
			batch := ids[:min(500, len(ids))]
			ids = ids[len(batch):]
			found := map[int64]string{}
			query := `SELECT * FROM ` + table + ` WHERE id IN (?` + strings.Repeat(", ?", len(batch)-1) + `)`
			args := make([]any, len(batch))
			for i, id := range batch {
				args[i] = id
			}
			err := q.eachRowHash(table, query, args, func(id int64, sum []byte) error {
				found[id] = hex.EncodeToString(sum)
				return nil
			})
			if err != nil {
				return nil, err
			}
			for _, id := range batch {
				h, ok := found[id]
				if !ok {
					h = audit.Deleted
				}
				out = append(out, audit.StateRef{Table: table, ID: id, Hash: h})
			}
		}
	}
	return out, nil
}

// eachRowHash runs a SELECT * over table and calls fn with each row's id
// and state hash (raw bytes).
func (q *Q) eachRowHash(table, query string, args []any, fn func(id int64, sum []byte) error) error {
	if q.db.Postgres() {
		// SELECT * changes shape when a migration adds a column: a statement
		// prepared and cached before (in the same connection, even the same
		// transaction) would fail with "cached plan must not change result
		// type". Describe it afresh each time instead.
		args = append([]any{pgx.QueryExecModeDescribeExec}, args...)
	}
	rows, err := q.query(query, args...)
	if err != nil {
		return errs.Wrap(err, "state of "+table)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return errs.Wrap(err, "state of "+table)
	}
	idAt := -1
	for i, c := range cols {
		if c == "id" {
			idAt = i
		}
	}
	if idAt < 0 {
		return fmt.Errorf("state of %s: no id column", table)
	}
	h := audit.NewRowHasher(table, cols)
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return errs.Wrap(err, "state of "+table)
		}
		id, ok := vals[idAt].(int64)
		if !ok {
			return fmt.Errorf("state of %s: id is a %T", table, vals[idAt])
		}
		sum, err := h.Sum(vals)
		if err != nil {
			return err
		}
		if err := fn(id, sum); err != nil {
			return err
		}
	}
	return errs.Wrap(rows.Err(), "state of "+table)
}

// cover is the last record that covered a row, as the chain says.
type cover struct {
	seq     int64
	sum     [32]byte
	deleted bool
	seen    bool
}

// addCover notes the rows a record's State names, replacing older covers.
func addCover(covers map[stateKey]*cover, seq int64, state string) error {
	return audit.EachState(state, func(table string, id int64, hash string) {
		c := covers[stateKey{table, id}]
		if c == nil {
			// The key's table string would pin the whole State text; use the constant.
			t := table
			for _, ct := range CoveredTables {
				if ct == table {
					t = ct
				}
			}
			c = &cover{}
			covers[stateKey{t, id}] = c
		}
		c.seq, c.deleted = seq, hash == audit.Deleted
		if !c.deleted {
			// A malformed hash decodes to garbage and will not match: reported, not fatal.
			hex.Decode(c.sum[:], []byte(hash))
		}
	})
}

// maxProblems is how many differing rows a StateError holds.
const maxProblems = 100

// checkState compares every row of the covered tables with its last
// covering record and calls bad for each difference; rows counts rows read.
func (q *Q) checkState(covers map[stateKey]*cover, bad func(audit.RowProblem)) (rows int64, err error) {
	tables, err := q.coveredPresent()
	if err != nil {
		return 0, err
	}
	for _, table := range tables {
		err := q.eachRowHash(table, `SELECT * FROM `+table, nil, func(id int64, sum []byte) error {
			rows++
			c := covers[stateKey{table, id}]
			switch {
			case c == nil:
				bad(audit.RowProblem{Table: table, ID: id, Reason: audit.RowUncovered})
				return nil
			case c.deleted:
				bad(audit.RowProblem{Table: table, ID: id, Seq: c.seq, Reason: audit.RowReappeared})
			case string(c.sum[:]) != string(sum):
				bad(audit.RowProblem{Table: table, ID: id, Seq: c.seq, Reason: audit.RowChanged})
			}
			c.seen = true
			return nil
		})
		if err != nil {
			return rows, err
		}
	}
	var missing []audit.RowProblem
	for k, c := range covers {
		if !c.seen && !c.deleted {
			missing = append(missing, audit.RowProblem{Table: k.table, ID: k.id, Seq: c.seq, Reason: audit.RowMissing})
		}
	}
	sort.Slice(missing, func(i, j int) bool {
		if missing[i].Table != missing[j].Table {
			return missing[i].Table < missing[j].Table
		}
		return missing[i].ID < missing[j].ID
	})
	for _, p := range missing {
		bad(p)
	}
	return rows, nil
}

// readCovers reads the last cover of every row from the chain's records.
func (q *Q) readCovers() (map[stateKey]*cover, error) {
	covers := map[stateKey]*cover{}
	rows, err := q.query(`SELECT seq, state FROM audit WHERE v = 2 AND state <> '' ORDER BY seq`)
	if err != nil {
		return nil, errs.Wrap(err, "audit state")
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var state string
		if err := rows.Scan(&seq, &state); err != nil {
			return nil, errs.Wrap(err, "audit state")
		}
		if err := addCover(covers, seq, state); err != nil {
			return nil, err
		}
	}
	return covers, errs.Wrap(rows.Err(), "audit state")
}

// coverRows queues audit.baseline records covering every row that differs
// from the chain (all rows, the first time), except the keys in skip.
func (tx *Tx) coverRows(migration int, skip map[stateKey]bool) error {
	covers, err := tx.readCovers()
	if err != nil {
		return err
	}
	var refs []audit.StateRef
	tables, err := tx.coveredPresent()
	if err != nil {
		return err
	}
	for _, table := range tables {
		err := tx.eachRowHash(table, `SELECT * FROM `+table, nil, func(id int64, sum []byte) error {
			k := stateKey{table, id}
			c := covers[k]
			if c != nil {
				c.seen = true
			}
			if skip[k] || (c != nil && !c.deleted && string(c.sum[:]) == string(sum)) {
				return nil
			}
			refs = append(refs, audit.StateRef{Table: table, ID: id, Hash: hex.EncodeToString(sum)})
			return nil
		})
		if err != nil {
			return err
		}
	}
	for k, c := range covers {
		if !c.seen && !c.deleted && !skip[k] {
			refs = append(refs, audit.StateRef{Table: k.table, ID: k.id, Hash: audit.Deleted})
		}
	}
	audit.FormatState(refs) // sorts: parts follow table and id order
	parts := (len(refs) + maxRefs - 1) / maxRefs
	for i := 0; i < parts; i++ {
		part := refs[i*maxRefs : min((i+1)*maxRefs, len(refs))]
		tx.queue(AuditEntry{Action: "audit.baseline", ObjectType: "state", Detail: map[string]any{
			"migration": migration, "part": i + 1, "parts": parts, "rows": len(part), "left_uncovered": len(skip)}}, part)
	}
	return nil
}

// coveredPresent lists the covered tables the schema has: while the
// migrations run, a table a later migration adds does not exist yet (its
// rows, none, are covered from then on). A covered table dropped behind
// yingji's back leaves its covered rows reported missing.
func (q *Q) coveredPresent() ([]string, error) {
	query := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if q.db.Postgres() {
		query = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	rows, err := q.query(query)
	if err != nil {
		return nil, errs.Wrap(err, "covered tables")
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, errs.Wrap(err, "covered tables")
		}
		have[n] = true
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Wrap(err, "covered tables")
	}
	var out []string
	for _, t := range CoveredTables {
		if have[t] {
			out = append(out, t)
		}
	}
	return out, nil
}

// stateProblemKeys lists the rows that differ from the chain now.
func (q *Q) stateProblemKeys() (map[stateKey]bool, error) {
	out := map[stateKey]bool{}
	covers, err := q.readCovers()
	if err != nil {
		return nil, err
	}
	_, err = q.checkState(covers, func(p audit.RowProblem) { out[stateKey{p.Table, p.ID}] = true })
	return out, err
}
