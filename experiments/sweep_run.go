package experiments

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// SweepOptions tune RunSweep.
type SweepOptions struct {
	// Dir is the sweep directory: it keeps every finished run (runs/KEY.json) and the tables.
	// It is created if needed.
	Dir string
	// Parallel is the number of runs at a time; 0 or less means runtime.GOMAXPROCS(0).
	Parallel int
	// Shard and Shards select the runs k with InShard(k, Shard, Shards); Shards 0 means 1 (every
	// run).
	Shard, Shards int
	// Series also keeps each run's time series, series/KEY.csv.
	Series bool
	// Progress, if set, is called once before the first run and after each run, one call at a
	// time.
	Progress func(SweepProgress)
	// Simulate runs one scenario; nil means RunContext. Tests replace it.
	Simulate func(context.Context, *scenario.Scenario, RunOptions) (*Result, error)
}

// SweepProgress is how far a sweep has come, over the runs of its shard.
type SweepProgress struct {
	Total   int // runs of the shard, invalid ones included
	Done    int // runs with an outcome: finished now or before, or invalid
	Reused  int // of Done, finished by an earlier invocation
	Failed  int
	Invalid int
}

// SweepReport is the outcome of RunSweep.
type SweepReport struct {
	SweepProgress
	Ran         int // runs run by this invocation
	Missing     int // runs of the shard without an outcome (the sweep was interrupted)
	Interrupted bool
	Started     time.Time
	Finished    time.Time
	// RunWallSeconds is the wall time of the runs run by this invocation, added up.
	RunWallSeconds float64
}

// outcome is what a worker hands back for run k.
type outcome struct {
	k           int
	rec         *RunRecord
	wall        float64
	interrupted bool // stopped by ctx: nothing kept
	err         error
}

// RunSweep runs the runs of plan that belong to the shard and have no record in opts.Dir yet, on
// opts.Parallel workers, keeping each one's record (and series) as soon as it ends; then it
// writes the tables and sweep.json (WriteResults). A run that panics or breaks an invariant is
// kept as failed, and the sweep goes on. When ctx is done the runs in flight are dropped, the
// tables are written for the runs that have ended, and Interrupted is set. The error is for the
// directory: a record or a table that cannot be written.
func RunSweep(ctx context.Context, plan *Plan, base Base, opts SweepOptions) (*SweepReport, error) {
	if opts.Shards <= 0 {
		opts.Shards, opts.Shard = 1, 0
	}
	rep := &SweepReport{Started: time.Now()}
	jobs, err := pendingRuns(plan, opts, rep)
	if err != nil {
		return nil, err
	}
	progress := func() {
		if opts.Progress != nil {
			opts.Progress(rep.SweepProgress)
		}
	}
	progress()
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var writeErr error
	for o := range runParallel(runCtx, plan, base, opts, jobs) {
		switch {
		case o.err != nil:
			if writeErr == nil {
				writeErr = o.err
				cancel() // the directory fails us: stop, keep what was written
			}
		case o.interrupted:
		default:
			rep.Done++
			rep.Ran++
			rep.RunWallSeconds += o.wall
			if o.rec.Status == StatusFailed {
				rep.Failed++
			}
			progress()
		}
	}
	rep.Missing = rep.Total - rep.Done
	rep.Interrupted = rep.Missing > 0 && ctx.Err() != nil
	rep.Finished = time.Now()
	if err := WriteResults(opts.Dir, plan, opts.Shard, opts.Shards, rep); err != nil && writeErr == nil {
		writeErr = err
	}
	return rep, writeErr
}

// pendingRuns counts the shard's runs into rep and returns those still to run.
func pendingRuns(plan *Plan, opts SweepOptions, rep *SweepReport) ([]int, error) {
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, err
	}
	var jobs []int
	for k, run := range plan.Runs {
		if !InShard(k, opts.Shard, opts.Shards) {
			continue
		}
		rep.Total++
		if run.Invalid != "" {
			rep.Done++
			rep.Invalid++
			continue
		}
		rec, ok, err := readRecord(opts.Dir, run.Key)
		if err != nil {
			return nil, err
		}
		if ok && opts.Series && rec.Status != StatusFailed {
			if _, err := os.Stat(seriesPath(opts.Dir, run.Key)); err != nil {
				ok = false // kept without its series: run it again for them
			}
		}
		if !ok {
			jobs = append(jobs, k)
			continue
		}
		rep.Done++
		rep.Reused++
		if rec.Status == StatusFailed {
			rep.Failed++
		}
	}
	return jobs, nil
}

