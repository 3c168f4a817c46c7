package scenario

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A topic whose min.insync.replicas exceeds its replication factor is what Kafka accepts: a
// scratch topic of RF 1 under a cluster-wide min.insync.replicas of 2. Written with acks=1 (or
// not at all) it runs, with a warning; written with acks=all, every write would fail: an error
// (testdata/bad/min-isr-above-rf).
func TestMinISRAboveRFWithoutAcksAllWarns(t *testing.T) {
	const f = `name: scratch
duration: 30s
sites:
  - {name: dc-a, brokers: 3, controllers: 1}
broker: {min.insync.replicas: 2}
topics:
  - {name: scratch, partitions: 3, replication.factor: 1}
producers:
  - {name: p, site: dc-a, topic: scratch, rate: 1MB/s, record_size: 1KiB, config: {acks: 1}}
`
	s, err := Parse("f.yaml", []byte(f), Options{})
	require.NoError(t, err)
	require.Len(t, s.Warnings, 1)
	assert.Equal(t, "f.yaml:7: topics[0].replication.factor: min.insync.replicas 2 (the broker default) exceeds replication.factor 1: "+
		"an acks=all write to it would fail with NOT_ENOUGH_REPLICAS (no producer here writes it with acks=all)", s.Warnings[0].Error())

	_, err = Parse("f.yaml", []byte(f), Options{Sets: []string{"producers[p].config.acks=all"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "every acks=all write to it would fail with NOT_ENOUGH_REPLICAS (producers[0] p writes it with acks=all)")
}
