package experiments_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// runJSON runs a built-in scenario, shortened to 10 s unless it schedules faults, and returns
// its summary as JSON, with the wall-clock figure zeroed.
func runJSON(t *testing.T, name string, sets ...string) []byte {
	t.Helper()
	full, err := scenario.LoadFS(scenarios.FS, name, scenario.Options{})
	require.NoError(t, err)
	if len(full.Faults) == 0 {
		sets = append([]string{"duration=10s", "warmup=2s"}, sets...)
	}
	sc, err := scenario.LoadFS(scenarios.FS, name, scenario.Options{Sets: sets})
	require.NoError(t, err)
	res, err := experiments.Run(sc)
	require.NoError(t, err)
	assert.Empty(t, res.Summary.Invariants.Violations, "%s: invariants", name)
	assert.Positive(t, res.Summary.Produce.AckedRecords, "%s: some records acknowledged", name)
	res.Summary.WallSeconds = 0
	var buf bytes.Buffer
	require.NoError(t, experiments.WriteJSON(&buf, &res.Summary))
	return buf.Bytes()
}

// TestEveryScenarioRuns runs every file in scenarios/ with the invariant checker on. Under the
// race detector the scenarios with faults, which run whole (minutes of simulated time), skip:
// a run is one goroutine, and .ci/run runs this test again without -race.
func TestEveryScenarioRuns(t *testing.T) {
	files, err := fs.Glob(scenarios.FS, "*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			if raceEnabled {
				sc, err := scenario.LoadFS(scenarios.FS, f, scenario.Options{})
				require.NoError(t, err)
				if len(sc.Faults) > 0 {
					t.Skip("a whole run with faults: run without -race")
				}
			}
			runJSON(t, f)
		})
	}
}

// TestRunIsDeterministic checks design §2: the same scenario and seed give byte-identical
// summaries (trace digest included); another seed gives another trace.
func TestRunIsDeterministic(t *testing.T) {
	a := runJSON(t, scenarios.Default)
	b := runJSON(t, scenarios.Default)
	c := runJSON(t, scenarios.Default, "seed=2")
	assert.Equal(t, string(a), string(b))
	assert.NotEqual(t, string(a), string(c))
	f1 := runJSON(t, "failures-three-site.yaml")
	f2 := runJSON(t, "failures-three-site.yaml")
	assert.Equal(t, string(f1), string(f2), "faults, crashes and elections are deterministic too")
}

// TestSummaryHasDocumentedKeys checks the JSON keys the README documents.
func TestSummaryHasDocumentedKeys(t *testing.T) {
	out := string(runJSON(t, scenarios.Default))
	for _, k := range []string{`"seed"`, `"simulated_seconds"`, `"events"`, `"wall_seconds"`, `"acked_records"`,
		`"acked_bytes"`, `"throughput_bytes_per_sec"`, `"latency_ms"`, `"p50"`, `"p90"`, `"p99"`, `"p999"`, `"max"`,
		`"errors"`, `"shrinks"`, `"expands"`, `"under_replicated_partition_seconds"`,
		`"under_min_isr_partition_seconds"`, `"cross_site_bytes"`, `"total"`, `"pairs"`, `"dc-a->dc-b"`} {
		assert.Contains(t, out, k)
	}
}

// TestClientCrashIsCountedApart: random-faults takes the producer's site down with records queued
// and in flight. They are failed records, counted as client_crashed_records, and CLIENT_CRASHED,
// which Kafka does not have, is not among the Kafka error names.
func TestClientCrashIsCountedApart(t *testing.T) {
	sc, err := scenario.LoadFS(scenarios.FS, "random-faults.yaml", scenario.Options{})
	require.NoError(t, err)
	res, err := experiments.Run(sc)
	require.NoError(t, err)
	p := res.Summary.Produce
	assert.NotContains(t, p.Errors, "CLIENT_CRASHED")
	assert.Positive(t, p.ClientCrashedRecords)
	assert.LessOrEqual(t, p.ClientCrashedRecords, p.FailedRecords)
	var text bytes.Buffer
	require.NoError(t, experiments.WriteText(&text, &res.Summary))
	assert.Contains(t, text.String(), "client crash  ")
	assert.NotContains(t, text.String(), "CLIENT_CRASHED")
}

