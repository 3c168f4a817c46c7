package experiments

import (
	"context"
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// RunOptions tune how Run drives a simulation; the zero value runs it to the end, silently.
type RunOptions struct {
	// Progress, if set, is called every ProgressEvery events and once when the run ends. It runs
	// on the simulation's goroutine, between two events, so it must return quickly.
	Progress func(Progress)
}

// ProgressEvery is how many events run between two Progress calls: often enough for a progress
// bar (a few hundred times a second at the engine's speed), rare enough to cost nothing.
const ProgressEvery = 1 << 14

// Progress is how far a run has come.
type Progress struct {
	Now, End time.Duration // virtual time reached, and the scenario's duration
	Events   uint64        // events run so far
	Done     bool          // the last call: the run ended or was stopped
}

// control watches a run from its trace hook: it stops the simulation at the current event once
// ctx is done, and reports progress. The hook runs on the simulation's goroutine and only polls
// ctx's Done channel (a non-blocking receive, no lock), so the run stays single-threaded and
// stops at the first event after the cancellation, deterministically.
type control struct {
	s           *sim.Sim
	digest      *sim.Digest
	end         time.Duration
	progress    func(Progress)
	done        <-chan struct{}
	interrupted bool // the run was stopped before its end
}

// watch installs the trace hook of a run of length end on s, folding every event into digest.
func watch(ctx context.Context, s *sim.Sim, digest *sim.Digest, end time.Duration, opts RunOptions) *control {
	c := &control{s: s, digest: digest, end: end, progress: opts.Progress, done: ctx.Done()}
	if c.done == nil && c.progress == nil {
		s.SetTrace(digest.Observe) // nothing to watch: the plain digest, as cheap as it gets
		return c
	}
	s.SetTrace(c.observe)
	return c
}

func (c *control) observe(ev *sim.Event) {
	c.digest.Observe(ev)
	if !c.interrupted {
		select {
		case <-c.done:
			// Stop lets this event run, then returns from RunUntil: the run ends at the current event.
			c.interrupted = true
			c.s.Stop()
		default:
		}
	}
	if c.progress != nil && c.s.Events()%ProgressEvery == 0 {
		c.progress(Progress{Now: time.Duration(c.s.Now()), End: c.end, Events: c.s.Events()})
	}
}

// runUntil runs the simulation to end unless it was interrupted, and reports whether it was.
func (c *control) runUntil(end sim.Time) bool {
	if !c.interrupted {
		c.s.RunUntil(end)
	}
	return c.interrupted
}

// finish makes the last Progress call.
func (c *control) finish() {
	if c.progress != nil {
		c.progress(Progress{Now: time.Duration(c.s.Now()), End: c.end, Events: c.s.Events(), Done: true})
	}
}
