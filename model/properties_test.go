package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model/conf"
)

func TestBrokerConfigSet(t *testing.T) {
	tests := []struct {
		key, value string
		check      func(t *testing.T, c BrokerConfig)
	}{
		{"replica.lag.time.max.ms", "10000", func(t *testing.T, c BrokerConfig) { assert.Equal(t, 10*time.Second, c.ReplicaLagTimeMax) }},
		{" replica.fetch.wait.max.ms ", " 250 ", func(t *testing.T, c BrokerConfig) { assert.Equal(t, 250*time.Millisecond, c.ReplicaFetchWaitMax) }},
		{"replica.socket.receive.buffer.bytes", "64KiB", func(t *testing.T, c BrokerConfig) { assert.Equal(t, 64*KiB, c.ReplicaSocketReceiveBuffer) }},
		{"replica.socket.receive.buffer.bytes", "-1", func(t *testing.T, c BrokerConfig) { assert.Equal(t, Bytes(-1), c.ReplicaSocketReceiveBuffer) }},
		{"replica.fetch.max.bytes", "1MB", func(t *testing.T, c BrokerConfig) { assert.Equal(t, Bytes(1e6), c.ReplicaFetchMaxBytes) }},
		{"num.replica.fetchers", "4", func(t *testing.T, c BrokerConfig) { assert.Equal(t, 4, c.NumReplicaFetchers) }},
		{"replica.selector.class", "org.apache.kafka.common.replica.RackAwareReplicaSelector", func(t *testing.T, c BrokerConfig) {
			assert.Equal(t, "RackAwareReplicaSelector", c.ReplicaSelectorClass)
		}},
		{"replica.selector.class", "RackAwareReplicaSelector", func(t *testing.T, c BrokerConfig) {
			assert.Equal(t, "RackAwareReplicaSelector", c.ReplicaSelectorClass)
		}},
		{"replica.selector.class", "null", func(t *testing.T, c BrokerConfig) { assert.Equal(t, "", c.ReplicaSelectorClass) }},
		{"min.insync.replicas", "2", func(t *testing.T, c BrokerConfig) { assert.Equal(t, 2, c.MinInsyncReplicas) }},
		{"unclean.leader.election.enable", "TRUE", func(t *testing.T, c BrokerConfig) { assert.True(t, c.UncleanLeaderElectionEnable) }},
		{"auto.leader.rebalance.enable", "false", func(t *testing.T, c BrokerConfig) { assert.False(t, c.AutoLeaderRebalanceEnable) }},
		{"leader.imbalance.check.interval.seconds", "60", func(t *testing.T, c BrokerConfig) { assert.Equal(t, time.Minute, c.LeaderImbalanceCheckInterval) }},
		{"broker.session.timeout.ms", "18000", func(t *testing.T, c BrokerConfig) { assert.Equal(t, 18*time.Second, c.BrokerSessionTimeout) }},
		{"replica.socket.timeout.ms", "30000", func(t *testing.T, c BrokerConfig) { assert.Equal(t, DefaultBrokerConfig(), c) }},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			c := DefaultBrokerConfig()
			require.NoError(t, c.Set(tt.key, tt.value))
			tt.check(t, c)
		})
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct {
		name string
		set  func() error
		want string
	}{
		{"unknown with suggestion", func() error { c := DefaultBrokerConfig(); return c.Set("replica.lag.time.max", "1") },
			`unknown broker property "replica.lag.time.max" (did you mean "replica.lag.time.max.ms"?)`},
		{"unknown substring", func() error { c := DefaultProducerConfig(); return c.Set("in.flight", "1") },
			`unknown producer property "in.flight" (did you mean "max.in.flight.requests.per.connection"?)`},
		{"unknown far", func() error { c := DefaultConsumerConfig(); return c.Set("xyzzy", "1") },
			`unknown consumer property "xyzzy"`},
		{"malformed int", func() error { c := DefaultBrokerConfig(); return c.Set("num.replica.fetchers", "two") },
			`"two" is not a whole number`},
		{"ms with a unit", func() error { c := DefaultProducerConfig(); return c.Set("linger.ms", "5s") },
			`"5s" is not a whole number: linger.ms is in milliseconds (write 5000 for 5s)`},
		{"ms with a spaced unit", func() error { c := DefaultProducerConfig(); return c.Set("linger.ms", "5 s") },
			`"5 s" is not a whole number: linger.ms is in milliseconds (write 5000 for 5s)`},
		{"seconds with a unit", func() error {
			c := DefaultBrokerConfig()
			return c.Set("leader.imbalance.check.interval.seconds", "5m")
		},
			`"5m" is not a whole number: leader.imbalance.check.interval.seconds is in seconds (write 300 for 5m0s)`},
		{"below min", func() error { c := DefaultBrokerConfig(); return c.Set("num.replica.fetchers", "0") },
			`must be at least 1, got 0`},
		{"int overflow", func() error { c := DefaultProducerConfig(); return c.Set("batch.size", "4GiB") },
			`must be at most 2147483647, got 4294967296`},
		{"out of range", func() error { c := DefaultProducerConfig(); return c.Set("linger.ms", "99999999999999999999") },
			`"99999999999999999999" is out of range`},
		{"buffer zero", func() error { c := DefaultBrokerConfig(); return c.Set("socket.send.buffer.bytes", "0") },
			`must be -1 (the OS default) or positive, got 0`},
		{"buffer below -1", func() error { c := DefaultConsumerConfig(); return c.Set("receive.buffer.bytes", "-2") },
			`must be at least -1, got -2`},
		{"bad size", func() error { c := DefaultProducerConfig(); return c.Set("batch.size", "16Kb") },
			`"16Kb": unknown size unit "Kb" (want B, KiB, MiB, GiB, TiB (powers of 1024) or kB, MB, GB, TB (powers of 1000))`},
		{"bad bool", func() error { c := DefaultBrokerConfig(); return c.Set("unclean.leader.election.enable", "yes") },
			`"yes" is not a boolean: want true or false`},
		{"bad acks", func() error { c := DefaultProducerConfig(); return c.Set("acks", "2") },
			`acks "2": want all, -1, 0 or 1`},
		{"acks is case sensitive", func() error { c := DefaultProducerConfig(); return c.Set("acks", "ALL") },
			`acks "ALL": want all, -1, 0 or 1`},
		{"unmodelled value", func() error { c := DefaultProducerConfig(); return c.Set("partitioner.availability.timeout.ms", "10") },
			`partitioner.availability.timeout.ms=10 is not modelled by stretchsim (it simulates partitioner.availability.timeout.ms=0)`},
		{"unknown codec", func() error { c := DefaultProducerConfig(); return c.Set("compression.type", "brotli") },
			`compression.type "brotli": want one of none, gzip, snappy, lz4, zstd`},
		{"zstd level", func() error { c := DefaultProducerConfig(); return c.Set("compression.zstd.level", "23") },
			`must be between -131072 and 22, got 23`},
		{"gzip level 0", func() error { c := DefaultProducerConfig(); return c.Set("compression.gzip.level", "0") },
			`must be between 1 and 9 or equal to -1, got 0`},
		{"topic none", func() error { c := TopicConfig{}; return c.Set("compression.type", "none") },
			`compression.type "none": want one of producer, uncompressed, gzip, snappy, lz4, zstd`},
		{"unmodelled property", func() error { c := DefaultProducerConfig(); return c.Set("transactional.id", "tx-1") },
			`transactional.id is not modelled by stretchsim (transactions)`},
		{"custom selector", func() error { c := DefaultBrokerConfig(); return c.Set("replica.selector.class", "com.example.Mine") },
			`replica.selector.class "com.example.Mine" is not modelled by stretchsim (want org.apache.kafka.common.replica.RackAwareReplicaSelector or null)`},
		{"controller property under broker", func() error { c := DefaultBrokerConfig(); return c.Set("eligible.leader.replicas.enable", "true") },
			`eligible.leader.replicas.enable is not modelled by stretchsim (it is a controller property: put it under controller)`},
		{"topic min isr", func() error { c := TopicConfig{}; return c.Set("min.insync.replicas", "0") },
			`must be at least 1, got 0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.EqualError(t, tt.set(), tt.want)
		})
	}
}

func TestSetLeavesConfigUnchangedOnError(t *testing.T) {
	c := DefaultProducerConfig()
	require.Error(t, c.Set("batch.size", "-1"))
	require.Error(t, c.Set("acks", "x"))
	assert.Equal(t, DefaultProducerConfig(), c)
}

func TestCompressionNoneIsAccepted(t *testing.T) {
	c := DefaultProducerConfig()
	require.NoError(t, c.Set("compression.type", "none"))
	assert.Equal(t, DefaultProducerConfig(), c)
	require.NoError(t, c.Set("compression.type", "LZ4"))
	require.NoError(t, c.Set("compression.lz4.level", "12"))
	assert.Equal(t, CodecLZ4, c.CompressionType)
	assert.Equal(t, 12, c.CompressionLevels.LZ4)
	var tc TopicConfig
	require.NoError(t, tc.Set("compression.type", "uncompressed"))
	assert.Equal(t, TopicCompression{Fixed: true, Codec: CodecNone}, tc.Compression)
	require.NoError(t, tc.Set("compression.zstd.level", "-5"))
	assert.Equal(t, -5, tc.CompressionLevels.Zstd)
	assert.Equal(t, DefaultLZ4Level, tc.CompressionLevels.LZ4)
}

func TestTopicConfigSet(t *testing.T) {
	var c TopicConfig
	require.NoError(t, c.Set("min.insync.replicas", "2"))
	require.NoError(t, c.Set("unclean.leader.election.enable", "false"))
	require.NotNil(t, c.MinInsyncReplicas)
	require.NotNil(t, c.UncleanLeaderElectionEnable)
	assert.Equal(t, 2, *c.MinInsyncReplicas)
	assert.False(t, *c.UncleanLeaderElectionEnable)
	assert.NoError(t, c.Validate())
}

func TestControllerConfigSet(t *testing.T) {
	c := DefaultControllerConfig()
	require.NoError(t, c.Set("eligible.leader.replicas.enable", "true"))
	require.NoError(t, c.Set("controller.quorum.election.timeout.ms", "3000"))
	assert.True(t, c.EligibleLeaderReplicasEnable)
	assert.Equal(t, 3*time.Second, c.ElectionTimeout)
	assert.EqualError(t, c.Set("controller.quorum.fetch.timeout.ms", "0"), "must be at least 1, got 0")
}

// Rule: KafkaConfig.validateValues requires replica.fetch.wait.max.ms <= replica.lag.time.max.ms
// (reference §2.9) and <= replica.socket.timeout.ms.
func TestBrokerValidate(t *testing.T) {
	c := DefaultBrokerConfig()
	require.NoError(t, c.Validate())
	require.NoError(t, c.Set("replica.lag.time.max.ms", "400"))
	assert.EqualError(t, c.Validate(), "replica.fetch.wait.max.ms (500) must not exceed replica.lag.time.max.ms (400)")

	c = DefaultBrokerConfig()
	c.ReplicaLagTimeMax = time.Minute
	c.ReplicaFetchWaitMax = 40 * time.Second
	c.NumIOThreads = 0
	assert.EqualError(t, c.Validate(), "num.io.threads: must be at least 1, got 0\n"+
		"replica.fetch.wait.max.ms (40000) must not exceed replica.socket.timeout.ms (30000)")

	c = DefaultBrokerConfig()
	require.NoError(t, c.Set("replica.socket.timeout.ms", "300"))
	assert.EqualError(t, c.Validate(), "replica.fetch.wait.max.ms (500) must not exceed replica.socket.timeout.ms (300)")
}

// A zero request.timeout.ms would fail every request the moment it is sent, and retry it at once:
// the model rejects it (Kafka accepts it).
func TestClientRequestTimeoutAtLeastOneMs(t *testing.T) {
	p := DefaultProducerConfig()
	assert.EqualError(t, p.Set("request.timeout.ms", "0"), "must be at least 1, got 0")
	k := DefaultConsumerConfig()
	assert.EqualError(t, k.Set("request.timeout.ms", "0"), "must be at least 1, got 0")
}

// producerFrom sets props in order, then post-processes as KafkaProducer does.
func producerFrom(t *testing.T, props ...[2]string) ProducerConfig {
	t.Helper()
	c := DefaultProducerConfig()
	given := map[string]bool{}
	for _, p := range props {
		require.NoError(t, c.Set(p[0], p[1]))
		given[p[0]] = true
	}
	c.PostProcess(func(k string) bool { return given[k] })
	return c
}

// Rule: reference §5.1 and ProducerConfig.postProcessAndValidateIdempotenceConfigs.
func TestProducerIdempotenceRules(t *testing.T) {
	tests := []struct {
		name      string
		props     [][2]string
		wantIdem  bool
		wantError string
	}{
		{"defaults", nil, true, ""},
		{"acks=1 silently disables", [][2]string{{"acks", "1"}}, false, ""},
		{"acks=0 silently disables", [][2]string{{"acks", "0"}}, false, ""},
		{"retries=0 silently disables", [][2]string{{"retries", "0"}}, false, ""},
		{"explicit false with acks=1", [][2]string{{"enable.idempotence", "false"}, {"acks", "1"}}, false, ""},
		{"explicit true with acks=1", [][2]string{{"enable.idempotence", "true"}, {"acks", "1"}}, true,
			"enable.idempotence=true needs acks=all, got acks=1 (set enable.idempotence=false to use acks=1)"},
		{"order does not matter", [][2]string{{"acks", "1"}, {"enable.idempotence", "true"}}, true,
			"enable.idempotence=true needs acks=all, got acks=1 (set enable.idempotence=false to use acks=1)"},
		{"explicit true with retries=0", [][2]string{{"enable.idempotence", "true"}, {"retries", "0"}}, true,
			"enable.idempotence=true needs retries > 0"},
		{"in flight above 5 with default idempotence", [][2]string{{"max.in.flight.requests.per.connection", "6"}}, true,
			"max.in.flight.requests.per.connection (6) must be at most 5 with idempotence enabled (set enable.idempotence=false)"},
		{"in flight above 5 without idempotence", [][2]string{{"max.in.flight.requests.per.connection", "6"}, {"enable.idempotence", "false"}}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := producerFrom(t, tt.props...)
			assert.Equal(t, tt.wantIdem, c.EnableIdempotence)
			if tt.wantError == "" {
				assert.NoError(t, c.Validate())
			} else {
				assert.EqualError(t, c.Validate(), tt.wantError)
			}
		})
	}
}

// Rule: KafkaProducer.configureDeliveryTimeout: delivery.timeout.ms >= linger.ms +
// request.timeout.ms; raised when not given, a ConfigException when given.
func TestProducerDeliveryTimeout(t *testing.T) {
	c := producerFrom(t, [2]string{"request.timeout.ms", "200000"})
	assert.Equal(t, 200005*time.Millisecond, c.DeliveryTimeout)
	assert.NoError(t, c.Validate())

	c = producerFrom(t, [2]string{"request.timeout.ms", "200000"}, [2]string{"delivery.timeout.ms", "120000"})
	assert.EqualError(t, c.Validate(), "delivery.timeout.ms (120000) must be at least linger.ms + request.timeout.ms (200005)")
}

func TestDefaultsValidate(t *testing.T) {
	assert.NoError(t, DefaultBrokerConfig().Validate())
	assert.NoError(t, DefaultControllerConfig().Validate())
	assert.NoError(t, DefaultProducerConfig().Validate())
	assert.NoError(t, DefaultConsumerConfig().Validate())
	assert.NoError(t, TopicConfig{}.Validate())
}

// Every documented property can be set to its documented default, which leaves the default
// config unchanged: the docs print what Set reads.
func TestPropertiesDefaultsRoundTrip(t *testing.T) {
	roundTrip := func(t *testing.T, docs []conf.PropertyDoc, set func(k, v string) error, changed func() bool) {
		seen := map[string]bool{}
		for _, d := range docs {
			assert.False(t, seen[d.Name], "duplicate %s", d.Name)
			seen[d.Name] = true
			assert.NotEmpty(t, d.Doc, d.Name)
			require.NoError(t, set(d.Name, d.Default), d.Name)
			assert.False(t, changed(), "%s=%s changed the defaults", d.Name, d.Default)
		}
	}
	b := DefaultBrokerConfig()
	roundTrip(t, b.Properties(), b.Set, func() bool { return b != DefaultBrokerConfig() })
	k := DefaultControllerConfig()
	roundTrip(t, k.Properties(), k.Set, func() bool { return k != DefaultControllerConfig() })
	p := DefaultProducerConfig()
	roundTrip(t, p.Properties(), p.Set, func() bool { return p != DefaultProducerConfig() })
	c := DefaultConsumerConfig()
	roundTrip(t, c.Properties(), c.Set, func() bool { return c != DefaultConsumerConfig() })
}

func TestPropertiesPrintKafkaDefaults(t *testing.T) {
	find := func(docs []conf.PropertyDoc, name string) string {
		for _, d := range docs {
			if d.Name == name {
				return d.Default
			}
		}
		t.Fatalf("no property %s", name)
		return ""
	}
	b := DefaultBrokerConfig().Properties()
	assert.Equal(t, "30000", find(b, "replica.lag.time.max.ms"))
	assert.Equal(t, "65536", find(b, "replica.socket.receive.buffer.bytes"))
	assert.Equal(t, "null", find(b, "replica.selector.class"))
	assert.Equal(t, "300", find(b, "leader.imbalance.check.interval.seconds"))
	p := DefaultProducerConfig().Properties()
	assert.Equal(t, "all", find(p, "acks"))
	assert.Equal(t, "5", find(p, "linger.ms"))
	assert.Equal(t, "2147483647", find(p, "retries"))
	assert.Equal(t, "1", find(TopicConfig{}.Properties(), "min.insync.replicas"))
}

// BufferPool.allocate refuses more than buffer.memory; ensureValidRecordSize refuses a record
// whose upper-bound batch size exceeds max.request.size or buffer.memory.
func TestProducerSizesFitBufferMemory(t *testing.T) {
	c := producerFrom(t, [2]string{"buffer.memory", "16000"})
	assert.EqualError(t, c.Validate(), "batch.size (16384) must not exceed buffer.memory (16000): no batch could be allocated")
	c = DefaultProducerConfig()
	require.NoError(t, c.CheckRecordSize(MiB-recordBatchOverhead))
	assert.ErrorContains(t, c.CheckRecordSize(MiB-recordBatchOverhead+1), "exceeds max.request.size 1MiB")
}

// Every size Bytes.String prints reads back as the same size (conf.ParseBytes), so a default
// printed in a help text or a report can be pasted into a scenario.
func TestBytesStringParsesBack(t *testing.T) {
	for _, b := range []Bytes{0, 1, -1, 100, 1024, 1536, 16384, 64 * KiB, 1e6, MiB, 2 * GiB, 1<<63 - 1, -1 << 63} {
		back, err := conf.ParseBytes(b.String())
		require.NoError(t, err, b.String())
		assert.Equal(t, b, Bytes(back), b.String())
	}
}
