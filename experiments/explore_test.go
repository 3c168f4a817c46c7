package experiments_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// exploreBase reads a design of testdata/explore.
func exploreBase(t *testing.T, name string) experiments.Base {
	t.Helper()
	file := filepath.Join("testdata", "explore", name+".yaml")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	return experiments.Base{File: file, Data: data, Opts: scenario.Options{BaseDir: filepath.Dir(file)}}
}

// fakeLoss stands in for the simulator: a run loses acknowledged records when its faults hold a
// site-outage of dc-c of at least 4 s that starts before 30 s and a crash of broker 1 of any
// kind; every other run holds. Shrinking must end at exactly those two faults.
func fakeLoss(_ context.Context, sc *scenario.Scenario, _ experiments.RunOptions) (*experiments.Result, error) {
	var outage, crash bool
	for _, f := range sc.Faults {
		outage = outage || f.Type == scenario.FaultSiteOutage && f.Site == "dc-c" && f.Duration >= 4*time.Second && f.At < 30*time.Second
		crash = crash || f.Type == scenario.FaultBrokerCrash && f.Broker == 1
	}
	res := &experiments.Result{}
	res.Summary.Scenario, res.Summary.Seed = sc.Name, sc.Seed
	res.Summary.Invariants.Violations = []string{}
	for _, f := range sc.Faults {
		res.Summary.Faults = append(res.Summary.Faults, f.YAML())
	}
	if outage && crash {
		res.Summary.Durability.AckedRecordsLost = 7
	}
	return res, nil
}

// The shrinker drops every fault the finding does not need, halves the outage while it still
// loses (30 s to 15 s to 7.5 s; 3.75 s no longer does), and moves each fault as late as it still
// loses.
func TestExploreShrinksToTheFaultsThatMatter(t *testing.T) {
	dir := t.TempDir()
	res, err := experiments.Explore(context.Background(), exploreBase(t, "three-site"), experiments.ExploreOptions{
		Dir: dir, Runs: 40, Faults: 6, Kinds: []string{"site-outage", "broker-crash", "latency"}, Recovery: time.Minute,
		ShrinkRuns: 200, Parallel: 2, Version: "test", Simulate: fakeLoss})
	require.NoError(t, err)
	require.NotEmpty(t, res.Findings, "some of 40 schedules of 6 faults crash broker 1 during a dc-c outage")
	assert.Equal(t, len(res.Findings), res.Counts[experiments.FindingAckedLoss])
	assert.Equal(t, 40, res.OK+len(res.Findings))
	for _, f := range res.Findings {
		require.Len(t, f.Faults, 2, "run %d: %v", f.Run, f.Faults)
		assert.True(t, f.Shrunk)
		assert.Contains(t, f.Faults[0]+f.Faults[1], "type: site-outage, site: dc-c, duration: 7.5s")
		assert.Contains(t, f.Faults[0]+f.Faults[1], "type: broker-crash, broker: 1")
		assert.GreaterOrEqual(t, len(f.DrawnFaults), 2)
		// The outage moved as late as it still loses (before 30 s, to within a second).
		sc, err := scenario.Parse("finding.yaml", []byte(f.Scenario), scenario.Options{})
		require.NoError(t, err, f.Scenario)
		for _, x := range sc.Faults {
			if x.Type == scenario.FaultSiteOutage {
				assert.Less(t, x.At, 30*time.Second)
				assert.GreaterOrEqual(t, x.At, 29*time.Second)
			}
		}
		data, err := os.ReadFile(f.File)
		require.NoError(t, err)
		assert.True(t, strings.HasSuffix(string(data), f.Scenario))
	}
}

