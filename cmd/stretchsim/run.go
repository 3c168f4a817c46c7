package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// runOptions holds the flags of `stretchsim run`.
type runOptions struct {
	Ctx      context.Context // when done (SIGINT), the run stops and its partial summary is printed
	In       io.Reader       // read when File is "-"
	Out, Err io.Writer
	File     string // "" for the built-in default scenario, "-" for standard input
	Seed     uint64
	SeedSet  bool
	Sets     []string
	Format   string
	OutDir   string
	OutSet   bool   // --out was given, possibly as ""
	Version  string // the stretchsim version, for the report's provenance
	Progress bool   // draw a progress bar on Err (it is a terminal)
	// simulate runs the scenario; nil means experiments.RunContext. Tests replace it.
	simulate func(context.Context, *scenario.Scenario, experiments.RunOptions) (*experiments.Result, error)
}

const runLong = `Simulate one scenario and print a summary: produce throughput and latency (SATURATED when the
producers acknowledged under 95% of the load they offered, or BEHIND with faults, which count
too), end-to-end latency, ISR shrinks (by leaders), removals (by the controller) and expands
and the time partitions spent under-replicated or under min.insync.replicas, availability
(writable partition-time, the longest wait for an ack), durability (acknowledged records lost),
the control plane (controller elections, time without an active controller, fencings, leader
elections), cross-site traffic per site pair, per-broker counters, the faults that ran (random
ones included, as scenario lines), and the result of the invariant checker. With no argument
the built-in default scenario runs (a three-site cluster; see scenarios/default.yaml). NAME
runs the built-in example of that name when no file NAME exists, from any directory (stretchsim
scenarios lists them). "-" reads the scenario from standard input (errors then name <stdin>,
and empirical(...) sample files are relative to the current directory).

Statistics cover the window after the scenario's warm-up. Everything but wall_seconds comes
from virtual time: the same scenario and seed give the same output, byte for byte.

--set PATH=VALUE overrides any scenario value before it is validated. PATH follows the keys of
the scenario file: dotted keys, list items by index or by name, Kafka property names kept
whole. Examples:
  --set network.inter_site.rtt=20ms
  --set 'network.inter_site.rtt=lognormal(median=12ms, p99=40ms)'
  --set topics[orders].replication.factor=4
  --set topics[0].config.min.insync.replicas=3
  --set producers[checkout].config.acks=1
  --set broker.replica.lag.time.max.ms=10000
  --set sites[dc-c].brokers=0

--out DIR also writes into DIR: summary.json, the time series (series.csv, one row per metrics
interval from time 0, Kafka metric names as columns), the scenario that ran (scenario.yaml: the
file as given, or with the --set overrides applied), run.json (the stretchsim version and the
date), the charts (charts/timeline.svg and .png) and report.html, a self-contained page with
the summary, the charts, the tables, the scenario and the provenance (stretchsim report DIR
renders it again). DIR is created and checked writable before the run starts; if writing fails
after it, the summary is printed all the same.

On a terminal, stderr shows the run's progress: simulated time against the duration, events
per second and the time left. Ctrl-C stops the run at the current event and prints the summary
of the time reached, marked PARTIAL (JSON: "partial": true); the exit code is then 130.`

const runExample = `  # Run the built-in default scenario
  stretchsim run

  # Run a built-in example by name, with another seed, as JSON
  stretchsim run long-haul --seed 7 --format json

  # What does 20 ms between sites do to acks=all latency?
  stretchsim run --set network.inter_site.rtt=20ms

  # Keep the time series, the charts and an HTML report (results/three-site/report.html)
  stretchsim run scenarios/three-site.yaml --out results/three-site

  # A whole-site outage, a controller crash and more on three sites
  stretchsim run scenarios/failures-three-site.yaml

  # Four random faults drawn from seed 11, printed so the run replays from text
  stretchsim run scenarios/three-site.yaml --set random_faults.count=4 --set random_faults.seed=11`

