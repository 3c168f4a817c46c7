package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// exploreOptions holds the flags of `stretchsim explore`.
type exploreOptions struct {
	Ctx      context.Context
	Out, Err io.Writer
	Version  string
	Arg      string
	OutDir   string
	Format   string
	Runs     int
	Seed     uint64
	SeedSet  bool
	Faults   int
	Kinds    []string
	Duration time.Duration
	Recovery time.Duration
	Shrink   int
	Parallel int
	Sets     []string
	Progress bool
}

const exploreLong = `Search a design for fault schedules that break it: run the scenario under --runs random fault
schedules, report every run that breaks it, and shrink each such finding to a minimal fault list
that still reproduces it, printed as a complete scenario that ` + "`stretchsim run`" + ` replays.

The scenario's own faults and random_faults are replaced: run r draws --faults faults (of
--kinds, each lasting --fault-duration) from seed S+r (S: --seed, else the scenario's) between
the warm-up and the scenario's duration, and the run goes on --recovery longer. A run is a
finding of the first kind that applies:

  panic        the simulator panicked (a bug: please report it)
  hang         the watchdog stopped it: 16,777,216 events without 1ms of simulated progress
  error        the run could not be built
  invariant    an invariant broke (a bug: see the invariant checker in the README)
  acked-loss   acknowledged records were lost (acks=1, unclean election, power losses...)
  unrecovered  a partition still could not take acks=all writes --recovery after the last fault

Shrinking drops faults one at a time while the finding holds (the same kind; for an invariant,
the same rule), then halves each fault's duration (down to 1s), then moves each fault later,
then ends the run --recovery after the last fault; at most --shrink-runs runs per finding.

DIR keeps every run as a sweep does (runs/KEY.json, runs.csv, points.csv...), so the same
command resumes an interrupted search and re-runs nothing; findings/RUN-KIND.yaml holds each
shrunk finding, explore.json the whole result. Exit code 1 when there is a finding.`

const exploreExample = `  # 200 schedules of 5 faults against the 2.5-site example
  stretchsim explore two-and-a-half-site --runs 200 --faults 5 --out results/explore-2.5

  # Only crashes and outages, 10 s each, as JSON
  stretchsim explore scenarios/three-site.yaml --kinds broker-crash,site-outage --fault-duration 10s --format json`

