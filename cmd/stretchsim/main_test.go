package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCLI runs the command line args the way main does, with an empty standard input, and
// returns the exit code and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIStdin(t, "", args...)
}

// runCLIStdin is runCLI with stdin as standard input.
func runCLIStdin(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestVersion(t *testing.T) {
	code, out, errOut := runCLI(t, "version")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `^stretchsim \S+ \(go1\.\S+ \S+/\S+\)\n$`, out)

	code, flagOut, _ := runCLI(t, "--version")
	require.Equal(t, exitOK, code)
	assert.Equal(t, out, flagOut, "--version and version print the same line")
}

func TestCompletionBash(t *testing.T) {
	code, out, errOut := runCLI(t, "completion", "bash")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "bash completion")
	assert.Contains(t, out, "stretchsim")
	assert.Empty(t, errOut)
}

func TestCompleteFlagValues(t *testing.T) {
	code, out, errOut := runCLI(t, "__complete", "assign", "--placer", "")
	require.Equal(t, exitOK, code, errOut)
	assert.True(t, strings.HasPrefix(out, "striped\nlegacy\n"), out)
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{}, {"--help"}, {"assign", "--help"}, {"version", "--help"}, {"help", "assign"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, args...)
			require.Equal(t, exitOK, code, errOut)
			assert.Contains(t, out, "Usage:")
			assert.Contains(t, out, "Examples:")
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in the error line
	}{
		{"unknown command", []string{"bogus"}, `unknown command "bogus"`},
		{"misspelt command", []string{"asign"}, "did you mean assign?"},
		{"unknown subcommand", []string{"completion", "bogus"}, `unknown command "bogus"`},
		{"unknown flag", []string{"--bogus"}, "unknown flag: --bogus"},
		{"argument to version", []string{"version", "x"}, `takes no arguments, got "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, out)
			assertErrorLine(t, errOut, tt.want, true)
		})
	}
}

// assertErrorLine checks that stderr is one "stretchsim: " line containing want, followed, for a
// usage error, by a pointer to --help.
func assertErrorLine(t *testing.T, stderr, want string, usage bool) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	require.NotEmpty(t, lines)
	assert.True(t, strings.HasPrefix(lines[0], "stretchsim: "), "error line %q", lines[0])
	assert.Contains(t, lines[0], want)
	if usage {
		require.Len(t, lines, 2, stderr)
		assert.Regexp(t, `^Run 'stretchsim.* --help' for usage\.$`, lines[1])
	} else {
		assert.Len(t, lines, 1, stderr)
	}
}

func TestRunNilArgs(t *testing.T) {
	// nil must not make cobra fall back to the test binary's os.Args.
	code, out, _ := runCLI(t)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "Usage:")
}