// runParallel runs jobs on opts.Parallel goroutines and sends each outcome, in completion order,
// on the channel it returns, which it closes when every worker is done. Each worker keeps its
// run's files before it reports it, so what the caller counts is on disk.
func runParallel(ctx context.Context, plan *Plan, base Base, opts SweepOptions, jobs []int) <-chan outcome {
	workers := opts.Parallel
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(min(workers, len(jobs)), 1)
	queue := make(chan int)
	out := make(chan outcome)
	go func() {
		defer close(queue)
		for _, k := range jobs {
			select {
			case queue <- k:
			case <-ctx.Done():
				return
			}
		}
	}()
	done := make(chan struct{})
	for range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for k := range queue {
				out <- runAndKeep(ctx, plan, base, opts, k)
			}
		}()
	}
	go func() {
		for range workers {
			<-done
		}
		close(out)
	}()
	return out
}

// runAndKeep runs run k and writes its record (and series).
func runAndKeep(ctx context.Context, plan *Plan, base Base, opts SweepOptions, k int) outcome {
	run := plan.Runs[k]
	start := time.Now()
	rec, res, interrupted := runOne(ctx, base, run, opts.Simulate)
	rec.Version = plan.Version
	o := outcome{k: k, rec: rec, wall: time.Since(start).Seconds(), interrupted: interrupted}
	if interrupted {
		return o
	}
	if opts.Series && res != nil {
		o.err = writeFileAtomic(seriesPath(opts.Dir, run.Key), func(w io.Writer) error {
			return WriteSeriesCSV(w, res.Columns, res.Series)
		})
	}
	if o.err == nil {
		o.err = writeRecord(opts.Dir, rec)
	}
	if o.err != nil {
		o.err = fmt.Errorf("run %d (point %d, replication %d): %w", k, run.Point, run.Replication, o.err)
	}
	return o
}

// runOne simulates run, turning a panic into a failed record: a bug in one run must not take
// the sweep down with it. interrupted is set when ctx stopped the run before its end.
func runOne(ctx context.Context, base Base, run PlannedRun, simulate func(context.Context, *scenario.Scenario, RunOptions) (*Result, error)) (rec *RunRecord, res *Result, interrupted bool) {
	rec = &RunRecord{Key: run.Key, Seed: run.Seed, Scenario: run.Scenario, Status: StatusFailed, Summary: []byte("null")}
	defer func() {
		if p := recover(); p != nil {
			rec.Status, rec.Message, rec.Summary, res = StatusFailed, oneLine(fmt.Sprintf("panic: %v", p)), []byte("null"), nil
			interrupted = false
		}
	}()
	if simulate == nil {
		simulate = RunContext
	}
	root, err := scenario.ParseYAML(base.File, []byte(run.Scenario))
	var sc *scenario.Scenario
	if err == nil {
		sc, err = scenario.DecodeNode(base.File, root, base.Opts)
	}
	if err == nil {
		res, err = simulate(ctx, sc, RunOptions{})
	}
	if err != nil {
		rec.Message = "error: " + invalidMessage(err)
		return rec, nil, false
	}
	if res.Summary.Partial {
		return rec, nil, true
	}
	if rec.Summary, err = SummaryJSON(&res.Summary); err != nil {
		rec.Summary, rec.Message = []byte("null"), "error: "+err.Error()
		return rec, nil, false
	}
	rec.Status = StatusOK
	if v := res.Summary.Invariants.Violations; len(v) > 0 {
		rec.Status = StatusFailed
		rec.Message = "invariant violated: " + v[0]
		if len(v) > 1 {
			rec.Message += fmt.Sprintf(" (and %d more)", len(v)-1)
		}
	}
	rec.Message = oneLine(rec.Message)
	return rec, res, false
}

// oneLine puts a message on one line, for a table cell.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
