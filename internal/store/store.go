// Package store is the only place that speaks SQL. One DB type serves both
// embedded SQLite (the default, a file in the data directory) and PostgreSQL
// (for several nodes); the SQL is written once with '?' placeholders and the
// few places where the dialects differ are switched on DB.dialect.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"modernc.org/sqlite"
	_ "modernc.org/sqlite" // registers "sqlite"

	"yingji/internal/errs"
)

//go:embed migrations
var migrations embed.FS

type dialect int

const (
	sqliteDialect dialect = iota
	postgresDialect
)

// DB is an open database. Now is the clock; tests replace it.
type DB struct {
	dialect dialect
	write   *sql.DB // SQLite: one connection, BEGIN IMMEDIATE; PostgreSQL: the pool
	read    *sql.DB // SQLite: several connections reading WAL snapshots
	Now     func() time.Time
	queries sync.Map // '?' query -> '$n' query, for PostgreSQL
	targets sync.Map // query -> the covered table it writes, or ""
	where   string
	url     string    // PostgreSQL: for the change feed's own LISTEN connection
	fs      feedState // feed.go
	// ingestStmts holds the prepared upserts of DB.Ingest (intake.go).
	ingestStmts sync.Map
	ckpt        checkpointer // SQLite: checkpoint.go
	alerts      bell         // rung when a commit writes alerts (bell.go)
	announcer   announcer    // PostgreSQL: tells the other nodes (bell.go)
	// AuditVia is recorded as "via" in the audit records of the system
	// actor (no user): the CLI sets it to "system" for maintenance commands.
	AuditVia string
}

// Open opens the database named by url ("postgres://…" or "postgresql://…"),
// or the SQLite file yingji.db in dataDir when url is empty, and applies the
// migrations.
func Open(ctx context.Context, url, dataDir string) (*DB, error) {
	db := &DB{Now: time.Now, fs: newFeedState(), url: url}
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		db.dialect = postgresDialect
		p, err := sql.Open("pgx", url)
		if err != nil {
			return nil, err
		}
		p.SetMaxOpenConns(20)
		p.SetMaxIdleConns(20)
		db.write, db.read, db.where = p, p, "postgres"
	} else {
		if url != "" {
			return nil, fmt.Errorf("unsupported database URL %q (want postgres://…, or none for SQLite in --data)", url)
		}
		if dataDir == "" {
			dataDir = "data"
		}
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, err
		}
		path := filepath.Join(dataDir, "yingji.db")
		// foreign_keys is off by default in SQLite and we rely on it;
		// synchronous=FULL because an acknowledged change must survive a
		// power cut, not only a crash.
		base := "file:" + uriPath(path) + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)"
		// The writer's statement journals in memory (a multi-row upsert
		// needs one; on disk it costs a write syscall per page), a page cache
		// of 64 MiB (the alerts' fingerprint index is written at random
		// places), and checkpoints mostly off its path (checkpoint.go). WAL
		// mode is set on it after the page size (newFile), because the
		// driver runs a DSN's pragmas in alphabetical order.
		w, err := sql.Open("sqlite", base+"&_txlock=immediate&_pragma=temp_store(MEMORY)&_pragma=cache_size(-65536)&_pragma=wal_autocheckpoint("+strconv.Itoa(walBackstopPages)+")")
		if err != nil {
			return nil, err
		}
		// One writer connection: SQLite has one writer anyway, and queueing in
		// the pool is fairer than spinning on SQLITE_BUSY.
		w.SetMaxOpenConns(1)
		// WAL lets readers go on while the writer commits.
		r, err := sql.Open("sqlite", base+"&_pragma=journal_mode(WAL)")
		if err != nil {
			w.Close()
			return nil, err
		}
		r.SetMaxOpenConns(8)
		db.write, db.read, db.where = w, r, path
	}
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", db.where, err)
	}
	if !db.Postgres() {
		if err := db.pageSizeAndWAL(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("open %s: %w", db.where, err)
		}
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.Postgres() {
		db.startAnnouncer()
	} else {
		db.startCheckpointer()
	}
	return db, nil
}

// sqlitePageSize is the page size of a SQLite file this version creates.
// The alerts' fingerprint index is written at random places, and with 8 KiB
// pages the committer does less B-tree work per signal than with SQLite's
// 4 KiB default: `yingji bench ingest` at 100 alerts a request went from
// ~50,000 to ~54,000 alerts/s (docs/intake.md), while one a request stayed
// the same; each random page written costs twice the bytes in the WAL. A
// file made before keeps its page size (changing it needs a VACUUM outside
// WAL mode, which an upgrade should not do unasked).
const sqlitePageSize = 8192

