package store

import (
	"context"
	"fmt"
	"strings"
)

// Bulk is the rows a query-plan test or a read benchmark needs, written
// behind the store's back in a few statements (no audit records: nothing
// verifies the chain afterwards).
type Bulk struct {
	Org, Unit int64 // 0: made here
	// Alerts 1..Alerts; every UnitEvery-th names Unit, every
	// SilencedEvery-th is silenced until SilencedUntil (ms); 0: none.
	Alerts, UnitEvery, SilencedEvery int
	SilencedUntil                    int64
	// Reports: unit report i, from its own link i, made alert i.
	Reports int
}

// Write adds the rows to a fresh database (ids are numbered from 1).
func (k *Bulk) Write(ctx context.Context, db *DB) error {
	if k.Org == 0 {
		if err := db.Raw(ctx, `INSERT INTO orgs (name, code, plan_key, created_at) VALUES ('某县公安局', 'QS', 'county', 0)`); err != nil {
			return err
		}
		k.Org = 1
	}
	if k.Unit == 0 {
		if err := db.Raw(ctx, `INSERT INTO units (org_id, name, name_key, kind, credit_code, created_at, updated_at)
			VALUES (?, '青神县人民政府办公室', '青神县人民政府办公室', 'government', '11511425000000000X', 0, 0)`, k.Org); err != nil {
			return err
		}
		if err := db.row1(ctx, `SELECT max(id) FROM units`, &k.Unit); err != nil {
			return err
		}
	}
	every := func(n int, then, otherwise string) string {
		if n == 0 {
			return otherwise
		}
		return fmt.Sprintf("CASE WHEN i %% %d = 0 THEN %s ELSE %s END", n, then, otherwise)
	}
	series := func(n int) string {
		return fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) `, n)
	}
	for _, q := range []string{
		series(k.Alerts) + fmt.Sprintf(`INSERT INTO alerts (org_id, fingerprint, format, rule, title, severity, priority, status, state,
			silenced_until, unit_id, first_seen, last_seen, updated_at)
			SELECT %d, 'fp-' || i, 'unit', 'unit.report', '单位报警', 3, 1 + i %% 7, 'firing', %s, %s, %s, 0, 0, 0 FROM n`,
			k.Org, every(k.SilencedEvery, "'silenced'", "'open'"), every(k.SilencedEvery, fmt.Sprint(k.SilencedUntil), "NULL"),
			every(k.UnitEvery, fmt.Sprint(k.Unit), "NULL")),
		series(k.Reports) + fmt.Sprintf(`INSERT INTO unit_links (org_id, unit_id, token_hash, created_at, expires_at)
			SELECT %d, %d, 'hash-' || i, 0, 0 FROM n`, k.Org, k.Unit),
		series(k.Reports) + fmt.Sprintf(`INSERT INTO unit_reports (org_id, unit_id, link_id, receipt, what, happened_at, system_name,
			contact_name, contact_phone, alert_id, created_at)
			SELECT %d, %d, i, 'r-' || i, '首页被篡改', 0, '门户网站', '李四', '13800000001', i, 0 FROM n`, k.Org, k.Unit),
	} {
		if strings.Contains(q, "i < 0)") {
			continue // none of these
		}
		if err := db.Raw(ctx, q); err != nil {
			return err
		}
	}
	if db.Postgres() {
		return db.Raw(ctx, `ANALYZE`) // as autovacuum would soon
	}
	return nil
}

func (db *DB) row1(ctx context.Context, query string, dest any) error {
	return db.Read(ctx, func(q *Q) error { return q.row(query).Scan(dest) })
}
