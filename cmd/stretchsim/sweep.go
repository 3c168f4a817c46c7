package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// sweepOptions holds the flags of `stretchsim sweep`.
type sweepOptions struct {
	Ctx          context.Context
	Out, Err     io.Writer
	Version      string // the stretchsim version run keys are made with
	Arg          string // the sweep file, or with --axis the scenario ("" for the default)
	OutDir       string
	Axes         []string
	Replications int
	// ReplicationsSet is whether --replications was given: it replaces the sweep file's.
	ReplicationsSet bool
	Parallel        int
	Shard           string
	Sets            []string
	Series          bool
	Progress        bool // draw a progress bar on Err (it is a terminal)
	// simulate runs one scenario; nil means experiments.RunContext. Tests replace it.
	simulate func(context.Context, *scenario.Scenario, experiments.RunOptions) (*experiments.Result, error)
}

const sweepLong = `Run a scenario at every point of a grid of values, each point several times, in parallel,
and tabulate the results with 95 % confidence intervals.

A sweep file names a base scenario (a file relative to the sweep file, or a built-in
scenario name), fixed overrides (set), the axes (any scenario value by its --set path, each
with its values written as after --set PATH=; full factorial, first axis outermost), zip groups
of axes that move together, and the replications per point:

  name: rtt-vs-acks
  scenario: default
  set: {duration: 20s, warmup: 5s}
  axes:
    network.inter_site.rtt: [1ms, 5ms, 20ms]
    producers[checkout].config.acks: [1, all]
  replications: 3

Without a file, --axis PATH=V1,V2,... (repeatable) makes the grid over SCENARIO (a file or a
built-in name; the built-in default when none is given). Values split at commas outside
brackets, so lognormal(median=12ms, p99=40ms) and [..] lists stay whole; \, is a comma
inside a value.

Seeds: replication r of every point runs with seed S+r, S the point's scenario seed (1 unless
set): every point sees the same random numbers, so a difference between points is not noise
of different seeds. A point whose scenario is invalid is recorded as invalid, not run.

DIR keeps every finished run (runs/KEY.json, KEY a hash of the run's resolved scenario, seed
and stretchsim version; a build that names no version, such as go run, or a revision with
uncommitted changes, adds the hash of its executable): running the same sweep again skips
them and runs the rest, so an interrupted sweep (Ctrl-C, exit 130) loses only the runs in
flight. DIR gets runs.csv (one row
per run: point, replication, seed, key, the axes, status, message, every summary figure by
its JSON path), runs.jsonl (the full summaries), points.csv (per point and figure: n, mean,
sd, ci95_low, ci95_high over the ok replications with a value, Student t) and sweep.json (the resolved sweep,
the version, the times); with --series, series/KEY.csv. Every one of these but sweep.json is
the same byte for byte at any --parallel, resumed or not, and merged from shards. DIR also
gets sweep.yaml (a copy of the sweep file), the charts (charts/NAME.svg and .png) and
report.html, a self-contained page with the charts, the tables, the sweep file and the
provenance. The charts are those of the sweep file's plots: key, e.g.

  plots:
    - {y: produce.latency_ms.p99, x: network.inter_site.rtt, lines: "producers[checkout].config.acks", log: y}
    - heatmap: availability.writable_fraction
      x: network.inter_site.rtt
      y: producers[checkout].config.acks

(y: a numeric column of runs.csv, or isr.changes_per_minute or network.cross_site_bytes_per_sec;
x, lines, facets: axes, x a numeric one; log: x, y or xy; quote a path with [ inside {...});
without it, a default set: produce throughput, p99 latency, ISR shrinks + expands per minute,
writable fraction, acknowledged records lost and cross-site traffic against each numeric axis. stretchsim report DIR renders
them again, from the plots: of DIR/sweep.yaml.

--shard I/N runs only the runs k (k = point × replications + replication) with k mod N = I,
for I from 0 to N-1 (a Kubernetes indexed job's JOB_COMPLETION_INDEX, a SLURM array's
SLURM_ARRAY_TASK_ID); stretchsim merge combines the shards' directories.

A run that panics or breaks an invariant is a failed row (with its seed; its record holds the
scenario) and the sweep goes on; the exit code is then 1. On a terminal, stderr shows the runs
done, failures and the time left.`

