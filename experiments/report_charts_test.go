package experiments

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/plots"
)

// chartSweep runs a small sweep (RTT × acks × min ISR, 2 replications; min ISR 4 is invalid
// with 3 replicas) and loads its directory.
func chartSweep(t *testing.T) *SweepData {
	t.Helper()
	sw := parseSweep(t, "scenario: base.yaml\nset: {duration: 1500ms}\naxes:\n  network.inter_site.rtt: [1ms, 5ms]\n"+
		"  producers[p].config.acks: [1, all]\n  topics[0].config.min.insync.replicas: [2, 4]\nreplications: 2\n")
	dir, _ := runSweep(t, planSweep(t, sw), SweepOptions{Parallel: 2})
	d, err := LoadSweepDir(dir)
	require.NoError(t, err)
	return d
}

// A line chart has one line per value of its lines axis, a point per x value with the mean and
// 95 % interval of points.csv, and one panel per facet value; a heatmap has NaN for an invalid
// point.
func TestSweepChartData(t *testing.T) {
	d := chartSweep(t)
	specs := []PlotSpec{
		{Figure: "produce.latency_ms.p99", X: "network.inter_site.rtt", Lines: "producers[p].config.acks"},
		{Figure: "isr.changes_per_minute", X: "network.inter_site.rtt", Lines: "producers[p].config.acks", Facets: "topics[0].config.min.insync.replicas"},
		{Heatmap: true, Figure: "availability.writable_fraction", X: "network.inter_site.rtt", Y: "topics[0].config.min.insync.replicas"},
	}
	charts := SweepCharts(d, specs)
	require.Len(t, charts, 3)

	lines, ok := charts[0].Chart.(*plots.Lines)
	require.True(t, ok)
	assert.Equal(t, "produce-p99-latency-vs-inter-site-rtt", charts[0].Name)
	assert.Equal(t, "inter-site RTT (ms)", lines.X.Label)
	assert.Equal(t, "produce latency p99 (ms)", lines.Y.Label)
	require.Len(t, lines.Series, 2)
	assert.Equal(t, "acks=1", lines.Series[0].Label)
	assert.Equal(t, "acks=all", lines.Series[1].Label)
	assert.Equal(t, []float64{1, 5}, lines.Series[1].X)
	// Point (5ms, all, min ISR 2) is point 1·4 + 1·2 + 0 = 6.
	iv := d.Points[6].figures["produce.latency_ms.p99"]
	assert.Equal(t, iv.Mean, lines.Series[1].Y[1])
	assert.Equal(t, iv.Low, lines.Series[1].Lo[1])
	assert.Equal(t, iv.High, lines.Series[1].Hi[1])
	assert.Contains(t, charts[0].Caption, "min.insync.replicas=2", "the axis held fixed is named")

	facets, ok := charts[1].Chart.(*plots.Facets)
	require.True(t, ok)
	require.Len(t, facets.Panels, 2)
	assert.Equal(t, "min.insync.replicas=4", facets.Panels[1].Title)
	// min ISR 4 > RF 3 is invalid only with acks=all (every such write would fail); acks=1 runs.
	acks1, acksAll := facets.Panels[1].Series[0], facets.Panels[1].Series[1]
	assert.False(t, math.IsNaN(acks1.Y[0]) || math.IsNaN(acks1.Y[1]), "acks=1 points run: %v", acks1.Y)
	assert.True(t, math.IsNaN(acksAll.Y[0]) && math.IsNaN(acksAll.Y[1]), "invalid points have no value: %v", acksAll.Y)

	h, ok := charts[2].Chart.(*plots.Heatmap)
	require.True(t, ok)
	assert.Equal(t, []string{"1ms", "5ms"}, h.XTicks)
	assert.Equal(t, []string{"2", "4"}, h.YTicks)
	assert.False(t, math.IsNaN(h.Values[0][0]))
	assert.False(t, math.IsNaN(h.Values[1][0]), "min ISR 4 > RF 3 runs with acks=1, the lines axis held at its first value")
	assert.Equal(t, "0.8889", h.Format(0.88889))
}

// Without a plots key: each default figure against the numeric axis, lines and facets by the
// next axes, and a heatmap of the writable fraction.
func TestDefaultPlots(t *testing.T) {
	sw := parseSweep(t, "scenario: base.yaml\naxes:\n  network.inter_site.rtt: [1ms, 5ms]\n  producers[p].config.acks: [1, all]\n"+
		"  faults: [[], '[{at: 1s, type: controller-crash}]']\n")
	specs := DefaultPlots(sw)
	require.Len(t, specs, len(defaultFigures)+1)
	assert.Equal(t, PlotSpec{Figure: "produce.throughput_bytes_per_sec", X: "network.inter_site.rtt", Lines: "producers[p].config.acks", Facets: "faults"}, specs[0])
	assert.True(t, specs[len(specs)-1].Heatmap)
}

