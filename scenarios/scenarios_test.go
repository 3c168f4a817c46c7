package scenarios_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// Every embedded scenario parses, validates and builds a cluster spec.
func TestEmbeddedScenariosAreValid(t *testing.T) {
	names, err := fs.Glob(scenarios.FS, "*.yaml")
	require.NoError(t, err)
	assert.Contains(t, names, scenarios.Default)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			s, err := scenario.LoadFS(scenarios.FS, name, scenario.Options{})
			require.NoError(t, err)
			_, err = s.Spec()
			require.NoError(t, err)
		})
	}
}

// Every embedded scenario is listed by name with a one-line description, and found by Lookup.
func TestList(t *testing.T) {
	list, err := scenarios.List()
	require.NoError(t, err)
	names, err := fs.Glob(scenarios.FS, "*.yaml")
	require.NoError(t, err)
	require.Len(t, list, len(names))
	for _, e := range list {
		assert.NotEmpty(t, e.Description, e.Name)
		assert.True(t, strings.HasSuffix(e.Description, "."), "%s: %q is not a sentence", e.Name, e.Description)
		assert.LessOrEqual(t, len(e.Description), 100, "%s: description longer than a line", e.Name)
		file, ok := scenarios.Lookup(e.Name)
		assert.True(t, ok, e.Name)
		assert.Equal(t, e.File, file)
	}
	for _, bad := range []string{"", "three-site.yaml", "scenarios/three-site", "../three-site", "nope"} {
		_, ok := scenarios.Lookup(bad)
		assert.False(t, ok, bad)
	}
}

// The scenarios ship in the binary, away from the repository: their comments stand alone, citing
// Kafka configs and KIPs, not documents that are not in it.
func TestCommentsCiteNothingOutside(t *testing.T) {
	outside := regexp.MustCompile(`(?i)seeds?/|\.\./shared|design|reference|kafka-semantics|issue|§`)
	names, err := fs.Glob(scenarios.FS, "*.yaml")
	require.NoError(t, err)
	for _, name := range names {
		data, err := fs.ReadFile(scenarios.FS, name)
		require.NoError(t, err)
		for i, line := range strings.Split(string(data), "\n") {
			if _, comment, ok := strings.Cut(line, "#"); ok {
				assert.NotRegexp(t, outside, comment, "%s:%d", name, i+1)
			}
		}
	}
}
