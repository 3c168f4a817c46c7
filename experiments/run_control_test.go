package experiments_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

func shortDefault(t *testing.T) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.LoadFS(scenarios.FS, scenarios.Default, scenario.Options{Sets: []string{"duration=10s", "warmup=2s"}})
	require.NoError(t, err)
	return sc
}

// interruptAt runs the scenario and cancels its context from the progress hook once virtual time
// reaches at: in-process and deterministic, as the run polls the context at every event.
// It returns the result and the virtual time of the cancellation.
func interruptAt(t *testing.T, sc *scenario.Scenario, at time.Duration) (*experiments.Result, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cancelledAt time.Duration
	res, err := experiments.RunContext(ctx, sc, experiments.RunOptions{Progress: func(p experiments.Progress) {
		if p.Now >= at && cancelledAt == 0 {
			cancelledAt = p.Now
			cancel()
		}
	}})
	require.NoError(t, err)
	return res, cancelledAt
}

// TestRunInterrupted: a cancelled run stops at the next event and summarizes the time reached,
// marked partial, the same way every time.
func TestRunInterrupted(t *testing.T) {
	sc := shortDefault(t)
	res, cancelledAt := interruptAt(t, sc, 4*time.Second)
	sum := res.Summary
	assert.True(t, sum.Partial)
	assert.EqualValues(t, 10, sum.DurationSeconds)
	assert.GreaterOrEqual(t, sum.SimulatedSeconds, cancelledAt.Seconds())
	assert.Less(t, sum.SimulatedSeconds, cancelledAt.Seconds()+0.001, "stopped at the first event after the cancellation")
	assert.InDelta(t, sum.SimulatedSeconds-2, sum.MeasuredSeconds, 1e-9)
	assert.Positive(t, sum.Produce.AckedRecords)
	require.NotNil(t, sum.Produce.ThroughputBytesPerSec)
	assert.InDelta(t, 20e6, *sum.Produce.ThroughputBytesPerSec, 2e6, "the rate is over the time measured, not the duration")

	var text bytes.Buffer
	require.NoError(t, experiments.WriteText(&text, &sum))
	assert.Regexp(t, `^PARTIAL: interrupted at 4\.\d+ s of 10 s simulated`, text.String())
	var js bytes.Buffer
	require.NoError(t, experiments.WriteJSON(&js, &sum))
	var keys map[string]any
	require.NoError(t, json.Unmarshal(js.Bytes(), &keys))
	assert.Equal(t, true, keys["partial"])
	assert.Equal(t, sum.SimulatedSeconds, keys["simulated_seconds"])

	res, _ = interruptAt(t, shortDefault(t), 4*time.Second)
	again := res.Summary
	assert.Equal(t, sum.TraceDigest, again.TraceDigest)
	assert.Equal(t, sum.Events, again.Events)
}

// Cancelled before it starts, a run stops at its first event: nothing is measured, so every rate
// and fraction is undefined rather than 0.
func TestRunCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := experiments.RunContext(ctx, shortDefault(t), experiments.RunOptions{})
	require.NoError(t, err)
	sum := res.Summary
	assert.True(t, sum.Partial)
	assert.EqualValues(t, 1, sum.Events)
	assert.Zero(t, sum.MeasuredSeconds)
	assert.Nil(t, sum.Produce.ThroughputBytesPerSec)
	assert.Nil(t, sum.Availability.WritableFraction)
	assert.Nil(t, sum.Brokers[0].BytesInPerSec)
	var text bytes.Buffer
	require.NoError(t, experiments.WriteText(&text, &sum))
	assert.Contains(t, text.String(), "PARTIAL: interrupted at 0 s of 10 s simulated")
}

// A run that is not stopped is not partial, and its last progress call says it is done at the end.
func TestRunProgress(t *testing.T) {
	var calls []experiments.Progress
	res, err := experiments.RunContext(context.Background(), shortDefault(t), experiments.RunOptions{
		Progress: func(p experiments.Progress) { calls = append(calls, p) }})
	require.NoError(t, err)
	assert.False(t, res.Summary.Partial)
	require.Greater(t, len(calls), 2)
	for i := 1; i < len(calls); i++ {
		assert.GreaterOrEqual(t, calls[i].Now, calls[i-1].Now)
		assert.Greater(t, calls[i].Events, calls[i-1].Events-1)
	}
	last := calls[len(calls)-1]
	assert.True(t, last.Done)
	assert.Equal(t, 10*time.Second, last.Now)
	assert.Equal(t, 10*time.Second, last.End)
	assert.Equal(t, res.Summary.Events, last.Events)

	plain, err := experiments.Run(shortDefault(t))
	require.NoError(t, err)
	assert.Equal(t, plain.Summary.TraceDigest, res.Summary.TraceDigest, "watching changes nothing")
}
