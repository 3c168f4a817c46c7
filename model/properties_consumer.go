package model

import (
	"errors"
	"time"
)

var consumerProps = newRegistry("consumer", []property[ConsumerConfig]{
	{
		name: "client.rack",
		doc:  "the consumer's rack; with replica.selector.class=RackAwareReplicaSelector it fetches from a replica there (KIP-392)",
		get:  func(c *ConsumerConfig) string { return c.ClientRack },
		set:  func(c *ConsumerConfig, s string) error { c.ClientRack = s; return nil },
	},
	bytesProp("fetch.min.bytes", "bytes a Fetch waits for before the broker answers",
		atLeast(0), func(c *ConsumerConfig) *Bytes { return &c.FetchMinBytes }),
	msProp("fetch.max.wait.ms", "longest a Fetch waits at the broker for fetch.min.bytes (long poll)",
		atLeast(0), func(c *ConsumerConfig) *time.Duration { return &c.FetchMaxWait }),
	bytesProp("fetch.max.bytes", "soft cap on a whole Fetch response",
		atLeast(0), func(c *ConsumerConfig) *Bytes { return &c.FetchMaxBytes }),
	bytesProp("max.partition.fetch.bytes", "soft cap on the bytes fetched per partition",
		atLeast(0), func(c *ConsumerConfig) *Bytes { return &c.MaxPartitionFetchBytes }),
	bufferProp("receive.buffer.bytes", "consumer socket receive buffer, the window of its Fetch connection; -1: OS autotuning",
		func(c *ConsumerConfig) *Bytes { return &c.ReceiveBuffer }),
	bufferProp("send.buffer.bytes", "consumer socket send buffer, with the broker's receive buffer the window of its requests; -1: OS autotuning",
		func(c *ConsumerConfig) *Bytes { return &c.SendBuffer }),
	msProp("reconnect.backoff.ms", "wait before reconnecting to a broker after a connection failed",
		atLeastLong(0), func(c *ConsumerConfig) *time.Duration { return &c.ReconnectBackoff }),
	msProp("reconnect.backoff.max.ms", "cap of the exponential reconnect backoff",
		atLeastLong(0), func(c *ConsumerConfig) *time.Duration { return &c.ReconnectBackoffMax }),
	msProp("retry.backoff.ms", "least time between two metadata refreshes",
		atLeastLong(0), func(c *ConsumerConfig) *time.Duration { return &c.RetryBackoff }),
	msProp("request.timeout.ms", "a Fetch unanswered for this long fails",
		atLeast(1), func(c *ConsumerConfig) *time.Duration { return &c.RequestTimeout }),
	msProp("metadata.max.age.ms", "metadata, and a preferred read replica, is refreshed at least this often",
		atLeastLong(0), func(c *ConsumerConfig) *time.Duration { return &c.MetadataMaxAge }),
}, map[string]unmodelled{
	"isolation.level":    {simulated: "read_uncommitted"},
	"group.id":           {why: "a consumer reads every partition of its topic, without a group"},
	"group.protocol":     {why: "a consumer reads every partition of its topic, without a group"},
	"enable.auto.commit": {why: "offsets are not committed"},
	"max.poll.records":   {why: "the application consumes instantly"},
	"bootstrap.servers":  {why: "a consumer connects to the brokers of its scenario"},
	"key.deserializer":   {why: "records are not deserialized"},
	"value.deserializer": {why: "records are not deserialized"},
})

// Set sets one consumer property from its Kafka name and text value (*.ms in milliseconds, sizes
// in bytes or as "64KiB"), checking its range. See BrokerConfig.Set.
func (c *ConsumerConfig) Set(key, value string) error { return consumerProps.set(c, key, value) }

// Properties documents the consumer properties Set accepts, with Kafka's defaults.
func (ConsumerConfig) Properties() []PropertyDoc { return consumerProps.docs(DefaultConsumerConfig()) }

// Validate reports every value of c out of range, all at once.
func (c ConsumerConfig) Validate() error { return errors.Join(consumerProps.check(&c)...) }
