package model

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/sim"
)

// smallSpec is a steady cluster small enough to simulate a day in seconds: 3 sites with one
// broker and one controller each, 3 partitions of RF 3, a producer writing 10 kB/s with
// acks=all, and no time series (they grow with the run by design, bounded by metrics_interval).
func smallSpec() ClusterSpec {
	spec := baseSpec(siteSpecs(3, 1), 2*time.Millisecond)
	spec.Topics = []TopicSpec{{Name: "t", Partitions: 3, ReplicationFactor: 3, Config: TopicConfig{MinInsyncReplicas: intp(2)}}}
	spec = withProducer(spec, 0, arrivalsAt(10e3, 1000), nil)
	spec.MetricsInterval = 0
	return spec
}

// TestSnapshotsOnEveryNodeAndCatchUp checks the mechanism end to end with short triggers
// (metadata.log.max.snapshot.interval.ms = 10 s, metadata.max.retention.bytes = 0): every
// controller and broker writes its own snapshots; a broker that was down while the logs were
// cleaned past its end comes back through FetchSnapshot, with the controllers' metadata, and
// the invariants hold throughout.
func TestSnapshotsOnEveryNodeAndCatchUp(t *testing.T) {
	spec := smallSpec()
	for _, m := range []*MetadataLogConfig{&spec.Broker.MetadataLog, &spec.Controller.MetadataLog} {
		m.SnapshotMaxInterval, m.RetentionBytes = 10*time.Second, 0
	}
	s := sim.New(1)
	c, err := NewCluster(s, spec)
	require.NoError(t, err)
	s.RunUntil(sim.Time(30 * time.Second))
	b := c.brokers[2]
	b.crash(s, CrashHard)
	s.RunUntil(sim.Time(200 * time.Second))
	for _, k := range c.controllers {
		assert.Greater(t, k.voter.LogStartOffset(), b.observer.LogEndOffset(), "controller %d cleaned its log past the broker's end", k.ID)
	}
	b.restart(s)
	s.RunUntil(sim.Time(230 * time.Second))
	require.Empty(t, c.CheckInvariants(s.Now()))

	for _, k := range c.controllers {
		assert.GreaterOrEqual(t, k.voter.Snapshots(), 1, "controller %d keeps its latest snapshot", k.ID)
	}
	for _, x := range c.brokers {
		assert.GreaterOrEqual(t, x.observer.Snapshots(), 1, "broker %d keeps its latest snapshot", x.ID)
	}
	assert.Positive(t, b.observer.LogStartOffset(), "the broker's log starts at the snapshot it fetched")
	leader := c.controllers[0]
	for _, k := range c.controllers {
		if k.Active() {
			leader = k
		}
	}
	assert.Equal(t, leader.committed.parts, b.image.parts, "the broker has the controllers' metadata")
	assert.Equal(t, leader.committed.brokers, b.image.brokers)
}

// heapAfterGC returns the live heap.
func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// runHours runs smallSpec with Kafka's defaults for the given simulated hours and returns the
// live heap after 1 hour and at the end.
func runHours(t testing.TB, hours int) (atOne, atEnd uint64) {
	s := sim.New(1)
	c, err := NewCluster(s, smallSpec())
	require.NoError(t, err)
	s.RunUntil(sim.Time(time.Hour))
	atOne = heapAfterGC()
	s.RunUntil(sim.Time(time.Duration(hours) * time.Hour))
	atEnd = heapAfterGC()
	require.Empty(t, c.CheckInvariants(s.Now()))
	runtime.KeepAlive(c)
	return atOne, atEnd
}

// TestMemoryFlatOverADay checks issue 9: with Kafka's defaults (a snapshot an hour on every node,
// nothing deleted by retention in a day) a steady run's live heap grows by less than 32 KiB per
// simulated hour between hour 1 and hour 24 (about 10 s of wall time; 6 hours with -short or the
// race detector). Before the metadata log stored NoOpRecords as runs it grew by about 1.5 MB per
// hour here (six replicas of the log, 7,200 entries an hour each).
func TestMemoryFlatOverADay(t *testing.T) {
	hours := 24
	if testing.Short() || raceDetector {
		hours = 6
	}
	start := time.Now()
	atOne, atEnd := runHours(t, hours)
	perHour := (float64(atEnd) - float64(atOne)) / float64(hours-1)
	t.Logf("%d simulated hours in %v: heap %.2f MB at 1 h, %.2f MB at %d h, %+.1f KB per simulated hour",
		hours, time.Since(start).Round(time.Millisecond), float64(atOne)/1e6, float64(atEnd)/1e6, hours, perHour/1e3)
	assert.Less(t, perHour, float64(32*KiB))
}

// BenchmarkMemoryPerSimulatedHour runs smallSpec for 24 simulated hours per op and reports the
// live heap's growth per simulated hour from hour 1 to hour 24, and the simulated hours per wall
// second.
func BenchmarkMemoryPerSimulatedHour(b *testing.B) {
	var growth float64
	for range b.N {
		atOne, atEnd := runHours(b, 24)
		growth += (float64(atEnd) - float64(atOne)) / 23
	}
	b.ReportMetric(growth/float64(b.N)/1e3, "heap-kB/sim-hour")
	b.ReportMetric(24*float64(b.N)/b.Elapsed().Seconds(), "sim-h/s")
}
