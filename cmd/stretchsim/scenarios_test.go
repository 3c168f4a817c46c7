package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/scenarios"
)

// TestScenariosByName: outside the repository, `scenarios` lists every built-in example and
// validate and run take each by its bare name.
func TestScenariosByName(t *testing.T) {
	t.Chdir(t.TempDir())
	list, err := scenarios.List()
	require.NoError(t, err)

	code, out, errOut := runCLI(t, "scenarios")
	require.Equal(t, exitOK, code, errOut)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, len(list)+1, out)
	assert.Regexp(t, `^NAME\s+DESCRIPTION$`, lines[0])
	for i, e := range list {
		assert.Regexp(t, `^`+e.Name+`\s+`, lines[i+1])
		assert.True(t, strings.HasSuffix(lines[i+1], e.Description), lines[i+1])

		code, out, errOut := runCLI(t, "validate", e.Name)
		assert.Equal(t, exitOK, code, errOut)
		assert.True(t, strings.HasPrefix(out, e.File+": ok ("), out)
	}

	code, out, errOut = runCLI(t, "run", "three-site", "--set", "duration=2s", "--set", "warmup=1s")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "scenario three-site, seed 1: 2 s simulated")
}

// A file of the same name wins over the built-in example; names that are not built in, and
// built-in names spelt as missing files, get an error that says so.
func TestScenarioNameResolution(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	data, err := scenarios.FS.ReadFile("two-site.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "three-site"), data, 0o644))
	code, out, errOut := runCLI(t, "validate", "three-site")
	require.Equal(t, exitOK, code, errOut)
	assert.True(t, strings.HasPrefix(out, "three-site: ok (2 sites, "), out)

	for arg, want := range map[string]string{
		"nope":            "scenario nope: no such file, nor a built-in scenario of that name (`stretchsim scenarios` lists them)",
		"three-site.yaml": "scenario three-site.yaml: no such file (the built-in example of that name is `three-site`)",
		"sub/two-site":    "scenario sub/two-site: no such file",
	} {
		code, out, errOut := runCLI(t, "validate", arg)
		assert.Equal(t, exitFailure, code, arg)
		assert.Empty(t, out)
		assertErrorLine(t, errOut, want, false)
	}
}

// An empty scenario argument ("$FILE" unset) is a usage error, not the built-in default.
func TestEmptyScenarioArgument(t *testing.T) {
	for _, cmd := range []string{"run", "validate"} {
		code, out, errOut := runCLI(t, cmd, "")
		assert.Equal(t, exitUsage, code, cmd)
		assert.Empty(t, out)
		assertErrorLine(t, errOut, "the scenario argument is empty", true)
	}
}
