package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
)

const exploreDesign = "../../experiments/testdata/explore/three-site.yaml"

// Bad flags are usage errors that name the flag.
func TestExploreBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--runs", "0"}, "--runs must be from 1 to 10000, got 0"},
		{[]string{"--faults", "-1"}, "--faults must be from 1 to 10000, got -1"},
		{[]string{"--faults", "100000"}, "--faults must be from 1 to 10000, got 100000"},
		{[]string{"--fault-duration", "0s"}, "--fault-duration must be at least 1ms"},
		{[]string{"--recovery", "10ms"}, "--recovery must be at least 1s"},
		{[]string{"--format", "yaml"}, `--format must be text or json, got "yaml"`},
		{[]string{"--parallel", "0"}, "--parallel must be at least 1"},
		{[]string{"--set", "nonsense"}, `--set takes PATH=VALUE, got "nonsense"`},
		{[]string{"--kinds", "meteor"}, `cannot draw fault type "meteor"`},
	} {
		t.Run(tc.want, func(t *testing.T) {
			args := append([]string{"explore", exploreDesign, "--out", t.TempDir()}, tc.args...)
			code, stdout, stderr := runCLI(t, args...)
			assert.NotEqual(t, exitOK, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.want)
		})
	}
}

// A search of a safe design finds nothing and exits 0; an unsafe one exits 1 with its findings,
// each a scenario file that `run` replays.
func TestExploreCLI(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "explore", exploreDesign, "--runs", "3", "--faults", "2", "--out", out)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "explore soak-three-site: 3 of 3 runs of 2 random faults (seeds 1 to 3): 3 held, no finding")

	out = t.TempDir()
	code, stdout, stderr = runCLI(t, "explore", exploreDesign, "--runs", "8", "--faults", "5", "--shrink-runs", "10",
		"--set", "producers[p0].config.acks=1", "--set", "producers[p0].config.enable.idempotence=false",
		"--format", "json", "--out", out)
	require.Equal(t, exitFailure, code, stderr)
	var res experiments.ExploreResult
	require.NoError(t, json.Unmarshal([]byte(stdout), &res))
	require.NotEmpty(t, res.Findings)
	f := res.Findings[0]
	assert.Equal(t, experiments.FindingAckedLoss, f.Kind)
	assert.Equal(t, filepath.Join(out, "findings"), filepath.Dir(f.File))
	code, stdout, stderr = runCLI(t, "run", f.File, "--format", "json")
	require.Equal(t, exitOK, code, stderr)
	var sum experiments.Summary
	require.NoError(t, json.Unmarshal([]byte(stdout), &sum))
	assert.Positive(t, sum.Durability.AckedRecordsLost, "the finding replays")
}

// An invalid design is reported, naming file and line, before anything is written.
func TestExploreInvalidDesignWritesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "explore")
	code, _, stderr := runCLI(t, "explore", "../../experiments/scenario/testdata/bad/rtt-million-hours.yaml", "--runs", "1", "--out", out)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr, "rtt-million-hours.yaml:7: network.inter_site.rtt")
	assert.NoDirExists(t, out)
}
