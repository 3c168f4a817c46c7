package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// sweepBase reads the base scenario of sw: for a sweep file, its key scenario, a file relative
// to the sweep file's directory or else a built-in scenario name; for a quick sweep (no file),
// the argument as `run` takes it: a file, else a built-in name, "" for the built-in default.
func sweepBase(sw *experiments.Sweep) (experiments.Base, error) {
	name := sw.Scenario
	if sw.File == "" {
		if name == "" {
			return embeddedBase(scenarios.Default)
		}
		if _, err := os.Stat(name); errors.Is(err, os.ErrNotExist) {
			if file, ok := scenarios.Lookup(name); ok {
				return embeddedBase(file)
			}
			return experiments.Base{}, notFound(name)
		}
		return fileBase(name)
	}
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(sw.File), name)
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if file, ok := scenarios.Lookup(name); ok {
			return embeddedBase(file)
		}
		what := "no such file"
		if !strings.ContainsAny(name, `/\.`) {
			what += ", nor a built-in scenario of that name (`stretchsim scenarios` lists them)"
		}
		return experiments.Base{}, &scenario.Error{File: sw.File, Line: sw.ScenarioLine, Path: "scenario",
			Err: fmt.Errorf("%s: %s", path, what)}
	}
	return fileBase(path)
}

func fileBase(path string) (experiments.Base, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return experiments.Base{}, err
	}
	return experiments.Base{File: path, Data: data, Opts: scenario.Options{BaseDir: filepath.Dir(path)}}, nil
}

// embeddedBase is the built-in scenario file, as loadEmbedded reads it: its empirical(...)
// sample files are embedded beside it, others are read relative to the current directory.
func embeddedBase(file string) (experiments.Base, error) {
	data, err := fs.ReadFile(scenarios.FS, file)
	if err != nil {
		return experiments.Base{}, err
	}
	opts := scenario.Options{BaseDir: ".", ReadFile: func(name string) ([]byte, error) {
		if data, err := fs.ReadFile(scenarios.FS, filepath.ToSlash(name)); err == nil {
			return data, nil
		}
		return os.ReadFile(name)
	}}
	return experiments.Base{File: file, Data: data, Opts: opts}, nil
}
