package model

import (
	"errors"
	"fmt"
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
	conf.BufferProp("receive.buffer.bytes", "consumer socket receive buffer, the window of its Fetch connection; cut to the hosts' net.core.rmem_max (hardware.rmem_max); -1: OS autotuning",
		func(c *ConsumerConfig) *Bytes { return &c.ReceiveBuffer }),
	conf.BufferProp("send.buffer.bytes", "consumer socket send buffer, with the broker's receive buffer the window of its requests; cut to the hosts' net.core.wmem_max (hardware.wmem_max); -1: OS autotuning",
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
	{
		Name: "group.id",
		Doc: "the consumer group whose committed offsets a consumer resumes from; default (null): the consumer's own name. " +
			"The group's consumers must not run at the same time: the rebalance protocol is not modelled",
		Get: func(c *ConsumerConfig) string {
			if c.GroupID == "" {
				return "null"
			}
			return c.GroupID
		},
		Set: func(c *ConsumerConfig, s string) error {
			if s == "null" { // Kafka's default: no group.id; here the consumer's own name
				c.GroupID = ""
				return nil
			}
			if s == "" {
				// An empty group id cannot commit or fetch offsets (InvalidGroupIdException).
				return errors.New(`group.id "": an empty group id cannot commit offsets (InvalidGroupIdException); leave it out for the consumer's own name`)
			}
			c.GroupID = s
			return nil
		},
	},
	conf.BoolProp("enable.auto.commit", "commit the consumer's positions every auto.commit.interval.ms and when it stops (ConsumerCoordinator); "+
		"a commit reaches the group at once, not after a round trip to its coordinator",
		func(c *ConsumerConfig) *bool { return &c.EnableAutoCommit }),
	conf.MsProp("auto.commit.interval.ms", "how often enable.auto.commit commits the positions",
		conf.AtLeast(0), func(c *ConsumerConfig) *time.Duration { return &c.AutoCommitInterval }),
	offsetResetProp(),
}, map[string]conf.Unmodelled{
	"isolation.level":    {Simulated: "read_uncommitted"},
	"group.protocol":     {Why: "group membership is not modelled: a consumer is its group's only member while it runs"},
	"group.instance.id":  {Why: "group membership is not modelled: a consumer is its group's only member while it runs"},
	"max.poll.records":   {Why: "the application consumes instantly"},
	"bootstrap.servers":  {Why: "a consumer connects to the brokers of its scenario"},
	"key.deserializer":   {Why: "records are not deserialized"},
	"value.deserializer": {Why: "records are not deserialized"},
})

func offsetResetProp() conf.Property[ConsumerConfig] {
	return conf.Property[ConsumerConfig]{
		Name: "auto.offset.reset",
		Doc:  "where a consumer starts a partition its group has no committed offset for: latest (the high watermark), earliest (the log start) or none (an error)",
		Get:  func(c *ConsumerConfig) string { return c.AutoOffsetReset.String() },
		Set: func(c *ConsumerConfig, s string) error {
			// ConfigDef.ValidString: case-sensitive, as Kafka checks it.
			for i, name := range offsetResetNames {
				if s == name {
					c.AutoOffsetReset = OffsetReset(i)
					return nil
				}
			}
			return fmt.Errorf("auto.offset.reset %q: want latest, earliest or none", s)
		},
	}
}

// Set sets one consumer property from its Kafka name and text value (*.ms in milliseconds, sizes
// in bytes or as "64KiB"), checking its range. See BrokerConfig.Set.
func (c *ConsumerConfig) Set(key, value string) error { return consumerProps.Set(c, key, value) }

// Properties documents the consumer properties Set accepts, with Kafka's defaults.
func (ConsumerConfig) Properties() []conf.PropertyDoc {
	return consumerProps.Docs(DefaultConsumerConfig())
}

// Validate reports every value of c out of range, all at once.
func (c ConsumerConfig) Validate() error { return errors.Join(consumerProps.Check(&c)...) }
