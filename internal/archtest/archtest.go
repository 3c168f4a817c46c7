// Package archtest enforces the architecture of design §1 and the determinism rules of style.md
// (points 5–7) on the source tree: which stretchsim packages may import which, and, inside the
// packages that run a simulation, no wall-clock time, no goroutines, channels or mutexes, and no
// global random numbers.
package archtest

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

// Module is the module path of stretchsim.
const Module = "github.com/stretchsim/stretchsim"

// allowed lists, for each component, the stretchsim components it may import (design §1:
// cmd/stretchsim → experiments → workloads → model → sim, experiments → plots). A component is a
// package directory below the module root with its subdirectories, the longest key that fits
// ("experiments/scenario" before "experiments"); a package missing from the table may import
// anything of stretchsim. experiments/scenario knows the scenario file format and nothing of runs,
// sweeps or results: experiments imports it, never the other way round. The packages below model
// know nothing of the model: model imports them, never the other way round, and so may whatever
// may import model. model/placement, model/conf and model/units are leaves; model/net (the
// network) builds on model/units and sim, model/kraft (the KRaft quorum) on model/net too.
var allowed = map[string][]string{
	"sim":                  {},
	"model/placement":      {},
	"model/conf":           {},
	"model/units":          {},
	"model/net":            {"model/units", "sim"},
	"model/kraft":          {"model/net", "model/units", "sim"},
	"model":                append([]string{"sim"}, belowModel...),
	"workloads":            append([]string{"model", "sim"}, belowModel...),
	"plots":                {},
	"experiments/scenario": append([]string{"workloads", "model", "sim"}, belowModel...),
	"experiments":          append([]string{"experiments/scenario", "workloads", "model", "sim", "plots"}, belowModel...),
}

// belowModel are the packages below model.
var belowModel = []string{"model/placement", "model/conf", "model/units", "model/net", "model/kraft"}

// deterministic lists the packages that run inside a simulation and so must be deterministic.
var deterministic = map[string]bool{
	"sim": true, "model/placement": true, "model/conf": true, "model/units": true, "model/net": true,
	"model/kraft": true, "model": true, "workloads": true,
}

// wallClock are the functions of package time that read or wait on the wall clock.
var wallClock = map[string]bool{
	"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true, "AfterFunc": true,
	"Tick": true, "NewTicker": true, "NewTimer": true,
}

// randConstructors are the functions of math/rand/v2 that build explicit sources; every other
// package-level function draws from the global source.
var randConstructors = map[string]bool{"New": true, "NewPCG": true, "NewChaCha8": true, "NewZipf": true}

// Violation is one broken rule at a source position.
type Violation struct {
	Pos  token.Position
	Rule string
}

func (v Violation) String() string { return fmt.Sprintf("%s: %s", v.Pos, v.Rule) }

// Component returns the component of the package in directory dir, a slash-separated path
// relative to the module root: the longest key of the import table that is dir or a parent of
// it, else dir's first element ("model/internal/x" is "model", "cmd/stretchsim" is "cmd").
func Component(dir string) string {
	best := ""
	for c := range allowed {
		if (dir == c || strings.HasPrefix(dir, c+"/")) && len(c) > len(best) {
			best = c
		}
	}
	if best != "" {
		return best
	}
	top, _, _ := strings.Cut(dir, "/")
	return top
}

// importComponent returns the component of a stretchsim import path, or "" for another module's.
func importComponent(importPath string) string {
	rest, ok := strings.CutPrefix(importPath, Module+"/")
	if !ok {
		return ""
	}
	return Component(rest)
}

// CheckFile reports the violations in one file of component pkg (as Component returns it, such as
// "model" or "experiments/scenario"). Test files are checked for imports only.
func CheckFile(fset *token.FileSet, pkg string, f *ast.File, isTest bool) []Violation {
	var out []Violation
	add := func(n ast.Node, format string, args ...any) {
		out = append(out, Violation{fset.Position(n.Pos()), fmt.Sprintf(format, args...)})
	}
	names := map[string]string{} // local name -> import path
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		checkImport(pkg, path, isTest, func(rule string) { add(imp, "%s", rule) })
		name := path[strings.LastIndex(path, "/")+1:]
		if path == "math/rand/v2" {
			name = "rand"
		}
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = path
	}
	if !deterministic[pkg] || isTest {
		return out
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			add(n, "go statement in deterministic package %s", pkg)
		case *ast.ChanType:
			add(n, "channel in deterministic package %s", pkg)
		case *ast.SelectorExpr:
			checkSelector(n, names, pkg, add)
		}
		return true
	})
	return out
}

func checkImport(pkg, path string, isTest bool, fail func(string)) {
	if allow, ok := allowed[pkg]; ok && !isTest {
		if dep := importComponent(path); dep != "" && dep != pkg && !contains(allow, dep) {
			fail(fmt.Sprintf("%s must not import %s (design §1)", pkg, path))
		}
	}
	if deterministic[pkg] && !isTest {
		switch path {
		case "math/rand":
			fail(fmt.Sprintf("%s must not import math/rand: use a named sim stream", pkg))
		case "sync", "sync/atomic":
			fail(fmt.Sprintf("%s must not import %s: a run is single-threaded", pkg, path))
		}
	}
}

func checkSelector(n *ast.SelectorExpr, names map[string]string, pkg string, add func(ast.Node, string, ...any)) {
	id, ok := n.X.(*ast.Ident)
	if !ok {
		return
	}
	switch names[id.Name] {
	case "time":
		if wallClock[n.Sel.Name] {
			add(n, "wall-clock time.%s in deterministic package %s", n.Sel.Name, pkg)
		}
	case "math/rand/v2":
		if ast.IsExported(n.Sel.Name) && !randConstructors[n.Sel.Name] && !isRandType(n.Sel.Name) {
			add(n, "global random number rand.%s in deterministic package %s", n.Sel.Name, pkg)
		}
	}
}

func isRandType(name string) bool {
	switch name {
	case "Rand", "Source", "PCG", "ChaCha8", "Zipf":
		return true
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
