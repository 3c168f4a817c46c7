package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/scenarios"
)

// stdinName names standard input in errors ("<stdin>:12: topics[0]...").
const stdinName = "<stdin>"

// loadScenario reads the scenario arg names, applying the --set overrides: "" is the built-in
// default, "-" standard input, anything else a file. A malformed --set is a usage error; a bad
// scenario is a failure naming file, line and field.
func loadScenario(arg string, stdin io.Reader, sets []string) (*experiments.Scenario, error) {
	for _, s := range sets {
		if !strings.Contains(s, "=") {
			return nil, usageErrorf("--set takes PATH=VALUE, got %q", s)
		}
	}
	opts := experiments.Options{Sets: sets}
	var sc *experiments.Scenario
	var err error
	switch arg {
	case "":
		// The built-in scenario reads no sample files; one named by --set is on disk, relative to
		// the current directory.
		opts.ReadFile, opts.BaseDir = os.ReadFile, "."
		sc, err = experiments.LoadFS(scenarios.FS, scenarios.Default, opts)
	case "-":
		sc, err = loadStdin(stdin, opts)
	default:
		if _, statErr := os.Stat(arg); errors.Is(statErr, os.ErrNotExist) {
			return nil, fmt.Errorf("scenario %s: no such file", arg)
		}
		sc, err = experiments.Load(arg, opts)
	}
	if setErr := (*experiments.SetError)(nil); errors.As(err, &setErr) {
		return nil, usageErrorf("%w", setErr) // a --set path that does not fit: a malformed flag
	}
	return sc, err
}

// loadStdin reads a scenario from standard input; its sample files are relative to the current
// directory, as it has no directory of its own.
func loadStdin(stdin io.Reader, opts experiments.Options) (*experiments.Scenario, error) {
	if stdin == nil {
		stdin = os.Stdin
	}
	data, err := io.ReadAll(stdin)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", stdinName, err)
	}
	opts.BaseDir = "."
	return experiments.Parse(stdinName, data, opts)
}
