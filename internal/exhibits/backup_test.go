package exhibits_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"yingji/internal/evidence"
	"yingji/internal/exhibits"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// TestBackupRestore (SQLite mode): a backup taken while the register holds
// files restores into a fresh data directory where every item's files
// verify and the audit chain holds; content added after the backup is not
// needed by it; a file gone bad is caught by the backup, not copied.
func TestBackupRestore(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	in := testkit.NewIncident(t, env, "network_attack")
	it := newItem(t, env, in.ID, evidence.File)
	upload(t, env, it.ID, "a.log", "first\n")
	f := upload(t, env, it.ID, "b.bin", string(make([]byte, 300<<10)))
	env.App.Evidence.KeyFile = filepath.Join(env.Dir, "evidence.key")
	if _, err := env.App.Evidence.SigningKey(); err != nil {
		t.Fatal(err)
	}

	to := filepath.Join(t.TempDir(), "backup")
	rep, err := exhibits.Backup(ctx, env.DB, "", to)
	must(t, err)
	if rep.Files != 2 {
		t.Fatalf("backup %+v", rep)
	}
	upload(t, env, it.ID, "later.log", "after the backup\n") // not in the copy, not needed by it

	data := filepath.Join(t.TempDir(), "restored")
	must(t, exhibits.Restore(to, data))
	if err := exhibits.Restore(to, data); err == nil {
		t.Fatal("restore over a database")
	}
	db, err := store.Open(ctx, "", data)
	must(t, err)
	defer db.Close()
	restored := testkitApp(db)
	n, bad, err := restored.VerifyAll(ctx)
	must(t, err)
	if n != 2 || len(bad) != 0 {
		t.Fatalf("restored: %d files, bad %v", n, bad)
	}
	if res, err := db.VerifyAudit(ctx); err != nil || res.Err != nil {
		t.Fatalf("audit %v %v", err, res.Err)
	}
	if st, err := os.Stat(filepath.Join(data, "evidence.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key %v %v", st, err)
	}

	flipByte(t, env, f.SHA256, 10)
	if _, err := exhibits.Backup(ctx, env.DB, "", filepath.Join(t.TempDir(), "b2")); err == nil {
		t.Fatal("backup copied bad content")
	}
}

// TestSweep: a temporary file left by a crash goes after a day; a fresh
// one (an upload in progress) stays.
func TestSweep(t *testing.T) {
	dir := t.TempDir()
	b := &exhibits.FileBlobs{Dir: dir}
	old, fresh := filepath.Join(dir, "tmp-old"), filepath.Join(dir, "tmp-new")
	must(t, os.WriteFile(old, []byte("x"), 0o600))
	must(t, os.WriteFile(fresh, []byte("x"), 0o600))
	past := time.Now().Add(-48 * time.Hour)
	must(t, os.Chtimes(old, past, past))
	n, err := b.Sweep(24*time.Hour, time.Now())
	must(t, err)
	if _, err := os.Stat(fresh); n != 1 || err != nil {
		t.Fatalf("swept %d, fresh: %v", n, err)
	}
}