// TestControllerISRRemovals: when the WAN is cut in failures-two-site, the controller fences the
// brokers on the far side and takes them out of the ISRs itself. Those are not leader shrinks
// (IsrShrinksPerSec) but they are counted, in the summary and in the series, and the report says so.
func TestControllerISRRemovals(t *testing.T) {
	sc, err := scenario.LoadFS(scenarios.FS, "failures-two-site.yaml", scenario.Options{})
	require.NoError(t, err)
	res, err := experiments.Run(sc)
	require.NoError(t, err)
	isr := res.Summary.ISR
	require.Positive(t, res.Summary.Controller.BrokerFencings)
	assert.GreaterOrEqual(t, isr.ControllerRemovals, res.Summary.Controller.BrokerFencings,
		"each fenced broker was in at least one ISR")
	col := slices.Index(res.Columns, "controller_isr_removals_per_sec")
	require.GreaterOrEqual(t, col, 0, res.Columns)
	var inSeries float64
	for _, row := range res.Series {
		inSeries += row[col] * sc.MetricsInterval.Seconds()
	}
	assert.GreaterOrEqual(t, inSeries, float64(isr.ControllerRemovals))

	var text bytes.Buffer
	require.NoError(t, experiments.WriteText(&text, &res.Summary))
	assert.Regexp(t, `isr       \d+ shrinks? \(leader\), [1-9]\d* removals? by the controller \(fenced or stopped brokers\), \d+ expands?`, text.String())
}

// TestSeriesCoversWarmup: the time series runs from time 0, and its warm-up rows show the
// traffic that flows then (they used to show a produce throughput and p99 of 0).
func TestSeriesCoversWarmup(t *testing.T) {
	sc, err := scenario.LoadFS(scenarios.FS, scenarios.Default, scenario.Options{Sets: []string{"duration=4s", "warmup=3s"}})
	require.NoError(t, err)
	res, err := experiments.Run(sc)
	require.NoError(t, err)
	tput := slices.Index(res.Columns, "produce_bytes_per_sec")
	p99 := slices.Index(res.Columns, "produce_p99_ms")
	require.Len(t, res.Series, 4)
	for _, row := range res.Series {
		assert.InDelta(t, 20e6, row[tput], 2e6, "t=%v s: the producer writes 20 MB/s from the start", row[0])
		assert.Positive(t, row[p99], "t=%v s", row[0])
	}
}

// TestNothingAcknowledged: with (next to) no records sent, the latencies and the longest wait for
// an ack have no sample: null in JSON and n/a in text, not 0. The throughput is a true 0, and
// partition-time was writable (that is a property of the partitions, not of the traffic).
func TestNothingAcknowledged(t *testing.T) {
	sc, err := scenario.LoadFS(scenarios.FS, scenarios.Default, scenario.Options{
		Sets: []string{"duration=5s", "warmup=1s", "producers[0].rate=0.000001 records/s"}})
	require.NoError(t, err)
	res, err := experiments.Run(sc)
	require.NoError(t, err)
	var js bytes.Buffer
	require.NoError(t, experiments.WriteJSON(&js, &res.Summary))
	var sum struct {
		Produce, Consume, Availability map[string]any
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &sum))
	for _, f := range []struct {
		m   map[string]any
		key string
	}{{sum.Produce, "latency_ms"}, {sum.Produce, "broker_total_time_ms"},
		{sum.Consume, "end_to_end_latency_ms"}, {sum.Availability, "max_unavailable_seconds"}} {
		v, ok := f.m[f.key]
		assert.True(t, ok, f.key)
		assert.Nil(t, v, f.key)
	}
	assert.EqualValues(t, 0, sum.Produce["throughput_bytes_per_sec"])
	assert.EqualValues(t, 1, sum.Availability["writable_fraction"])

	var text bytes.Buffer
	require.NoError(t, experiments.WriteText(&text, &res.Summary))
	for _, want := range []string{"latency ms  n/a\n", "TotalTimeMs  n/a\n", "end-to-end ms  n/a\n",
		"writable 1.0000 of partition-time", "longest wait for an ack n/a\n"} {
		assert.Contains(t, text.String(), want)
	}
}
