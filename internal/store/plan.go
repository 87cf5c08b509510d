package store

import (
	"yingji/internal/errs"
)

// PlanRow is one stored plan version.
type PlanRow struct {
	ID      int64
	Key     string
	Version string
	SHA256  string
	Title   string
	Source  []byte
}

// PutPlan stores a plan version, or returns the stored one when the same
// version with the same content is already there. A different content under
// an existing version is refused: a version, once used, never changes.
func (tx *Tx) PutPlan(p *PlanRow) (created bool, err error) {
	var id int64
	var sum string
	err = tx.row(`SELECT id, sha256 FROM plans WHERE key = ? AND version = ?`, p.Key, p.Version).Scan(&id, &sum)
	if err == nil {
		if sum != p.SHA256 {
			return false, errs.New(errs.Conflict, "error.plan_version_changed", p.Key, p.Version)
		}
		p.ID = id
		return false, nil
	}
	if err := notFound(err, ""); errs.CodeOf(err) != errs.NotFound {
		return false, err
	}
	p.ID, err = tx.insert(`INSERT INTO plans (key, version, sha256, title, source, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		p.Key, p.Version, p.SHA256, p.Title, string(p.Source), ms(tx.Now))
	return err == nil, errs.Wrap(err, "put plan")
}

const planCols = `id, key, version, sha256, title, source`

func scanPlan(s scanner) (*PlanRow, error) {
	var p PlanRow
	var src string
	if err := s.Scan(&p.ID, &p.Key, &p.Version, &p.SHA256, &p.Title, &src); err != nil {
		return nil, err
	}
	p.Source = []byte(src)
	return &p, nil
}

// Plan loads a plan version by id.
func (q *Q) Plan(id int64) (*PlanRow, error) {
	p, err := scanPlan(q.row(`SELECT `+planCols+` FROM plans WHERE id = ?`, id))
	return p, notFound(err, "error.plan_not_found")
}

// LatestPlan loads the newest version of a plan key.
func (q *Q) LatestPlan(key string) (*PlanRow, error) {
	p, err := scanPlan(q.row(`SELECT `+planCols+` FROM plans WHERE key = ? ORDER BY id DESC LIMIT 1`, key))
	return p, notFound(err, "error.plan_not_found")
}

// Plans lists every stored version, newest first, without their sources.
func (q *Q) Plans() ([]*PlanRow, error) {
	return list(q, "plans", scanPlan, `SELECT id, key, version, sha256, title, '' FROM plans ORDER BY id DESC`)
}

// PlanVersion loads one version of a plan key.
func (q *Q) PlanVersion(key, version string) (*PlanRow, error) {
	p, err := scanPlan(q.row(`SELECT `+planCols+` FROM plans WHERE key = ? AND version = ?`, key, version))
	return p, notFound(err, "error.plan_not_found")
}
