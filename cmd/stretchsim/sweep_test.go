package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// smallScenario is a scenario whose runs take a fraction of a second.
const smallScenario = "../../experiments/testdata/sweep/base.yaml"

// writeSweep writes a sweep file over smallScenario into a new directory and returns its path.
func writeSweep(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	abs, err := filepath.Abs(smallScenario)
	require.NoError(t, err)
	name := filepath.Join(dir, "sweep.yaml")
	require.NoError(t, os.WriteFile(name, []byte("scenario: "+abs+"\n"+body), 0o644))
	return name
}

func TestSweepQuick(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "sweep", smallScenario, "--axis", "network.inter_site.rtt=1ms,lognormal(median=3ms, p99=10ms)",
		"--replications", "2", "--parallel", "2", "--out", out)
	require.Equal(t, exitOK, code, stderr)
	assert.Empty(t, stderr, "nothing on stderr but errors when it is not a terminal")
	assert.Contains(t, stdout, "sweep base: 2 points × 2 replications: 4 ok, 0 failed, 0 invalid (4 run now, 0 kept from before)")
	for _, f := range []string{experiments.RunsCSV, experiments.RunsJSONL, experiments.PointsCSV, experiments.SweepJSON} {
		assert.FileExists(t, filepath.Join(out, f))
	}
	runs, err := os.ReadFile(filepath.Join(out, experiments.RunsCSV))
	require.NoError(t, err)
	assert.Contains(t, string(runs), `"lognormal(median=3ms, p99=10ms)",ok`)

	code, stdout, stderr = runCLI(t, "sweep", smallScenario, "--axis", "network.inter_site.rtt=1ms,lognormal(median=3ms, p99=10ms)",
		"--replications", "2", "--out", out)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "(0 run now, 4 kept from before)")
}

// A sweep file with an invalid point: the point is recorded and warned about, the sweep ends ok.
func TestSweepFileInvalidPoint(t *testing.T) {
	file := writeSweep(t, "axes:\n  topics[0].config.min.insync.replicas: [2, 4]\n")
	code, stdout, stderr := runCLI(t, "sweep", file, "--out", t.TempDir(), "--set", "duration=1s")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "2 points × 1 replication: 1 ok, 0 failed, 1 invalid")
	assert.Regexp(t, `^warning: point 1 \(topics\[0\]\.config\.min\.insync\.replicas=4\) is invalid, not run: .*min\.insync\.replicas`, stderr)
}

func TestSweepUsageErrors(t *testing.T) {
	file := writeSweep(t, "axes:\n  network.inter_site.rtt: [1ms, 2ms]\n")
	out := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", file}, `--out needs a directory for the results, got ""`},
		{[]string{"sweep", file, "--out", " "}, `--out needs a directory for the results, got " "`},
		{[]string{"sweep", "--out", out}, "give a sweep file, or --axis PATH=V1,V2,... for a quick sweep of a scenario"},
		{[]string{"sweep", file, "--out", out, "--shard", "2/2"}, `--shard takes I/N with N at least 1 and I from 0 to N-1 (e.g. 0/4), got "2/2"`},
		{[]string{"sweep", file, "--out", out, "--shard", "x"}, `--shard takes I/N`},
		{[]string{"sweep", file, "--out", out, "--parallel", "0"}, "--parallel must be at least 1, got 0"},
		{[]string{"sweep", file, "--out", out, "--replications", "0"}, "--replications must be from 1 to 10000, got 0"},
		{[]string{"sweep", file, "--out", out, "--set", "network.inter_site.rtt=3ms"}, "--set network.inter_site.rtt=3ms: network.inter_site.rtt is an axis of the sweep"},
		{[]string{"sweep", file, "--out", out, "--set", "nope"}, `--set takes PATH=VALUE, got "nope"`},
		{[]string{"sweep", file, "--out", out, "--set", "topics[7].partitions=3"}, "--set topics[7].partitions=3: topics: no item 7 (the list has 1)"},
		{[]string{"sweep", smallScenario, "--out", out, "--axis", "duration=1s,,2s"}, "--axis duration=1s,,2s: value 2 is empty (a comma too many?)"},
		{[]string{"sweep", smallScenario, "--out", out, "--axis", "network.inter_site.rt=1ms"}, `--axis network.inter_site.rt=...: value 1ms: network.inter_site: unknown key "rt"`},
		{[]string{"sweep", "", "--out", out}, "the argument is empty"},
		{[]string{"merge", file}, `--out needs a directory for the merged results, got ""`},
		{[]string{"merge", "--out", out}, "requires at least 1 arg(s)"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			assert.Equal(t, exitUsage, code, stderr)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.want)
		})
	}
}