func newCmdRun(opts *runOptions) *cobra.Command {
	if opts == nil {
		opts = &runOptions{}
	}
	cmd := &cobra.Command{
		Use:     "run [FILE|NAME|-]",
		Short:   "Simulate a scenario and print a summary",
		Long:    runLong,
		Example: runExample,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.In, opts.Out, opts.Err = cmd.Context(), cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			opts.Progress = isTerminal(opts.Err)
			if len(args) == 1 {
				if err := checkScenarioArg(args[0]); err != nil {
					return err
				}
				opts.File = args[0]
			}
			opts.SeedSet = cmd.Flags().Changed("seed")
			opts.OutSet = cmd.Flags().Changed("out")
			return runRun(opts)
		},
	}
	f := cmd.Flags()
	f.Var(seedValue{&opts.Seed}, "seed", "random seed of the run, 0 to 2^64-1, as --set seed=N (default: the scenario's seed)")
	f.StringArrayVar(&opts.Sets, "set", nil, "override a scenario value, `PATH=VALUE` (repeatable)")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	f.StringVar(&opts.OutDir, "out", "", "also write summary.json, series.csv, the charts and report.html into `DIR`")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runRun(opts *runOptions) error {
	if opts.Format != "text" && opts.Format != "json" {
		return usageErrorf("--format must be text or json, got %q", opts.Format)
	}
	if opts.OutSet && strings.TrimSpace(opts.OutDir) == "" {
		// Most likely an unset shell variable (--out "$DIR"): running without the files asked
		// for would lose them silently.
		return usageErrorf("--out needs a directory, got %q", opts.OutDir)
	}
	sets := opts.Sets
	if opts.SeedSet && slices.ContainsFunc(sets, setsSeed) {
		return usageErrorf("--seed and --set seed=... both set the seed: give one")
	}
	if opts.SeedSet {
		// Before the other overrides and before validation, which draws random_faults from the
		// seed: --seed N is exactly --set seed=N.
		sets = append([]string{fmt.Sprintf("seed=%d", opts.Seed)}, sets...)
	}
	sc, text, err := loadScenarioText(opts.File, opts.In, sets)
	if err != nil {
		return err
	}
	sc.PrintWarnings(opts.Err)
	if opts.OutDir != "" {
		// A run can take minutes: find out now, not after it, that its files cannot be written.
		if err := experiments.CheckOutDir(opts.OutDir); err != nil {
			return fmt.Errorf("--out %s: %w", opts.OutDir, err)
		}
	}
	res, err := simulate(opts, sc)
	if err != nil {
		return err
	}
	// The summary goes to stdout first: if the directory fails us after all (a full disk, a
	// directory removed during the run), the finished run is not lost with it.
	if err := printSummary(opts.Out, opts.Format, &res.Summary); err != nil {
		return err
	}
	var errs []error
	if opts.OutDir != "" {
		if err := writeRunOutDir(opts, sets, text, res); err != nil {
			errs = append(errs, fmt.Errorf("--out %s: %w (the summary above is complete)", opts.OutDir, err))
		}
	}
	if res.Summary.Partial {
		errs = append(errs, errInterrupted)
	}
	return errors.Join(errs...)
}

// simulate runs sc, stopped by opts.Ctx, with a progress bar when opts.Progress is set.
func simulate(opts *runOptions, sc *scenario.Scenario) (*experiments.Result, error) {
	ctx, run := opts.Ctx, opts.simulate
	if ctx == nil {
		ctx = context.Background()
	}
	if run == nil {
		run = experiments.RunContext
	}
	var ro experiments.RunOptions
	if opts.Progress {
		ro.Progress = newProgressBar(opts.Err, sc.Duration).update
	}
	return run(ctx, sc, ro)
}

func printSummary(w io.Writer, format string, sum *experiments.Summary) error {
	if format == "json" {
		return experiments.WriteJSON(w, sum)
	}
	return experiments.WriteText(w, sum)
}

// writeRunOutDir writes the run's results, its scenario and provenance, and its report into
// --out DIR.
func writeRunOutDir(opts *runOptions, sets []string, text []byte, res *experiments.Result) error {
	if err := experiments.WriteOutDir(opts.OutDir, res); err != nil {
		return err
	}
	name := opts.File
	if name == "-" {
		name = stdinName
	}
	resolved, err := experiments.ResolvedScenarioText(name, text, sets)
	if err != nil {
		return err
	}
	if err := experiments.WriteRunSource(opts.OutDir, resolved, experiments.NewRunProvenance(opts.Version, opts.File, sets)); err != nil {
		return err
	}
	return experiments.WriteRunReport(opts.OutDir, experiments.ReportOptions{Version: opts.Version})
}
