package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stretchsim/stretchsim/experiments"
)

// reportOptions holds the flags of `stretchsim report`.
type reportOptions struct {
	Out       io.Writer
	Version   string // the stretchsim version, for the report's provenance
	Dir       string
	SweepFile string // --sweep: the file whose plots: key to draw
}

const reportLong = `Render the charts and report.html again from the results in DIR: a run's directory
(stretchsim run --out DIR: summary.json, series.csv, scenario.yaml) or a sweep's (stretchsim
sweep --out DIR, or stretchsim merge --out DIR: sweep.json, points.csv, runs.csv). The kind is
told by the files: summary.json makes a run, sweep.json a sweep.

report.html is one self-contained page (inline SVG charts and CSS, a small inline script that
sorts the tables; it loads nothing, so it opens from disk or as an e-mail attachment); each
chart is also written as charts/NAME.svg and charts/NAME.png.

A sweep's charts are those of the plots: key of DIR/sweep.yaml, the copy of the sweep file that
stretchsim sweep keeps in DIR: edit its plots: and render again. Only plots: is read from it;
the axes and values are those of sweep.json. --sweep FILE reads plots: from FILE instead.
Without a plots: key (or for a sweep made by --axis flags), a default set is drawn.`

const reportExample = `  # Re-render a run's report
  stretchsim report results/failures

  # A sweep merged from shards
  stretchsim merge --out results/rtt-acks results/shard-0 results/shard-1
  stretchsim report results/rtt-acks

  # Draw the plots: of another sweep file over the same results
  stretchsim report results/rtt-acks --sweep my-plots.yaml`

func newCmdReport(opts *reportOptions) *cobra.Command {
	if opts == nil {
		opts = &reportOptions{}
	}
	cmd := &cobra.Command{
		Use:     "report DIR",
		Short:   "Render the charts and HTML report of a run or sweep directory",
		Long:    reportLong,
		Example: reportExample,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Out = cmd.OutOrStdout()
			if strings.TrimSpace(args[0]) == "" {
				return usageErrorf("the directory argument is empty")
			}
			opts.Dir = args[0]
			if cmd.Flags().Changed("sweep") && strings.TrimSpace(opts.SweepFile) == "" {
				return usageErrorf("--sweep needs a sweep file, got %q", opts.SweepFile)
			}
			return runReport(opts)
		},
	}
	cmd.Flags().StringVar(&opts.SweepFile, "sweep", "", "draw the plots: of sweep `FILE` (default: DIR/sweep.yaml)")
	return cmd
}

func runReport(opts *reportOptions) error {
	ro := experiments.ReportOptions{Version: opts.Version}
	isRun, isSweep := exists(filepath.Join(opts.Dir, experiments.SummaryFile)), exists(filepath.Join(opts.Dir, experiments.SweepJSON))
	var err error
	switch {
	case isRun && isSweep:
		return fmt.Errorf("%s: has both %s (a run) and %s (a sweep): which results to report is unclear", opts.Dir, experiments.SummaryFile, experiments.SweepJSON)
	case isRun:
		if opts.SweepFile != "" {
			return usageErrorf("--sweep is for a sweep directory; %s holds a run (%s)", opts.Dir, experiments.SummaryFile)
		}
		err = experiments.WriteRunReport(opts.Dir, ro)
	case isSweep:
		ro.PlotsFile = opts.SweepFile
		err = experiments.WriteSweepReport(opts.Dir, ro)
	default:
		if _, statErr := os.Stat(opts.Dir); statErr != nil {
			return fmt.Errorf("%s: %w", opts.Dir, errors.Unwrap(statErr))
		}
		return fmt.Errorf("%s: no results here: a run's directory has %s, a sweep's %s", opts.Dir, experiments.SummaryFile, experiments.SweepJSON)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.Out, "report in %s\n", filepath.Join(opts.Dir, experiments.ReportHTML))
	return nil
}

// exists reports whether name is there (as anything).
func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil || !errors.Is(err, fs.ErrNotExist)
}
