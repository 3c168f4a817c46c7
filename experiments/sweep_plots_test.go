package experiments

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const plotsHead = "scenario: a.yaml\naxes:\n  network.inter_site.rtt: [1ms, 5ms]\n  producers[p].config.acks: [1, all]\n" +
	"zip:\n  - topics[0].partitions: [3, 6]\n    producers[p].config.linger.ms: [0, 5]\nplots:\n"

// The key plots decodes strictly: every problem names the file, the line and the key, with a
// close name when there is one.
func TestParseSweepPlotsErrors(t *testing.T) {
	for _, tc := range []struct{ name, plots, want string }{
		{"unknown key", "  - {y: produce.latency_ms.p99, x: network.inter_site.rtt, line: 'producers[p].config.acks'}\n",
			`sweep.yaml:9: plots[0].line: unknown key "line" (did you mean "lines"? a line chart takes facets, lines, log, x, y)`},
		{"unknown figure", "  - {y: produce.latncy_ms.p99, x: network.inter_site.rtt}\n",
			`sweep.yaml:9: plots[0].y: no figure "produce.latncy_ms.p99" (did you mean "produce.latency_ms.p99"?)`},
		{"unknown axis", "  - {y: produce.latency_ms.p99, x: network.inter_site.rt}\n",
			`sweep.yaml:9: plots[0].x: no axis "network.inter_site.rt" (did you mean "network.inter_site.rtt"?)`},
		{"x not numeric", "  - {y: produce.latency_ms.p99, x: 'producers[p].config.acks'}\n",
			"sweep.yaml:9: plots[0].x: the x axis of a line chart must have numeric values (numbers, durations, sizes or rates), and producers[p].config.acks has 1, all: draw a heatmap, or use it as lines or facets"},
		{"missing x", "  - {y: produce.latency_ms.p99}\n", "sweep.yaml:9: plots[0].x: required key is missing"},
		{"heatmap missing x", "  - {heatmap: availability.writable_fraction, y: 'producers[p].config.acks'}\n",
			"sweep.yaml:9: plots[0].x: required key is missing"},
		{"heatmap key", "  - {heatmap: availability.writable_fraction, x: network.inter_site.rtt, y: 'producers[p].config.acks', lines: 'topics[0].partitions'}\n",
			`sweep.yaml:9: plots[0].lines: unknown key "lines" (a heatmap takes heatmap, x, y)`},
		{"log", "  - {y: produce.latency_ms.p99, x: network.inter_site.rtt, log: z}\n",
			`sweep.yaml:9: plots[0].log: want x, y or xy (the axes drawn on a log scale), got "z"`},
		{"zip partners", "  - {y: produce.latency_ms.p99, x: 'topics[0].partitions', lines: 'producers[p].config.linger.ms'}\n",
			"sweep.yaml:9: plots[0]: topics[0].partitions and producers[p].config.linger.ms move together (a zip group): one of them is enough"},
		{"same axis", "  - {y: produce.latency_ms.p99, x: network.inter_site.rtt, lines: network.inter_site.rtt}\n",
			"sweep.yaml:9: plots[0]: network.inter_site.rtt is given twice: each of x, y, lines and facets needs its own axis"},
		{"not a list", "  y: produce.latency_ms.p99\n",
			"sweep.yaml:9: plots: want a list of charts, e.g. - {y: produce.latency_ms.p99, x: network.inter_site.rtt}, got a mapping"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSweep("sweep.yaml", []byte(plotsHead+tc.plots))
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestParseSweepPlots(t *testing.T) {
	sw, err := ParseSweep("sweep.yaml", []byte(plotsHead+
		"  - {y: produce.latency_ms.p99, x: network.inter_site.rtt, lines: 'producers[p].config.acks', facets: 'topics[0].partitions', log: xy}\n"+
		"  - {heatmap: isr.changes_per_minute, x: 'producers[p].config.acks', y: network.inter_site.rtt}\n"+
		"  - {y: produce.errors.NOT_ENOUGH_REPLICAS, x: 'producers[p].config.linger.ms'}\n"+
		"  - {heatmap: produce.wire_bytes_per_sec, x: 'producers[p].config.acks'}\n"))
	require.NoError(t, err)
	assert.Equal(t, []PlotSpec{
		{Figure: "produce.latency_ms.p99", X: "network.inter_site.rtt", Lines: "producers[p].config.acks", Facets: "topics[0].partitions", LogX: true, LogY: true, Line: 9},
		{Heatmap: true, Figure: "isr.changes_per_minute", X: "producers[p].config.acks", Y: "network.inter_site.rtt", Line: 10},
		{Figure: "produce.errors.NOT_ENOUGH_REPLICAS", X: "producers[p].config.linger.ms", Line: 11},
		{Heatmap: true, Figure: "produce.wire_bytes_per_sec", X: "producers[p].config.acks", Line: 12},
	}, sw.Plots)
}

// An axis's values are numbers in one unit: durations in ms, sizes and rates scaled to a unit
// their smallest value reaches.
func TestAxisNumbers(t *testing.T) {
	for _, tc := range []struct {
		values []string
		want   []float64
		unit   string
	}{
		{[]string{"1", "2.5"}, []float64{1, 2.5}, ""},
		{[]string{"500us", "1ms", "1s"}, []float64{0.5, 1, 1000}, "ms"},
		{[]string{"16KiB", "128KiB"}, []float64{16, 128}, "KiB"},
		{[]string{"10MB/s", "20MB/s"}, []float64{10, 20}, "MB/s"},
		{[]string{"100Mbps", "10Gbps"}, []float64{100, 10000}, "Mbps"},
		{[]string{"100 records/s", "5000 records/s"}, []float64{100, 5000}, "records/s"},
	} {
		s, ok := axisNumbers(Axis{Values: tc.values})
		require.True(t, ok, tc.values)
		assert.Equal(t, tc.want, s.values, tc.values)
		assert.Equal(t, tc.unit, s.unit, tc.values)
	}
	for _, vs := range [][]string{{"1", "all"}, {"1ms", "lognormal(median=3ms, p99=10ms)"}, {"[]", "[{at: 1s}]"}} {
		_, ok := axisNumbers(Axis{Values: vs})
		assert.False(t, ok, vs)
	}
}