const sweepExample = `  # The RTT × acks example: 3 × 2 points, 3 replications each, on every core
  stretchsim sweep sweeps/rtt-acks.yaml --out results/rtt-acks

  # A quick sweep of the built-in default scenario
  stretchsim sweep --axis network.inter_site.rtt=1ms,5ms,20ms --replications 3 --set duration=20s --out results/rtt

  # A distribution among the values
  stretchsim sweep three-site --axis 'network.links[0].rtt=10ms,lognormal(median=12ms, p99=40ms)' --out results/link

  # Shard 2 of 4 on one machine of a batch job, then merge the four directories
  stretchsim sweep sweeps/rtt-acks.yaml --shard 2/4 --out results/shard-2
  stretchsim merge --out results/rtt-acks results/shard-0 results/shard-1 results/shard-2 results/shard-3`

func newCmdSweep(opts *sweepOptions) *cobra.Command {
	if opts == nil {
		opts = &sweepOptions{}
	}
	cmd := &cobra.Command{
		Use:     "sweep [FILE | SCENARIO --axis PATH=V1,V2,...] --out DIR",
		Short:   "Run a scenario over a grid of values, with replications, in parallel",
		Long:    sweepLong,
		Example: sweepExample,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Out, opts.Err = cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			opts.Progress = isTerminal(opts.Err)
			if len(args) == 1 {
				if strings.TrimSpace(args[0]) == "" {
					return usageErrorf("the argument is empty: give a sweep file, or a scenario with --axis")
				}
				opts.Arg = args[0]
			}
			opts.ReplicationsSet = cmd.Flags().Changed("replications")
			if cmd.Flags().Changed("out") && strings.TrimSpace(opts.OutDir) == "" || !cmd.Flags().Changed("out") {
				return usageErrorf("--out needs a directory for the results, got %q", opts.OutDir)
			}
			return runSweep(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.OutDir, "out", "", "the sweep directory `DIR` (required): finished runs and the tables")
	f.StringArrayVar(&opts.Axes, "axis", nil, "vary a scenario value, `PATH=V1,V2,...` (repeatable; the argument is then a scenario)")
	f.IntVar(&opts.Replications, "replications", 1, "runs per point, with seeds S, S+1, ... (default: the sweep file's, else 1)")
	f.IntVar(&opts.Parallel, "parallel", runtime.GOMAXPROCS(0), "runs at a time")
	f.StringVar(&opts.Shard, "shard", "", "run only shard `I/N` of the runs: those with run index mod N = I, I from 0 to N-1")
	f.StringArrayVar(&opts.Sets, "set", nil, "override a scenario value at every point, `PATH=VALUE` (repeatable)")
	f.BoolVar(&opts.Series, "series", false, "also keep each run's time series, series/KEY.csv")
	return cmd
}

func runSweep(opts *sweepOptions) error {
	shard, shards, err := parseShard(opts.Shard)
	if err != nil {
		return err
	}
	if opts.Parallel < 1 {
		return usageErrorf("--parallel must be at least 1, got %d", opts.Parallel)
	}
	sw, err := sweepFromArgs(opts)
	if err != nil {
		return err
	}
	base, err := sweepBase(sw)
	if err != nil {
		return err
	}
	plan, err := experiments.PlanSweep(sw, base, opts.Version)
	if err != nil {
		return asFlagUsage(err)
	}
	for _, w := range plan.Warnings {
		fmt.Fprintf(opts.Err, "warning: %s\n", w)
	}
	printInvalid(opts.Err, plan)
	if err := experiments.CheckOutDir(opts.OutDir); err != nil {
		return fmt.Errorf("--out %s: %w", opts.OutDir, err)
	}
	so := experiments.SweepOptions{Dir: opts.OutDir, Parallel: opts.Parallel, Shard: shard, Shards: shards,
		Series: opts.Series, Simulate: opts.simulate}
	var bar *sweepBar
	if opts.Progress {
		bar = newSweepBar(opts.Err)
		so.Progress = bar.update
	}
	ctx := opts.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	if err := keepSweepFile(opts); err != nil {
		return fmt.Errorf("--out %s: %w", opts.OutDir, err)
	}
	rep, err := experiments.RunSweep(ctx, plan, base, so)
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		return fmt.Errorf("--out %s: %w", opts.OutDir, err)
	}
	printSweepReport(opts.Out, plan, rep, opts.OutDir)
	if err := experiments.WriteSweepReport(opts.OutDir, experiments.ReportOptions{Version: opts.Version}); err != nil {
		return errors.Join(fmt.Errorf("the report: %w (the tables are written)", err), sweepOutcome(plan, rep, opts.OutDir))
	}
	return sweepOutcome(plan, rep, opts.OutDir)
}

