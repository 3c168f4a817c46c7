package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// validateOptions holds the flags of `stretchsim validate`.
type validateOptions struct {
	In   io.Reader // read when File is "-"
	Out  io.Writer
	File string
	Sets []string
}

func newCmdValidate(opts *validateOptions) *cobra.Command {
	if opts == nil {
		opts = &validateOptions{}
	}
	cmd := &cobra.Command{
		Use:   "validate FILE|NAME|-",
		Short: "Check a scenario file without running it",
		Long: `Decode and validate a scenario file and report every problem at once, each with the
file, the line and the field. NAME checks the built-in example of that name when no file NAME
exists (stretchsim scenarios lists them); "-" reads the scenario from standard input (errors
then name <stdin>). Exit code 0 when the scenario is valid, 1 when it is not.`,
		Example: `  stretchsim validate scenarios/three-site.yaml
  stretchsim validate my.yaml --set topics[0].replication.factor=4
  generate-scenario | stretchsim validate -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkScenarioArg(args[0]); err != nil {
				return err
			}
			opts.In, opts.Out, opts.File = cmd.InOrStdin(), cmd.OutOrStdout(), args[0]
			sc, err := loadScenario(opts.File, opts.In, opts.Sets)
			if err != nil {
				return err
			}
			sc.PrintWarnings(cmd.ErrOrStderr())
			_, err = fmt.Fprintf(opts.Out, "%s: ok (%s)\n", sc.File, strings.Join([]string{
				count(len(sc.Sites), "site", "sites"), count(len(sc.Topics), "topic", "topics"),
				count(len(sc.Producers), "producer", "producers"), count(len(sc.Consumers), "consumer", "consumers"),
			}, ", "))
			return err
		},
	}
	cmd.Flags().StringArrayVar(&opts.Sets, "set", nil, "override a scenario value, `PATH=VALUE` (repeatable)")
	return cmd
}