// A search is deterministic at any parallelism, and resumes without running anything twice.
func TestExploreIsDeterministicAndResumes(t *testing.T) {
	run := func(dir string, parallel int) (*experiments.ExploreResult, []byte) {
		res, err := experiments.Explore(context.Background(), exploreBase(t, "three-site"), experiments.ExploreOptions{
			Dir: dir, Runs: 30, Faults: 5, Recovery: time.Minute, ShrinkRuns: 50, Parallel: parallel, Version: "test",
			Simulate: fakeLoss, Kinds: []string{"site-outage", "broker-crash"}})
		require.NoError(t, err)
		data, err := os.ReadFile(filepath.Join(dir, experiments.ExploreJSON))
		require.NoError(t, err)
		return res, bytes.ReplaceAll(data, []byte(dir), []byte("DIR"))
	}
	a, b := t.TempDir(), t.TempDir()
	resA, jsonA := run(a, 1)
	_, jsonB := run(b, 2)
	assert.Equal(t, string(jsonA), string(jsonB))
	require.NotEmpty(t, resA.Findings)
	again, jsonA2 := run(a, 2)
	assert.Zero(t, again.Report.Ran, "a finished search resumes with nothing to run")
	assert.Equal(t, string(jsonA), string(jsonA2))
}

// On a design unsafe by construction, the search finds acknowledged records lost and shrinks each
// loss to at most three faults that `run` replays.
func TestExploreFindsLossOnUnsafeDesigns(t *testing.T) {
	if raceEnabled {
		t.Skip("hundreds of simulations: .ci/run runs this without -race")
	}
	for _, tc := range []struct {
		name  string
		sets  []experiments.Setting
		kinds []string
	}{
		{"acks=1", []experiments.Setting{{Path: "producers[p0].config.acks", Value: "1"},
			{Path: "producers[p0].config.enable.idempotence", Value: "false"}}, nil},
		// Power losses lose what the OS had not written back; with min ISR 1 and unclean
		// election a replica that lost it, or one that never had it, leads.
		{"unclean election, min ISR 1, power losses", []experiments.Setting{
			{Path: "topics[t].config.unclean.leader.election.enable", Value: "true"},
			{Path: "topics[t].config.min.insync.replicas", Value: "1"}}, []string{"power-loss", "partition", "broker-crash"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sets := tc.sets
			dir := t.TempDir()
			res, err := experiments.Explore(context.Background(), exploreBase(t, "three-site"), experiments.ExploreOptions{
				Dir: dir, Runs: 10, Faults: 5, Kinds: tc.kinds, Recovery: 30 * time.Second, ShrinkRuns: 60, Parallel: 2,
				Version: "test", Sets: sets})
			require.NoError(t, err)
			require.NotZero(t, res.Counts[experiments.FindingAckedLoss], "%+v", res.Counts)
			for _, f := range res.Findings {
				assert.Equal(t, experiments.FindingAckedLoss, f.Kind, f.Detail)
				assert.LessOrEqual(t, len(f.Faults), 3, "run %d: %v", f.Run, f.Faults)
				sc, err := scenario.Load(f.File, scenario.Options{})
				require.NoError(t, err)
				replay, err := experiments.Run(sc)
				require.NoError(t, err)
				assert.Positive(t, replay.Summary.Durability.AckedRecordsLost, "the shrunk schedule replays the loss")
			}
		})
	}
}

// The soak: a few hundred random schedules over the 2.5-, 3- and 5-site designs, all safe
// (acks=all, min ISR below RF, unclean election off): no invariant breaks, nothing acknowledged is
// lost, nothing panics or hangs, and every partition is writable again within a minute of the
// last fault.
func TestExploreSoakSafeDesigns(t *testing.T) {
	if raceEnabled {
		t.Skip("hundreds of simulations: .ci/run runs this without -race")
	}
	for _, design := range []string{"two-and-a-half-site", "three-site", "five-site"} {
		t.Run(design, func(t *testing.T) {
			res, err := experiments.Explore(context.Background(), exploreBase(t, design), experiments.ExploreOptions{
				Dir: t.TempDir(), Runs: 80, Seed: 5000, SeedSet: true, Faults: 6, Recovery: time.Minute,
				ShrinkRuns: 30, Parallel: 2, Version: "test"})
			require.NoError(t, err)
			assert.Equal(t, 80, res.OK, "findings: %v", findingSummaries(res))
		})
	}
}

func findingSummaries(res *experiments.ExploreResult) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.Kind+": "+f.Detail+"\n"+f.Scenario)
	}
	return slices.Clip(out)
}
