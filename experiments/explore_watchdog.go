package experiments

import (
	"context"
	"fmt"
	"time"

	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// A run that stops making simulated progress (a livelock: events that schedule each other at
// the same instant, or nearly) would keep a search busy forever. The watchdog watches simulated
// time, not wall time, so that it trips at the same event on any machine: the run is stopped
// and reported as a hang.
const (
	// WatchdogEvents is how many events may run while simulated time advances by less than
	// WatchdogProgress. A healthy run of the reference scenario runs ~23 events per simulated
	// millisecond; 2^24 events in one millisecond is a livelock.
	WatchdogEvents = 1 << 24
	// WatchdogProgress is the simulated time that resets the watchdog's count.
	WatchdogProgress = time.Millisecond
)

// HangPrefix starts the message of a run the watchdog stopped.
const HangPrefix = "watchdog: "

// watchdog counts the events since simulated time last advanced by WatchdogProgress.
type watchdog struct {
	limit   uint64
	from    time.Duration // simulated time at the start of the window
	events  uint64        // events at the start of the window
	tripped bool
	at      time.Duration
}

// observe takes a progress report and reports whether the run must be stopped.
func (w *watchdog) observe(p Progress) bool {
	if p.Now-w.from >= WatchdogProgress {
		w.from, w.events = p.Now, p.Events
		return false
	}
	if p.Events-w.events >= w.limit && !w.tripped {
		w.tripped, w.at = true, p.Now
	}
	return w.tripped
}

// WatchedRun runs sc like RunContext, with the watchdog: a run that makes less than
// WatchdogProgress of simulated progress over limit events (WatchdogEvents if 0) is stopped and
// returns an error starting with HangPrefix. A run stopped by ctx returns its partial result.
func WatchedRun(ctx context.Context, sc *scenario.Scenario, limit uint64) (*Result, error) {
	if limit == 0 {
		limit = WatchdogEvents
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := &watchdog{limit: limit}
	res, err := RunContext(runCtx, sc, RunOptions{Progress: func(p Progress) {
		if w.observe(p) {
			cancel()
		}
	}})
	if err == nil && w.tripped && ctx.Err() == nil {
		return nil, fmt.Errorf("%ssimulated time stuck at %v: %d events without %v of progress",
			HangPrefix, w.at, limit, WatchdogProgress)
	}
	return res, err
}
