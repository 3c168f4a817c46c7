package experiments_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
)

// A search's report leads with its findings: the count by kind, and each finding's shrunk
// schedule and the file that replays it.
func TestExploreReportShowsFindings(t *testing.T) {
	dir := t.TempDir()
	res, err := experiments.Explore(context.Background(), exploreBase(t, "three-site"), experiments.ExploreOptions{
		Dir: dir, Runs: 20, Faults: 6, Kinds: []string{"site-outage", "broker-crash"}, Recovery: time.Minute,
		ShrinkRuns: 50, Parallel: 2, Version: "test", Simulate: fakeLoss})
	require.NoError(t, err)
	require.NotEmpty(t, res.Findings)
	require.NoError(t, experiments.WriteSweepReport(dir, experiments.ReportOptions{Version: "test"}))
	html, err := os.ReadFile(filepath.Join(dir, experiments.ReportHTML))
	require.NoError(t, err)
	page := string(html)
	assert.Contains(t, page, "Search soak-three-site")
	assert.Contains(t, page, `id="findings"`)
	f := res.Findings[0]
	rel, err := filepath.Rel(dir, f.File)
	require.NoError(t, err)
	assert.Contains(t, page, rel)
	assert.Contains(t, page, "type: site-outage, site: dc-c, duration: 7.5s")
	assert.Contains(t, page, "made by stretchsim explore")
}