// A run's timeline draws the series with a window per fault and the end of the warm-up.
func TestRunTimeline(t *testing.T) {
	sc, err := scenario.Load(filepath.Join("testdata", "sweep", "base.yaml"), scenario.Options{Sets: []string{
		"faults=[{at: 1s, type: site-outage, site: dc-c, duration: 500ms}, {at: 600ms, type: broker-crash, broker: 1, mode: silent}]"}})
	require.NoError(t, err)
	res, err := RunContext(context.Background(), sc, RunOptions{})
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, WriteOutDir(dir, res))
	data, err := os.ReadFile(filepath.Join("testdata", "sweep", "base.yaml"))
	require.NoError(t, err)
	text, err := ResolvedScenarioText("base.yaml", data, []string{"faults=[{at: 1s, type: site-outage, site: dc-c, duration: 500ms}, {at: 600ms, type: broker-crash, broker: 1, mode: silent}]"})
	require.NoError(t, err)
	require.NoError(t, WriteRunSource(dir, text, NewRunProvenance("test", "base.yaml", nil)))

	d, err := LoadRunDir(dir)
	require.NoError(t, err)
	require.NotNil(t, d.Scenario, "scenario.yaml decodes")
	tl := RunTimeline(d)
	var labels []string
	for _, p := range tl.Panels {
		labels = append(labels, p.Y.Label)
	}
	assert.Equal(t, []string{"produce (MB/s)", "p99 (ms)", "ISR changes (/s)", "partitions",
		"active controllers", "leaders per site", "cross-site (MB/s)", "consumer lag (records)"}, labels)
	require.Len(t, tl.Panels[7].Series, 1, "the group's lag has no sample: it committed nothing in 2 s")
	assert.Equal(t, "c records-lag-max", tl.Panels[7].Series[0].Label)
	assert.Equal(t, []string{"dc-a", "dc-b", "dc-c"}, []string{tl.Panels[5].Series[0].Label, tl.Panels[5].Series[1].Label, tl.Panels[5].Series[2].Label})
	assert.Equal(t, []plots.Window{{From: 1, To: 1.5, Label: "site-outage dc-c"}, {From: 0.6, To: 2, Label: "broker-crash 1 (silent)"}}, tl.Windows)
	assert.Equal(t, []plots.Mark{{X: 0.5, Label: "end of warm-up"}}, tl.Marks)
	assert.Len(t, tl.Panels[0].Series[0].Y, len(res.Series))

	require.NoError(t, WriteRunReport(dir, ReportOptions{Version: "test", Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}))
	page, err := os.ReadFile(filepath.Join(dir, ReportHTML))
	require.NoError(t, err)
	for _, want := range []string{"<title>Run small", "site-outage dc-c at 1 s for 500ms", "2026-01-02T03:04:05Z", "<svg", `id="table-brokers"`, `id="table-consumers"`} {
		assert.Contains(t, string(page), want)
	}
	for _, bad := range []string{`src="http`, `href="http`, "<link", "@import"} {
		assert.NotContains(t, string(page), bad, "nothing loaded from the network")
	}
	_, err = os.Stat(filepath.Join(dir, ChartsDir, "timeline.svg"))
	assert.NoError(t, err)

	// The same windows from the summary's fault lines alone (a directory without scenario.yaml).
	require.NoError(t, os.Remove(filepath.Join(dir, ScenarioFile)))
	d, err = LoadRunDir(dir)
	require.NoError(t, err)
	assert.Equal(t, tl.Windows, RunTimeline(d).Windows)
	assert.Equal(t, tl.Marks, RunTimeline(d).Marks)

}

// Errors of `report DIR` name the file.
func TestReportErrorsNameFile(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, SummaryFile), []byte("{"), 0o644))
	err := WriteRunReport(dir, ReportOptions{})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), filepath.Join(dir, SummaryFile)+": "), err.Error())

	d := chartSweep(t)
	bad := filepath.Join(t.TempDir(), "plots.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("scenario: base.yaml\nplots:\n  - {y: produce.latency_ms.p99, x: network.inter_site.rtx}\n"), 0o644))
	err = WriteSweepReport(d.Dir, ReportOptions{PlotsFile: bad})
	assert.EqualError(t, err, bad+`:3: plots[0].x: no axis "network.inter_site.rtx" (did you mean "network.inter_site.rtt"?)`)
}

