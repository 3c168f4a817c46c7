package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// newCmdRoot builds the stretchsim command tree. Results are written to stdout, errors and help
// for failed invocations are left to run (cobra's own error and usage printing is silenced).
func newCmdRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	version := resolveVersion()
	runsVersion := keyVersion(version) // what reusable runs are keyed with
	root := &cobra.Command{
		Use:   "stretchsim",
		Short: "Simulate Apache Kafka stretch clusters spread over several sites",
		Long: `stretchsim is a discrete-event simulator of Apache Kafka stretch clusters: one Kafka
cluster whose brokers and KRaft controllers are spread over several sites (data centres or
availability zones). It models Kafka's real mechanisms: replica placement, fetch-based
replication with long-poll, the ISR and high watermark, acks, the producer's accumulator and
in-flight limit, TCP windows on long links, and the KRaft control plane (quorum elections,
broker heartbeats and fencing, leader elections), under broker, controller, link and site
failures.

Exit codes: 0 ok, 1 failure (or, for explore, a finding), 2 usage error, 130 a run, sweep or
search interrupted with Ctrl-C (a run prints its partial summary; a sweep or search keeps the
runs that ended).`,
		Example: `  # Simulate the built-in default scenario
  stretchsim run

  # List the built-in example scenarios, and run one by name
  stretchsim scenarios
  stretchsim run failures-three-site

  # Run the RTT × acks example sweep on every core: means and 95 % CIs in results/points.csv
  stretchsim sweep sweeps/rtt-acks.yaml --out results

  # Search 100 random fault schedules for ones that break the 2.5-site design, and shrink them
  stretchsim explore two-and-a-half-site

  # Review a design: its limits, a verdict per site, broker, controller and link failure, and
  # the changes that help, each measured by a re-run (long-haul: the path to its offered load)
  stretchsim review long-haul

  # Place 6 partitions with replication factor 3 over three sites (KRaft's placer)
  stretchsim assign --brokers 1:dc-a,2:dc-a,3:dc-a,4:dc-b,5:dc-b,6:dc-b,7:dc-c,8:dc-c,9:dc-c --partitions 6 --replication-factor 3

  # Print the version
  stretchsim version

  # Load bash completion into the current shell
  source <(stretchsim completion bash)`,
		Version:       version,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          rejectUnknownCommand,
		RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SuggestionsMinimumDistance = 2
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetVersionTemplate(versionLine(version) + "\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return asUsage(err) })
	root.AddCommand(
		newCmdRun(&runOptions{Version: version}),
		newCmdSweep(&sweepOptions{Version: runsVersion}),
		newCmdMerge(nil),
		newCmdReport(&reportOptions{Version: version}),
		newCmdExplore(&exploreOptions{Version: runsVersion}),
		newCmdReview(&reviewOptions{Version: runsVersion}),
		newCmdValidate(nil),
		newCmdScenarios(nil),
		newCmdAssign(nil),
		newCmdVersion(&versionOptions{Version: version}),
	)
	// Add cobra's completion command now, not lazily at Execute, so that its argument checks are
	// wrapped below like every other command's.
	root.InitDefaultCompletionCmd()
	makeArgErrorsUsage(root)
	return root
}

// rejectUnknownCommand is the root's argument check: the root takes no positional arguments, so
// any is a mistyped or unknown command.
func rejectUnknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(s, ", "))
	}
	return usageErrorf("%s", msg)
}

// makeArgErrorsUsage makes every positional-argument check in the tree below cmd return a usage
// error, and makes command groups (such as completion) reject an unknown subcommand instead of
// printing their help and succeeding.
func makeArgErrorsUsage(cmd *cobra.Command) {
	if cmd.HasParent() && cmd.HasSubCommands() && !cmd.Runnable() {
		cmd.Args = cobra.NoArgs
		cmd.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
	}
	if check := cmd.Args; check != nil {
		cmd.Args = func(c *cobra.Command, args []string) error { return asUsage(check(c, args)) }
	}
	for _, sub := range cmd.Commands() {
		makeArgErrorsUsage(sub)
	}
}

// noArgs is the argument check of commands that take flags only.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}
