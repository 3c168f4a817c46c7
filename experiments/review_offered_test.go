package experiments

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// The review's offered rate is the producers' mean over the measured window, and the rate
// expected during a fault window scales the baseline by what the producers left running offer
// in that window: for a producer that pauses through the fault, nothing.
func TestOfferedFollowsProfile(t *testing.T) {
	const file = `duration: 100s
warmup: 20s
sites: [{name: a, brokers: 1, controllers: 1}, {name: b, brokers: 1}]
network: {inter_site: {rtt: 2ms}}
topics: [{name: t, partitions: 1, replication.factor: 1}]
producers:
  - {name: steady, site: a, topic: t, rate: 1000 records/s, record_size: 1KB, count: 2}
  - {name: phased, site: b, topic: t, record_size: 1KB,
     rate: [{until: 40s, rate: 6MB/s}, {until: 60s, rate: 0}, {rate: 6MB/s}]}
`
	sc, err := scenario.Parse("f.yaml", []byte(file), scenario.Options{})
	require.NoError(t, err)
	// steady: 2 × 1 MB/s; phased over [20 s, 100 s): 6 MB/s for 60 of the 80 s.
	assert.InEpsilon(t, 2e6+4.5e6, OfferedBytesPerSec(sc), 1e-12)
	r := &DesignReview{sc: sc}
	assert.InEpsilon(t, 2e6/6.5e6, aliveShare(r, nil, 40*time.Second, 60*time.Second), 1e-12,
		"phased paused through [40 s, 60 s): only steady offers")
	assert.Zero(t, aliveShare(r, []string{"a"}, 40*time.Second, 60*time.Second), "steady dark, phased paused")
	assert.InEpsilon(t, 6e6/6.5e6, aliveShare(r, []string{"a"}, 60*time.Second, 90*time.Second), 1e-12)

	// Single rates keep the plain share of the offered rate, whatever the window.
	sc, err = scenario.Parse("f.yaml", []byte(file), scenario.Options{Sets: []string{"producers[phased].rate=6MB/s"}})
	require.NoError(t, err)
	r = &DesignReview{sc: sc}
	assert.Equal(t, 2e6/8e6, aliveShare(r, []string{"b"}, 40*time.Second, 60*time.Second))
	assert.Equal(t, 8e6, OfferedBytesPerSec(sc))
}
