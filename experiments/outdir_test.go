package experiments

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CheckOutDir creates the directory, parents included, and leaves nothing behind in it.
func TestCheckOutDirCreates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	require.NoError(t, CheckOutDir(dir))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "the probe file is removed")
}

// A directory that cannot be created is reported by cause alone: the caller names the directory.
func TestCheckOutDirNotADirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	err := CheckOutDir(filepath.Join(file, "sub"))
	require.Error(t, err)
	assert.Equal(t, "cannot create the directory: not a directory", err.Error())
}

// WriteOutDir writes the summary and the series as WriteJSON and WriteSeriesCSV do, creating the
// directory when it is missing (removed during the run).
func TestWriteOutDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	res := &Result{Summary: Summary{Scenario: "x", Seed: 7}, Columns: []string{"time_s", "UnderReplicatedPartitions"},
		Series: [][]float64{{0, 0}, {1, 3}}}
	require.NoError(t, WriteOutDir(dir, res))

	var summary, series bytes.Buffer
	require.NoError(t, WriteJSON(&summary, &res.Summary))
	require.NoError(t, WriteSeriesCSV(&series, res.Columns, res.Series))
	got, err := os.ReadFile(filepath.Join(dir, SummaryFile))
	require.NoError(t, err)
	assert.Equal(t, summary.String(), string(got))
	got, err = os.ReadFile(filepath.Join(dir, SeriesFile))
	require.NoError(t, err)
	assert.Equal(t, series.String(), string(got))
}

// A file standing where the directory should be fails the write.
func TestWriteOutDirBlocked(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	require.NoError(t, os.WriteFile(dir, nil, 0o644))
	assert.Error(t, WriteOutDir(dir, &Result{}))
}
