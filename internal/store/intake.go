package store

import (
	"context"
	"database/sql"
	"sort"

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
	groups := map[key]*group{}
	var order []*group
	for i := range batch {
		l := &batch[i]
		fp := l.Signal.Fingerprint()
		at := ms(l.Signal.At)
		if l.Signal.At.IsZero() {
			at = ms(now)
		}
		k := key{l.OrgID, fp}
		g := groups[k]
		if g == nil {
			g = &group{org: l.OrgID, fp: fp, first: i, minAt: at, maxAt: at}
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
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return errs.Wrap(err, "begin ingest")
	}
	defer sqlTx.Rollback()
	stmt, err := sqlTx.PrepareContext(ctx, db.rebind(upsertAlertSQL))
	if err != nil {
		return errs.Wrap(err, "prepare ingest")
	}
	defer stmt.Close()
	updated := ms(now)
	for _, g := range order {
		l := &batch[g.first]
		last := batch[g.lastIndex].Signal // the newest word on status, title and detail
		var id, count int64
		err := stmt.QueryRowContext(ctx, alertArgs(l.OrgID, l.SourceID, g.fp, last, g.minAt, g.maxAt, g.n, updated)...).Scan(&id, &count)
		if err != nil {
			return errs.Wrap(mapErr(err), "ingest alert")
		}
		l.Created = count == g.n
	}
	if err := sqlTx.Commit(); err != nil {
		return errs.Wrap(mapErr(err), "commit ingest")
	}
	return nil
}

// AlertTotals counts alerts, the signals counted on them, and the alerts
// not yet handled (for tests, the benchmark and the durability check).
func (q *Q) AlertTotals() (alerts, signals, unhandled int64, err error) {
	err = q.row(`SELECT count(*), COALESCE(sum(count), 0), count(*) - count(handled_at) FROM alerts`).Scan(&alerts, &signals, &unhandled)
	return alerts, signals, unhandled, errs.Wrap(err, "alert totals")
}
