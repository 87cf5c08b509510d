package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// After a later migration rewrites rows, the baseline written at start-up
// covers what the migration changed but not a row that already differed
// from the chain before: tampering is not blessed by an upgrade.
func TestUpgradeBaselineKeepsEarlierTamperingVisible(t *testing.T) {
	ctx := context.Background()
	src, err := os.ReadFile("testdata/release-1/yingji.db")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "yingji.db"), src, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Raw(ctx, `UPDATE incidents SET title = '已篡改' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	// What migrate does around a pending migration: note the rows that
	// differ, run it (here: a rewrite of every unit), cover the rest.
	skip, err := db.stateProblems(ctx)
	if err != nil || len(skip) != 1 {
		t.Fatalf("before: %v %v", skip, err)
	}
	if err := db.Raw(ctx, `UPDATE units SET note = note || '（迁移）'`); err != nil {
		t.Fatal(err)
	}
	if err := db.coverRows(ctx, []int{99}, skip); err != nil {
		t.Fatal(err)
	}
	res, err := db.VerifyAudit(ctx)
	var se *StateError
	if err != nil || !errors.As(res.Err, &se) || se.Count != 1 || se.Rows[0].Table != "incidents" || se.Rows[0].ID != 1 {
		t.Fatalf("after the upgrade: %v %v", err, res.Err)
	}
}
