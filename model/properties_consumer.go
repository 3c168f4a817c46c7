package model

import (
	"errors"
	"time"

	"github.com/stretchsim/stretchsim/model/conf"
)

var consumerProps = conf.NewRegistry("consumer", []conf.Property[ConsumerConfig]{
	{
		Name: "client.rack",
		Doc:  "the consumer's rack; with replica.selector.class=RackAwareReplicaSelector it fetches from a replica there (KIP-392)",
		Get:  func(c *ConsumerConfig) string { return c.ClientRack },
		Set:  func(c *ConsumerConfig, s string) error { c.ClientRack = s; return nil },
	},
	conf.BytesProp("fetch.min.bytes", "bytes a Fetch waits for before the broker answers",
		conf.AtLeast(0), func(c *ConsumerConfig) *Bytes { return &c.FetchMinBytes }),
	conf.MsProp("fetch.max.wait.ms", "longest a Fetch waits at the broker for fetch.min.bytes (long poll)",
		conf.AtLeast(0), func(c *ConsumerConfig) *time.Duration { return &c.FetchMaxWait }),
	conf.BytesProp("fetch.max.bytes", "soft cap on a whole Fetch response",
		conf.AtLeast(0), func(c *ConsumerConfig) *Bytes { return &c.FetchMaxBytes }),
	conf.BytesProp("max.partition.fetch.bytes", "soft cap on the bytes fetched per partition",
		conf.AtLeast(0), func(c *ConsumerConfig) *Bytes { return &c.MaxPartitionFetchBytes }),
	conf.BufferProp("receive.buffer.bytes", "consumer socket receive buffer, the window of its Fetch connection; -1: OS autotuning",
		func(c *ConsumerConfig) *Bytes { return &c.ReceiveBuffer }),
	conf.BufferProp("send.buffer.bytes", "consumer socket send buffer, with the broker's receive buffer the window of its requests; -1: OS autotuning",
		func(c *ConsumerConfig) *Bytes { return &c.SendBuffer }),
	conf.MsProp("reconnect.backoff.ms", "wait before reconnecting to a broker after a connection failed",
		conf.AtLeastLong(0), func(c *ConsumerConfig) *time.Duration { return &c.ReconnectBackoff }),
	conf.MsProp("reconnect.backoff.max.ms", "cap of the exponential reconnect backoff",
		conf.AtLeastLong(0), func(c *ConsumerConfig) *time.Duration { return &c.ReconnectBackoffMax }),
	conf.MsProp("retry.backoff.ms", "least time between two metadata refreshes",
		conf.AtLeastLong(0), func(c *ConsumerConfig) *time.Duration { return &c.RetryBackoff }),
	conf.MsProp("request.timeout.ms", "a Fetch unanswered for this long fails",
		conf.AtLeast(1), func(c *ConsumerConfig) *time.Duration { return &c.RequestTimeout }),
	conf.MsProp("metadata.max.age.ms", "metadata, and a preferred read replica, is refreshed at least this often",
		conf.AtLeastLong(0), func(c *ConsumerConfig) *time.Duration { return &c.MetadataMaxAge }),
}, map[string]conf.Unmodelled{
	"isolation.level":    {Simulated: "read_uncommitted"},
	"group.id":           {Why: "a consumer reads every partition of its topic, without a group"},
	"group.protocol":     {Why: "a consumer reads every partition of its topic, without a group"},
	"enable.auto.commit": {Why: "offsets are not committed"},
	"max.poll.records":   {Why: "the application consumes instantly"},
	"bootstrap.servers":  {Why: "a consumer connects to the brokers of its scenario"},
	"key.deserializer":   {Why: "records are not deserialized"},
	"value.deserializer": {Why: "records are not deserialized"},
})

// Set sets one consumer property from its Kafka name and text value (*.ms in milliseconds, sizes
// in bytes or as "64KiB"), checking its range. See BrokerConfig.Set.
func (c *ConsumerConfig) Set(key, value string) error { return consumerProps.Set(c, key, value) }

// Properties documents the consumer properties Set accepts, with Kafka's defaults.
func (ConsumerConfig) Properties() []conf.PropertyDoc {
	return consumerProps.Docs(DefaultConsumerConfig())
}

// Validate reports every value of c out of range, all at once.
func (c ConsumerConfig) Validate() error { return errors.Join(consumerProps.Check(&c)...) }
