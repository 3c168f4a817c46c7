package experiments

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// planFile decodes the sweep file name (in testdata/sweep) and plans it over its scenario, which
// the tests give as a file beside it.
func planFile(t *testing.T, name string) *Plan {
	t.Helper()
	sw, err := LoadSweep(filepath.Join("testdata", "sweep", name))
	require.NoError(t, err)
	return planSweep(t, sw)
}

func planSweep(t *testing.T, sw *Sweep) *Plan {
	t.Helper()
	file := filepath.Join("testdata", "sweep", sw.Scenario)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	plan, err := PlanSweep(sw, Base{File: file, Data: data, Opts: scenario.Options{BaseDir: filepath.Dir(file)}}, "test")
	require.NoError(t, err)
	return plan
}

func parseSweep(t *testing.T, text string) *Sweep {
	t.Helper()
	sw, err := ParseSweep("sweep.yaml", []byte(text))
	require.NoError(t, err)
	return sw
}

// The grid is the full factorial of the dimensions, first axis outermost, values in order; a
// zip group is one dimension whose axes move together; labels name values in the tables.
func TestSweepExpansion(t *testing.T) {
	sw := parseSweep(t, `
scenario: base.yaml
axes:
  network.inter_site.rtt: [1ms, 5ms]
  faults:
    values: [[], [{at: 1s, type: controller-crash}]]
    labels: [none, controller]
zip:
  - producers[p].config.batch.size: [16384, 131072, 1MiB]
    producers[p].config.linger.ms: [0, 5, 20]
replications: 3
`)
	assert.Equal(t, "sweep", sw.Name)
	assert.Equal(t, 12, sw.PointCount())
	assert.Equal(t, 36, sw.RunCount())
	var paths []string
	for _, a := range sw.Axes() {
		paths = append(paths, a.Path)
	}
	assert.Equal(t, []string{"network.inter_site.rtt", "faults", "producers[p].config.batch.size", "producers[p].config.linger.ms"}, paths)
	assert.Equal(t, []string{"1ms", "none", "16384", "0"}, sw.PointLabels(0))
	assert.Equal(t, []string{"1ms", "none", "131072", "5"}, sw.PointLabels(1))
	assert.Equal(t, []string{"1ms", "controller", "16384", "0"}, sw.PointLabels(3))
	assert.Equal(t, []string{"5ms", "none", "16384", "0"}, sw.PointLabels(6))
	assert.Equal(t, []string{"5ms", "controller", "1MiB", "20"}, sw.PointLabels(11))
	sets := sw.PointSets(5)
	require.Len(t, sets, 4)
	assert.Equal(t, Setting{Path: "faults", Value: "[{at: 1s, type: controller-crash}]", Line: 5}, sets[1])
	assert.Equal(t, "1MiB", sets[2].Value)

	plan := planSweep(t, sw)
	require.Len(t, plan.Runs, 36)
	for k, run := range plan.Runs {
		assert.Equal(t, k/3, run.Point)
		assert.Equal(t, k%3, run.Replication)
		assert.Empty(t, run.Invalid, "run %d", k)
	}
	assert.Contains(t, plan.Runs[35].Scenario, "type: controller-crash")
	assert.Contains(t, plan.Runs[35].Scenario, "linger.ms: 20")
}

// A sweep without axes is one point, replicated.
func TestSweepNoAxes(t *testing.T) {
	sw := parseSweep(t, "scenario: base.yaml\nreplications: 4\n")
	assert.Equal(t, 1, sw.PointCount())
	plan := planSweep(t, sw)
	require.Len(t, plan.Runs, 4)
}

// Replication r of every point runs with seed S+r, S the scenario's seed: common random numbers.
// Runs differ by their keys, equal scenarios and seeds share one.
func TestSweepSeeds(t *testing.T) {
	sw := parseSweep(t, `
scenario: base.yaml
set: {seed: 40}
axes:
  network.inter_site.rtt: [1ms, 5ms, 1ms]
replications: 3
`)
	plan := planSweep(t, sw)
	keys := map[string]int{}
	for k, run := range plan.Runs {
		assert.True(t, run.HasSeed)
		assert.Equal(t, uint64(40+k%3), run.Seed, "run %d", k)
		assert.Regexp(t, fmt.Sprintf(`(?m)^seed: "?%d"?$`, run.Seed), run.Scenario)
		keys[run.Key]++
	}
	assert.Len(t, keys, 6, "points 0 and 2 are the same scenario")
	assert.Equal(t, plan.Runs[0].Key, plan.Runs[6].Key)
	assert.NotEqual(t, plan.Runs[0].Key, plan.Runs[1].Key)
	assert.Equal(t, uint64(0), SeedFor(^uint64(0), 1), "seeds wrap")
}

// A point whose scenario fails validation is invalid, with the message, and not run; the others
// are planned as usual.
func TestSweepInvalidPoint(t *testing.T) {
	sw := parseSweep(t, `
scenario: base.yaml
axes:
  topics[0].config.min.insync.replicas: [2, 4]
  network.inter_site.rtt: [1ms, bogus]
replications: 2
`)
	plan := planSweep(t, sw)
	require.Len(t, plan.Points, 4)
	assert.Empty(t, plan.Points[0].Invalid)
	assert.Contains(t, plan.Points[1].Invalid, "network.inter_site.rtt")
	assert.Contains(t, plan.Points[2].Invalid, "topics[0].config.min.insync.replicas")
	assert.Contains(t, plan.Points[2].Invalid, "4")
	assert.NotContains(t, plan.Points[2].Invalid, "--set")
	for _, run := range plan.Runs[2:] {
		assert.NotEmpty(t, run.Invalid)
		assert.False(t, run.HasSeed)
		assert.Empty(t, run.Key)
	}
}

// Every run is in exactly one shard, for every shard count; the shards differ by at most one run.
func TestInShard(t *testing.T) {
	for n := 1; n <= 7; n++ {
		counts := make([]int, n)
		for k := range 100 {
			in := 0
			for i := range n {
				if InShard(k, i, n) {
					in++
					counts[i]++
				}
			}
			assert.Equal(t, 1, in, "run %d of %d shards", k, n)
		}
		assert.LessOrEqual(t, counts[0]-counts[n-1], 1)
	}
}

// The confidence interval by hand: 1, 2 and 6 have mean 3, sd √7 and, with t(0.975, 2) =
// 4.302653, the half-width 4.302653 · √7 / √3 = 6.572411.
func TestMeanCI(t *testing.T) {
	iv := MeanCI([]float64{1, 2, 6})
	assert.Equal(t, 3, iv.N)
	assert.InDelta(t, 3, iv.Mean, 1e-12)
	assert.InDelta(t, 2.6457513, iv.SD, 1e-6)
	assert.InDelta(t, 3-6.572411, iv.Low, 1e-5)
	assert.InDelta(t, 3+6.572411, iv.High, 1e-5)

	one := MeanCI([]float64{7})
	assert.Equal(t, 7.0, one.Mean)
	assert.True(t, isNaN(one.SD) && isNaN(one.Low) && isNaN(one.High))
	none := MeanCI(nil)
	assert.True(t, isNaN(none.Mean))
	same := MeanCI([]float64{5, 5})
	assert.Equal(t, []float64{5, 0, 5, 5}, []float64{same.Mean, same.SD, same.Low, same.High})
}

func isNaN(v float64) bool { return v != v }
