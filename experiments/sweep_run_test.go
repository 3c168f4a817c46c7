package experiments

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// testBase reads the base scenario of the sweep tests.
func testBase(t *testing.T) Base {
	t.Helper()
	file := filepath.Join("testdata", "sweep", "base.yaml")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	return Base{File: file, Data: data, Opts: scenario.Options{BaseDir: filepath.Dir(file)}}
}

// runSweep runs plan into a new directory with opts and returns the directory.
func runSweep(t *testing.T, plan *Plan, opts SweepOptions) (string, *SweepReport) {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	rep, err := RunSweep(context.Background(), plan, testBase(t), opts)
	require.NoError(t, err)
	return opts.Dir, rep
}

// The files that must be byte-identical however a sweep was run: everything but sweep.json.
func resultFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(path) == SweepJSON {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = string(data)
		return err
	})
	require.NoError(t, err)
	return files
}

func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return rows
}

func col(header []string, name string) int { return slices.Index(header, name) }

// The tables are stored by (point, replication), never in completion order: --parallel 1 and 2
// give the same bytes, and so do the run records and series.
func TestSweepParallelIdentical(t *testing.T) {
	plan := planFile(t, "rtt.yaml")
	one, rep := runSweep(t, plan, SweepOptions{Parallel: 1, Series: true})
	assert.Equal(t, 12, rep.Ran)
	two, _ := runSweep(t, plan, SweepOptions{Parallel: 2, Series: true})
	a, b := resultFiles(t, one), resultFiles(t, two)
	assert.Len(t, a, 3+12+12, "tables, records and series")
	assert.Equal(t, a, b)

	rows := readCSV(t, filepath.Join(one, RunsCSV))
	require.Len(t, rows, 13)
	h := rows[0]
	assert.Equal(t, []string{"point", "replication", "seed", "key", "network.inter_site.rtt", "producers[p].config.acks", "status", "message"}, h[:8])
	assert.Equal(t, []string{"0", "0", "1"}, rows[1][:3])
	assert.Equal(t, []string{"5", "1", "2"}, rows[12][:3])
	assert.Equal(t, "lognormal(median=3ms, p99=10ms)", rows[12][col(h, "network.inter_site.rtt")])
	for _, name := range []string{"produce.latency_ms.p99", "availability.writable_fraction", "durability.acked_records_lost", "isr.shrinks", "network.cross_site_bytes.pairs.dc-a->dc-b"} {
		i := col(h, name)
		require.GreaterOrEqual(t, i, 0, name)
		assert.NotEmpty(t, rows[1][i], name)
	}
	assert.Equal(t, -1, col(h, "wall_seconds"))
	assert.Equal(t, "ok", rows[1][col(h, "status")])

	points := readCSV(t, filepath.Join(one, PointsCSV))
	require.Len(t, points, 7)
	ph := points[0]
	assert.Equal(t, []string{"point", "network.inter_site.rtt", "producers[p].config.acks", "ok", "failed", "invalid"}, ph[:6])
	assert.Equal(t, "2", points[1][col(ph, "ok")])
	for _, suffix := range []string{".mean", ".sd", ".ci95_low", ".ci95_high"} {
		assert.NotEmpty(t, points[1][col(ph, "produce.latency_ms.p99"+suffix)], suffix)
	}
	jsonl, err := os.ReadFile(filepath.Join(one, RunsJSONL))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(jsonl)), "\n")
	require.Len(t, lines, 12)
	assert.True(t, strings.HasPrefix(lines[0], `{"point":0,"replication":0,"seed":1,"key":"`), lines[0])
	assert.Contains(t, lines[0], `"axes":{"network.inter_site.rtt":"1ms","producers[p].config.acks":"1"},"status":"ok","message":"","summary":{"scenario":"small"`)
	assert.NotContains(t, lines[0], "wall_seconds")
}

