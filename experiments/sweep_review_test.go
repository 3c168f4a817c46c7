package experiments

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// REVIEW: a run that panics has no series; with --series every resume runs it again.
func TestSweepFailedRunNotRerunForSeries(t *testing.T) {
	sw := parseSweep(t, "scenario: base.yaml\nset: {duration: 2s}\naxes:\n  topics[0].config.min.insync.replicas: [1, 2]\n")
	plan := planSweep(t, sw)
	sim := func(ctx context.Context, sc *scenario.Scenario, ro RunOptions) (*Result, error) {
		if *sc.Topics[0].Config.MinInsyncReplicas == 2 {
			panic("boom")
		}
		return RunContext(ctx, sc, ro)
	}
	dir, rep := runSweep(t, plan, SweepOptions{Parallel: 1, Series: true, Simulate: sim})
	assert.Equal(t, 2, rep.Ran)
	_, rep = runSweep(t, plan, SweepOptions{Dir: dir, Parallel: 1, Series: true, Simulate: sim})
	assert.Equal(t, 0, rep.Ran, "a finished sweep runs nothing again")
	assert.Equal(t, 2, rep.Reused)
}

// REVIEW: a sweep.json whose plan is inconsistent (hand-edited, or from a buggy writer) panics merge.
func TestMergeRefusesAChangedSweepJSON(t *testing.T) {
	plan := planFile(t, "rtt.yaml")
	dir, _ := runSweep(t, plan, SweepOptions{Parallel: 1, Shard: 0, Shards: 1})
	name := filepath.Join(dir, SweepJSON)
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	data = []byte(strings.Replace(string(data), `"point": 5,`, `"point": 9,`, -1))
	require.NoError(t, os.WriteFile(name, data, 0o644))
	assert.NotPanics(t, func() { _, err = MergeSweep(t.TempDir(), []string{dir}) })
	t.Log(err)
}

// An invalid point's message names the base file by its name alone: the tables must not depend on
// the directory the sweep was started from, or shards started from two directories would not
// merge. (The error here is on a line of the base file: its min.insync.replicas above RF 1.)
func TestSweepMessagesIndependentOfTheDirectory(t *testing.T) {
	sw := parseSweep(t, "scenario: base.yaml\naxes:\n  topics[0].replication.factor: [1]\n")
	data, err := os.ReadFile(filepath.Join("testdata", "sweep", "base.yaml"))
	require.NoError(t, err)
	var msgs []string
	for _, file := range []string{filepath.Join("testdata", "sweep", "base.yaml"), "base.yaml", "/elsewhere/base.yaml"} {
		plan, err := PlanSweep(sw, Base{File: file, Data: data, Opts: scenario.Options{BaseDir: filepath.Dir(file)}}, "test")
		require.NoError(t, err)
		require.NotEmpty(t, plan.Points[0].Invalid)
		msgs = append(msgs, plan.Points[0].Invalid)
	}
	t.Log(msgs[0])
	assert.Equal(t, msgs[0], msgs[1])
	assert.Equal(t, msgs[0], msgs[2])
}

// A value that would read back as YAML null stays quoted in the resolved scenario, so a point
// that passes planning runs the scenario that was validated.
func TestSweepNullTextStaysAString(t *testing.T) {
	sw := parseSweep(t, "scenario: base.yaml\naxes:\n  name: [\"null\", \"~\", abc]\n")
	plan := planSweep(t, sw)
	for _, run := range plan.Runs {
		require.Empty(t, run.Invalid)
		root, err := scenario.ParseYAML("r.yaml", []byte(run.Scenario))
		require.NoError(t, err)
		_, err = scenario.DecodeNode("r.yaml", root, scenario.Options{})
		assert.NoError(t, err, "point %d", run.Point)
	}
}

// Two axes that name one value (by index and by name) would make points that are the same
// scenario under different labels: the sweep is refused.
func TestSweepAxesNamingOneValue(t *testing.T) {
	sw := parseSweep(t, "scenario: base.yaml\naxes:\n  producers[0].config.acks: [1, all]\n  producers[p].config.acks: [all]\n")
	file := filepath.Join("testdata", "sweep", sw.Scenario)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	_, err = PlanSweep(sw, Base{File: file, Data: data, Opts: scenario.Options{BaseDir: filepath.Dir(file)}}, "test")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "are the same scenario")
}
