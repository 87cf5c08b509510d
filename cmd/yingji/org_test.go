package main

import (
	"strings"
	"testing"
)

// TestOrgAndUserCommands: the operator sets up a second county and its
// administrators, and disables and enables an account, without SQL.
func TestOrgAndUserCommands(t *testing.T) {
	data := t.TempDir()
	env := []string{"YINGJI_PASSWORD=long-enough-1"}
	if out, code := run(t, nil, "demo", "--data", data); code != 0 {
		t.Fatalf("demo: %s", out)
	}
	out, code := run(t, nil, "org", "add", "--data", data, "--name", "丹棱县公安局", "--code", "DL", "--parent", "眉山市公安局")
	if code != 0 || !strings.Contains(out, "qingshen-cyber") {
		t.Fatalf("org add: %d %s", code, out)
	}
	if out, code := run(t, nil, "org", "add", "--data", data, "--name", "洪雅县公安局", "--code", "DL", "--parent", "眉山市公安局"); code == 0 || !strings.Contains(out, "code") {
		t.Fatalf("duplicate code: %d %s", code, out)
	}
	if out, code := run(t, nil, "org", "department", "--data", data, "丹棱县公安局", "fanzha", "--name", "反诈中心"); code != 0 {
		t.Fatalf("department: %s", out)
	}
	out, _ = run(t, nil, "org", "list", "--data", data)
	if !strings.Contains(out, "丹棱县公安局\t上级 眉山市公安局") || !strings.Contains(out, "fanzha") {
		t.Fatalf("org list:\n%s", out)
	}
	if out, code := run(t, env, "user", "add", "--data", data, "--org", "丹棱县公安局", "--username", "dlaudit", "--name", "丹棱审计员"); code != 0 {
		t.Fatalf("user add: %s", out)
	}
	if out, code := run(t, nil, "user", "roles", "dlaudit", "--roles", "audit_admin,duty_officer", "--data", data); code == 0 || !strings.Contains(out, "roles") {
		t.Fatalf("two roles with an administrator's: %d %s", code, out)
	}
	if out, code := run(t, nil, "user", "roles", "dlaudit", "--roles", "audit_admin", "--data", data); code != 0 {
		t.Fatalf("roles: %s", out)
	}
	if out, code := run(t, nil, "user", "disable", "dlaudit", "--data", data); code != 0 {
		t.Fatalf("disable: %s", out)
	}
	out, _ = run(t, nil, "user", "list", "--data", data)
	if !strings.Contains(out, "audit_admin\t已停用") {
		t.Fatalf("user list:\n%s", out)
	}
	run(t, nil, "user", "enable", "dlaudit", "--data", data)
	if out, _ = run(t, nil, "user", "list", "--data", data); strings.Contains(out, "已停用") {
		t.Fatalf("still disabled:\n%s", out)
	}
	if out, code := run(t, nil, "audit", "verify", "--data", data); code != 0 {
		t.Fatalf("verify: %s", out)
	}
}