// Rendering the report of a sweep of 100 points (10 RTTs × 10 linger.ms, the default charts:
// 12 line charts with 10 lines each and a heatmap), from disk: the goal is under 2 s.
func BenchmarkSweepReport100Points(b *testing.B) {
	var rtts, lingers []string
	for i := 1; i <= 10; i++ {
		rtts, lingers = append(rtts, fmt.Sprintf("%dms", i)), append(lingers, fmt.Sprint(i-1))
	}
	sw, err := ParseSweep("sweep.yaml", []byte(fmt.Sprintf("scenario: base.yaml\nset: {duration: 600ms, warmup: 100ms}\naxes:\n"+
		"  network.inter_site.rtt: [%s]\n  producers[p].config.linger.ms: [%s]\n", strings.Join(rtts, ", "), strings.Join(lingers, ", "))))
	require.NoError(b, err)
	file := filepath.Join("testdata", "sweep", "base.yaml")
	data, err := os.ReadFile(file)
	require.NoError(b, err)
	base := Base{File: file, Data: data, Opts: scenario.Options{BaseDir: filepath.Dir(file)}}
	plan, err := PlanSweep(sw, base, "bench")
	require.NoError(b, err)
	dir := b.TempDir()
	_, err = RunSweep(context.Background(), plan, base, SweepOptions{Dir: dir})
	require.NoError(b, err)
	b.ResetTimer()
	for b.Loop() {
		require.NoError(b, WriteSweepReport(dir, ReportOptions{Version: "bench"}))
	}
}

// A run's page lists its binding limits (1% or more of the window) as the text summary does,
// most binding first, and has no limits table when nothing waited.
func TestRunTablesListLimits(t *testing.T) {
	s := &Summary{Limits: []LimitSummary{
		{Mechanism: "compression", Setting: "compression.type=gzip", Where: "producer perf-test", Share: 1},
		{Mechanism: "tcp-window", Setting: "replica.socket.receive.buffer.bytes", Where: "dc-a->dc-c", Share: 0.05},
		{Mechanism: "disk", Setting: "hardware.disk_write_bandwidth", Where: "broker 1", Share: 0.001},
	}}
	var limits *pageTable
	for _, tb := range runTables(s) {
		if tb.ID == "limits" {
			limits = &tb
		}
	}
	require.NotNil(t, limits, "a limits table")
	require.Len(t, limits.Rows, 2, "limits under 1% are left out")
	assert.Equal(t, "compression", limits.Rows[0][0].Text)
	assert.Equal(t, "100%", limits.Rows[0][3].Text)
	assert.Equal(t, "dc-a->dc-c", limits.Rows[1][2].Text)

	s.Limits = s.Limits[2:]
	for _, tb := range runTables(s) {
		assert.NotEqual(t, "limits", tb.ID, "no limits table when nothing binds")
	}
}

// A run whose producers fell short of their offered load says so in its text summary and on its
// page, as SATURATED without faults and as BEHIND with them (the shortfall may be the faults');
// one that kept up says nothing of it in the text and gives the offered rate on the page.
func TestRunSaysWhenProducersFallBehind(t *testing.T) {
	acked := 7.3e6
	s := &Summary{Produce: ProduceSummary{ThroughputBytesPerSec: &acked}, Invariants: InvariantsSummary{Checked: true}}
	s.Saturation = &Saturation{OfferedBytesPerSec: 20e6, AckedBytesPerSec: acked, Saturated: true,
		Reasons: []string{"acknowledged 7.3 MB/s is 37% of the 20.0 MB/s offered"}}
	offered := func() string {
		for _, kv := range runHeadline(s) {
			if kv.Key == "produce offered" {
				return kv.Value
			}
		}
		return ""
	}
	var b strings.Builder
	require.NoError(t, WriteText(&b, s))
	assert.Contains(t, b.String(), "\n          SATURATED: the producers' backlog grows (acknowledged 7.3 MB/s is 37% of the 20.0 MB/s offered)\n")
	assert.Contains(t, offered(), "20.0 MB/s: SATURATED")

	s.Faults = []string{"{at: 10s, type: site-outage, site: dc-b, duration: 60s}"}
	b.Reset()
	require.NoError(t, WriteText(&b, s))
	assert.Contains(t, b.String(), "BEHIND: the producers fell behind their offered load, the faults' effects included")
	assert.NotContains(t, b.String(), "SATURATED")

	s.Faults, s.Saturation.Saturated, s.Saturation.Reasons = nil, false, []string{}
	b.Reset()
	require.NoError(t, WriteText(&b, s))
	assert.NotContains(t, b.String(), "SATURATED")
	assert.Equal(t, "20.0 MB/s", offered())
}
