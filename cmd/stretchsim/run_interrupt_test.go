package main

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
)

// TestRunInterrupted: a run whose context is cancelled (what SIGINT does) prints its partial
// summary, marked as such, and exits 130. The cancellation comes from the progress hook at a
// virtual time, so the test needs no timing.
func TestRunInterrupted(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var out bytes.Buffer
			opts := &runOptions{Ctx: ctx, Out: &out, Format: format, Sets: []string{"duration=10s", "warmup=1s"},
				simulate: func(ctx context.Context, sc *scenario.Scenario, ro experiments.RunOptions) (*experiments.Result, error) {
					ro.Progress = func(p experiments.Progress) {
						if p.Now >= 3*time.Second {
							cancel()
						}
					}
					return experiments.RunContext(ctx, sc, ro)
				}}
			err := runRun(opts)
			require.ErrorIs(t, err, errInterrupted)
			var stderr bytes.Buffer
			assert.Equal(t, exitInterrupted, exitCode(&stderr, nil, err))
			assert.Equal(t, "stretchsim: interrupted: the summary is partial\n", stderr.String())
			if format == "text" {
				assert.Regexp(t, `^PARTIAL: interrupted at 3\.\d+ s of 10 s simulated`, out.String())
				assert.Contains(t, out.String(), "invariants: all held")
				return
			}
			var sum struct {
				Partial          bool    `json:"partial"`
				SimulatedSeconds float64 `json:"simulated_seconds"`
				DurationSeconds  float64 `json:"duration_seconds"`
			}
			require.NoError(t, json.Unmarshal(out.Bytes(), &sum))
			assert.True(t, sum.Partial)
			assert.GreaterOrEqual(t, sum.SimulatedSeconds, 3.0)
			assert.Less(t, sum.SimulatedSeconds, 10.0)
			assert.EqualValues(t, 10, sum.DurationSeconds)
		})
	}
}

// The whole command line, with a context already cancelled: the run stops at its first event,
// the partial summary is still printed, and the exit code is 130.
func TestRunInterruptedExitCode(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	code := run(ctx, []string{"run", "--set", "duration=5s", "--set", "warmup=1s"}, nil, &out, &errOut)
	assert.Equal(t, exitInterrupted, code)
	assert.Contains(t, out.String(), "PARTIAL: interrupted at 0 s of 5 s simulated")
	assertErrorLine(t, errOut.String(), "interrupted: the summary is partial", false)
}

// Progress goes to stderr only when it is a terminal: not into a buffer, a file or a pipe.
func TestRunNoProgressOffTerminal(t *testing.T) {
	code, out, errOut := runCLI(t, "run", "--set", "duration=2s", "--set", "warmup=1s")
	require.Equal(t, exitOK, code, errOut)
	assert.NotEmpty(t, out)
	assert.Empty(t, errOut)
}

// On a terminal the bar shows simulated time against the duration and the event rate, and is
// cleared at the end, leaving stdout to the summary.
func TestRunProgressBar(t *testing.T) {
	var out, errOut bytes.Buffer
	opts := &runOptions{Out: &out, Err: &errOut, Format: "text", Progress: true, Sets: []string{"duration=5s", "warmup=1s"}}
	require.NoError(t, runRun(opts))
	assert.Regexp(t, `\d+\.\d / 5 s simulated, [\d.]+ [kM]? ?events/s`, errOut.String())
	assert.NotContains(t, out.String(), "simulated,")
}

func TestProgressText(t *testing.T) {
	p := experiments.Progress{Now: 12340 * time.Millisecond, End: time.Minute, Events: 3_000_000}
	assert.Equal(t, "12.3 / 60 s simulated, 1.5 M events/s", progressText(p, 2*time.Second))
	assert.Equal(t, "12.3 / 60 s simulated, 3.0 k events/s", progressText(experiments.Progress{Now: p.Now, End: p.End, Events: 3000}, time.Second))
	assert.Equal(t, "0.0 / 60 s simulated, - events/s", progressText(experiments.Progress{End: p.End}, 0))
}
