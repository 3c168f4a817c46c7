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

// reviewOptions holds the flags of `stretchsim review`.
type reviewOptions struct {
	Ctx           context.Context
	Out, Err      io.Writer
	Version       string
	Args          []string
	OutDir        string
	Format        string
	Replications  int
	FaultDuration time.Duration
	Recovery      time.Duration
	PricePerGB    float64
	Parallel      int
	NoRecommend   bool
	Progress      bool
}

const reviewLong = `Review a design: is it safe and fast enough, and if not, what to change?

For each FILE (a scenario file or a built-in name; several are reviewed side by side), with the
scenario's own faults and random_faults dropped:

 1. baseline: the scenario without faults. Offered against acknowledged throughput (SATURATED
    when acknowledged is below 95% of offered, or producers hit BUFFER_EXHAUSTED or
    DELIVERY_TIMEOUT), latency, ISR churn and the ranked limits.
 2. failure matrix: every site goes dark (silent site outage), one broker per site crashes
    hard, the active controller crashes, each pair of sites is cut (both ways); each fault
    lasts --fault-duration from 10 s after the warm-up, each case runs --replications seeds,
    and the run goes on --recovery after the fault. Verdict per case, the worst over its seeds:
      data loss           acknowledged records were lost
      control plane down  no active controller through the second half of the fault
      writes stop         some partition below min.insync.replicas (or offline) through the
                          second half of the fault: acks=all writes refused
      degraded            nothing lost, writes went on, but a producer waited 1 s or more, records
                          failed, partition-time was unwritable, throughput fell below 90% of the
                          baseline (producers the fault left running), or 1 s or more without a
                          controller
      ok                  none of these
 3. recommendations: replication socket buffers against the bandwidth-delay product, a
    producer's or consumer's connection buffers against what it keeps in flight (each with
    the hosts' net.core.rmem_max and wmem_max, which cut them), num.replica.fetchers, lz4 when a
    producer's gzip or zstd compression binds, request.timeout.ms after silent failures, RF and
    min.insync.replicas against the sites, a tie-breaker controller site, follower fetching;
    each re-run with the change applied and kept only when the figure improves by 5% or more.
    A batch.size rule joins them when acks=all requests wait unread at the brokers.
    For a saturated baseline, a path to the offered load: one change often only hands the
    bottleneck to the next limit, so each step re-runs those throughput changes on top of the
    steps before, takes the best that raises the acknowledged rate or lifts the most binding
    limit, and once the design keeps up, the best that cuts p99; printed with the --set flags
    that reproduce it. A design that keeps up gets a path to a lower p99 when it takes two
    steps or more.
 4. cost: cross-site bytes per site pair scaled to 30 days, priced at --price-per-gb out of one
    site and again into the other (AWS: "across Availability Zones in the same Region $0.01/GB
    in each direction"), with follower fetching on when consumers read across sites.

Runs go through the sweep runner: DIR (default review/NAME) keeps them, so the same command
resumes and re-runs nothing; DIR/report.html holds the review as a page.
Exit code 1 when some verdict is data loss, control plane down or writes stop, or the baseline
is saturated.`

const reviewExample = `  # Review the built-in default design
  stretchsim review default

  # Two designs side by side, as JSON, 30 s faults, 1 seed each
  stretchsim review two-site two-and-a-half-site --format json --fault-duration 30s --replications 1`

