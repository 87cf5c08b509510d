package exhibits_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yingji/internal/errs"
	"yingji/internal/evidence"
	"yingji/internal/exhibits"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

var ctx = context.Background()

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newItem(t testing.TB, env *testkit.Env, incidentID int64, kind evidence.Kind) *evidence.Item {
	t.Helper()
	it, err := env.App.Evidence.Register(ctx, env.Users["duty"], incidentID, evidence.New{Kind: kind, Description: "门户网站 web 访问日志",
		Place: "县政府信息中心机房", CollectedAt: env.Clock.Now().Add(-time5m), CollectedBy: "张值班", Witnesses: "信息中心刘工"})
	must(t, err)
	return it
}

const time5m = 5 * 60 * 1e9

func upload(t testing.TB, env *testkit.Env, itemID int64, name, body string) *evidence.FileRef {
	t.Helper()
	f, err := env.App.Evidence.AddFile(ctx, env.Users["duty"], itemID, exhibits.Upload{Name: name, Size: int64(len(body)), Body: strings.NewReader(body)})
	must(t, err)
	return f
}

func custodyActions(t testing.TB, env *testkit.Env, itemID int64) string {
	t.Helper()
	var acts []string
	err := env.DB.Read(ctx, func(q *store.Q) error {
		cs, err := q.Custody(itemID)
		for _, c := range cs {
			acts = append(acts, string(c.Action)+":"+c.Actor)
		}
		return err
	})
	must(t, err)
	return strings.Join(acts, " ")
}

// TestRegisterCustody (issue 13): an item is registered with its number,
// a file is uploaded with both hashes, a second user reads and downloads
// it, custody moves by transfer, seal and unseal, a withdrawn item stays
// and takes no files; every act is a custody row in the verified audit
// chain, and an outsider is told "not found".
func TestRegisterCustody(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, deputy := env.Users["duty"], env.Users["deputy"]
		in := testkit.NewIncident(t, env, "network_attack")
		_, err := env.App.Evidence.Register(ctx, duty, in.ID, evidence.New{Kind: evidence.Physical, Description: "服务器硬盘",
			CollectedAt: env.Clock.Now(), CollectedBy: "张值班"})
		testkit.WantField(t, err, "seal_number")
		_, err = env.App.Evidence.Register(ctx, duty, in.ID, evidence.New{Kind: evidence.File, Description: "x",
			CollectedAt: env.Clock.Now().Add(3600e9), CollectedBy: "张值班"})
		testkit.WantField(t, err, "collected_at")

		it := newItem(t, env, in.ID, evidence.File)
		if it.Number != "ZJ-"+in.Number+"-001" || it.CustodianID != duty.ID || it.Status != evidence.Held {
			t.Fatalf("item %+v", it)
		}
		body := "2026-11-30 09:00:01 203.0.113.9 GET /admin.php 200\n"
		f := upload(t, env, it.ID, "访问日志 (1).log", body)
		sum := sha256.Sum256([]byte(body))
		if f.SHA256 != hex.EncodeToString(sum[:]) || len(f.SM3) != 64 || f.Size != int64(len(body)) || f.Name != "访问日志 (1).log" {
			t.Fatalf("file %+v", f)
		}
		// The same content again is stored once.
		upload(t, env, it.ID, "copy.log", body)
		// A name is kept as sent, for display; the content's path is its hash.
		if odd := upload(t, env, it.ID, "../../etc/passwd", "root:x:0:0\n"); odd.Name != "../../etc/passwd" {
			t.Fatalf("name %q", odd.Name)
		}

		v, err := env.App.Evidence.Item(ctx, deputy, it.ID)
		must(t, err)
		if len(v.Item.Files) != 3 {
			t.Fatalf("files %d", len(v.Item.Files))
		}
		got, r, err := env.App.Evidence.Download(ctx, deputy, it.ID, f.ID)
		must(t, err)
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil || string(b) != body || got.ID != f.ID {
			t.Fatalf("download %q %v", b, err)
		}

		outsider := testkit.OtherCounty(t, env)
		_, err = env.App.Evidence.Item(ctx, outsider, it.ID)
		testkit.WantCode(t, err, errs.NotFound)
		_, _, err = env.App.Evidence.Download(ctx, outsider, it.ID, f.ID)
		testkit.WantCode(t, err, errs.NotFound)
		_, err = env.App.Evidence.Items(ctx, outsider, in.ID)
		testkit.WantCode(t, err, errs.NotFound)

		xj := env.Users["xingjing"]
		_, err = env.App.Evidence.Change(ctx, duty, it.ID, evidence.Change{Action: evidence.Transfer, ToUserID: outsider.ID})
		testkit.WantField(t, err, "to_user_id")
		moved, err := env.App.Evidence.Change(ctx, duty, it.ID, evidence.Change{Action: evidence.Transfer, ToUserID: xj.ID, Reason: "送刑警大队"})
		must(t, err)
		if moved.CustodianID != xj.ID {
			t.Fatalf("custodian %d", moved.CustodianID)
		}
		_, err = env.App.Evidence.Change(ctx, xj, it.ID, evidence.Change{Action: evidence.Seal, SealNumber: "QS-FC-2026-001"})
		must(t, err)
		_, err = env.App.Evidence.AddFile(ctx, duty, it.ID, exhibits.Upload{Name: "a", Size: 1, Body: strings.NewReader("a")})
		testkit.WantCode(t, err, errs.Conflict)
		_, err = env.App.Evidence.Change(ctx, xj, it.ID, evidence.Change{Action: evidence.Unseal, Reason: "送检"})
		must(t, err)
		_, err = env.App.Evidence.Change(ctx, duty, it.ID, evidence.Change{Action: evidence.Withdraw})
		testkit.WantField(t, err, "reason")
		_, err = env.App.Evidence.Change(ctx, duty, it.ID, evidence.Change{Action: evidence.Withdraw, Reason: "与 ZJ-002 重复"})
		must(t, err)
		_, err = env.App.Evidence.AddFile(ctx, duty, it.ID, exhibits.Upload{Name: "a", Size: 1, Body: strings.NewReader("a")})
		testkit.WantCode(t, err, errs.Conflict)

		reg, err := env.App.Evidence.Items(ctx, duty, in.ID)
		must(t, err)
		if len(reg.Items) != 1 || reg.Items[0].Status != evidence.Withdrawn || reg.Items[0].Reason != "与 ZJ-002 重复" {
			t.Fatalf("register %+v", reg.Items[0])
		}
		want := "register:duty add_file:duty add_file:duty add_file:duty view:deputy download:deputy transfer:duty seal:xingjing unseal:xingjing withdraw:duty"
		if got := custodyActions(t, env, it.ID); got != want {
			t.Fatalf("custody\n got %s\nwant %s", got, want)
		}
		testkit.AuditCount(t, env) // the chain and the covered rows verify
	})
}

