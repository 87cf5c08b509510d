package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"yingji/internal/errs"
	"yingji/internal/ingest"
	"yingji/internal/signal"
)

// Intake sources (issue 12): a source's key is kept only as its SHA-256.

const sourceCols = `id, org_id, name, format, COALESCE(created_by, 0), created_at, revoked_at, COALESCE(revoked_by, 0)`

func scanSource(s scanner) (*ingest.Source, error) {
	var src ingest.Source
	var created int64
	var revoked sql.NullInt64
	if err := s.Scan(&src.ID, &src.OrgID, &src.Name, &src.Format, &src.CreatedBy, &created, &revoked, &src.RevokedBy); err != nil {
		return nil, err
	}
	src.CreatedAt, src.RevokedAt = fromMs(created), fromMsPtr(revoked)
	return &src, nil
}

// CreateSource stores a new source with its key's hash.
func (tx *Tx) CreateSource(orgID int64, name, format, keyHash string, by int64) (int64, error) {
	id, err := tx.insert(`INSERT INTO intake_sources (org_id, name, format, key_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		orgID, name, format, keyHash, nullID(by), ms(tx.Now))
	return id, errs.Wrap(err, "create source")
}

// Source loads one source.
func (q *Q) Source(id int64) (*ingest.Source, error) {
	s, err := scanSource(q.row(`SELECT `+sourceCols+` FROM intake_sources WHERE id = ?`, id))
	return s, notFound(err, "intake.source_not_found")
}

// SourceByKeyHash finds the source holding a key, revoked or not.
func (q *Q) SourceByKeyHash(hash string) (*ingest.Source, error) {
	s, err := scanSource(q.row(`SELECT `+sourceCols+` FROM intake_sources WHERE key_hash = ?`, hash))
	return s, notFound(err, "intake.bad_key")
}

// Sources lists an organisation's sources, revoked ones too, by name.
func (q *Q) Sources(orgID int64) ([]*ingest.Source, error) {
	return list(q, "sources", scanSource, `SELECT `+sourceCols+` FROM intake_sources WHERE org_id = ? ORDER BY name, id`, orgID)
}

// RevokeSource marks a live source revoked; false when it already was.
func (tx *Tx) RevokeSource(id, by int64) (bool, error) {
	res, err := tx.exec(`UPDATE intake_sources SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL`, ms(tx.Now), nullID(by), id)
	if err != nil {
		return false, errs.Wrap(err, "revoke source")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// OpenAlerts counts the alerts nobody has taken up yet (for /metrics).
func (q *Q) OpenAlerts() (int64, error) {
	var n int64
	err := q.row(`SELECT count(*) FROM alerts WHERE state = 'open'`).Scan(&n)
	return n, errs.Wrap(err, "open alerts")
}

// Landing is one signal to count on its alert, from a source of an
// organisation.
type Landing struct {
	OrgID, SourceID int64
	Signal          *signal.Signal
	// Set by Ingest: whether this signal made its alert (false: it counted
	// on one that was there, or on one an earlier signal of the batch made).
	Created bool
	row     *alertRow // Prepare's work
}

// alertRow is what the upsert of one signal needs, worked out before the
// commit.
type alertRow struct {
	fp, dst, labels string
	at              int64
}

// Prepare works out what committing the landing needs (its fingerprint, its
// labels as JSON, its time), so that the one goroutine that commits does
// only the SQL: the request goroutines call it, in parallel. Ingest
// prepares the landings that were not.
func (l *Landing) Prepare(now time.Time) {
	s := l.Signal
	r := &alertRow{fp: s.Fingerprint(), labels: labelsJSON(s.Labels), at: ms(s.At)}
	if s.At.IsZero() {
		r.at = ms(now)
	}
	if s.DstIP.IsValid() {
		r.dst = s.DstIP.String()
	}
	l.row = r
}

// Ingest is the lean write path of signals in: one transaction that counts
// every landing on its alert and commits, without the audit chain. Alerts
// are not covered by the chain (migration 017) and ingest writes nothing
// else, so the chain's head lock, which serialises every audited write on
// PostgreSQL, is not taken: ingest does not queue behind people's changes,
// nor they behind it. The signals of one fingerprint are merged first (one
// statement adds their number to the count), and alerts are written in
// fingerprint order so that two nodes' batches cannot deadlock.
func (db *DB) Ingest(ctx context.Context, batch []Landing) error {
	type group struct {
		org       int64
		fp        string
		first     int // index of the landing that stands for the group
		n         int64
		minAt     int64
		maxAt     int64
		lastIndex int
	}
	now := db.Now().UTC()
	type key struct {
		org int64
		fp  string
	}
	groups := make(map[key]*group, len(batch))
	order := make([]*group, 0, len(batch))
	for i := range batch {
		l := &batch[i]
		if l.row == nil {
			l.Prepare(now)
		}
		at := l.row.at
		k := key{l.OrgID, l.row.fp}
		g := groups[k]
		if g == nil {
			g = &group{org: l.OrgID, fp: k.fp, first: i, minAt: at, maxAt: at}
			groups[k] = g
			order = append(order, g)
		}
		g.n++
		g.minAt, g.maxAt, g.lastIndex = min(g.minAt, at), max(g.maxAt, at), i
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].org != order[j].org {
			return order[i].org < order[j].org
		}
		return order[i].fp < order[j].fp
	})
	// Prepared before the transaction: SQLite's one write connection is
	// the transaction's until it ends.
	stmts, err := db.upsertStmts(ctx)
	if err != nil {
		return err
	}
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return errs.Wrap(err, "begin ingest")
	}
	defer sqlTx.Rollback()
	// Which alerts this transaction makes. RETURNING would say per row, but
	// on SQLite it costs a quarter of the upsert (its rows are gathered in
	// a temporary table first), so there the new rows are read back
	// instead: a new row's id is one more than the table's largest (no
	// AUTOINCREMENT), and this transaction is the only writer, so the rows
	// above the largest id at its start are the ones it made. PostgreSQL's
	// ids come from a sequence other nodes share: it keeps RETURNING.
	returning := db.Postgres()
	var before int64
	if !returning {
		if err := sqlTx.StmtContext(ctx, stmts.maxID).QueryRowContext(ctx).Scan(&before); err != nil {
			return errs.Wrap(err, "ingest alerts")
		}
	}
	created := func(org int64, fp string, count int64) {
		if g := groups[key{org, fp}]; g != nil {
			batch[g.first].Created = !returning || count == g.n
		}
	}
	// Many rows per statement: the per-statement cost (binding, stepping,
	// the driver's round of calls) is most of an upsert's. The groups are
	// distinct (org, fingerprint) pairs, so no statement touches a row twice.
	updated := ms(now)
	args := make([]any, 0, upsertSizes[0]*upsertCols)
	for len(order) > 0 {
		n := 1 // the largest statement size that fits: few statements, each prepared once
		for _, size := range upsertSizes {
			if len(order) >= size {
				n = size
				break
			}
		}
		chunk := order[:n]
		order = order[len(chunk):]
		args = args[:0]
		for _, g := range chunk {
			l := &batch[g.first]
			last := &batch[g.lastIndex] // the newest word on status, title and detail
			args = appendAlertArgs(args, l.OrgID, l.SourceID, g.fp, last.Signal, last.row, g.minAt, g.maxAt, g.n, updated)
		}
		st := sqlTx.StmtContext(ctx, stmts.upsert[n])
		if !returning {
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return errs.Wrap(mapErr(err), "ingest alerts")
			}
			continue
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return errs.Wrap(mapErr(err), "ingest alerts")
		}
		if err := scanCreated(rows, created); err != nil {
			return err
		}
	}
	if !returning {
		rows, err := sqlTx.StmtContext(ctx, stmts.newSince).QueryContext(ctx, before)
		if err != nil {
			return errs.Wrap(mapErr(err), "ingest alerts")
		}
		if err := scanCreated(rows, created); err != nil {
			return err
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return errs.Wrap(mapErr(err), "commit ingest")
	}
	db.alertsWritten()
	return nil
}

// scanCreated hands each (org_id, fingerprint, count) row to created.
func scanCreated(rows *sql.Rows, created func(org int64, fp string, count int64)) error {
	defer rows.Close()
	for rows.Next() {
		var org, count int64
		var fp string
		if err := rows.Scan(&org, &fp, &count); err != nil {
			return errs.Wrap(err, "ingest alerts")
		}
		created(org, fp, count)
	}
	return errs.Wrap(mapErr(rows.Err()), "ingest alerts")
}

// upsertSizes are the statement sizes a batch is cut into (rows of 17
// parameters: SQLite takes 32766, PostgreSQL 65535). Parsing a statement
// of 200 rows costs as much as running it, so each size is prepared once.
// The small sizes are for one-alert requests, whose groups hold a few
// dozen: 14 rows take 10+2+2, three statements rather than five.
var upsertSizes = []int{200, 50, 20, 10, 5, 2, 1}

// ingestStmts are DB.Ingest's statements, prepared once.
type ingestStmts struct {
	upsert          map[int]*sql.Stmt // by rows
	maxID, newSince *sql.Stmt         // SQLite: the read-back of the new rows
}

func (db *DB) upsertStmts(ctx context.Context) (*ingestStmts, error) {
	if m, ok := db.ingestStmts.Load(0); ok {
		return m.(*ingestStmts), nil
	}
	m := &ingestStmts{upsert: map[int]*sql.Stmt{}}
	var all []*sql.Stmt
	var failed error
	prepare := func(q string) *sql.Stmt {
		st, err := db.write.PrepareContext(ctx, db.rebind(q))
		if err != nil {
			failed = err
			return nil
		}
		all = append(all, st)
		return st
	}
	for _, n := range upsertSizes {
		q := upsertAlertHead + strings.Repeat(upsertAlertRow+",", n-1) + upsertAlertRow + upsertAlertTail
		if db.Postgres() { // see Ingest
			q += ` RETURNING org_id, fingerprint, count`
		}
		m.upsert[n] = prepare(q)
	}
	if !db.Postgres() {
		m.maxID = prepare(`SELECT COALESCE(max(id), 0) FROM alerts`)
		m.newSince = prepare(`SELECT org_id, fingerprint, 0 FROM alerts WHERE id > ?`)
	}
	if failed != nil {
		for _, st := range all {
			st.Close()
		}
		return nil, errs.Wrap(failed, "prepare ingest")
	}
	if prev, loaded := db.ingestStmts.LoadOrStore(0, m); loaded { // only the committer calls this; a race costs a few statements
		for _, st := range all {
			st.Close()
		}
		return prev.(*ingestStmts), nil
	}
	return m, nil
}

// AlertTotals counts alerts, the signals counted on them, and the alerts
// not yet handled (for tests, the benchmark and the durability check).
func (q *Q) AlertTotals() (alerts, signals, unhandled int64, err error) {
	err = q.row(`SELECT count(*), COALESCE(sum(count), 0), count(*) - count(handled_at) FROM alerts`).Scan(&alerts, &signals, &unhandled)
	return alerts, signals, unhandled, errs.Wrap(err, "alert totals")
}
