package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunBadScenarios checks that each bad scenario gets one clear error naming the file and the
// line, exit code 1, and no panic.
func TestRunBadScenarios(t *testing.T) {
	cases := map[string]string{
		"unknown-key":            `unknown-key.yaml:10: topics[0].replicaton.factor: unknown key`,
		"malformed-duration":     `malformed-duration.yaml:`,
		"rf-above-brokers":       `rf-above-brokers.yaml:10: topics[0].replication.factor: 4 exceeds 3 brokers`,
		"min-isr-above-rf":       `min-isr-above-rf.yaml:`,
		"negative-rtt":           `negative-rtt.yaml:9: network.inter_site.rtt:`,
		"link-unknown-site":      `link-unknown-site.yaml:`,
		"producer-unknown-topic": `producer-unknown-topic.yaml:`,
		"broken-yaml":            `broken-yaml.yaml:10: invalid YAML`,
		"empty":                  `empty.yaml: empty scenario`,
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join("..", "..", "experiments", "testdata", "bad", name+".yaml")
			for _, cmd := range [][]string{{"run", file}, {"validate", file}} {
				code, out, errOut := runCLI(t, cmd...)
				assert.Equal(t, exitFailure, code, "%v", cmd)
				assert.Empty(t, out)
				assert.Contains(t, errOut, want)
			}
		})
	}
}

func TestRunUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--format", "yaml"},
		{"run", "--set", "no-equals-sign"},
		{"run", "--set", "foo=1"},
		{"run", "--set", "sites[0=1"},
		{"validate", "../../scenarios/two-site.yaml", "--set", "topics[nope].partitions=3"},
		{"run", "a.yaml", "b.yaml"},
		{"validate"},
	} {
		code, _, errOut := runCLI(t, args...)
		assert.Equal(t, exitUsage, code, "%v: %s", args, errOut)
	}
	code, _, errOut := runCLI(t, "run", "no-such-file.yaml")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, errOut, "no-such-file.yaml")
}

// TestRunJSONAndOutDir runs the default scenario shortened, as JSON, and writes the time series.
func TestRunJSONAndOutDir(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "run", "--set", "duration=5s", "--set", "warmup=1s", "--seed", "3",
		"--format", "json", "--out", dir)
	require.Equal(t, exitOK, code, errOut)
	var sum map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &sum))
	assert.EqualValues(t, 3, sum["seed"])
	assert.EqualValues(t, 5, sum["simulated_seconds"])
	csv, err := os.ReadFile(filepath.Join(dir, "series.csv"))
	require.NoError(t, err)
	assert.Contains(t, string(csv), "time_s,UnderReplicatedPartitions,UnderMinIsrPartitionCount")
	_, err = os.Stat(filepath.Join(dir, "summary.json"))
	assert.NoError(t, err)
}

// TestRunSeedFlagIsSetSeed: --seed N runs exactly what --set seed=N runs, random faults included
// (they are drawn from the seed when the scenario is validated).
func TestRunSeedFlagIsSetSeed(t *testing.T) {
	file := filepath.Join("..", "..", "scenarios", "random-faults.yaml")
	faults := func(args ...string) []string {
		code, out, stderr := runCLI(t, append([]string{"run", file, "--format", "json"}, args...)...)
		require.Equal(t, 0, code, stderr)
		var sum struct {
			Seed   uint64   `json:"seed"`
			Faults []string `json:"faults"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &sum))
		require.Equal(t, uint64(9), sum.Seed)
		return sum.Faults
	}
	assert.Equal(t, faults("--set", "seed=9"), faults("--seed", "9"))
}

// TestRunMissingSampleFile: a missing empirical(...) file is named as such, not as a missing
// scenario.
func TestRunMissingSampleFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "scenarios", "two-site.yaml"))
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "s.yaml")
	require.NoError(t, os.WriteFile(file, []byte(strings.Replace(string(data),
		"inter_site: {rtt: 4ms", `inter_site: {rtt: "empirical(nope.csv)"`, 1)), 0o644))
	code, _, stderr := runCLI(t, "run", file)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `s.yaml:18: network.inter_site.rtt: "empirical(nope.csv)": empirical: open`)
	assert.NotContains(t, stderr, "no such file\n")
}