// TestUploadLimits: a declared size over the limit is refused before a
// byte is read; an undeclared one stops at the limit; an upload cut off
// half-way registers nothing and leaves no file behind.
func TestUploadLimits(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		env.App.Evidence.MaxUpload = 1000
		in := testkit.NewIncident(t, env, "network_attack")
		it := newItem(t, env, in.ID, evidence.File)
		never := readerFunc(func([]byte) (int, error) { t.Fatal("body read"); return 0, nil })
		_, err := env.App.Evidence.AddFile(ctx, env.Users["duty"], it.ID, exhibits.Upload{Name: "big", Size: 1001, Body: never})
		if !exhibits.IsTooLarge(err) {
			t.Fatalf("declared: %v", err)
		}
		_, err = env.App.Evidence.AddFile(ctx, env.Users["duty"], it.ID, exhibits.Upload{Name: "big", Size: -1, Body: bytes.NewReader(make([]byte, 5000))})
		if !exhibits.IsTooLarge(err) {
			t.Fatalf("undeclared: %v", err)
		}
		cut := io.MultiReader(strings.NewReader("half"), readerFunc(func([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }))
		_, err = env.App.Evidence.AddFile(ctx, env.Users["duty"], it.ID, exhibits.Upload{Name: "cut", Size: 100, Body: cut})
		testkit.WantField(t, err, "file")
		reg, err := env.App.Evidence.Items(ctx, env.Users["duty"], in.ID)
		must(t, err)
		if n := len(reg.Items[0].Files); n != 0 {
			t.Fatalf("%d files registered", n)
		}
		var blobs []string
		must(t, env.DB.Read(ctx, func(q *store.Q) error { blobs, err = q.EvidenceBlobs(); return err }))
		if len(blobs) != 0 {
			t.Fatalf("blobs %v", blobs)
		}
		if env.URL == "" {
			left, _ := filepath.Glob(filepath.Join(env.Dir, "files", "*"))
			if len(left) != 0 {
				t.Fatalf("left behind: %v", left)
			}
		} else {
			var n int
			must(t, env.DB.Read(ctx, func(q *store.Q) error { n, err = q.EvidenceChunkCount(); return err }))
			if n != 0 {
				t.Fatalf("%d chunks left", n)
			}
		}
	})
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// TestCorruptContent: stored bytes changed behind yingji's back are never
// served as good: the download fails before its end, Verify names the
// file, and the finding is on the custody log.
func TestCorruptContent(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := testkit.NewIncident(t, env, "network_attack")
		it := newItem(t, env, in.ID, evidence.File)
		body := strings.Repeat("0123456789abcdef", 20000) // 320 kB: several chunks of the reader
		f := upload(t, env, it.ID, "dump.bin", body)
		flipByte(t, env, f.SHA256, 1000)

		_, r, err := env.App.Evidence.Download(ctx, env.Users["duty"], it.ID, f.ID)
		must(t, err)
		b, err := io.ReadAll(r)
		if !errors.Is(err, exhibits.ErrCorrupt) || len(b) >= len(body) {
			t.Fatalf("read %d bytes, %v", len(b), err)
		}
		checks, err := env.App.Evidence.Verify(ctx, env.Users["duty"], it.ID)
		must(t, err)
		if len(checks) != 1 || checks[0].OK || checks[0].Why != "sha256" {
			t.Fatalf("checks %+v", checks)
		}
		n, bad, err := env.App.Evidence.VerifyAll(ctx)
		must(t, err)
		if n != 1 || len(bad) != 1 {
			t.Fatalf("verify all %d %v", n, bad)
		}
		if got := custodyActions(t, env, it.ID); !strings.HasSuffix(got, "download:duty verify:system verify:duty") {
			t.Fatalf("custody %s", got)
		}
	})
}

// flipByte changes one stored byte of content.
func flipByte(t testing.TB, env *testkit.Env, sha string, at int) {
	t.Helper()
	if env.URL == "" {
		p := filepath.Join(env.Dir, "files", sha[:2], sha)
		b, err := os.ReadFile(p)
		must(t, err)
		b[at] ^= 1
		must(t, os.WriteFile(p, b, 0o600))
		return
	}
	must(t, env.DB.Raw(ctx, `UPDATE evidence_chunks SET data = overlay(data placing '\x00'::bytea from ? for 1) WHERE blob = ? AND n = 0`, at+1, sha))
}
