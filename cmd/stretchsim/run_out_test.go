package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// An --out directory that cannot be created is reported before the simulation, which never runs.
func TestRunOutDirCheckedBeforeRun(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	var out bytes.Buffer
	opts := &runOptions{Out: &out, Format: "text", OutDir: filepath.Join(file, "sub"), OutSet: true,
		simulate: func(context.Context, *scenario.Scenario, experiments.RunOptions) (*experiments.Result, error) {
			t.Fatal("simulated although --out cannot be written")
			return nil, nil
		}}
	err := runRun(opts)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--out "+filepath.Join(file, "sub")+": cannot create the directory: not a directory")
	assert.Empty(t, out.String())

	code, stdout, stderr := runCLI(t, "run", "--out", filepath.Join(file, "sub"))
	assert.Equal(t, exitFailure, code)
	assert.Empty(t, stdout)
	assertErrorLine(t, stderr, "--out", false)
}

// When the directory fails after the run after all, the finished summary is still printed.
func TestRunOutDirFailsAfterRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	var out bytes.Buffer
	opts := &runOptions{Out: &out, Format: "text", OutDir: dir, OutSet: true,
		Sets: []string{"duration=2s", "warmup=1s"},
		simulate: func(_ context.Context, sc *scenario.Scenario, _ experiments.RunOptions) (*experiments.Result, error) {
			res, err := experiments.Run(sc)
			// The directory was fine when checked; now a file stands in its way.
			require.NoError(t, os.Remove(dir))
			require.NoError(t, os.WriteFile(dir, nil, 0o644))
			return res, err
		}}
	err := runRun(opts)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--out "+dir)
	assert.Contains(t, out.String(), "scenario default, seed 1: 2 s simulated")
	assert.Contains(t, out.String(), "invariants: all held")
}
