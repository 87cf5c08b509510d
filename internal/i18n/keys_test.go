package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// keyUses are the places a message key is written as a literal in the code:
// errs.New(code, "k"), errs.Field(f, "k"), Key: "k", i18n.T(l, "k"),
// Problem{"f", "k"}, the registry checker's add("f", "k"), Key = "k".
var keyUses = regexp.MustCompile(`(?:errs\.New\([^,()]+,\s*|errs\.Field\([^,()]+,\s*|\bKey:\s*|i18n\.T\([^,()]+,\s*|Problem\{"[^"]*",\s*|\.add\("[^"]*",\s*|\bKey\s*=\s*)"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"(\s*\+)?`)

// Every message key the code can emit is in the catalogue: a missing one
// reaches the user as the raw key (a GBK file answered "registry.not_utf8").
func TestEveryKeyInCatalogue(t *testing.T) {
	root := filepath.Join("..", "..")
	missing := map[string][]string{}
	n := 0
	for _, dir := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range keyUses.FindAllStringSubmatch(string(src), -1) {
				if m[2] != "" {
					continue // a prefix: "reg.ledger_" + kind
				}
				n++
				if !Has(m[1]) {
					missing[m[1]] = append(missing[m[1]], path)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 200 {
		t.Fatalf("only %d key uses found: the pattern no longer matches the code", n)
	}
	var keys []string
	for k := range missing {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Errorf("%s is not in the catalogue (used in %s)", k, strings.Join(missing[k], ", "))
	}
}
