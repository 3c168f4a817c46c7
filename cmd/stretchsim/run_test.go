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
			file := filepath.Join("..", "..", "experiments", "scenario", "testdata", "bad", name+".yaml")
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
	assert.Regexp(t, `s\.yaml:\d+: network\.inter_site\.rtt: "empirical\(nope\.csv\)": empirical: stat .*nope\.csv: no such file or directory`, stderr)
	assert.NotContains(t, stderr, "no such file\n")
}

// TestRunSeedErrors: --seed with --set seed=M is ambiguous, and a seed out of range names the
// flag and the range (not strconv's message); both are usage errors.
func TestRunSeedErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--seed", "3", "--set", "seed=4"}, "--seed and --set seed=... both set the seed"},
		{[]string{"run", "--set", "seed=4", "--seed", "4"}, "--seed and --set seed=... both set the seed"},
		{[]string{"run", "--seed", "-1"}, `invalid argument "-1" for "--seed" flag: want a whole number from 0 to 18446744073709551615`},
		{[]string{"run", "--seed", "18446744073709551616"}, `"--seed" flag: want a whole number from 0 to 18446744073709551615`},
		{[]string{"run", "--seed", "x"}, `"--seed" flag: want a whole number from 0 to`},
	} {
		code, out, errOut := runCLI(t, tt.args...)
		assert.Equal(t, exitUsage, code, "%v", tt.args)
		assert.Empty(t, out)
		assertErrorLine(t, errOut, tt.want, true)
		assert.NotContains(t, errOut, "strconv")
	}
}

// TestRunEmptyOut: --out "" (an unset shell variable, say) is a usage error, not silently no
// output directory.
func TestRunEmptyOut(t *testing.T) {
	for _, v := range []string{"", " "} {
		code, out, errOut := runCLI(t, "run", "--out", v)
		assert.Equal(t, exitUsage, code)
		assert.Empty(t, out)
		assertErrorLine(t, errOut, "--out needs a directory", true)
	}
	code, _, errOut := runCLI(t, "run", "--out=")
	assert.Equal(t, exitUsage, code, errOut)
}

// TestScenarioFromStdin: "-" reads the scenario from standard input, for validate and run, and
// errors name <stdin>.
func TestScenarioFromStdin(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "scenarios", "two-site.yaml"))
	require.NoError(t, err)
	code, out, errOut := runCLIStdin(t, string(data), "validate", "-")
	require.Equal(t, exitOK, code, errOut)
	assert.True(t, strings.HasPrefix(out, "<stdin>: ok (2 sites, "), out)

	code, out, errOut = runCLIStdin(t, string(data), "run", "-", "--set", "duration=2s", "--set", "warmup=1s")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "scenario two-site, seed 1: 2 s simulated")

	bad := strings.Replace(string(data), "replication.factor: 4", "replication.factor: 7", 1)
	for _, cmd := range []string{"validate", "run"} {
		code, out, errOut = runCLIStdin(t, bad, cmd, "-")
		assert.Equal(t, exitFailure, code, cmd)
		assert.Empty(t, out)
		assertErrorLine(t, errOut, "<stdin>:", false)
		assert.Contains(t, errOut, "replication.factor: 7 exceeds 6 brokers")
	}
	code, _, errOut = runCLIStdin(t, "", "validate", "-")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, errOut, "<stdin>: empty scenario")
}

// validate counts in words that agree with the numbers.
func TestValidatePlurals(t *testing.T) {
	code, out, errOut := runCLI(t, "validate", "../../scenarios/two-site.yaml")
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "../../scenarios/two-site.yaml: ok (2 sites, 1 topic, 1 producer, 1 consumer)\n", out)
}