func newCmdReview(opts *reviewOptions) *cobra.Command {
	if opts == nil {
		opts = &reviewOptions{}
	}
	cmd := &cobra.Command{
		Use:     "review FILE... [--out DIR] [--replications N] [--format text|json] [--price-per-gb X] [--fault-duration D]",
		Short:   "Review a design: baseline, failure matrix with verdicts, recommendations, cost",
		Long:    reviewLong,
		Example: reviewExample,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Out, opts.Err = cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			opts.Progress = isTerminal(opts.Err)
			for _, a := range args {
				if strings.TrimSpace(a) == "" {
					return usageErrorf("an argument is empty: give a scenario file or a built-in name")
				}
			}
			opts.Args = args
			return runReview(opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Replications, "replications", experiments.DefaultReviewReplications, "seeds per failure case")
	f.DurationVar(&opts.FaultDuration, "fault-duration", experiments.DefaultReviewFaultDuration, "how long each fault lasts")
	f.DurationVar(&opts.Recovery, "recovery", experiments.DefaultReviewRecovery, "how long each failure run goes on after its fault")
	f.Float64Var(&opts.PricePerGB, "price-per-gb", experiments.DefaultPricePerGB, "US$ per GB crossing sites, charged out and again in")
	f.IntVar(&opts.Parallel, "parallel", runtime.GOMAXPROCS(0), "runs at a time")
	f.BoolVar(&opts.NoRecommend, "no-recommend", false, "skip the recommendations' and the path's re-runs")
	f.StringVar(&opts.OutDir, "out", "", "directory `DIR` for the runs and report.html (default review/NAME, one subdirectory per design when several)")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	return cmd
}

// checkReviewFlags refuses flag values that make no sense, naming the flag.
func checkReviewFlags(opts *reviewOptions) error {
	switch {
	case opts.Replications < 1 || opts.Replications > experiments.MaxReplications:
		return usageErrorf("--replications must be from 1 to %d, got %d", experiments.MaxReplications, opts.Replications)
	case opts.FaultDuration < time.Second:
		return usageErrorf("--fault-duration must be at least 1s, got %v", opts.FaultDuration)
	case opts.Recovery < time.Second:
		return usageErrorf("--recovery must be at least 1s, got %v", opts.Recovery)
	case !(opts.PricePerGB >= 0) || opts.PricePerGB > 1e6:
		return usageErrorf("--price-per-gb must be a price from 0 to 1e6, got %v", opts.PricePerGB)
	case opts.Parallel < 1:
		return usageErrorf("--parallel must be at least 1, got %d", opts.Parallel)
	case opts.Format != "text" && opts.Format != "json":
		return usageErrorf("--format must be text or json, got %q", opts.Format)
	}
	return nil
}

func runReview(opts *reviewOptions) error {
	if err := checkReviewFlags(opts); err != nil {
		return err
	}
	ctx := opts.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	ro := experiments.ReviewOptions{Replications: opts.Replications, FaultDuration: opts.FaultDuration, Recovery: opts.Recovery,
		PricePerGB: opts.PricePerGB, Parallel: opts.Parallel, Version: opts.Version, NoRecommend: opts.NoRecommend}
	root := opts.OutDir
	if root == "" {
		root = filepath.Join("review", quickSweepName(opts.Args[0]))
		if len(opts.Args) > 1 {
			root = "review"
		}
	}
	// Every design is read and validated before anything runs or is written.
	bases := make([]experiments.Base, len(opts.Args))
	for i, arg := range opts.Args {
		base, err := sweepBase(&experiments.Sweep{Scenario: arg})
		if err != nil {
			return err
		}
		if _, err := scenario.Parse(base.File, base.Data, base.Opts); err != nil {
			return err
		}
		bases[i] = base
	}
	var reviews []*experiments.DesignReview
	for i, arg := range opts.Args {
		base := bases[i]
		dir := root
		if len(opts.Args) > 1 {
			dir = filepath.Join(root, quickSweepName(arg))
		}
		if err := experiments.CheckOutDir(dir); err != nil {
			return fmt.Errorf("--out %s: %w", dir, err)
		}
		o := ro
		o.Dir = dir
		if opts.Progress {
			o.Progress = reviewProgress(opts.Err, arg)
		}
		r, err := experiments.Review(ctx, base, o)
		if opts.Progress {
			fmt.Fprint(opts.Err, "\r\033[K")
		}
		if err != nil {
			return asFlagUsage(err)
		}
		reviews = append(reviews, r)
		if r.Interrupted {
			break
		}
	}
	if err := experiments.WriteReviewReport(filepath.Join(root, experiments.ReportHTML), reviews, ro); err != nil {
		return fmt.Errorf("--out %s: the report: %w", root, err)
	}
	var err error
	if opts.Format == "json" {
		err = experiments.WriteReviewJSON(opts.Out, reviews)
	} else {
		err = experiments.WriteReviewText(opts.Out, reviews, ro)
		if err == nil {
			fmt.Fprintf(opts.Out, "\nresults in %s: %s and the runs\n", root, experiments.ReportHTML)
		}
	}
	if err != nil {
		return err
	}
	for _, r := range reviews {
		if r.Interrupted {
			return interruptedError{"interrupted; the same command resumes the review"}
		}
	}
	if bad := experiments.ReviewFindings(reviews); bad != "" {
		return fmt.Errorf("%s", bad)
	}
	return nil
}

// reviewProgress prints the stage and the runs done on one line of w (a terminal).
func reviewProgress(w io.Writer, design string) func(string, experiments.SweepProgress) {
	return func(stage string, p experiments.SweepProgress) {
		fmt.Fprintf(w, "\r\033[Kreview %s: %s %d/%d runs", design, stage, p.Done, p.Total)
	}
}
