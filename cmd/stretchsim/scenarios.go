package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/stretchsim/stretchsim/scenarios"
)

// scenariosOptions holds the flags of `stretchsim scenarios` (none yet).
type scenariosOptions struct {
	Out io.Writer
}

func newCmdScenarios(opts *scenariosOptions) *cobra.Command {
	if opts == nil {
		opts = &scenariosOptions{}
	}
	return &cobra.Command{
		Use:   "scenarios",
		Short: "List the example scenarios built into stretchsim",
		Long: `List the example scenarios built into the binary, each with its name and a one-line
description. Any of them runs by name from any directory: stretchsim run NAME (and
stretchsim validate NAME) use the built-in scenario when no file of that name exists.`,
		Example: `  stretchsim scenarios
  stretchsim run failures-three-site
  stretchsim run long-haul --set broker.num.replica.fetchers=4`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Out = cmd.OutOrStdout()
			return listScenarios(opts)
		},
	}
}

func listScenarios(opts *scenariosOptions) error {
	list, err := scenarios.List()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(opts.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tDESCRIPTION")
	for _, e := range list {
		fmt.Fprintf(tw, "%s\t%s\n", e.Name, e.Description)
	}
	return tw.Flush()
}
