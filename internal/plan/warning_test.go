package plan

import (
	"io/fs"
	"strings"
	"testing"

	"yingji/plans"
)

// TestWarningRule: approvals.warning is validated like the other rules,
// with the error on its line; absent, the leading group's leader and
// deputy of the warning's own organisation approve.
func TestWarningRule(t *testing.T) {
	p, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	r := p.WarningRule()
	if r.Scope != ScopeSame || !r.Allows("group_leader") || !r.Allows("group_deputy") || r.Allows("duty_officer") || r.Allows("city_deputy") {
		t.Fatalf("shipped rule %+v", r)
	}
	base := string(mustRead(t))
	i := strings.Index(base, "  warning:\n")
	if i < 0 {
		t.Fatal("shipped plan has no approvals.warning")
	}
	end := strings.Index(base[i:], "\n\n") + i
	without := base[:i] + base[end:]
	p2, err := Parse("x.yaml", []byte(without))
	if err != nil {
		t.Fatal(err)
	}
	if d := p2.WarningRule(); d.Scope != ScopeSame || len(d.Roles) != 2 || d.Roles[0] != "group_leader" {
		t.Fatalf("default rule %+v", d)
	}
	for _, tt := range []struct{ repl, want string }{
		{"roles: [group_leader, group_deputy]\n    scope: same", `approvals.warning.roles`},
		{"roles: [nobody]\n    scope: same", `unknown role "nobody"`},
		{"roles: [group_leader]\n    scope: above", `unknown scope "above"`},
		{"roles: [group_leader]\n    scope: same\n    inform: [city_deputy]", `approvals.warning.inform`},
	} {
		bad := base
		if tt.repl != "" {
			bad = strings.Replace(base, "roles: [group_leader, group_deputy]\n    scope: same", tt.repl, 1)
		}
		if tt.want == "approvals.warning.roles" {
			bad = strings.Replace(base, "    roles: [group_leader, group_deputy]\n", "", 1)
		}
		_, err := Parse("x.yaml", []byte(bad))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: want error %q, got %v", tt.repl, tt.want, err)
			continue
		}
		// The error names the line of the warning section.
		if !strings.Contains(err.Error(), "x.yaml:") {
			t.Errorf("error without a line: %v", err)
		}
	}
}

func mustRead(t *testing.T) []byte {
	t.Helper()
	data, err := fs.ReadFile(plans.FS, plans.Default)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
