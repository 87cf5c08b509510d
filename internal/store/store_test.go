package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"yingji/internal/audit"
	"yingji/internal/store"
	"yingji/internal/store/pgtest"
	"yingji/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var ctx = context.Background()

// exec runs raw SQL behind the application's back, as a tamperer would.
func exec(t *testing.T, env *testkit.Env, query string) {
	t.Helper()
	if err := env.DB.Raw(ctx, query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func TestAuditTamperDetected(t *testing.T) {
	cases := []struct {
		name   string
		query  string
		reason string
	}{
		{"alter a field", `UPDATE audit SET actor = 'someone' WHERE seq = 3`, audit.ReasonHash},
		{"alter the detail", `UPDATE audit SET detail = '{}' WHERE seq = 5`, audit.ReasonHash},
		{"alter the time", `UPDATE audit SET at = at + 1 WHERE seq = 4`, audit.ReasonHash},
		{"delete a middle record", `DELETE FROM audit WHERE seq = 4`, audit.ReasonGap},
		{"delete the tail", `DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)`, audit.ReasonHead},
		{"relink", `UPDATE audit SET prev_hash = hash WHERE seq = 6`, ""},
	}
	for _, kind := range testkit.Kinds {
		for _, c := range cases {
			t.Run(kind+"/"+c.name, func(t *testing.T) {
				env := testkit.Open(t, kind)
				res, err := env.DB.VerifyAudit(ctx)
				if err != nil || res.Err != nil || res.Records < 8 {
					t.Fatalf("fresh chain: %+v %v", res, err)
				}
				exec(t, env, c.query)
				res, err = env.DB.VerifyAudit(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var be *audit.BreakError
				if !errors.As(res.Err, &be) {
					t.Fatalf("tampering not detected: %+v", res)
				}
				if c.reason != "" && be.Reason != c.reason {
					t.Errorf("reason %q, want %q", be.Reason, c.reason)
				}
			})
		}
	}
}

// Reopening a database applies no migration twice and keeps the data.
func TestReopen(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		db, err := store.Open(ctx, env.URL, env.Dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		res, err := db.VerifyAudit(ctx)
		if err != nil || res.Err != nil || res.Records == 0 {
			t.Fatalf("%+v %v", res, err)
		}
	})
}

// A data directory whose name holds what a "file:" URI reads as syntax
// (%, ?, #) opens the database inside it, and the same one again.
func TestDataDirWithURISyntax(t *testing.T) {
	for _, name := range []string{"a%41b", "q?x=1", "h#1", "数据 目录"} {
		dir := filepath.Join(t.TempDir(), name)
		for range 2 {
			db, err := store.Open(ctx, "", dir)
			if err != nil {
				t.Fatalf("%q: %v", name, err)
			}
			db.Close()
		}
		if _, err := os.Stat(filepath.Join(dir, "yingji.db")); err != nil {
			t.Errorf("%q: %v", name, err)
		}
		if n, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "*")); len(n) != 1 {
			t.Errorf("%q: files beside the directory: %v", name, n)
		}
	}
}

// A file this version creates has 8 KiB pages and is in WAL mode; a file
// made by release 1 (4 KiB pages, rollback journal) keeps its page size,
// in its backups too, and is put in WAL mode.
func TestPageSizeAndWAL(t *testing.T) {
	header := func(path string) (pageSize int, wal bool) {
		b, err := os.ReadFile(path)
		if err != nil || len(b) < 100 {
			t.Fatalf("%s: %v (%d bytes)", path, err, len(b))
		}
		// The file header: page size at offset 16, big-endian; the write and
		// read versions at 18 and 19 are 2 in WAL mode.
		return int(b[16])<<8 | int(b[17]), b[18] == 2 && b[19] == 2
	}
	fresh := t.TempDir()
	old := t.TempDir()
	src, err := os.ReadFile(filepath.Join("testdata", "release-1", "yingji.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(old, "yingji.db"), src, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		dir  string
		want int
	}{{fresh, 8192}, {old, 4096}} {
		for range 2 { // made (or migrated), then opened again
			db, err := store.Open(ctx, "", c.dir)
			if err != nil {
				t.Fatal(err)
			}
			backup := filepath.Join(t.TempDir(), "backup.db")
			if err := db.BackupInto(ctx, backup); err != nil {
				t.Fatal(err)
			}
			db.Close()
			if size, wal := header(filepath.Join(c.dir, "yingji.db")); size != c.want || !wal {
				t.Errorf("%s: page size %d (want %d), WAL %v", c.dir, size, c.want, wal)
			}
			if size, _ := header(backup); size != c.want {
				t.Errorf("%s: the backup's page size %d, want %d", c.dir, size, c.want)
			}
		}
	}
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	if _, err := store.Open(ctx, "mysql://x", t.TempDir()); err == nil {
		t.Fatal("want an error for a mysql URL")
	}
}

// Nodes starting together on an empty PostgreSQL all come up.
func TestConcurrentOpen(t *testing.T) {
	for round := 0; round < 3; round++ {
		url := pgtest.New(t)
		var wg sync.WaitGroup
		errc := make(chan error, 4)
		for j := 0; j < 4; j++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db, err := store.Open(ctx, url, "")
				if err != nil {
					errc <- err
					return
				}
				db.Close()
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

// Someone with write access rewrites a record, re-seals every later one and
// moves the head: the chain alone verifies, an anchor kept outside catches it.
func TestAnchorCatchesRewrite(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		before, err := env.DB.VerifyAudit(ctx)
		if err != nil || before.Err != nil {
			t.Fatal(err, before.Err)
		}
		anchor := audit.Anchor{Seq: before.HeadSeq, Hash: before.Head}
		var recs []*audit.Record
		env.DB.Read(ctx, func(q *store.Q) error { recs, err = q.AuditRecords(0, 1000); return err })
		if err != nil || int64(len(recs)) != before.HeadSeq {
			t.Fatalf("%d records, %v", len(recs), err)
		}
		recs[2].Detail = `{"forged":true}`
		for i := 2; i < len(recs); i++ {
			r := recs[i]
			r.PrevHash, r.Hash = "", ""
			audit.Seal(r, recs[i-1])
			if err := env.DB.Raw(ctx, `UPDATE audit SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?`, r.Detail, r.PrevHash, r.Hash, r.Seq); err != nil {
				t.Fatal(err)
			}
		}
		last := recs[len(recs)-1]
		if err := env.DB.Raw(ctx, `UPDATE audit_head SET hash = ? WHERE id = 1`, last.Hash); err != nil {
			t.Fatal(err)
		}
		if res, _ := env.DB.VerifyAudit(ctx); res.Err != nil {
			t.Fatalf("a full rewrite is expected to pass the chain alone: %v", res.Err)
		}
		res, err := env.DB.VerifyAudit(ctx, anchor)
		var be *audit.BreakError
		if err != nil || !errors.As(res.Err, &be) || be.Reason != audit.ReasonAnchor {
			t.Fatalf("anchor did not catch the rewrite: %+v %v", res, err)
		}
	})
}
