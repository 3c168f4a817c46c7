package experiments

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteTextPlurals: counts of one take the singular, others the plural.
func TestWriteTextPlurals(t *testing.T) {
	text := func(n int64) string {
		s := Summary{Scenario: "x", Events: uint64(n),
			Produce:    ProduceSummary{AckedRecords: n},
			Consume:    ConsumeSummary{Records: n},
			ISR:        ISRSummary{Shrinks: n, ControllerRemovals: n, Expands: n},
			Durability: DurabilitySummary{AckedRecordsLost: n},
			Controller: ControllerSummary{Elections: n, BrokerFencings: n, LeaderElections: n}}
		for range n {
			s.Invariants.Violations = append(s.Invariants.Violations, "v")
		}
		var b strings.Builder
		require.NoError(t, WriteText(&b, &s))
		return b.String()
	}
	one := text(1)
	for _, want := range []string{" 1 event,", "(1 record)", "1 shrink (leader),", "1 removal by the controller", "1 expand\n", "1 acknowledged record lost",
		"1 controller election,", "1 broker fenced", "1 leader election (", "invariants: 1 violation\n"} {
		assert.Contains(t, one, want)
	}
	two := text(2)
	for _, want := range []string{" 2 events,", "(2 records)", "2 shrinks (leader),", "2 removals by the controller", "2 expands\n", "2 acknowledged records lost",
		"2 controller elections,", "2 brokers fenced", "2 leader elections (", "invariants: 2 violations\n"} {
		assert.Contains(t, two, want)
	}
}

// A figure with no samples in its interval (NaN) is an empty CSV cell, not "NaN" or 0.
func TestWriteSeriesCSVNaN(t *testing.T) {
	var b strings.Builder
	require.NoError(t, WriteSeriesCSV(&b, []string{"time_s", "produce_p99_ms"}, [][]float64{{1, math.NaN()}, {2, 3.5}}))
	assert.Equal(t, "time_s,produce_p99_ms\n1,\n2,3.5\n", b.String())
}

// An empty summary (a run stopped before anything was measured) has no figure to print: each
// reads n/a, and nothing panics.
func TestWriteTextUndefinedFigures(t *testing.T) {
	var b strings.Builder
	require.NoError(t, WriteText(&b, &Summary{Brokers: []BrokerSummary{{ID: 1, Site: "dc-a"}}, Consume: ConsumeSummary{Consumers: 1}}))
	text := b.String()
	for _, want := range []string{"produce   n/a acknowledged", "latency ms  n/a", "TotalTimeMs  n/a",
		"consume   n/a (0 records)", "end-to-end ms  n/a", "writable n/a of partition-time", "longest wait for an ack n/a\n"} {
		assert.Contains(t, text, want)
	}
	assert.Regexp(t, `(?m)^1\s+dc-a\s+0\s+n/a\s+n/a\s+0`, text)
}

// A compressed run's headline gives the wire rate and the producer cores compressing; an
// uncompressed run's does not.
func TestRunHeadlineCompression(t *testing.T) {
	wire := 46.1e6
	s := &Summary{Produce: ProduceSummary{WireBytesPerSec: &wire, CompressionCores: 0.177}}
	find := func(s *Summary) string {
		for _, kv := range runHeadline(s) {
			if kv.Key == "produced on the wire (compressed)" {
				return kv.Value
			}
		}
		return ""
	}
	assert.Equal(t, "46.1 MB/s, 0.177 producer cores compressing", find(s))
	records := 102.4e6
	s.Produce.ThroughputBytesPerSec, s.Produce.CompressionCores = &records, 0
	assert.Equal(t, "46.1 MB/s, 0.000 producer cores compressing", find(s), "hardware.compression.<codec>.compress: unlimited")
	wire = 103e6 // uncompressed: the wire carries the records and their batch headers
	assert.Empty(t, find(s))
}
