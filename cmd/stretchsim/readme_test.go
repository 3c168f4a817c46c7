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