// A bad sweep file is a failure naming file, line and key.
func TestSweepFileErrors(t *testing.T) {
	file := writeSweep(t, "axes:\n  network.inter_site.rtt: 1ms\n")
	code, _, stderr := runCLI(t, "sweep", file, "--out", t.TempDir())
	assert.Equal(t, exitFailure, code)
	assert.Equal(t, "stretchsim: "+file+`:3: axes.network.inter_site.rtt: want a list of values, e.g. [1ms, 2ms], got "1ms"`+"\n", stderr)

	missing := filepath.Join(t.TempDir(), "s.yaml")
	require.NoError(t, os.WriteFile(missing, []byte("name: x\nscenario: nope\n"), 0o644))
	code, _, stderr = runCLI(t, "sweep", missing, "--out", t.TempDir())
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr, missing+":2: scenario: "+filepath.Join(filepath.Dir(missing), "nope")+": no such file, nor a built-in scenario of that name")

	code, _, stderr = runCLI(t, "sweep", filepath.Join(t.TempDir(), "none.yaml"), "--out", t.TempDir())
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr, "no such file")
}

// A run that panics is a failed row, the sweep goes on, and the exit code is 1; a sweep whose
// context is cancelled exits 130.
func TestSweepFailedAndInterrupted(t *testing.T) {
	file := writeSweep(t, "axes:\n  network.inter_site.rtt: [1ms, 2ms]\n")
	var out, errOut bytes.Buffer
	opts := &sweepOptions{Out: &out, Err: &errOut, Arg: file, OutDir: t.TempDir(), Parallel: 2, Version: "test",
		simulate: func(ctx context.Context, sc *scenario.Scenario, ro experiments.RunOptions) (*experiments.Result, error) {
			if sc.Network.InterSite.RTT.String() == "2ms" {
				panic("boom")
			}
			return experiments.RunContext(ctx, sc, ro)
		}}
	err := runSweep(opts)
	assert.EqualError(t, err, "1 of 2 runs failed (status failed in "+filepath.Join(opts.OutDir, "runs.csv")+")")
	assert.Equal(t, exitFailure, exitCode(&bytes.Buffer{}, nil, err))
	assert.Contains(t, out.String(), "1 ok, 1 failed, 0 invalid")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	opts = &sweepOptions{Ctx: ctx, Out: &out, Err: &errOut, Arg: file, OutDir: t.TempDir(), Parallel: 1, Version: "test"}
	err = runSweep(opts)
	assert.EqualError(t, err, "interrupted: 2 of 2 runs not run; the same command finishes them")
	assert.Equal(t, exitInterrupted, exitCode(&bytes.Buffer{}, nil, err))
}

// Shards run by the CLI and merged equal one machine's run, but for sweep.json's times.
func TestSweepShardsMergeCLI(t *testing.T) {
	file := writeSweep(t, "set: {duration: 1s}\naxes:\n  network.inter_site.rtt: [1ms, 2ms, 3ms]\nreplications: 2\n")
	whole, s0, s1, merged := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	for _, args := range [][]string{{"--out", whole}, {"--out", s0, "--shard", "0/2"}, {"--out", s1, "--shard", "1/2"}} {
		code, stdout, stderr := runCLI(t, append([]string{"sweep", file, "--parallel", "1"}, args...)...)
		require.Equal(t, exitOK, code, stderr)
		if len(args) > 2 {
			assert.Contains(t, stdout, "3 points × 2 replications, 3 runs in this shard: 3 ok")
		}
	}
	code, stdout, stderr := runCLI(t, "merge", "--out", merged, s1)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stdout, "6 runs: 3 ok, 0 failed, 0 invalid, 3 missing")
	assert.Contains(t, stderr, "3 of 6 runs are in none of the shard directories")

	code, stdout, stderr = runCLI(t, "merge", "--out", merged, s0, s1)
	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "merged 2 directories into "+merged+": 6 runs: 6 ok, 0 failed, 0 invalid\n", stdout)
	for _, f := range []string{experiments.RunsCSV, experiments.RunsJSONL, experiments.PointsCSV} {
		a, err := os.ReadFile(filepath.Join(whole, f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(merged, f))
		require.NoError(t, err)
		assert.Equal(t, string(a), string(b), f)
	}
}

func TestSweepHelp(t *testing.T) {
	for _, cmd := range []string{"sweep", "merge"} {
		code, out, errOut := runCLI(t, cmd, "--help")
		require.Equal(t, exitOK, code, errOut)
		assert.Contains(t, out, "Examples:")
	}
}

// Every example sweep in sweeps/ decodes and plans over its scenario.
func TestExampleSweeps(t *testing.T) {
	files, err := filepath.Glob("../../sweeps/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			sw, err := experiments.LoadSweep(file)
			require.NoError(t, err)
			base, err := sweepBase(sw)
			require.NoError(t, err)
			plan, err := experiments.PlanSweep(sw, base, "test")
			require.NoError(t, err)
			assert.Len(t, plan.Runs, sw.RunCount())
			assert.LessOrEqual(t, sw.RunCount(), 40, "an example stays small enough to run in a minute or two")
		})
	}
}
