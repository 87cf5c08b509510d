package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yingji/internal/app"
	"yingji/internal/evidence"
	"yingji/internal/exhibits"
	"yingji/internal/incidents"
)

// TestBackupRestoreCommands (issue 13): yingji backup copies the database
// and the evidence files, yingji restore into a fresh directory checks
// every file and the chain, and yingji evidence check names a file whose
// bytes changed (exit 1).
func TestBackupRestoreCommands(t *testing.T) {
	ctx := context.Background()
	data := demoData(t)
	db := openData(t, data)
	a := app.New(db, nil)
	var sha string
	func() {
		defer db.Close()
		duty := mustUser(t, db, "duty")
		in, err := a.Incidents.CreateIncident(ctx, duty, incidents.NewIncident{Title: "县政府网站被篡改", Category: "network_attack", Level: 4,
			DiscoveredAt: time.Now().Add(-time.Hour), DiscoveryMethod: "群众举报"})
		if err != nil {
			t.Fatal(err)
		}
		it, err := a.Evidence.Register(ctx, duty, in.ID, evidence.New{Kind: evidence.File, Description: "被篡改的首页", CollectedAt: time.Now(), CollectedBy: "张值班"})
		if err != nil {
			t.Fatal(err)
		}
		f, err := a.Evidence.AddFile(ctx, duty, it.ID, exhibits.Upload{Name: "index.html", Size: -1, Body: strings.NewReader("<html>hacked</html>")})
		if err != nil {
			t.Fatal(err)
		}
		sha = f.SHA256
	}()

	to := filepath.Join(t.TempDir(), "backup")
	if out, code := run(t, nil, "backup", "--to", to, "--data", data); code != 0 || !strings.Contains(out, "1 个证据文件") {
		t.Fatalf("backup: %d %s", code, out)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	if out, code := run(t, nil, "restore", "--from", to, "--data", restored); code != 0 || !strings.Contains(out, "证据文件 1 个均与登记的 SHA-256/SM3 一致") {
		t.Fatalf("restore: %d %s", code, out)
	}
	if _, code := run(t, nil, "restore", "--from", to, "--data", restored); code == 0 {
		t.Fatal("restore over a database")
	}
	if err := os.WriteFile(filepath.Join(restored, "files", sha[:2], sha), []byte("<html>clean</html>!"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, code := run(t, nil, "evidence", "check", "--data", restored); code != 1 || !strings.Contains(out, "index.html") {
		t.Fatalf("check after tampering: %d %s", code, out)
	}
}