func newCmdExplore(opts *exploreOptions) *cobra.Command {
	if opts == nil {
		opts = &exploreOptions{}
	}
	cmd := &cobra.Command{
		Use:     "explore [FILE|NAME] [--runs N] [--seed S] [--faults K] [--kinds ...] [--out DIR]",
		Short:   "Search random fault schedules for ones that break a design, and shrink them",
		Long:    exploreLong,
		Example: exploreExample,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Out, opts.Err = cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			opts.Progress = isTerminal(opts.Err)
			opts.SeedSet = cmd.Flags().Changed("seed")
			if len(args) == 1 {
				if strings.TrimSpace(args[0]) == "" {
					return usageErrorf("the argument is empty: give a scenario file or a built-in name")
				}
				opts.Arg = args[0]
			}
			return runExplore(opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Runs, "runs", 100, "random schedules to run")
	f.Uint64Var(&opts.Seed, "seed", 0, "seed of the first schedule (default: the scenario's); run r uses seed+r")
	f.IntVar(&opts.Faults, "faults", 5, "faults per schedule")
	f.StringSliceVar(&opts.Kinds, "kinds", nil, "fault types to draw from, comma-separated, power-loss among them (default: every type the layout allows but broker-restart and power-loss)")
	f.DurationVar(&opts.Duration, "fault-duration", 30*time.Second, "how long each fault lasts")
	f.DurationVar(&opts.Recovery, "recovery", time.Minute, "how long after the last fault every partition must be writable again")
	f.IntVar(&opts.Shrink, "shrink-runs", 100, "most runs spent shrinking one finding")
	f.IntVar(&opts.Parallel, "parallel", runtime.GOMAXPROCS(0), "runs at a time")
	f.StringVar(&opts.OutDir, "out", "", "directory `DIR` for the runs and findings (default explore/NAME)")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	f.StringArrayVar(&opts.Sets, "set", nil, "override a scenario value, `PATH=VALUE` (repeatable)")
	return cmd
}

// checkExploreFlags refuses flag values that make no sense, naming the flag.
func checkExploreFlags(opts *exploreOptions) error {
	switch {
	case opts.Runs < 1 || opts.Runs > experiments.MaxReplications:
		return usageErrorf("--runs must be from 1 to %d, got %d", experiments.MaxReplications, opts.Runs)
	case opts.Faults < 1 || opts.Faults > scenario.MaxRandomFaults:
		return usageErrorf("--faults must be from 1 to %d, got %d", scenario.MaxRandomFaults, opts.Faults)
	case opts.Duration < time.Millisecond:
		return usageErrorf("--fault-duration must be at least 1ms, got %v", opts.Duration)
	case opts.Recovery < time.Second:
		return usageErrorf("--recovery must be at least 1s, got %v", opts.Recovery)
	case opts.Shrink < 0:
		return usageErrorf("--shrink-runs must not be negative, got %d", opts.Shrink)
	case opts.Parallel < 1:
		return usageErrorf("--parallel must be at least 1, got %d", opts.Parallel)
	case opts.Format != "text" && opts.Format != "json":
		return usageErrorf("--format must be text or json, got %q", opts.Format)
	}
	for _, k := range opts.Kinds {
		if strings.TrimSpace(k) == "" {
			return usageErrorf("--kinds has an empty fault type")
		}
	}
	return nil
}

func runExplore(opts *exploreOptions) error {
	if err := checkExploreFlags(opts); err != nil {
		return err
	}
	base, err := sweepBase(&experiments.Sweep{Scenario: opts.Arg})
	if err != nil {
		return err
	}
	eo := experiments.ExploreOptions{Runs: opts.Runs, Seed: opts.Seed, SeedSet: opts.SeedSet, Faults: opts.Faults,
		Kinds: opts.Kinds, FaultDuration: opts.Duration, Recovery: opts.Recovery, ShrinkRuns: opts.Shrink,
		Parallel: opts.Parallel, Version: opts.Version, Dir: opts.OutDir}
	for _, s := range opts.Sets {
		p, v, ok := strings.Cut(s, "=")
		if !ok {
			return usageErrorf("--set takes PATH=VALUE, got %q", s)
		}
		eo.Sets = append(eo.Sets, experiments.Setting{Path: p, Value: v})
	}
	if eo.Dir == "" {
		eo.Dir = filepath.Join("explore", quickSweepName(opts.Arg))
	}
	// An invalid design is reported before anything is written.
	vopts := base.Opts
	vopts.Sets = opts.Sets
	if _, err := scenario.Parse(base.File, base.Data, vopts); err != nil {
		return asFlagUsage(err)
	}
	if err := experiments.CheckOutDir(eo.Dir); err != nil {
		return fmt.Errorf("--out %s: %w", eo.Dir, err)
	}
	var bar *sweepBar
	if opts.Progress {
		bar = newSweepBar(opts.Err)
		eo.Progress = bar.update
	}
	ctx := opts.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	res, err := experiments.Explore(ctx, base, eo)
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		return asFlagUsage(err)
	}
	if err := experiments.WriteSweepReport(eo.Dir, experiments.ReportOptions{Version: opts.Version}); err != nil {
		return fmt.Errorf("--out %s: the report: %w", eo.Dir, err)
	}
	if opts.Format == "json" {
		err = experiments.WriteExploreJSON(opts.Out, res)
	} else {
		err = experiments.WriteExploreText(opts.Out, res, 5)
		if err == nil {
			fmt.Fprintf(opts.Out, "\nresults in %s: %s, findings/, %s, %s\n", eo.Dir, experiments.ExploreJSON, experiments.RunsCSV, experiments.ReportHTML)
		}
	}
	switch {
	case err != nil:
		return err
	case res.Interrupted:
		return interruptedError{fmt.Sprintf("interrupted after %d of %d runs; the same command resumes the search", res.Done, res.Runs)}
	case len(res.Findings) > 0:
		return fmt.Errorf("%d %s (%s)", len(res.Findings), map[bool]string{true: "finding", false: "findings"}[len(res.Findings) == 1],
			filepath.Join(eo.Dir, experiments.ExploreJSON))
	}
	return nil
}
