package archtest

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const (
	mod   = "yingji/"
	store = "yingji/internal/store"
	web   = "yingji/internal/web"
)

// webStoreAllowed are the store identifiers the web packages may still
// name, each "package store.Identifier" with why. It is empty: the types
// use-case signatures carry (filters, rows, login stages, the audit
// chain's differing rows) are defined by the domain packages that own
// their nouns (incident.Filter, duty.Change/Handover/LogEntry, user.Token
// and the login stages, registry.Filter, audit.StateError), and the store
// uses those. Any store name in web fails the test; an entry added here and
// no longer used fails too.
var webStoreAllowed = map[string]string{}

// demoStoreAllowed are the store identifiers the demo and the benchmark
// seeding still name. The demo names none: it reads and writes through the
// use cases as the system actor. The benchmark's bulk fixture writes its
// rows and audit records straight to the database, on purpose (a fixture
// helper named as such: 100,000 incidents through the use cases would take
// the benchmark's time in seeding).
var demoStoreAllowed = map[string]string{
	"yingji/internal/bench store.DB":         "the benchmark seeds its rows straight into the database",
	"yingji/internal/bench store.Tx":         "the benchmark seeds its rows straight into the database",
	"yingji/internal/bench store.AuditEntry": "the benchmark writes its audit rows itself",
}

// cmdWebAllowed are the cmd/yingji files besides serve.go that still import
// a web package, with why: each goes when the use case it borrows from web
// has moved (issue 8).
var cmdWebAllowed = map[string]string{
	// A test may start the server to hold the CLI's output to the API's.
	"dutynow_test.go": "`yingji duty now --json` must answer as GET /api/v1/duty/now",
}

// data are packages of the module that hold only embedded files (the
// shipped plans), which a domain package may read.
var data = map[string]bool{mod + "plans": true}

// domain are the pure packages: types and rules, no store, no use cases, no
// core. They may import one another.
var domain = []string{"plan", "incident", "report", "duty", "registry", "user", "deadline", "audit", "org", "access", "cleantext", "errs", "i18n", "warning", "signal", "alertrule", "bulletin", "linktoken", "event"}

type pkg struct {
	ImportPath, Dir                    string
	GoFiles, TestGoFiles, XTestGoFiles []string
	Imports, Deps                      []string
}

// list runs go list -json on patterns.
func list(t *testing.T, args ...string) []pkg {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, stderr.Bytes())
	}
	var ps []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

// storeUses returns the store identifiers the package's non-test files
// name, as "package store.Identifier", with the files naming each.
func storeUses(t *testing.T, p pkg) map[string][]string {
	t.Helper()
	uses := map[string][]string{}
	fset := token.NewFileSet()
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		local := ""
		for _, im := range f.Imports {
			if path, _ := strconv.Unquote(im.Path.Value); path == store {
				local = "store"
				if im.Name != nil {
					local = im.Name.Name
				}
			}
		}
		if local == "" {
			continue
		}
		if local == "_" || local == "." {
			uses[p.ImportPath+" store"+local] = append(uses[p.ImportPath+" store"+local], name)
			continue
		}
		seen := map[string]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == local && x.Obj == nil {
					k := p.ImportPath + " store." + sel.Sel.Name
					if !seen[k] {
						seen[k] = true
						uses[k] = append(uses[k], name)
					}
				}
			}
			return true
		})
	}
	return uses
}

// checkStoreUses fails on a store identifier outside allowed, and on an
// allowed one no longer used.
func checkStoreUses(t *testing.T, ps []pkg, allowed map[string]string, rule string) {
	t.Helper()
	used := map[string][]string{}
	for _, p := range ps {
		for k, files := range storeUses(t, p) {
			used[k] = files
		}
	}
	var keys []string
	for k := range used {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := allowed[k]; !ok {
			t.Errorf("%s: %s (in %s); go through a use case instead", rule, k, strings.Join(used[k], ", "))
		}
	}
	for k := range allowed {
		if used[k] == nil {
			t.Errorf("%s: %s is allowed but no longer used: delete it from the allow-list", rule, k)
		}
	}
}

