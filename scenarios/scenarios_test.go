package scenarios_test

import (
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/scenarios"
)

// Every embedded scenario parses, validates and builds a cluster spec.
func TestEmbeddedScenariosAreValid(t *testing.T) {
	names, err := fs.Glob(scenarios.FS, "*.yaml")
	require.NoError(t, err)
	assert.Contains(t, names, scenarios.Default)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			s, err := experiments.LoadFS(scenarios.FS, name, experiments.Options{})
			require.NoError(t, err)
			_, err = s.Spec()
			require.NoError(t, err)
		})
	}
}
