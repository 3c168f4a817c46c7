package archtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRepository walks every Go file of the module and fails on any violation.
func TestRepository(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	var checked int
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		pkg := Component(filepath.ToSlash(filepath.Dir(rel)))
		f, err := parser.ParseFile(fset, path, nil, 0)
		require.NoError(t, err)
		for _, v := range CheckFile(fset, pkg, f, strings.HasSuffix(path, "_test.go")) {
			t.Error(v)
		}
		checked++
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, checked, 5, "the walk must find the module's files")
}

// TestRulesCatchViolations feeds the checker sources that break each rule, so that the repository
// test cannot pass by checking nothing.
func TestRulesCatchViolations(t *testing.T) {
	cases := []struct {
		pkg, src, want string
	}{
		{"sim", `package sim; import _ "github.com/stretchsim/stretchsim/model"`, "must not import"},
		{"model", `package model; import _ "github.com/stretchsim/stretchsim/experiments"`, "must not import"},
		{"model/placement", `package placement; import _ "github.com/stretchsim/stretchsim/model"`, "must not import"},
		{"model/placement", `package placement; import _ "github.com/stretchsim/stretchsim/sim"`, "must not import"},
		{"model/placement", `package placement; import "math/rand/v2"; var x = rand.IntN(3)`, "global random"},
		{"model/conf", `package conf; import _ "github.com/stretchsim/stretchsim/model"`, "must not import"},
		{"model/conf", `package conf; import _ "github.com/stretchsim/stretchsim/model/placement"`, "must not import"},
		{"model/units", `package units; import _ "github.com/stretchsim/stretchsim/sim"`, "must not import"},
		{"model/net", `package net; import _ "github.com/stretchsim/stretchsim/model"`, "must not import"},
		{"model/net", `package net; import _ "github.com/stretchsim/stretchsim/model/conf"`, "must not import"},
		{"model/net", `package net; func f() { go f() }`, "go statement"},
		{"model/net", `package net; import _ "github.com/stretchsim/stretchsim/model/kraft"`, "must not import"},
		{"model/kraft", `package kraft; import _ "github.com/stretchsim/stretchsim/model"`, "must not import"},
		{"model/kraft", `package kraft; import "time"; var x = time.Now()`, "wall-clock"},
		{"plots", `package plots; import _ "github.com/stretchsim/stretchsim/sim"`, "must not import"},
		{"workloads", `package workloads; import _ "github.com/stretchsim/stretchsim/plots"`, "must not import"},
		{"experiments/scenario", `package scenario; import _ "github.com/stretchsim/stretchsim/experiments"`, "must not import"},
		{"experiments/scenario", `package scenario; import _ "github.com/stretchsim/stretchsim/plots"`, "must not import"},
		{"model", `package model; import "time"; var x = time.Now()`, "wall-clock"},
		{"sim", `package sim; import tm "time"; func f() { tm.Sleep(1) }`, "wall-clock"},
		{"model", `package model; func f() { go f() }`, "go statement"},
		{"workloads", `package workloads; var c chan int`, "channel"},
		{"model", `package model; import "math/rand/v2"; var x = rand.IntN(3)`, "global random"},
		{"model", `package model; import "math/rand"`, "math/rand"},
		{"sim", `package sim; import "sync"`, "single-threaded"},
	}
	for _, c := range cases {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "x.go", c.src, 0)
		require.NoError(t, err, c.src)
		vs := CheckFile(fset, c.pkg, f, false)
		require.Len(t, vs, 1, c.src)
		assert.Contains(t, vs[0].Rule, c.want, c.src)
	}
	ok := []struct{ pkg, src string }{
		{"model", `package model; import "time"; var d = time.Second`},
		{"model", `package model; import "math/rand/v2"; var r = rand.New(rand.NewChaCha8([32]byte{}))`},
		{"model", `package model; import _ "github.com/stretchsim/stretchsim/sim"`},
		{"model", `package model; import _ "github.com/stretchsim/stretchsim/model/placement"`},
		{"model", `package model; import _ "github.com/stretchsim/stretchsim/model/conf"`},
		{"model", `package model; import _ "github.com/stretchsim/stretchsim/model/net"`},
		{"model/net", `package net; import _ "github.com/stretchsim/stretchsim/model/units"`},
		{"model/net", `package net; import _ "github.com/stretchsim/stretchsim/sim"`},
		{"model/kraft", `package kraft; import _ "github.com/stretchsim/stretchsim/model/net"`},
		{"model", `package model; import _ "github.com/stretchsim/stretchsim/model/kraft"`},
		{"experiments", `package experiments; import _ "github.com/stretchsim/stretchsim/model/units"`},
		{"experiments/scenario", `package scenario; import _ "github.com/stretchsim/stretchsim/model/conf"`},
		{"experiments", `package experiments; import "time"; var x = time.Now()`},
		{"cmd", `package main; import _ "github.com/stretchsim/stretchsim/experiments"`},
		{"experiments", `package experiments; import _ "github.com/stretchsim/stretchsim/experiments/scenario"`},
		{"experiments/scenario", `package scenario; import _ "github.com/stretchsim/stretchsim/model"`},
	}
	for _, c := range ok {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "x.go", c.src, 0)
		require.NoError(t, err, c.src)
		assert.Empty(t, CheckFile(fset, c.pkg, f, false), c.src)
	}
}

// TestComponent: a package belongs to the most specific component of the import table.
func TestComponent(t *testing.T) {
	for dir, want := range map[string]string{
		"model":                     "model",
		"model/internal/x":          "model",
		"model/placement":           "model/placement",
		"model/placement/x":         "model/placement",
		"model/conf":                "model/conf",
		"model/net":                 "model/net",
		"model/kraft":               "model/kraft",
		"model/units":               "model/units",
		"experiments":               "experiments",
		"experiments/scenario":      "experiments/scenario",
		"experiments/scenario/deep": "experiments/scenario",
		"experiments/scenarios":     "experiments",
		"cmd/stretchsim":            "cmd",
		"scenarios":                 "scenarios",
	} {
		assert.Equal(t, want, Component(dir), dir)
	}
}
