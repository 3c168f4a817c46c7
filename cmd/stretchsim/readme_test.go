package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The README's quick-start command prints exactly the output the README shows.
func TestReadmeQuickStart(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, quick, ok := strings.Cut(string(readme), "## Quick start")
	require.True(t, ok, "README has no Quick start section")

	const prefix = "go run ./cmd/stretchsim "
	start := strings.Index(quick, prefix)
	require.GreaterOrEqual(t, start, 0, "no %q command in the Quick start", prefix)
	command, rest, _ := strings.Cut(quick[start+len(prefix):], "\n")

	// The output block is the next fence opened after a blank line (the command block's closing
	// fence follows a command).
	_, rest, ok = strings.Cut(rest, "\n\n```\n")
	require.True(t, ok, "no output block after the quick-start commands")
	want, _, ok := strings.Cut(rest, "```\n")
	require.True(t, ok, "unterminated output block")

	code, got, errOut := runCLI(t, strings.Fields(command)...)
	require.Equal(t, exitOK, code, errOut)
	// The wall-clock figure is the one part of the output that is not deterministic.
	wall := regexp.MustCompile(`[0-9.]+ s wall`)
	assert.Equal(t, wall.ReplaceAllString(want, "X s wall"), wall.ReplaceAllString(got, "X s wall"),
		"README quick-start output is stale")
}

// TestReadmeReviewPath checks the path the README shows for stretchsim review long-haul against
// the command's own output.
func TestReadmeReviewPath(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a whole review of long-haul: skipped under -short and -race (.ci/run runs it without)")
	}
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	const head = "   path to the offered 20.0 MB/s"
	_, block, ok := strings.Cut(string(readme), "```text\n"+head)
	require.True(t, ok, "README shows no path of review long-haul")
	block, _, ok = strings.Cut(head+block, "   ```\n")
	require.True(t, ok, "unterminated block")
	want := regexp.MustCompile(`(?m)^   `).ReplaceAllString(block, "")

	code, got, errOut := runCLI(t, "review", "long-haul", "--replications", "1", "--out", t.TempDir())
	require.Equal(t, exitFailure, code, errOut) // saturated, and a site outage stops the control plane
	_, path, ok := strings.Cut(got, "\npath to the offered")
	require.True(t, ok, "review long-haul prints no path:\n%s", got)
	path, _, _ = strings.Cut("path to the offered"+path, "\n\n")
	assert.Equal(t, strings.TrimSuffix(want, "\n"), path, "README's review path is stale")
}
