package plan

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"yingji/plans"
)

// FuzzParse checks that no input makes Parse panic, and that its result is
// always either a usable plan or located errors.
func FuzzParse(f *testing.F) {
	if data, err := fs.ReadFile(plans.FS, plans.Default); err == nil {
		f.Add(data)
	}
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		base,
		"",
		"---\n",
		"key: a: b\n",
		"a: &x [*x]\n",
		"<<: *x\n",
		"key: [\n",
		"categories:\n  - phases:\n      - tasks:\n          - due: -1d\n",
		"reports: {daily: {at: '99:99', reminders: [1d1h, x]}}\n",
		"time_zone: ../../etc/passwd\n",
		"\xef\xbb\xbfkey: bom\n",
		"key: x\r\nversion: 1\r\n\tbad\r\n",
		"? [a, b]\n: c\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("f.yaml", data)
		if err == nil {
			if p == nil || p.Location == nil || len(p.Categories) == 0 {
				t.Fatalf("plan without error is incomplete: %+v", p)
			}
			return
		}
		if p != nil {
			t.Fatal("plan returned with an error")
		}
		var errs Errors
		if !errors.As(err, &errs) || len(errs) == 0 {
			t.Fatalf("error %T %v is not a non-empty Errors", err, err)
		}
		lines := lineAt(data, len(data))
		for _, e := range errs {
			if e.File != "f.yaml" || e.Line < 1 || e.Line > lines || e.Msg == "" {
				t.Fatalf("badly located error %+v", e)
			}
		}
	})
}