// TestWebReachesStoreOnlyThroughUseCases: the web packages name nothing of
// internal/store beyond webStoreAllowed.
func TestWebReachesStoreOnlyThroughUseCases(t *testing.T) {
	ps := list(t, web+"/...")
	if len(ps) < 3 {
		t.Fatalf("go list found %d web packages", len(ps))
	}
	checkStoreUses(t, ps, webStoreAllowed, "web names the store")
}

// TestDemoAndBenchThroughUseCases: the demo and the benchmark seeding name
// nothing of internal/store beyond demoStoreAllowed.
func TestDemoAndBenchThroughUseCases(t *testing.T) {
	checkStoreUses(t, list(t, mod+"internal/demo", mod+"internal/bench"), demoStoreAllowed, "demo/bench name the store")
}

// TestOnlyServeBuildsTheWebServer: no file of cmd/yingji but serve.go (and
// cmdWebAllowed) imports a web package, tests included.
func TestOnlyServeBuildsTheWebServer(t *testing.T) {
	ps := list(t, mod+"cmd/yingji")
	p := ps[0]
	fset := token.NewFileSet()
	using := map[string]bool{}
	for _, name := range slices.Concat(p.GoFiles, p.TestGoFiles, p.XTestGoFiles) {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			if path == web || strings.HasPrefix(path, web+"/") {
				using[name] = true
				if _, ok := cmdWebAllowed[name]; !ok && name != "serve.go" {
					t.Errorf("cmd/yingji/%s imports %s: only serve.go builds the web server; call the use cases", name, path)
				}
			}
		}
	}
	if !using["serve.go"] {
		t.Error("serve.go no longer imports the web server: the rule names the wrong file")
	}
	for name := range cmdWebAllowed {
		if !using[name] {
			t.Errorf("cmd/yingji/%s is allowed to import web but no longer does: delete it from the allow-list", name)
		}
	}
}

// TestDomainPackagesArePure: a domain package depends (directly or not) on
// no package of this module outside the domain: not the store, not
// internal/core, no use case.
func TestDomainPackagesArePure(t *testing.T) {
	var paths []string
	isDomain := map[string]bool{}
	for _, d := range domain {
		paths = append(paths, mod+"internal/"+d)
		isDomain[mod+"internal/"+d] = true
	}
	ps := list(t, paths...)
	if len(ps) != len(domain) {
		t.Fatalf("go list found %d of %d domain packages", len(ps), len(domain))
	}
	for _, p := range ps {
		for _, dep := range p.Deps {
			if strings.HasPrefix(dep, mod) && !isDomain[dep] && !data[dep] {
				t.Errorf("%s depends on %s: a domain package imports neither the store, nor internal/core, nor a use case", p.ImportPath, dep)
			}
		}
	}
}

// TestWebSidesApart: the API and the console do not import each other, and
// what they share (httpx, timeline) imports neither them nor the
// server that assembles them.
func TestWebSidesApart(t *testing.T) {
	forbidden := map[string][]string{
		web + "/api":      {web, web + "/console"},
		web + "/console":  {web, web + "/api"},
		web + "/httpx":    {web, web + "/api", web + "/console"},
		web + "/timeline": {web, web + "/api", web + "/console"},
	}
	var paths []string
	for p := range forbidden {
		paths = append(paths, p)
	}
	ps := list(t, paths...)
	if len(ps) != len(forbidden) {
		t.Fatalf("go list found %d of %d web packages", len(ps), len(forbidden))
	}
	for _, p := range ps {
		for _, dep := range p.Deps {
			if slices.Contains(forbidden[p.ImportPath], dep) {
				t.Errorf("%s depends on %s", p.ImportPath, dep)
			}
		}
	}
}