// An interrupted sweep keeps the runs that ended; run again, it runs only the missing ones and
// ends with the same tables as an uninterrupted sweep.
func TestSweepResume(t *testing.T) {
	plan := planFile(t, "rtt.yaml")
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var started atomic.Int32
	opts := SweepOptions{Dir: dir, Parallel: 1, Simulate: func(ctx context.Context, sc *scenario.Scenario, ro RunOptions) (*Result, error) {
		if started.Add(1) == 6 {
			cancel() // the sixth run is in flight: it is lost, the five before it are kept
		}
		return RunContext(ctx, sc, ro)
	}}
	rep, err := RunSweep(ctx, plan, testBase(t), opts)
	require.NoError(t, err)
	assert.True(t, rep.Interrupted)
	assert.Equal(t, 5, rep.Ran)
	assert.Equal(t, 7, rep.Missing)
	rows := readCSV(t, filepath.Join(dir, RunsCSV))
	assert.Len(t, rows, 1+5, "the tables hold the runs that ended")

	opts.Simulate = nil
	rep, err = RunSweep(context.Background(), plan, testBase(t), opts)
	require.NoError(t, err)
	assert.Equal(t, 7, rep.Ran)
	assert.Equal(t, 5, rep.Reused)
	assert.Zero(t, rep.Missing)
	assert.False(t, rep.Interrupted)

	whole, _ := runSweep(t, plan, SweepOptions{Parallel: 2})
	assert.Equal(t, resultFiles(t, whole), resultFiles(t, dir))

	rep, err = RunSweep(context.Background(), plan, testBase(t), opts)
	require.NoError(t, err)
	assert.Zero(t, rep.Ran, "a finished sweep runs nothing again")
}

// Two shards merged give, byte for byte, the files of one machine running every run.
func TestSweepShardsMerge(t *testing.T) {
	plan := planFile(t, "rtt.yaml")
	s0, r0 := runSweep(t, plan, SweepOptions{Parallel: 1, Shard: 0, Shards: 2, Series: true})
	s1, r1 := runSweep(t, plan, SweepOptions{Parallel: 1, Shard: 1, Shards: 2, Series: true})
	assert.Equal(t, 6, r0.Ran)
	assert.Equal(t, 6, r1.Ran)
	rows := readCSV(t, filepath.Join(s1, RunsCSV))
	require.Len(t, rows, 7)
	assert.Equal(t, []string{"0", "1"}, rows[1][:2], "run 1 is shard 1's first")

	merged := t.TempDir()
	rep, err := MergeSweep(merged, []string{s0, s1})
	require.NoError(t, err)
	assert.Zero(t, rep.Missing)
	whole, _ := runSweep(t, plan, SweepOptions{Parallel: 2, Series: true})
	assert.Equal(t, resultFiles(t, whole), resultFiles(t, merged))

	half := t.TempDir()
	rep, err = MergeSweep(half, []string{s1})
	require.NoError(t, err)
	assert.Equal(t, 6, rep.Missing)

	other := planFile(t, "rtt.yaml")
	other.Runs[0].Seed++
	odd, _ := runSweep(t, other, SweepOptions{Parallel: 1, Shard: 0, Shards: 2})
	_, err = MergeSweep(t.TempDir(), []string{s0, odd})
	assert.ErrorContains(t, err, "not a shard of the same sweep")
}

// Invalid points are rows of their own, not run; a run that panics or breaks an invariant is a
// failed row with its seed, and the sweep goes on.
func TestSweepInvalidAndFailed(t *testing.T) {
	sw := parseSweep(t, `
scenario: base.yaml
axes:
  topics[0].config.min.insync.replicas: [1, 2, 4]
`)
	plan := planSweep(t, sw)
	dir, rep := runSweep(t, plan, SweepOptions{Parallel: 2, Simulate: func(ctx context.Context, sc *scenario.Scenario, ro RunOptions) (*Result, error) {
		if *sc.Topics[0].Config.MinInsyncReplicas == 2 {
			panic("boom\nsecond line")
		}
		return RunContext(ctx, sc, ro)
	}})
	assert.Equal(t, 2, rep.Ran)
	assert.Equal(t, 1, rep.Failed)
	assert.Equal(t, 1, rep.Invalid)
	rows := readCSV(t, filepath.Join(dir, RunsCSV))
	require.Len(t, rows, 4)
	h := rows[0]
	status, msg := col(h, "status"), col(h, "message")
	assert.Equal(t, "ok", rows[1][status])
	assert.Equal(t, []string{"failed", "panic: boom second line"}, []string{rows[2][status], rows[2][msg]})
	assert.Equal(t, "1", rows[2][col(h, "seed")])
	assert.Empty(t, rows[2][col(h, "produce.acked_records")])
	assert.Equal(t, "invalid", rows[3][status])
	assert.Contains(t, rows[3][msg], "topics[0].config.min.insync.replicas")
	assert.Empty(t, rows[3][col(h, "seed")])

	rec, ok, err := readRecord(dir, plan.Runs[1].Key)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Contains(t, rec.Scenario, "min.insync.replicas: 2", "the record holds the scenario to replay")

	points := readCSV(t, filepath.Join(dir, PointsCSV))
	require.Len(t, points, 4)
	assert.Equal(t, []string{"0", "1", "0"}, points[2][2:5])
	assert.Empty(t, points[2][col(points[0], "produce.acked_records.mean")])
}
