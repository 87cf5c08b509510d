package main

import (
	"regexp"
	"strings"
	"testing"
)

// The operator issues a token with an expiry, lists and revokes it, and
// resets a lost second factor, from the command line.
func TestUserTokenCommands(t *testing.T) {
	data := demoData(t)
	out, code := run(t, nil, "user", "token", "duty", "--expires", "7d", "--token-name", "laptop", "--data", data)
	if code != 0 || !strings.HasPrefix(out, "yj_") {
		t.Fatalf("issue: %d %s", code, out)
	}
	tok := strings.TrimSpace(out)
	if _, code := run(t, nil, "user", "token", "duty", "--expires", "5000d", "--data", data); code == 0 {
		t.Fatal("a token of 5000 days was issued")
	}
	out, code = run(t, nil, "user", "token", "list", "duty", "--data", data)
	if code != 0 || !strings.Contains(out, "laptop") || strings.Contains(out, tok) {
		t.Fatalf("list: %d %s", code, out)
	}
	m := regexp.MustCompile(`(?m)^(\d+)\s+laptop\s`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no id in %s", out)
	}
	if out, code := run(t, nil, "user", "token", "revoke", m[1], "--data", data); code != 0 || !strings.Contains(out, "已吊销") {
		t.Fatalf("revoke: %d %s", code, out)
	}
	if _, code := run(t, nil, "user", "token", "revoke", m[1], "--data", data); code == 0 {
		t.Fatal("revoked twice")
	}
	if out, code := run(t, nil, "user", "totp-reset", "admin", "--data", data); code != 0 {
		t.Fatalf("totp-reset: %d %s", code, out)
	}
	if out, code := run(t, nil, "audit", "verify", "--data", data); code != 0 {
		t.Fatalf("verify: %s", out)
	}
}
