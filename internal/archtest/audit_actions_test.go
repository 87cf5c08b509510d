package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"yingji/internal/audit"
	"yingji/internal/event"
	"yingji/internal/evidence"
	"yingji/internal/i18n"
	"yingji/internal/monitor"
)

// families are the actions written as a prefix and a value chosen at run
// time ("evidence." + the custody action): the values are the domain's
// constants. A new prefix in the code fails TestEveryAuditActionNamed until
// it is listed here.
var families = map[string][]string{
	"evidence.": {string(evidence.Register), string(evidence.AddFile), string(evidence.View), string(evidence.Download),
		string(evidence.Export), string(evidence.Transfer), string(evidence.Seal), string(evidence.Unseal),
		string(evidence.Withdraw), string(evidence.Verify)},
	"monitor.": {string(monitor.EvDown), string(monitor.EvUp), string(monitor.EvChanged), string(monitor.EvRestored),
		string(monitor.EvExpiring), string(monitor.EvRenewed), string(monitor.EvCertChanged), string(monitor.EvDNSChanged)},
	"escalation.": {event.RuleResend, event.RuleMissing, event.RuleRemind, event.RuleNextUp, event.RuleOverdue},
	"alert.":      {event.HowPromoted, event.HowAttached, event.HowRule},
}

// TestEveryAuditActionNamed: every action code the code writes into the
// audit chain is in audit.Actions (the 审计记录 page's select) and has a
// name in both languages. The actions are read from the source, not from a
// run: a run leaves only the actions its scenario reaches, while every
// record is written through core.AuditEntry / core.Audited or a
// store.AuditEntry literal, whose action argument is a literal, a variable
// given literals in the same function (or a parameter given literals at
// the calls), or a known prefix plus a domain constant (families).
func TestEveryAuditActionNamed(t *testing.T) {
	found := map[string]string{} // action → where
	fset := token.NewFileSet()
	byDir := map[string][]*ast.File{}
	for _, root := range []string{"../../internal", "../../cmd"} {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			if strings.Contains(path, "/testkit") || strings.Contains(path, "test/") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			byDir[filepath.Dir(path)] = append(byDir[filepath.Dir(path)], f)
			return nil
		})
	}
	for _, files := range byDir {
		for _, f := range files {
			for _, decl := range f.Decls {
				fn, ok := decl.(*ast.FuncDecl)
				if !ok || fn.Body == nil || (fn.Name.Name == "AuditEntry" && f.Name.Name == "core") {
					continue // the helper itself passes its caller's action on
				}
				ast.Inspect(fn.Body, func(n ast.Node) bool {
					var action ast.Expr
					switch n := n.(type) {
					case *ast.CallExpr:
						if sel, ok := n.Fun.(*ast.SelectorExpr); ok && len(n.Args) > 1 {
							if x, ok := sel.X.(*ast.Ident); ok && x.Name == "core" && (sel.Sel.Name == "AuditEntry" || sel.Sel.Name == "Audited") {
								action = n.Args[1]
							}
						}
					case *ast.CompositeLit:
						if isAuditEntry(n.Type) {
							for _, el := range n.Elts {
								if kv, ok := el.(*ast.KeyValueExpr); ok {
									if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Action" {
										action = kv.Value
									}
								}
							}
						}
					}
					if action == nil {
						return true
					}
					where := fset.Position(action.Pos()).String()
					acts, ok := resolve(action, fn, files)
					if !ok {
						t.Errorf("%s: cannot tell which actions %s writes: use a literal, or list its prefix in families", where, render(action))
					}
					for _, a := range acts {
						found[a] = where
					}
					return true
				})
			}
		}
	}
	if len(found) < 50 {
		t.Fatalf("found only %d actions: the scan is broken", len(found))
	}
	for a, where := range found {
		if !slices.Contains(audit.Actions, a) {
			t.Errorf("%s writes audit action %q, which audit.Actions does not list", where, a)
		}
	}
	for _, a := range audit.Actions {
		key := "audit.action." + a
		if !i18n.Has(key) || i18n.T(i18n.ZH, key) == i18n.T(i18n.EN, key) {
			t.Errorf("audit action %q has no name in zh-CN and en (%s)", a, key)
		}
	}
}

func isAuditEntry(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "AuditEntry"
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && x.Name == "store" && e.Sel.Name == "AuditEntry"
	}
	return false
}

// resolve lists the action codes expression e may hold inside fn.
func resolve(e ast.Expr, fn *ast.FuncDecl, files []*ast.File) ([]string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(e.Value)
		return []string{s}, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return nil, false
		}
		if sel, ok := e.X.(*ast.SelectorExpr); ok {
			// kind + ".create": the kinds are the field's literals in the package
			suffix, ok := e.Y.(*ast.BasicLit)
			if !ok {
				return nil, false
			}
			sfx, _ := strconv.Unquote(suffix.Value)
			var out []string
			for _, v := range fieldLiterals(sel.Sel.Name, files) {
				out = append(out, v+sfx)
			}
			return out, len(out) > 0
		}
		lit, ok := e.X.(*ast.BasicLit)
		if !ok {
			return nil, false
		}
		prefix, _ := strconv.Unquote(lit.Value)
		vals, ok := families[prefix]
		if id, isIdent := e.Y.(*ast.Ident); isIdent && !ok {
			vals = localLiterals(id.Name, fn) // kind := "report_reminder"; … "report." + kind
			ok = len(vals) > 0
		}
		var out []string
		for _, v := range vals {
			out = append(out, prefix+v)
		}
		return out, ok
	case *ast.Ident:
		if out := localLiterals(e.Name, fn); len(out) > 0 {
			return out, true
		}
		return fromCallers(e.Name, fn, files)
	}
	return nil, false
}

// localLiterals lists the string literals assigned to name in fn.
func localLiterals(name string, fn *ast.FuncDecl) []string {
	var out []string
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name == name {
				if lit, ok := as.Rhs[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					out = append(out, s)
				}
			}
		}
		return true
	})
	return out
}

// fromCallers resolves a parameter of fn from the literals its callers in
// the same package pass.
func fromCallers(param string, fn *ast.FuncDecl, files []*ast.File) ([]string, bool) {
	idx, i := -1, 0
	for _, f := range fn.Type.Params.List {
		for _, n := range f.Names {
			if n.Name == param {
				idx = i
			}
			i++
		}
	}
	if idx < 0 {
		return nil, false
	}
	var out []string
	ok := true
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			c, isCall := n.(*ast.CallExpr)
			if !isCall || len(c.Args) <= idx {
				return true
			}
			name := ""
			switch fun := c.Fun.(type) {
			case *ast.Ident:
				name = fun.Name
			case *ast.SelectorExpr:
				name = fun.Sel.Name
			}
			if name != fn.Name.Name {
				return true
			}
			lit, isLit := c.Args[idx].(*ast.BasicLit)
			if !isLit {
				ok = false
				return true
			}
			s, _ := strconv.Unquote(lit.Value)
			out = append(out, s)
			return true
		})
	}
	return out, ok && len(out) > 0
}

// fieldLiterals lists the string literals given to the field name in the
// composite literals of files.
func fieldLiterals(name string, files []*ast.File) []string {
	var out []string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if kv, ok := n.(*ast.KeyValueExpr); ok {
				if k, ok := kv.Key.(*ast.Ident); ok && k.Name == name {
					if lit, ok := kv.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						out = append(out, s)
					}
				}
			}
			return true
		})
	}
	return out
}

func render(e ast.Expr) string {
	var b strings.Builder
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			b.WriteString(id.Name + " ")
		}
		return true
	})
	return b.String()
}
