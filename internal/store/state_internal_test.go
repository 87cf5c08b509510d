package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"yingji/internal/audit"
)

// After a later migration rewrites rows, the baseline written at start-up
// covers what the migration changed but not a row that already differed
// from the chain before: tampering is not blessed by an upgrade.
func TestUpgradeBaselineKeepsEarlierTamperingVisible(t *testing.T) {
	ctx := context.Background()
	db, _ := OpenRelease1Copy(t)
	defer db.Close()
	if err := db.Raw(ctx, `UPDATE incidents SET title = '已篡改' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	// What applyMigration does for a migration after 005: note the rows
	// that differ, run it (here: a rewrite of every unit), cover the rest.
	err := db.Write(ctx, func(tx *Tx) error {
		skip, err := tx.stateProblemKeys()
		if err != nil || len(skip) != 1 {
			t.Fatalf("before: %v %v", skip, err)
		}
		if _, err := tx.tx.ExecContext(ctx, `UPDATE units SET note = note || '（迁移）'`); err != nil {
			return err
		}
		return tx.coverRows(99, skip)
	})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Read(ctx, func(q *Q) error {
		return q.row(`SELECT count(*) FROM audit WHERE action = 'audit.baseline' AND detail LIKE '%"migration":99%' AND state LIKE '%units %'`).Scan(&n)
	}); err != nil || n == 0 {
		t.Fatalf("the migration's rewrite was not covered: %d %v", n, err)
	}
	res, err := db.VerifyAudit(ctx)
	var se *audit.StateError
	if err != nil || !errors.As(res.Err, &se) || se.Count != 1 || se.Rows[0].Table != "incidents" || se.Rows[0].ID != 1 {
		t.Fatalf("after the upgrade: %v %v", err, res.Err)
	}
}

// OpenRelease1Copy opens a copy of the first release's database
// (testdata/release-1, made at commit a488c0a) with today's code, which
// migrates it; it returns the copy's directory too. Exported for the
// package's external tests.
func OpenRelease1Copy(t *testing.T) (*DB, string) {
	t.Helper()
	src, err := os.ReadFile("testdata/release-1/yingji.db")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "yingji.db"), src, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	return db, dir
}

// TestCoveredTablesOnce: each covered table is named once (a table listed
// twice was read twice by every verification).
func TestCoveredTablesOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, table := range CoveredTables {
		if seen[table] {
			t.Errorf("%s is listed twice", table)
		}
		seen[table] = true
	}
}
