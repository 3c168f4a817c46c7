package experiments

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// FuzzParseSweep: any sweep file decodes without panicking, and every error it gives is located
// (a *scenario.Error of the file, or a join of them); one that decodes is planned over the test
// base scenario without panicking, and a planning error is located too. The seeds are the sweep
// files of sweeps/ and testdata/sweep.
func FuzzParseSweep(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("..", "sweeps", "*.yaml"))
	require.NoError(f, err)
	more, err := filepath.Glob(filepath.Join("testdata", "sweep", "*.yaml"))
	require.NoError(f, err)
	for _, name := range append(files, more...) {
		data, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(data)
	}
	base := filepath.Join("testdata", "sweep", "base.yaml")
	baseData, err := os.ReadFile(base)
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		sw, err := ParseSweep("f.yaml", data)
		if err != nil {
			assertSweepErrorLocated(t, err)
			return
		}
		if sw.RunCount() > 64 {
			return // planning decodes every run's scenario: keep each input quick
		}
		_, err = PlanSweep(sw, Base{File: base, Data: baseData, Opts: scenario.Options{BaseDir: filepath.Dir(base)}}, "fuzz")
		if err != nil {
			assertSweepErrorLocated(t, err)
		}
	})
}

// assertSweepErrorLocated checks that err is, or joins, *scenario.Error values of f.yaml.
func assertSweepErrorLocated(t *testing.T, err error) {
	t.Helper()
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			assertSweepErrorLocated(t, e)
		}
		return
	}
	var se *scenario.Error
	if assert.True(t, errors.As(err, &se), "not a *scenario.Error: %v", err) {
		assert.Equal(t, "f.yaml", se.File, "%v", err)
	}
}
