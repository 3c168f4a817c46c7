package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Process exit codes (design §5), and the shell's code for a process ended by SIGINT (128 + 2).
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// errInterrupted reports a run stopped by SIGINT, after its partial summary was printed.
var errInterrupted = errors.New("interrupted: the summary is partial")

// usageError marks an error in how the command was invoked: an unknown command, an unknown flag,
// a malformed flag value or a flag combination that makes no sense. It maps to exit code 2; every
// other error maps to 1.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usageErrorf returns a *usageError with a message formatted as by fmt.Errorf (%w is honoured).
func usageErrorf(format string, a ...any) error {
	return &usageError{err: fmt.Errorf(format, a...)}
}

// asUsage wraps a non-nil err as a usage error.
func asUsage(err error) error {
	if err == nil {
		return nil
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return err
	}
	return &usageError{err: err}
}

// exitCode prints err (if any) as one line on stderr, plus a pointer to --help for usage errors,
// and returns the exit code for it. cmd is the command that failed; it may be nil.
func exitCode(stderr io.Writer, cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "stretchsim: %v\n", err)
	if errors.Is(err, errInterrupted) {
		return exitInterrupted
	}
	var ue *usageError
	if !errors.As(err, &ue) {
		return exitFailure
	}
	path := "stretchsim"
	if cmd != nil {
		path = cmd.CommandPath()
	}
	fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", path)
	return exitUsage
}
