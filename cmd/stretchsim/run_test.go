package main

import (
	"encoding/json"
	"os"
	"path/filepath"
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
		"broken-yaml":            `broken-yaml.yaml:7: invalid YAML`,
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
