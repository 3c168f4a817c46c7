package scenario

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model"
)

const groupScenario = `duration: 5m
sites: [{name: a, brokers: 1, controllers: 1}, {name: b, brokers: 1}]
network: {inter_site: {rtt: 2ms}}
topics: [{name: t, partitions: 2, replication.factor: 2}]
consumers:
  - {name: analytics, site: b, topic: t, stop: 60s, config: {group.id: g}}
  - {name: analytics-back, site: b, topic: t, start: 3m, config: {group.id: g, auto.offset.reset: none}}
  - {name: audit, site: a, topic: t}
`

// The outage story: two consumers of one group taking turns, the second resuming from the
// first's commits (so auto.offset.reset=none is fine); the model gets their times and groups.
func TestConsumersTakingTurnsInAGroup(t *testing.T) {
	s, err := Parse("f.yaml", []byte(groupScenario), Options{})
	require.NoError(t, err)
	assert.Empty(t, s.Warnings)
	spec, err := s.Spec()
	require.NoError(t, err)
	require.Len(t, spec.Consumers, 3)
	a, back, audit := spec.Consumers[0], spec.Consumers[1], spec.Consumers[2]
	assert.Equal(t, [2]time.Duration{0, time.Minute}, [2]time.Duration{a.Start, a.Stop})
	assert.Equal(t, [2]time.Duration{3 * time.Minute, 0}, [2]time.Duration{back.Start, back.Stop}, "no stop: never")
	assert.Equal(t, "g", a.Group())
	assert.Equal(t, "g", back.Group())
	assert.Equal(t, model.OffsetResetNone, back.Config.AutoOffsetReset)
	assert.Equal(t, "audit", audit.Group(), "group.id defaults to the consumer's name")
	assert.True(t, audit.Config.EnableAutoCommit)
	assert.Equal(t, 5*time.Second, audit.Config.AutoCommitInterval)
	assert.Equal(t, model.OffsetResetLatest, audit.Config.AutoOffsetReset)
}

// --set reaches start and stop, and every problem is reported at once, located.
func TestConsumerTimesProblems(t *testing.T) {
	s, err := Parse("f.yaml", []byte(groupScenario), Options{Sets: []string{"consumers[audit].stop=10m"}})
	require.NoError(t, err, "a stop after the end is no stop")
	require.Len(t, s.Warnings, 1)
	assert.Equal(t, "--set consumers[audit].stop=10m: consumers[2].stop: 10m0s is after the end of the run (duration 5m0s): the consumer runs to the end",
		s.Warnings[0].Error())
	spec, err := s.Spec()
	require.NoError(t, err)
	assert.Zero(t, spec.Consumers[2].Stop, "no stop within the run")
	_, err = Parse("f.yaml", []byte(groupScenario), Options{Sets: []string{"consumers[analytics].stop=3m"}})
	require.NoError(t, err, "one stops when the next starts: they take turns")

	_, err = Parse("f.yaml", []byte(groupScenario), Options{Sets: []string{
		"consumers[analytics].stop=4m", "consumers[audit].stop=0s"}})
	require.Error(t, err)
	assert.Equal(t, `f.yaml:7: consumers[1].start: consumers "analytics" and "analytics-back" of group "g" run at the same time (from 0s to 4m0s and from 3m0s to the end): the consumers of a group must take turns, since stretchsim does not model the group rebalance protocol that would share the partitions between them
f.yaml:7: consumers[1].config.auto.offset.reset: none: no consumer of group "g" that commits offsets of topic "t" (enable.auto.commit) stops before "analytics-back" starts, so it would start without a committed offset and KafkaConsumer.poll would throw NoOffsetForPartitionException
--set consumers[audit].stop=0s: consumers[2].stop: 0s is not after start 0s: a stop before a start`, err.Error())
}
