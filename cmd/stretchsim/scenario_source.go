package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// stdinName names standard input in errors ("<stdin>:12: topics[0]...").
const stdinName = "<stdin>"

// loadScenario reads the scenario arg names, applying the --set overrides: "" is the built-in
// default, "-" standard input, an existing file that file, and a bare name that is not a file
// (no directory, no extension: "three-site") the embedded example of that name. A malformed --set
// is a usage error; a bad scenario is a failure naming file, line and field.
func loadScenario(arg string, stdin io.Reader, sets []string) (*scenario.Scenario, error) {
	sc, _, err := loadScenarioText(arg, stdin, sets)
	return sc, err
}

// loadScenarioText is loadScenario, also returning the text of the scenario file as it was read
// (before the overrides).
func loadScenarioText(arg string, stdin io.Reader, sets []string) (*scenario.Scenario, []byte, error) {
	for _, s := range sets {
		if !strings.Contains(s, "=") {
			return nil, nil, usageErrorf("--set takes PATH=VALUE, got %q", s)
		}
	}
	opts := scenario.Options{Sets: sets}
	var sc *scenario.Scenario
	var data []byte
	var err error
	switch arg {
	case "":
		sc, data, err = loadEmbedded(scenarios.Default, opts)
	case "-":
		sc, data, err = loadStdin(stdin, opts)
	default:
		if _, statErr := os.Stat(arg); errors.Is(statErr, os.ErrNotExist) {
			file, ok := scenarios.Lookup(arg)
			if !ok {
				return nil, nil, notFound(arg)
			}
			sc, data, err = loadEmbedded(file, opts)
			break
		}
		if data, err = scenario.ReadRegularFile(arg); err == nil {
			opts.BaseDir = filepath.Dir(arg)
			sc, err = scenario.Parse(arg, data, opts)
		}
	}
	if setErr := (*scenario.SetError)(nil); errors.As(err, &setErr) {
		return nil, nil, usageErrorf("%w", setErr) // a --set path that does not fit: a malformed flag
	}
	return sc, data, err
}

// loadEmbedded loads the embedded scenario file. Its empirical(...) sample files are embedded
// beside it; a file that is not (one named by --set) is read from disk, relative to the current
// directory, as the scenario has no directory on disk.
func loadEmbedded(file string, opts scenario.Options) (*scenario.Scenario, []byte, error) {
	data, err := fs.ReadFile(scenarios.FS, file)
	if err != nil {
		return nil, nil, err
	}
	opts.BaseDir = "."
	opts.ReadFile = func(name string) ([]byte, error) {
		if data, err := fs.ReadFile(scenarios.FS, filepath.ToSlash(name)); err == nil {
			return data, nil
		}
		return scenario.ReadRegularFile(name)
	}
	sc, err := scenario.LoadFS(scenarios.FS, file, opts)
	return sc, data, err
}

// notFound is the error for a scenario that is neither a file nor a built-in name.
func notFound(arg string) error {
	if name, ok := strings.CutSuffix(filepath.Base(arg), ".yaml"); ok {
		if _, builtin := scenarios.Lookup(name); builtin {
			return fmt.Errorf("scenario %s: no such file (the built-in example of that name is `%s`)", arg, name)
		}
	}
	if !strings.ContainsAny(arg, `/\.`) {
		return fmt.Errorf("scenario %s: no such file, nor a built-in scenario of that name (`stretchsim scenarios` lists them)", arg)
	}
	return fmt.Errorf("scenario %s: no such file", arg)
}

// checkScenarioArg rejects an empty scenario argument (an unset shell variable, most likely),
// which would otherwise stand for the built-in default.
func checkScenarioArg(arg string) error {
	if strings.TrimSpace(arg) == "" {
		return usageErrorf("the scenario argument is empty: give a file, a built-in scenario name or -")
	}
	return nil
}

// loadStdin reads a scenario from standard input; its sample files are relative to the current
// directory, as it has no directory of its own.
func loadStdin(stdin io.Reader, opts scenario.Options) (*scenario.Scenario, []byte, error) {
	if stdin == nil {
		stdin = os.Stdin
	}
	data, err := io.ReadAll(stdin)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", stdinName, err)
	}
	opts.BaseDir = "."
	sc, err := scenario.Parse(stdinName, data, opts)
	return sc, data, err
}
