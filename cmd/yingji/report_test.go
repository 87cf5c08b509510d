package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yingji/internal/service"
	"yingji/internal/store"
	"yingji/internal/user"
)

// The report commands as an operator runs them against a data directory.
func TestReportCommands(t *testing.T) {
	data := t.TempDir()
	if out, code := run(t, []string{"YINGJI_DEMO_PASSWORD=pw-12345678"}, "demo", "--data", data); code != 0 {
		t.Fatalf("demo: %d %s", code, out)
	}
	// An active incident, made in-process on the same database.
	ctx := context.Background()
	db, err := store.Open(ctx, "", data)
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(db, nil)
	var duty, city = mustUser(t, db, "duty"), mustUser(t, db, "citydeputy")
	in, err := svc.CreateIncident(ctx, duty, service.NewIncident{Title: "县政府门户网站遭受DDoS攻击", Category: "network_attack", Level: 3,
		DiscoveredAt: time.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.RequestActivation(ctx, duty, in.ID, "重要会议期间")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Decide(ctx, city, a.ID, service.Decision{Approve: true, Opinion: "同意"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	steps := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", "draft", "1", "--kind", "daily", "--as", "duty"}, 0, "已起草报告 1：县政府门户网站遭受DDoS攻击每日情况报告（第1期）"},
		{[]string{"report", "draft", "1", "--kind", "weekly", "--as", "duty"}, 1, "kind: 报告类型须为"},
		{[]string{"report", "sign", "1", "--as", "duty"}, 1, "只有本单位领导小组组长、副组长可以签发报告"},
		{[]string{"report", "sign", "1", "--as", "chief"}, 0, "已签发"},
		{[]string{"report", "submit", "1", "--as", "duty"}, 0, "已报送"},
		{[]string{"report", "show", "1", "--as", "duty"}, 0, "发文字号：青公网安〔"},
		{[]string{"report", "list", "1", "--as", "duty"}, 0, "按时报送"},
		{[]string{"report", "document", "1", "--format", "pdf", "--out", filepath.Join(data, "r.pdf"), "--as", "duty"}, 0, "已生成"},
		{[]string{"report", "timeliness", "--as", "citydeputy"}, 0, "青神县公安局"},
		{[]string{"report", "show", "1"}, 1, "--as USER is required"},
	}
	for _, s := range steps {
		out, code := run(t, nil, append(s.args, "--data", data)...)
		if code != s.code || !strings.Contains(out, s.want) {
			t.Errorf("%v: exit %d, want %d; output:\n%s", s.args, code, s.code, out)
		}
	}
	if b, err := os.ReadFile(filepath.Join(data, "r.pdf")); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("pdf: %v", err)
	}
}

func mustUser(t *testing.T, db *store.DB, name string) *user.User {
	t.Helper()
	var u *user.User
	if err := db.Read(context.Background(), func(q *store.Q) error { var err error; u, err = q.UserByName(name); return err }); err != nil {
		t.Fatal(err)
	}
	return u
}
