package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yingji/internal/app"
	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// The report commands as an operator runs them against a data directory.
func TestReportCommands(t *testing.T) {
	data := demoData(t)
	// An active incident, made in-process on the same database.
	ctx := context.Background()
	db := openData(t, data)
	ap := app.New(db, nil)
	duty := mustUser(t, db, "duty")
	in, err := ap.Incidents.CreateIncident(ctx, duty, incidents.NewIncident{Title: "县政府门户网站遭受DDoS攻击𠮷🙂", Category: "network_attack", Level: 3,
		DiscoveredAt: time.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	a, err := ap.Incidents.RequestActivation(ctx, duty, in.ID, "重要会议期间")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ap.Incidents.Decide(ctx, mustUser(t, db, "chief"), a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
		t.Fatal(err)
	}
	dutyTok, err := ap.Accounts.IssueToken(ctx, user.System(), "duty", "cli", 0)
	if err != nil {
		t.Fatal(err)
	}
	cityTok, err := ap.Accounts.IssueToken(ctx, user.System(), "citydeputy", "cli", 0)
	if err != nil {
		t.Fatal(err)
	}
	// The chief signs, so he has a second factor; the command line asks
	// for its code after the password.
	chief := mustUser(t, db, "chief")
	if err := db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.StartTOTP(chief.ID, testkit.TOTPSecret); err != nil {
			return err
		}
		_, err := tx.UseTOTPStep(chief.ID, 1, true)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	key, err := user.DecodeTOTPSecret(testkit.TOTPSecret)
	if err != nil {
		t.Fatal(err)
	}
	chiefCode := user.TOTPCode(key, time.Now()) + "\n"
	db.Close()

	const pw = "pw-12345678\n"
	steps := []struct {
		env   []string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{nil, "", []string{"report", "draft", "1", "--kind", "daily", "--token", dutyTok}, 0, "已起草报告 1：县政府门户网站遭受DDoS攻击𠮷🙂每日情况报告（第1期）"},
		{[]string{"YINGJI_TOKEN=" + dutyTok}, "", []string{"report", "draft", "1", "--kind", "weekly"}, 1, "kind: 报告类型须为"},
		{nil, pw, []string{"report", "sign", "1", "--as", "duty", "--password-stdin"}, 1, "只有本单位领导小组组长、副组长可以签发报告"},
		// Naming a leader is not enough: no credential, no signature.
		{nil, "", []string{"report", "sign", "1", "--as", "chief"}, 1, "a credential is required"},
		{nil, pw, []string{"report", "sign", "1", "--as", "chief"}, 1, "a credential is required"}, // piped, not asked for
		{nil, "wrong\n", []string{"report", "sign", "1", "--as", "chief", "--password-stdin"}, 1, "用户名或密码错误"},
		{nil, "", []string{"report", "sign", "1", "--as", "chief", "--token", dutyTok}, 1, "the token belongs to duty"},
		{nil, "", []string{"report", "sign", "1", "--system"}, 1, "--system is for maintenance commands"},
		{nil, pw, []string{"report", "sign", "1", "--as", "chief", "--password-stdin"}, 1, "code"}, // the password alone is not enough
		// --as with his password wins over the duty officer's $YINGJI_TOKEN (the sequence of docs/reports.md).
		{[]string{"YINGJI_TOKEN=" + dutyTok}, pw + chiefCode, []string{"report", "sign", "1", "--as", "chief", "--password-stdin"}, 0, "已签发"},
		{[]string{"YINGJI_TOKEN=" + dutyTok}, "", []string{"report", "submit", "1"}, 0, "已报送"},
		{nil, "", []string{"report", "show", "1", "--token", dutyTok}, 0, "发文字号：青公网安〔"},
		{nil, "", []string{"report", "list", "1", "--token", dutyTok}, 0, "按时报送"},
		{nil, "", []string{"report", "document", "1", "--format", "pdf", "--out", filepath.Join(data, "r.pdf"), "--token", dutyTok}, 0, "已生成"},
		{nil, "", []string{"report", "timeliness", "--token", cityTok}, 0, "青神县公安局"},
		{nil, "", []string{"report", "show", "1"}, 1, "a credential is required"},
		{nil, "", []string{"report", "show", "1", "--token", "yj_forged"}, 1, ""},
	}
	for _, s := range steps {
		out, code := runIn(t, s.env, s.stdin, append(s.args, "--data", data)...)
		if code != s.code || !strings.Contains(out, s.want) {
			t.Errorf("%v: exit %d, want %d; output:\n%s", s.args, code, s.code, out)
		}
	}
	// The audit record says how each person proved who he was.
	db = openData(t, data)
	defer db.Close()
	via := map[string]string{}
	if err := db.Read(ctx, func(q *store.Q) error {
		recs, err := q.AuditRecords(0, 1000)
		for _, r := range recs {
			var d map[string]any
			json.Unmarshal([]byte(r.Detail), &d)
			if v, ok := d["via"].(string); ok {
				via[r.Action+" "+r.Actor] = v
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"report.draft duty": "cli-token", "report.sign chief": "cli-password", "report.submit duty": "cli-token"} {
		if via[k] != want {
			t.Errorf("%s: via %q, want %q (all: %v)", k, via[k], want, via)
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

// runIn runs the binary with stdin (not a terminal).
func runIn(t *testing.T, env []string, stdin string, args ...string) (string, int) {
	t.Helper()
	return runWith(t, env, strings.NewReader(stdin), args...)
}
