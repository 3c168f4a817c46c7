package experiments_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// runPhased runs the default cluster with its producer's rate set to rate, and returns the run
// and the acknowledged produce throughput of each 1 s sample by its end time in seconds.
func runPhased(t *testing.T, rate string, sets ...string) (*experiments.Result, map[int]float64) {
	t.Helper()
	sc, err := scenario.LoadFS(scenarios.FS, scenarios.Default, scenario.Options{
		Sets: append([]string{"producers[checkout].rate=" + rate}, sets...)})
	require.NoError(t, err)
	res, err := experiments.Run(sc)
	require.NoError(t, err)
	assert.Empty(t, res.Summary.Invariants.Violations)
	ct, cp := slices.Index(res.Columns, "time_s"), slices.Index(res.Columns, "produce_bytes_per_sec")
	require.GreaterOrEqual(t, ct, 0)
	require.GreaterOrEqual(t, cp, 0)
	out := map[int]float64{}
	for _, row := range res.Series {
		out[int(row[ct]+0.5)] = row[cp]
	}
	return res, out
}

// A producer at 10 MB/s, then 40 MB/s from 15 s: the acknowledged throughput of the run's time
// series follows the step within a second. The cluster keeps up with both (the default scenario
// is far from saturated at 40 MB/s), so each 1 s sample is the offered rate within Poisson noise
// (about 1% at 10,000 records/s) and the one sample of acks still in flight.
func TestPhasesStepInSeries(t *testing.T) {
	res, tput := runPhased(t, "[{until: 15s, rate: 10MB/s}, {rate: 40MB/s}]", "duration=30s", "warmup=2s")
	for s := 3; s <= 15; s++ {
		assert.InEpsilon(t, 10e6, tput[s], 0.08, "t=%d s: in the 10 MB/s phase", s)
	}
	for s := 17; s <= 30; s++ {
		assert.InEpsilon(t, 40e6, tput[s], 0.08, "t=%d s: in the 40 MB/s phase", s)
	}
	// The summary's throughput is over the measured window [2 s, 30 s): 13 s at 10 MB/s and
	// 15 s at 40 MB/s.
	assert.InEpsilon(t, (13*10e6+15*40e6)/28, *res.Summary.Produce.ThroughputBytesPerSec, 0.03)
}

// When the last phase has an until the producer sends nothing after it (its arrivals are at a
// time no run reaches), and the run goes on to its end: the series drops to 0 once the last
// acknowledgements are in.
func TestPhasesEndStopsProducer(t *testing.T) {
	res, tput := runPhased(t, "[{until: 5s, rate: 10MB/s}, {until: 8s, ramp_to: 0}]", "duration=15s", "warmup=1s")
	for s := 2; s <= 5; s++ {
		assert.InEpsilon(t, 10e6, tput[s], 0.08, "t=%d s", s)
	}
	for s := 10; s <= 15; s++ {
		assert.Zero(t, tput[s], "t=%d s: after the last phase", s)
	}
	// ∫λ over [1 s, 8 s): 4 s at 10 MB/s and a 3 s ramp from 10 MB/s to 0.
	assert.InEpsilon(t, 4*10e6+1.5*10e6, float64(res.Summary.Produce.AckedBytes), 0.02)
	assert.Zero(t, res.Summary.Produce.FailedRecords)
}
