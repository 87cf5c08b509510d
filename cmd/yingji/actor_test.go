package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yingji/internal/registry"
	"yingji/internal/store"
)

// TestRegistryActsAsSomeone: a ledger import runs as a person proven by his
// credential or, on purpose, as the system; never as nobody in particular.
// The audit records say which.
func TestRegistryActsAsSomeone(t *testing.T) {
	data := demoData(t)
	dir := t.TempDir()
	csv := func(name string, n int) string {
		f := filepath.Join(dir, name)
		os.WriteFile(f, []byte("序号,单位名称,单位类型,统一社会信用代码,联系电话\n1,单位"+name+",企业,"+registry.CreditCodeFor(n)+",028-38800001\n"), 0o644)
		return f
	}
	a, b := csv("a.csv", 1), csv("b.csv", 2)
	if out, code := run(t, nil, "registry", "import", "units", a, "--data", data); code != 1 || !strings.Contains(out, "--system (the system actor") {
		t.Fatalf("no actor: %d %s", code, out)
	}
	if out, code := runIn(t, nil, "pw-12345678\n", "registry", "import", "units", a, "--as", "duty", "--password-stdin", "--data", data); code != 0 || !strings.Contains(out, "新增 1") {
		t.Fatalf("as duty: %d %s", code, out)
	}
	if out, code := run(t, nil, "registry", "import", "units", b, "--system", "--data", data); code != 0 || !strings.Contains(out, "新增 1") {
		t.Fatalf("as the system: %d %s", code, out)
	}
	ctx := context.Background()
	db := openData(t, data)
	defer db.Close()
	var got []string
	db.Read(ctx, func(q *store.Q) error {
		recs, err := q.AuditRecords(0, 1000)
		for _, r := range recs {
			if r.Action == "registry.import" {
				var d map[string]any
				json.Unmarshal([]byte(r.Detail), &d)
				got = append(got, r.Actor+":"+d["via"].(string))
			}
		}
		return err
	})
	if strings.Join(got, " ") != "duty:cli-password system:system" {
		t.Fatalf("registry.import records: %v", got)
	}
}
