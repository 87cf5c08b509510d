package main

import (
	"strings"
	"testing"
)

// TestIntakeSourceCLIHints: what tripped a newcomer at `yingji intake
// source`: without --org he was told no organisation named "" was
// found; a subcommand typed wrong answered "unknown"; a new syslog source
// told him only how to POST, not the serve flags its listeners need.
func TestIntakeSourceCLIHints(t *testing.T) {
	dir := t.TempDir()
	dbArgs := []string{"--data", dir}
	if out, code := run(t, []string{"YINGJI_DEMO_PASSWORD=cli-test-pw-1"}, append([]string{"demo"}, dbArgs...)...); code != 0 {
		t.Fatal(out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"intake", "source", "list"}, "--org is required"},
		{[]string{"intake", "source", "add", "--name", "x", "--format", "json"}, "--org is required"},
		{[]string{"intake", "source", "--help"}, "usage: yingji intake source add"},
		{[]string{"intake", "source", "lsit"}, "usage: yingji intake source add"},
	} {
		out, code := run(t, nil, append(c.args, dbArgs...)...)
		if code == 0 || !strings.Contains(out, c.want) {
			t.Errorf("%v: %d %s, want %q", c.args, code, out, c.want)
		}
	}
	out, code := run(t, nil, append([]string{"intake", "source", "add", "--org", "青神县公安局", "--name", "边界防火墙", "--format", "syslog"}, dbArgs...)...)
	if code != 0 || !strings.Contains(out, "--syslog-source 1 --syslog-tcp") {
		t.Fatalf("syslog source: %d %s", code, out)
	}
}
