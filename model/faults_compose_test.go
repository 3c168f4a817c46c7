package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/sim"
)

// TestFaultsCompose checks that each fault ends only itself: the first of two overlapping
// partitions to end leaves the path cut; the end of a latency fault inside a partition does not
// heal it, and restores the RTT another active latency fault sets; a site outage that ends while
// a broker's own crash runs leaves that broker down.
func TestFaultsCompose(t *testing.T) {
	spec := withTopic(baseSpec(siteSpecs(3, 1), 2*time.Millisecond), 2, []BrokerID{1, 2, 3})
	spec = withProducer(spec, 0, arrivalsAt(1e6, 1024), nil)
	part := func(at, d time.Duration) FaultSpec {
		return FaultSpec{At: at, Duration: d, Kind: FaultPartition, Groups: [][]SiteID{{0}, {1}}}
	}
	lat := func(at, d time.Duration, rtt time.Duration) FaultSpec {
		return FaultSpec{At: at, Duration: d, Kind: FaultLatency, Between: [2]SiteID{0, 2}, RTT: Constant(rtt)}
	}
	spec.Faults = []FaultSpec{
		part(10*time.Second, 20*time.Second), part(15*time.Second, 30*time.Second), // cut 10-45 s
		lat(12*time.Second, 10*time.Second, 50*time.Millisecond),                                               // a→c 50 ms, 12-22 s
		lat(14*time.Second, 20*time.Second, 80*time.Millisecond),                                               // a→c 80 ms, 14-34 s
		{At: 10 * time.Second, Duration: 10 * time.Second, Kind: FaultSiteOutage, Site: 2},                     // dc c, 10-20 s
		{At: 15 * time.Second, Duration: 25 * time.Second, Kind: FaultBrokerCrash, Broker: 3, Mode: CrashHard}, // broker 3 (site c), 15-40 s
	}
	s := sim.New(1)
	c, err := NewCluster(s, spec)
	require.NoError(t, err)
	b3 := c.brokerAt(3)
	s.RunUntil(at(16 * time.Second))
	assert.True(t, c.net.PathDown(0, 1))
	assert.Equal(t, 80*time.Millisecond, c.net.PathRTT(0, 2), "the later latency fault wins")
	assert.True(t, b3.down)
	s.RunUntil(at(25 * time.Second))
	assert.Equal(t, 80*time.Millisecond, c.net.PathRTT(0, 2), "the 50 ms fault ended; the 80 ms one still runs")
	assert.True(t, b3.down, "the site is back, but broker 3's own crash still runs")
	s.RunUntil(at(35 * time.Second))
	assert.True(t, c.net.PathDown(0, 1), "the first partition ended; the second still cuts the path")
	assert.Equal(t, 2*time.Millisecond, c.net.PathRTT(0, 2), "both latency faults ended: the scenario's RTT")
	s.RunUntil(at(46 * time.Second))
	assert.False(t, c.net.PathDown(0, 1), "both partitions ended")
	assert.False(t, b3.down, "the crash ended")
	require.Empty(t, c.CheckInvariants(s.Now()))
}