// keepSweepFile copies the sweep file into DIR as sweep.yaml, where stretchsim report reads its
// plots: key. A sweep made by --axis flags has no file.
func keepSweepFile(opts *sweepOptions) error {
	if len(opts.Axes) > 0 {
		return nil
	}
	data, err := scenario.ReadRegularFile(opts.Arg)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(opts.OutDir, experiments.SweepYAML), data, 0o644)
}

// isSweepFile reports whether name is a readable YAML file with a sweep file's own keys (axes,
// zip, replications), which a scenario never has.
func isSweepFile(name string) bool {
	data, err := scenario.ReadRegularFile(name)
	if err != nil {
		return false
	}
	var top map[string]any
	if yaml.Unmarshal(data, &top) != nil {
		return false
	}
	for _, k := range []string{"axes", "zip", "replications"} {
		if _, ok := top[k]; ok {
			return true
		}
	}
	return false
}

// sweepFromArgs builds the sweep: the file's, or one from --axis flags over a scenario; then
// --replications and --set.
func sweepFromArgs(opts *sweepOptions) (*experiments.Sweep, error) {
	var sw *experiments.Sweep
	if len(opts.Axes) == 0 {
		if opts.Arg == "" {
			return nil, usageErrorf("give a sweep file, or --axis PATH=V1,V2,... for a quick sweep of a scenario")
		}
		var err error
		if sw, err = experiments.LoadSweep(opts.Arg); err != nil {
			return nil, err
		}
	} else {
		if isSweepFile(opts.Arg) {
			return nil, usageErrorf("%s is a sweep file: --axis makes a quick sweep of a scenario; put the axes in the file", opts.Arg)
		}
		sw = &experiments.Sweep{Scenario: opts.Arg, Replications: 1, Name: quickSweepName(opts.Arg)}
		seen := map[string]bool{}
		for _, text := range opts.Axes {
			a, err := experiments.ParseAxisFlag(text)
			if err != nil {
				return nil, usageErrorf("--axis %s: %w", text, err)
			}
			if seen[a.Path] {
				return nil, usageErrorf("--axis %s: %s is already an axis", text, a.Path)
			}
			seen[a.Path] = true
			sw.Dims = append(sw.Dims, experiments.Dim{Axes: []experiments.Axis{a}})
		}
	}
	if opts.ReplicationsSet {
		if opts.Replications < 1 || opts.Replications > experiments.MaxReplications {
			return nil, usageErrorf("--replications must be from 1 to %d, got %d", experiments.MaxReplications, opts.Replications)
		}
		sw.Replications = opts.Replications
	}
	for _, s := range opts.Sets {
		p, v, ok := strings.Cut(s, "=")
		if !ok {
			return nil, usageErrorf("--set takes PATH=VALUE, got %q", s)
		}
		for _, a := range sw.Axes() {
			if strings.TrimSpace(p) == a.Path {
				return nil, usageErrorf("--set %s: %s is an axis of the sweep", s, a.Path)
			}
		}
		sw.Sets = append(sw.Sets, experiments.Setting{Path: p, Value: v})
	}
	return sw, nil
}

