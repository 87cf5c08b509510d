package app_test

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"yingji/internal/app"
	"yingji/internal/incident"

	"yingji/internal/audit"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files")

// release1Anchor is what `yingji audit verify` printed for the first
// release's database (internal/store/testdata/release-1/README.md).
const release1Anchor = "139:acd075c103e959ba49f16e60e1d783ed537e1a33024cc0df0c1d5a51e1d019f1"

// TestRelease1Upgrade opens a copy of a database made by the first release
// with the current code: the migrations apply, the audit chain still holds
// the anchor an operator kept, and the incidents, timelines and reports read
// back as they were (testdata/release-1.golden). An operator's data outlives
// every version; this test is what keeps that promise.
func TestRelease1Upgrade(t *testing.T) {
	dir := t.TempDir()
	// The fixture lives with the store, whose migrations it exercises.
	copyFile(t, filepath.Join("..", "store", "testdata", "release-1", "yingji.db"), filepath.Join(dir, "yingji.db"))
	db, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatalf("open and migrate the release-1 database: %v", err)
	}
	defer db.Close()

	anchor, err := audit.ParseAnchor(release1Anchor)
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.VerifyAudit(ctx, anchor)
	if err != nil || res.Err != nil {
		t.Fatalf("verify against the release-1 anchor: %v %v", err, res.Err)
	}
	if res.Records < 139 {
		t.Fatalf("records %d, want at least 139", res.Records)
	}

	a := app.New(db, nil)
	var chief *user.User
	if err := db.Read(ctx, func(q *store.Q) error { chief, err = q.UserByName("chief"); return err }); err != nil {
		t.Fatal(err)
	}
	got := release1Dump(t, a, chief)
	testkit.Golden(t, filepath.Join("testdata", "release-1.golden"), got, *updateGolden)
}

// release1Dump prints what the county's chief sees: every incident with its
// timeline and its reports, in a stable order.
func release1Dump(t *testing.T, a *app.App, actor *user.User) string {
	t.Helper()
	var b strings.Builder
	list, err := a.Incidents.ListIncidents(ctx, actor, incident.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	for _, in := range list {
		fmt.Fprintf(&b, "incident %s %s %s level=%d %q discovered=%s\n", in.Number, in.Status, in.Category, in.Level, in.Title, in.DiscoveredAt.UTC().Format("2006-01-02T15:04:05Z"))
		entries, err := a.Incidents.Timeline(ctx, actor, in.ID, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			keys := make([]string, 0, len(e.Data))
			for k := range e.Data {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var data []string
			for _, k := range keys {
				data = append(data, fmt.Sprintf("%s=%q", k, e.Data[k]))
			}
			fmt.Fprintf(&b, "  entry %s %s by %d %s\n", e.At.UTC().Format("2006-01-02T15:04:05.000Z"), e.Kind, e.ActorID, strings.Join(data, " "))
		}
		reports, err := a.Reports.ListReports(ctx, actor, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reports {
			fmt.Fprintf(&b, "  report %d %s seq=%d v%d %s %q doc=%q sha256=%s\n", r.ID, r.Kind, r.Seq, r.Version, r.Status, r.Title, r.DocNumber, r.SHA256)
		}
	}
	return b.String()
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
