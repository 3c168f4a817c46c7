package experiments_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// TestConsumerCatchUpScenario checks scenarios/consumer-catch-up.yaml against first principles:
// 10 MB/s of 1 KiB records (R = 9,766 records/s); the group's consumer in dc-b dies with its site
// at 63 s, 3 s after its last auto-commit (every 5 s); the group's next consumer starts at 123 s.
//
//   - it re-delivers what was delivered after the commit: 3 s of records;
//   - together the two deliver every record, the duplicates apart;
//   - its end-to-end latency includes its backlog: the oldest record it reads was written at the
//     commit, 63 s before it starts (60 s down, 3 s re-read);
//   - the group's lag grows at R while no consumer runs, once the partitions have leaders and
//     ISRs again (the controller fences dc-b's brokers 9 s into the outage) and the producer has
//     retried what it had sent to them (request.timeout.ms, 30 s into the outage);
//   - it catches up, and then its lag stays near 0.
func TestConsumerCatchUpScenario(t *testing.T) {
	if raceEnabled {
		t.Skip("four simulated minutes: .ci/run runs it without -race")
	}
	sc, err := scenario.LoadFS(scenarios.FS, "consumer-catch-up.yaml", scenario.Options{})
	require.NoError(t, err)
	res, err := experiments.Run(sc)
	require.NoError(t, err)
	sum := res.Summary
	const r = 10e6 / 1024 // records/s
	require.Len(t, sum.Consume.ByConsumer, 2)
	a, back := sum.Consume.ByConsumer[0], sum.Consume.ByConsumer[1]
	assert.Equal(t, "analytics", back.Group)
	assert.Equal(t, 123.0, back.StartSeconds)
	require.NotNil(t, a.StopSeconds)
	assert.Equal(t, 63.0, *a.StopSeconds)

	assert.Zero(t, a.DuplicateRecords)
	assert.InDelta(t, 3*r, float64(back.DuplicateRecords), 0.03*3*r, "the records delivered after the last auto-commit")
	assert.Equal(t, back.DuplicateRecords, sum.Consume.DuplicateRecords)
	assert.Zero(t, back.SkippedRecords, "it resumes from a commit")
	assert.InDelta(t, float64(sum.Produce.AckedRecords), float64(a.Records+back.Records-back.DuplicateRecords), 50,
		"every acknowledged record is delivered, once apart from the duplicates")

	require.NotNil(t, back.EndToEndLatencyMs)
	e2e := back.EndToEndLatencyMs.Max / 1000
	t.Logf("analytics-back: end-to-end max %.2f s, records-lag-max %v, caught up in %v s, %d duplicates",
		e2e, *back.RecordsLagMax, *back.CatchUpSeconds, back.DuplicateRecords)
	assert.GreaterOrEqual(t, e2e, 63.0, "its oldest record was written at the commit, 60 s + 3 s before it read it")
	assert.LessOrEqual(t, e2e, 63.0+*back.CatchUpSeconds)

	require.True(t, back.CaughtUp)
	assert.Equal(t, 123.0, *back.CatchUpSinceSeconds)
	assert.Greater(t, *back.CatchUpSeconds, 1.0, "a minute of records takes time to read")
	require.NotNil(t, back.RecordsLagMax)
	assert.Greater(t, float64(*back.RecordsLagMax), 50*r/12, "a partition's share of 50 s of records at least")

	cols := res.Columns
	gi, bi := slices.Index(cols, "group_lag_analytics"), slices.Index(cols, "records_lag_max_analytics-back")
	require.GreaterOrEqual(t, gi, 0, "%v", cols)
	require.GreaterOrEqual(t, bi, 0, "%v", cols)
	at := func(sec int) []float64 { return res.Series[sec-1] } // row k is sampled at k+1 s
	slope := (at(120)[gi] - at(100)[gi]) / 20
	t.Logf("group lag %.0f at 100 s, %.0f at 120 s: %.0f records/s", at(100)[gi], at(120)[gi], slope)
	assert.InDelta(t, r, slope, 0.03*r, "the group's lag grows at the write rate while it is down")
	assert.True(t, math.IsNaN(at(100)[bi]), "the consumer records no lag before it starts")
	for sec := 200; sec <= 240; sec++ {
		assert.Less(t, at(sec)[bi], 1000.0, "%d s: caught up, it keeps up", sec)
	}
	assert.Empty(t, sum.Invariants.Violations)

	var b strings.Builder
	require.NoError(t, experiments.WriteText(&b, &sum))
	assert.Contains(t, b.String(), "analytics-back (group analytics): ")
	assert.Contains(t, b.String(), " records delivered twice\n")
}

// A consumer that never caught up, skipped records or found no committed offset says so in the
// text summary: "never" is not a time of 0.
func TestWriteTextConsumerNeverCaughtUp(t *testing.T) {
	since, lag := 30.0, int64(1234)
	s := experiments.Summary{Consume: experiments.ConsumeSummary{Consumers: 2, ByConsumer: []experiments.ConsumerSummary{
		{Name: "slow", Group: "g", Records: 10, RecordsLagMax: &lag, CatchUpSinceSeconds: &since, SkippedRecords: 5},
		{Name: "lost", Group: "h", CatchUpSinceSeconds: &since, NoOffset: true},
	}}}
	var b strings.Builder
	require.NoError(t, experiments.WriteText(&b, &s))
	assert.Contains(t, b.String(), "          slow (group g): 10 records, records-lag-max 1234, NEVER caught up from 30 s, 5 records skipped (auto.offset.reset=latest)\n")
	assert.Contains(t, b.String(), "          lost (group h): 0 records, records-lag-max n/a, NEVER caught up from 30 s, no committed offset (NoOffsetForPartitionException)\n")
}