// pageSizeAndWAL sets the page size of a new SQLite file (it takes effect
// only before the first page is written, and WAL mode writes one) and then
// WAL mode, which the file keeps for every later connection.
func (db *DB) pageSizeAndWAL(ctx context.Context) error {
	// Only on an empty file: on another the pragma changes nothing in it,
	// but the connection keeps the size asked for, and a VACUUM INTO on it
	// (a backup) would then write pages of that size.
	var pages int
	if err := db.write.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		return err
	}
	if pages == 0 {
		if _, err := db.write.ExecContext(ctx, "PRAGMA page_size = "+strconv.Itoa(sqlitePageSize)); err != nil {
			return err
		}
	}
	// A file of release 1 was made in rollback-journal mode.
	var mode string
	if err := db.write.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, not WAL", mode)
	}
	return nil
}

// Close releases the connections.
func (db *DB) Close() error {
	db.stopFeed()
	db.stopCheckpointer()
	db.stopAnnouncer()
	err := db.write.Close()
	if db.read != db.write {
		if e := db.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Postgres reports whether this is a PostgreSQL database.
func (db *DB) Postgres() bool { return db.dialect == postgresDialect }

// String names the database for logs (never with a password).
func (db *DB) String() string {
	if db.Postgres() {
		return "postgres"
	}
	return "sqlite " + db.where
}

func (db *DB) migrate(ctx context.Context) error {
	if err := db.applyMigration(ctx, 0, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	list, err := migrationsFor(migrations, db.dialect)
	if err != nil {
		return err
	}
	for _, m := range list {
		if err := db.applyMigration(ctx, m.version, m.body); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// applyMigration runs one migration in its own transaction. On PostgreSQL an
// advisory lock keeps two nodes starting together from racing.
func (db *DB) applyMigration(ctx context.Context, v int, body string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if db.Postgres() {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7253901)`); err != nil {
			return err
		}
	}
	if v == 0 { // the bookkeeping table itself, created under the same lock
		if _, err := tx.ExecContext(ctx, body); err != nil {
			return err
		}
		return tx.Commit()
	}
	var n int
	if err := tx.QueryRowContext(ctx, db.rebind(`SELECT count(*) FROM schema_migrations WHERE version = ?`), v).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	// From the migration that gave audit records their state on, each
	// migration re-covers in its own transaction the rows it changed (at the
	// first, every row: the baseline), so that a migration that rewrites
	// rows or adds a column does not look like tampering. Rows that differed
	// from the chain before it ran are left out: an upgrade blesses nothing.
	var st *Tx
	var skip map[stateKey]bool
	if v >= stateMigration {
		if st, err = db.beginState(ctx, tx); err != nil {
			return err
		}
		if v > stateMigration {
			if skip, err = st.stateProblemKeys(); err != nil {
				return err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, db.rebind(`INSERT INTO schema_migrations (version) VALUES (?)`), v); err != nil {
		return err
	}
	if st != nil {
		if err := st.coverRows(v, skip); err != nil {
			return fmt.Errorf("audit baseline: %w", err)
		}
		if err := st.flushAudit(); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// stateMigration is the migration from which audit records carry state.
const stateMigration = 5

// rebind turns '?' placeholders into PostgreSQL's $1, $2 … once per query text.
func (db *DB) rebind(q string) string {
	if !db.Postgres() {
		return q
	}
	if v, ok := db.queries.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	db.queries.Store(q, b.String())
	return b.String()
}

// Q runs queries inside one transaction. Now is fixed for the transaction so
// that every row a change writes carries the same time.
type Q struct {
	db  *DB
	tx  *sql.Tx
	ctx context.Context
	Now time.Time
	w   *txState // nil in a read transaction
}

// Tx is a write transaction: a Q that can also append to the audit chain.
type Tx struct {
	Q
	head    auditHead
	changes map[int64]*TimelineChange // incidents given timeline entries, for the feed (feed.go)
}

func (q *Q) exec(query string, args ...any) (sql.Result, error) {
	if q.w != nil {
		if t := q.db.coveredTable(query); t != "" {
			return q.execTracked(t, query, args)
		}
	}
	return q.tx.ExecContext(q.ctx, q.db.rebind(query), args...)
}

func (q *Q) query(query string, args ...any) (*sql.Rows, error) {
	return q.tx.QueryContext(q.ctx, q.db.rebind(query), args...)
}

func (q *Q) row(query string, args ...any) *sql.Row {
	return q.tx.QueryRowContext(q.ctx, q.db.rebind(query), args...)
}

// insert runs an INSERT … RETURNING id.
func (q *Q) insert(query string, args ...any) (int64, error) {
	var id int64
	err := q.row(query+" RETURNING id", args...).Scan(&id)
	if err == nil && q.w != nil {
		if t := q.db.coveredTable(query); t != "" {
			q.w.mark(t, id)
		}
	}
	return id, mapErr(err)
}

// Read runs fn in a read-only snapshot: every query in fn sees the same moment.
func (db *DB) Read(ctx context.Context, fn func(q *Q) error) error {
	// PostgreSQL's default READ COMMITTED gives each statement its own
	// snapshot; a page or an audit verification must see one moment.
	opts := &sql.TxOptions{}
	if db.Postgres() {
		opts = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return errs.Wrap(err, "begin read")
	}
	defer tx.Rollback()
	q := &Q{db: db, tx: tx, ctx: ctx, Now: db.Now().UTC()}
	if err := fn(q); err != nil {
		return err
	}
	return nil
}

// beginState makes sqlTx a Tx: it locks the audit head and fixes the clock.
func (db *DB) beginState(ctx context.Context, sqlTx *sql.Tx) (*Tx, error) {
	tx := &Tx{Q: Q{db: db, tx: sqlTx, ctx: ctx, w: &txState{}}}
	lock := `SELECT seq, hash FROM audit_head WHERE id = 1`
	if db.Postgres() {
		lock += ` FOR UPDATE`
	}
	if err := tx.row(lock).Scan(&tx.head.seq, &tx.head.hash); err != nil {
		return nil, errs.Wrap(err, "lock audit head")
	}
	// The clock is read after the lock so that audit times follow the chain.
	tx.Now = db.Now().UTC().Truncate(time.Millisecond)
	return tx, nil
}

// Write runs fn in one write transaction and commits it. Writers are
// serialised: SQLite has one writer, and on PostgreSQL every write
// transaction first locks the audit head, which the chain needs anyway.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return errs.Wrap(err, "begin write")
	}
	defer sqlTx.Rollback()
	tx, err := db.beginState(ctx, sqlTx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.flushAudit(); err != nil {
		return err
	}
	changes := tx.changeList()
	if db.Postgres() && len(changes) > 0 {
		// Delivered to the other nodes' listeners at commit, never before.
		if _, err := tx.exec(`SELECT pg_notify(?, ?)`, notifyChannel, notification(db.fs.node, changes)); err != nil {
			return errs.Wrap(err, "notify")
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return errs.Wrap(mapErr(err), "commit")
	}
	db.fs.feed.Publish(changes...)
	if tx.w.alerts {
		db.alertsWritten()
	}
	return nil
}

// mapErr turns constraint violations into Conflict errors.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" {
		return &errs.Error{Code: errs.Conflict, Key: "error.duplicate", Err: err}
	}
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code() == 2067 { // SQLITE_CONSTRAINT_UNIQUE
		return &errs.Error{Code: errs.Conflict, Key: "error.duplicate", Err: err}
	}
	return err
}

// notFound turns sql.ErrNoRows into a NotFound error with the given key.
func notFound(err error, key string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errs.New(errs.NotFound, key)
	}
	return errs.Wrap(err, key)
}

// ms and fromMs convert between times and the stored UTC milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMs(v int64) time.Time { return time.UnixMilli(v).UTC() }

func msPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

func fromMsPtr(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMs(v.Int64)
	return &t
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Raw executes a statement outside the application's rules. Only tests and
// repair tools use it (tests use it to tamper with the audit chain).
func (db *DB) Raw(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.rebind(query), args...)
	return err
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// list runs a query and scans every row with scan.
func list[T any](q *Q, what string, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.query(query, args...)
	if err != nil {
		return nil, errs.Wrap(err, what)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, errs.Wrap(err, what)
		}
		out = append(out, v)
	}
	return out, errs.Wrap(rows.Err(), what)
}

// uriPath escapes what a SQLite "file:" URI would read otherwise: "%"
// starts an escape, "?" the parameters and "#" a fragment, so a data
// directory named with them opened another file or failed.
func uriPath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}
