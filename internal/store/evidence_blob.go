package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"path/filepath"

	"yingji/internal/errs"
)

// Evidence content in PostgreSQL mode (issue 13): several nodes serve one
// database, so the content lives where every node reaches it, in chunks of
// ChunkSize. SQLite mode keeps content as files in the data directory
// (internal/exhibits), and these functions are not used there.

// ChunkSize is the most one evidence_chunks row holds: large enough that a
// 1 GiB upload is a thousand inserts, small enough that a row is read whole
// without strain.
const ChunkSize = 1 << 20

// DataDir is the SQLite database's directory, "" for PostgreSQL: evidence
// files are kept beside the database they belong to.
func (db *DB) DataDir() string {
	if db.Postgres() {
		return ""
	}
	return filepath.Dir(db.where)
}

// BlobWriter streams content into evidence_chunks under a temporary key in
// a transaction of its own (not a DB.Write: content is no audited change,
// and a long upload must not hold the audit head). Commit names it by its
// hash; anything else rolls it back, so an interrupted upload leaves nothing.
type BlobWriter struct {
	db  *DB
	tx  *sql.Tx
	ctx context.Context
	key string
	n   int
	buf []byte
}

// NewBlobWriter begins an upload.
func (db *DB) NewBlobWriter(ctx context.Context) (*BlobWriter, error) {
	if !db.Postgres() {
		return nil, errors.New("evidence chunks are PostgreSQL mode's")
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, errs.Wrap(err, "begin upload")
	}
	var r [12]byte
	rand.Read(r[:])
	return &BlobWriter{db: db, tx: tx, ctx: ctx, key: "tmp-" + hex.EncodeToString(r[:]), buf: make([]byte, 0, ChunkSize)}, nil
}

func (w *BlobWriter) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		k := min(len(p), ChunkSize-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p = p[k:]
		if len(w.buf) == ChunkSize {
			if err := w.flush(); err != nil {
				return total - len(p), err
			}
		}
	}
	return total, nil
}

func (w *BlobWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.tx.ExecContext(w.ctx, w.db.rebind(`INSERT INTO evidence_chunks (blob, n, data) VALUES (?, ?, ?)`), w.key, w.n, w.buf)
	if err != nil {
		return errs.Wrap(err, "write chunk")
	}
	w.n++
	w.buf = w.buf[:0]
	return nil
}

// Commit stores the content under its hash. Content already stored (the
// same file uploaded twice) is kept once: the new copy is dropped.
func (w *BlobWriter) Commit(sha256, sm3 string, size int64) error {
	defer w.tx.Rollback()
	if err := w.flush(); err != nil {
		return err
	}
	// The insert waits for a concurrent upload of the same content to end,
	// and then finds its row.
	var got string
	err := w.tx.QueryRowContext(w.ctx, w.db.rebind(`INSERT INTO evidence_blobs (sha256, sm3, size, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (sha256) DO NOTHING RETURNING sha256`), sha256, sm3, size, ms(w.db.Now())).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // stored before: the rollback drops this copy
	}
	if err != nil {
		return errs.Wrap(err, "add blob")
	}
	if _, err := w.tx.ExecContext(w.ctx, w.db.rebind(`UPDATE evidence_chunks SET blob = ? WHERE blob = ?`), sha256, w.key); err != nil {
		return errs.Wrap(err, "name chunks")
	}
	return errs.Wrap(w.tx.Commit(), "commit upload")
}

// Abort drops the upload.
func (w *BlobWriter) Abort() { w.tx.Rollback() }

// BlobStored reports whether content is stored (PostgreSQL mode).
func (db *DB) BlobStored(ctx context.Context, sha256 string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, db.rebind(`SELECT COUNT(*) FROM evidence_blobs WHERE sha256 = ?`), sha256).Scan(&n)
	return n > 0, errs.Wrap(err, "blob stored")
}

// OpenBlob reads stored content chunk by chunk, each in its own query:
// content never changes once named, so no snapshot is needed, and a long
// download holds no transaction open.
func (db *DB) OpenBlob(ctx context.Context, sha256 string) (io.ReadCloser, error) {
	ok, err := db.BlobStored(ctx, sha256)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errs.New(errs.NotFound, "evidence.content_missing")
	}
	return &blobReader{db: db, ctx: ctx, key: sha256}, nil
}

type blobReader struct {
	db   *DB
	ctx  context.Context
	key  string
	n    int
	buf  []byte
	done bool
}

func (r *blobReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.done {
			return 0, io.EOF
		}
		err := r.db.read.QueryRowContext(r.ctx, r.db.rebind(`SELECT data FROM evidence_chunks WHERE blob = ? AND n = ?`), r.key, r.n).Scan(&r.buf)
		if errors.Is(err, sql.ErrNoRows) {
			r.done = true
			continue
		}
		if err != nil {
			return 0, errs.Wrap(err, "read chunk")
		}
		r.n++
	}
	k := copy(p, r.buf)
	r.buf = r.buf[k:]
	return k, nil
}

func (r *blobReader) Close() error { return nil }

// EvidenceChunkCount counts stored chunks (tests: an interrupted upload
// leaves none).
func (q *Q) EvidenceChunkCount() (int, error) {
	var n int
	err := q.row(`SELECT COUNT(*) FROM evidence_chunks`).Scan(&n)
	return n, errs.Wrap(err, "chunk count")
}

// BackupInto writes a consistent copy of the SQLite database to path
// (VACUUM INTO: one read transaction, so the copy is one moment, while
// the server goes on). PostgreSQL is backed up with pg_dump: evidence
// content is in it, so one dump holds both.
func (db *DB) BackupInto(ctx context.Context, path string) error {
	if db.Postgres() {
		return errors.New("PostgreSQL mode: back up with pg_dump (evidence content is in the database)")
	}
	_, err := db.write.ExecContext(ctx, `VACUUM INTO ?`, path)
	return errs.Wrap(err, "backup")
}