func quickSweepName(scenario string) string {
	if scenario == "" {
		return "default"
	}
	return strings.TrimSuffix(filepath.Base(scenario), filepath.Ext(scenario))
}

// asFlagUsage makes the errors of --set and --axis flags usage errors; a sweep file's errors
// stay failures.
func asFlagUsage(err error) error {
	var se *scenario.SetError
	var fe *experiments.FlagError
	if errors.As(err, &se) || errors.As(err, &fe) {
		return asUsage(err)
	}
	return err
}

// parseShard parses --shard I/N; "" is the whole sweep (0/1).
func parseShard(s string) (i, n int, err error) {
	if s == "" {
		return 0, 1, nil
	}
	is, ns, ok := strings.Cut(s, "/")
	i, ierr := strconv.Atoi(strings.TrimSpace(is))
	n, nerr := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || ierr != nil || nerr != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, usageErrorf("--shard takes I/N with N at least 1 and I from 0 to N-1 (e.g. 0/4), got %q", s)
	}
	return i, n, nil
}

// printInvalid tells, on stderr, which points are invalid: they are not run.
func printInvalid(w io.Writer, plan *experiments.Plan) {
	axes := plan.Sweep.Axes()
	for p, pt := range plan.Points {
		if pt.Invalid == "" {
			continue
		}
		var vals []string
		for i, a := range axes {
			vals = append(vals, a.Path+"="+pt.Labels[i])
		}
		fmt.Fprintf(w, "warning: point %d (%s) is invalid, not run: %s\n", p, strings.Join(vals, ", "), pt.Invalid)
	}
}

// printSweepReport prints the sweep's outcome on one line, with where its tables are.
func printSweepReport(w io.Writer, plan *experiments.Plan, rep *experiments.SweepReport, dir string) {
	sw := plan.Sweep
	fmt.Fprintf(w, "sweep %s: %s × %s", sw.Name, count(sw.PointCount(), "point", "points"), count(sw.Replications, "replication", "replications"))
	if rep.Total != sw.RunCount() {
		fmt.Fprintf(w, ", %d runs in this shard", rep.Total)
	}
	fmt.Fprintf(w, ": %d ok, %d failed, %d invalid", rep.Done-rep.Failed-rep.Invalid, rep.Failed, rep.Invalid)
	if rep.Missing > 0 {
		fmt.Fprintf(w, ", %d not run", rep.Missing)
	}
	fmt.Fprintf(w, " (%d run now, %d kept from before) in %s\n", rep.Ran, rep.Reused, rep.Finished.Sub(rep.Started).Round(100*time.Millisecond))
	fmt.Fprintf(w, "results in %s: %s, %s, %s, %s, %s\n", dir, experiments.PointsCSV, experiments.RunsCSV, experiments.RunsJSONL, experiments.SweepJSON, experiments.ReportHTML)
}

// sweepOutcome is the sweep's error, for the exit code: interrupted (130), runs failed or every
// point invalid (1), or nil.
func sweepOutcome(plan *experiments.Plan, rep *experiments.SweepReport, dir string) error {
	switch {
	case rep.Interrupted:
		return interruptedError{fmt.Sprintf("interrupted: %d of %d runs not run; the same command finishes them", rep.Missing, rep.Total)}
	case rep.Failed > 0:
		return fmt.Errorf("%d of %d runs failed (status failed in %s)", rep.Failed, rep.Total, filepath.Join(dir, experiments.RunsCSV))
	case rep.Invalid == rep.Total && rep.Total > 0:
		return fmt.Errorf("every point of the sweep is invalid: nothing was run")
	}
	return nil
}

// interruptedError is a command stopped by SIGINT: exit code 130, like errInterrupted.
type interruptedError struct{ msg string }

func (e interruptedError) Error() string        { return e.msg }
func (e interruptedError) Is(target error) bool { return target == errInterrupted }
