package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// validateOptions holds the flags of `stretchsim validate`.
type validateOptions struct {
	Out  io.Writer
	File string
	Sets []string
}

func newCmdValidate(opts *validateOptions) *cobra.Command {
	if opts == nil {
		opts = &validateOptions{}
	}
	cmd := &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a scenario file without running it",
		Long: `Decode and validate a scenario file and report every problem at once, each with the
file, the line and the field. Exit code 0 when the scenario is valid, 1 when it is not.`,
		Example: `  stretchsim validate scenarios/three-site.yaml
  stretchsim validate my.yaml --set topics[0].replication.factor=4`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Out, opts.File = cmd.OutOrStdout(), args[0]
			sc, err := loadScenario(opts.File, opts.Sets)
			if err != nil {
				return err
			}
			sc.PrintWarnings(cmd.ErrOrStderr())
			_, err = fmt.Fprintf(opts.Out, "%s: ok (%d sites, %d topics, %d producers, %d consumers)\n",
				opts.File, len(sc.Sites), len(sc.Topics), len(sc.Producers), len(sc.Consumers))
			return err
		},
	}
	cmd.Flags().StringArrayVar(&opts.Sets, "set", nil, "override a scenario value, `PATH=VALUE` (repeatable)")
	return cmd
}
