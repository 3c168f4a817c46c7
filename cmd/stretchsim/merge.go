package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stretchsim/stretchsim/experiments"
)

// mergeOptions holds the flags of `stretchsim merge`.
type mergeOptions struct {
	Out    io.Writer
	OutDir string
	Shards []string
}

func newCmdMerge(opts *mergeOptions) *cobra.Command {
	if opts == nil {
		opts = &mergeOptions{}
	}
	cmd := &cobra.Command{
		Use:   "merge --out DIR SHARD_DIR...",
		Short: "Combine the directories of a sweep's shards",
		Long: `Combine the directories that the shards of one sweep (stretchsim sweep --shard I/N) wrote
into DIR: their finished runs are copied into DIR and the tables written from them. Every file
of DIR but sweep.json is then byte for byte what one machine running the whole sweep writes
(sweep.json's start and end are the earliest and latest of the shards'). The shards must come
from the same sweep file, overrides and stretchsim version. Runs that no shard has finished are
left out of the tables and make the exit code 1; merge again once they are done.`,
		Example: `  stretchsim merge --out results/rtt-acks results/shard-0 results/shard-1 results/shard-2 results/shard-3`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Out, opts.Shards = cmd.OutOrStdout(), args
			if strings.TrimSpace(opts.OutDir) == "" {
				return usageErrorf("--out needs a directory for the merged results, got %q", opts.OutDir)
			}
			for _, a := range args {
				if strings.TrimSpace(a) == "" {
					return usageErrorf("a shard directory argument is empty")
				}
			}
			return runMerge(opts)
		},
	}
	cmd.Flags().StringVar(&opts.OutDir, "out", "", "the merged sweep directory `DIR` (required)")
	return cmd
}

func runMerge(opts *mergeOptions) error {
	if err := experiments.CheckOutDir(opts.OutDir); err != nil {
		return fmt.Errorf("--out %s: %w", opts.OutDir, err)
	}
	rep, err := experiments.MergeSweep(opts.OutDir, opts.Shards)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.Out, "merged %s into %s: %d runs: %d ok, %d failed, %d invalid", count(len(opts.Shards), "directory", "directories"),
		opts.OutDir, rep.Total, rep.Done-rep.Failed-rep.Invalid, rep.Failed, rep.Invalid)
	if rep.Missing > 0 {
		fmt.Fprintf(opts.Out, ", %d missing", rep.Missing)
	}
	fmt.Fprintln(opts.Out)
	if rep.Missing > 0 {
		return fmt.Errorf("%d of %d runs are in none of the shard directories: merge them all, once finished", rep.Missing, rep.Total)
	}
	if rep.Failed > 0 {
		return fmt.Errorf("%d of %d runs failed (status failed in runs.csv)", rep.Failed, rep.Total)
	}
	return nil
}
