package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The pages and the overview reads name people by id (accounts.UserNames)
// or read one organisation's users (accounts.OrgUsers), never every account
// on each view: Accounts.ListUsers is for the operator's command line, the
// demo and the benchmark.
func TestPagesDoNotReadEveryAccount(t *testing.T) {
	for _, dir := range []string{"../web", "../dashboard"} {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "ListUsers" {
					t.Errorf("%s reads every account (ListUsers): read the names shown by id (UserNames) or the organisation's users (OrgUsers)", path)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
