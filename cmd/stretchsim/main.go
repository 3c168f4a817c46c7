// Command stretchsim is the command-line interface of stretchsim, a discrete-event simulator of
// Apache Kafka stretch clusters (one Kafka cluster whose brokers and controllers span several
// sites).
//
// Results go to stdout, errors to stderr. Exit codes: 0 ok, 1 failure (for example a placement
// that Kafka itself would reject), 2 usage (unknown command, bad flag or flag value), 130 a run
// or sweep interrupted by Ctrl-C (a run prints its partial summary, a sweep keeps the runs that
// ended).
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
)

// gcPercent is the garbage collector's target unless GOGC is set. A run's live heap is small
// (about 12 MiB for the default scenario) but it allocates steadily, so at Go's default of 100
// the collector takes a fifth of the CPU and, in a sweep, a core of its own. Measured on 2 cores,
// 20 runs of the default scenario (60 s simulated): GOGC=100 43.7 s with --parallel 1, 28.5 s
// with 2 (peak RSS 83 MB); GOGC=400 35.7 s and 21.9 s (198 MB).
const gcPercent = 400

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	// The first Ctrl-C stops a run at the current event and prints its partial summary; then
	// the default handling is back, so a second one ends the process at once.
	ctx, restore := signal.NotifyContext(context.Background(), os.Interrupt)
	context.AfterFunc(ctx, restore)
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line args (without the program name) and returns the process exit
// code. It is what main calls and what the tests call; it never calls os.Exit. stdin is read
// only for a scenario given as "-".
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if args == nil {
		// cobra reads os.Args when given nil args; run must only ever see its own arguments.
		args = []string{}
	}
	root := newCmdRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	return exitCode(stderr, cmd, err)
}
