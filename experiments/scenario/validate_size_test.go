package scenario

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sizeScenario(topics string) string {
	return `duration: 12s
sites:
  - {name: a, brokers: 3, controllers: 1}
  - {name: b, brokers: 3, controllers: 1}
  - {name: c, brokers: 3, controllers: 1}
network: {inter_site: {rtt: 2ms}}
topics:
` + topics
}

// A scenario above ComfortableReplicas is valid, with a warning stating the measured cost; the
// estimate at a measured size is the measurement.
func TestSizeWarning(t *testing.T) {
	s, err := Parse("f.yaml", []byte(sizeScenario("  - {name: t, partitions: 300000, replication.factor: 3}\n")), Options{})
	require.NoError(t, err)
	require.Len(t, s.Warnings, 1)
	assert.Equal(t, "f.yaml:8: topics[0].partitions: 300000 partitions × RF 3 = 900000 replicas, above the 30000 that run comfortably: "+
		"measured cost ≈ 9.7 µs of wall time per replica per simulated second, so expect ~1.7 min of wall time for 12s simulated "+
		"and ~2.2 GB of memory (measured with one 20 MB/s producer; more traffic costs more)", s.Warnings[0].Error())

	s, err = Parse("f.yaml", []byte(sizeScenario("  - {name: t, partitions: 30000, replication.factor: 2}\n"+
		"  - {name: u, partitions: 1000, replication.factor: 3}\n")), Options{Sets: []string{"duration=1h"}})
	require.NoError(t, err)
	require.Len(t, s.Warnings, 1)
	assert.Contains(t, s.Warnings[0].Error(), "f.yaml:7: topics: 31000 partitions in 2 topics = 63000 replicas, above the 30000")
	assert.Contains(t, s.Warnings[0].Error(), "~3.1 h of wall time for 1h0m0s simulated")

	s, err = Parse("f.yaml", []byte(sizeScenario("  - {name: t, partitions: 10, replication.factor: 3}\n")), Options{Sets: []string{"topics[t].partitions=20000"}})
	require.NoError(t, err)
	require.Len(t, s.Warnings, 1)
	assert.Contains(t, s.Warnings[0].Error(), "--set topics[t].partitions=20000: topics[0].partitions: 20000 partitions × RF 3 = 60000 replicas")

	s, err = Parse("f.yaml", []byte(sizeScenario("  - {name: t, partitions: 10000, replication.factor: 3}\n")), Options{})
	require.NoError(t, err)
	assert.Empty(t, s.Warnings, "30000 replicas run comfortably")

	_, err = Parse("f.yaml", []byte(sizeScenario("  - {name: t, partitions: 400000, replication.factor: 3}\n")), Options{})
	assert.ErrorContains(t, err, "above 1000000 partition replicas", "the hard limit stays")
}

func TestEstimateCost(t *testing.T) {
	for _, p := range measuredCost {
		t.Run(fmt.Sprint(p.replicas), func(t *testing.T) {
			wall, mem := estimateCost(p.replicas, 10*time.Second)
			assert.InDelta(t, 10*p.wallPerSec, wall.Seconds(), 1e-6)
			assert.InDelta(t, p.peakBytes, mem, 1)
		})
	}
	prevWall, prevMem := time.Duration(0), 0.0
	for r := 0; r <= MaxReplicas; r += 1000 {
		wall, mem := estimateCost(r, time.Second)
		assert.GreaterOrEqual(t, wall, prevWall, "wall time grows with the size, at %d", r)
		assert.GreaterOrEqual(t, mem, prevMem, "memory grows with the size, at %d", r)
		prevWall, prevMem = wall, mem
	}
	wall, _ := estimateCost(1500, time.Second)
	assert.InDelta(t, 0.065, wall.Seconds(), 1e-9, "proportional below the smallest measurement")
}
