package model

import (
	"errors"
	"fmt"
	"time"
)

// rackAwareSelector is the ReplicaSelectorClass value of KIP-392's rack-aware selector.
const rackAwareSelector = "RackAwareReplicaSelector"

// rackAwareSelectorFQCN is its class name as server.properties spells it.
const rackAwareSelectorFQCN = "org.apache.kafka.common.replica." + rackAwareSelector

var brokerProps = newRegistry("broker", append([]property[BrokerConfig]{
	msProp("replica.lag.time.max.ms", "a follower not caught up for this long leaves the ISR",
		intRange{1, 1<<63 - 1}, func(c *BrokerConfig) *time.Duration { return &c.ReplicaLagTimeMax }),
	msProp("replica.fetch.wait.max.ms", "longest a follower Fetch waits at the leader (long poll)",
		atLeast(0), func(c *BrokerConfig) *time.Duration { return &c.ReplicaFetchWaitMax }),
	bytesProp("replica.fetch.min.bytes", "bytes a follower Fetch waits for before the leader answers",
		atLeast(0), func(c *BrokerConfig) *Bytes { return &c.ReplicaFetchMinBytes }),
	bytesProp("replica.fetch.max.bytes", "soft cap on the bytes fetched per partition per follower Fetch",
		atLeast(0), func(c *BrokerConfig) *Bytes { return &c.ReplicaFetchMaxBytes }),
	bytesProp("replica.fetch.response.max.bytes", "soft cap on a whole follower Fetch response",
		atLeast(0), func(c *BrokerConfig) *Bytes { return &c.ReplicaFetchResponseMaxBytes }),
	msProp("replica.fetch.backoff.ms", "wait after a failed follower Fetch before the next",
		atLeast(0), func(c *BrokerConfig) *time.Duration { return &c.ReplicaFetchBackoff }),
	msProp("replica.socket.timeout.ms", "a follower Fetch unanswered this long fails (the connection is dropped)",
		atLeast(1), func(c *BrokerConfig) *time.Duration { return &c.ReplicaSocketTimeout }),
	intProp("num.replica.fetchers", "fetcher threads (connections) per source broker",
		atLeast(1), func(c *BrokerConfig) *int { return &c.NumReplicaFetchers }),
	bufferProp("replica.socket.receive.buffer.bytes", "follower fetch connection window: caps throughput at window/RTT; -1: OS autotuning",
		func(c *BrokerConfig) *Bytes { return &c.ReplicaSocketReceiveBuffer }),
	bufferProp("socket.receive.buffer.bytes", "broker listener socket receive buffer; -1: OS autotuning",
		func(c *BrokerConfig) *Bytes { return &c.SocketReceiveBuffer }),
	bufferProp("socket.send.buffer.bytes", "broker listener socket send buffer, with the peer's receive buffer the window of responses and follower fetch data; -1: OS autotuning",
		func(c *BrokerConfig) *Bytes { return &c.SocketSendBuffer }),
	replicaSelectorProp(),
	intProp("num.io.threads", "request handler threads per broker",
		atLeast(1), func(c *BrokerConfig) *int { return &c.NumIOThreads }),
	intProp("num.network.threads", "network threads per broker",
		atLeast(1), func(c *BrokerConfig) *int { return &c.NumNetworkThreads }),
	intProp("min.insync.replicas", "default for topics: ISR size below which acks=all writes fail",
		atLeast(1), func(c *BrokerConfig) *int { return &c.MinInsyncReplicas }),
	boolProp("unclean.leader.election.enable", "default for topics: elect an out-of-sync replica when no ISR member is left",
		func(c *BrokerConfig) *bool { return &c.UncleanLeaderElectionEnable }),
	msProp("broker.heartbeat.interval.ms", "period of broker heartbeats to the active controller",
		intRange{1, 1<<31 - 1}, func(c *BrokerConfig) *time.Duration { return &c.BrokerHeartbeatInterval }),
	msProp("broker.session.timeout.ms", "a broker without a heartbeat for this long is fenced",
		intRange{1, 1<<31 - 1}, func(c *BrokerConfig) *time.Duration { return &c.BrokerSessionTimeout }),
	boolProp("auto.leader.rebalance.enable", "periodically move leadership back to preferred replicas",
		func(c *BrokerConfig) *bool { return &c.AutoLeaderRebalanceEnable }),
	secondsProp("leader.imbalance.check.interval.seconds", "period of the preferred-leader rebalance check, in seconds",
		atLeastLong(1), func(c *BrokerConfig) *time.Duration { return &c.LeaderImbalanceCheckInterval }),
}, append(brokerFlushProps(), metadataLogProps(func(c *BrokerConfig) *MetadataLogConfig { return &c.MetadataLog })...)...), map[string]unmodelled{
	"replica.high.watermark.checkpoint.interval.ms": {simulated: "5000"},
	"leader.imbalance.per.broker.percentage":        {simulated: "10", why: "the KRaft controller ignores it"},
	"compression.type":                              {simulated: "producer"},
	"default.replication.factor":                    {why: "give topics[].replication.factor"},
	"num.partitions":                                {why: "give topics[].partitions"},
	"broker.rack":                                   {why: "racks come from sites[].racks, default the site name"},
	"node.id":                                       {why: "ids are assigned site by site from the sites list"},
	"broker.id":                                     {why: "ids are assigned site by site from the sites list"},
	"process.roles":                                 {why: "brokers and controllers are dedicated nodes, counted per site"},
	"controller.quorum.voters":                      {why: "the voters are the controllers of the sites list"},
	"zookeeper.connect":                             {why: "stretchsim models KRaft only"},
	"eligible.leader.replicas.enable":               {why: "it is a controller property: put it under controller"},
})

func replicaSelectorProp() property[BrokerConfig] {
	return property[BrokerConfig]{
		name: "replica.selector.class",
		doc:  "RackAwareReplicaSelector lets consumers with client.rack fetch from a replica in their rack (KIP-392); null: leader only",
		get: func(c *BrokerConfig) string {
			if c.ReplicaSelectorClass == "" {
				return "null"
			}
			return rackAwareSelectorFQCN
		},
		set: func(c *BrokerConfig, s string) error {
			switch s {
			case "", "null":
				c.ReplicaSelectorClass = ""
			case rackAwareSelector, rackAwareSelectorFQCN:
				c.ReplicaSelectorClass = rackAwareSelector
			default:
				return fmt.Errorf("replica.selector.class %q is not modelled by stretchsim (want %s or null)", s, rackAwareSelectorFQCN)
			}
			return nil
		},
		check: func(c *BrokerConfig) error {
			if c.ReplicaSelectorClass != "" && c.ReplicaSelectorClass != rackAwareSelector {
				return fmt.Errorf("%q is not modelled (want %q or \"\")", c.ReplicaSelectorClass, rackAwareSelector)
			}
			return nil
		},
	}
}

// Set sets one broker property from its server.properties name and text value, in Kafka's units
// (*.ms in milliseconds, leader.imbalance.check.interval.seconds in seconds, sizes in bytes or as
// "64KiB"). It checks the value's range as Kafka's ConfigDef does; rules between properties are
// Validate's. A Kafka property stretchsim does not model is an error, unless it is given the
// value the model simulates.
func (c *BrokerConfig) Set(key, value string) error { return brokerProps.set(c, key, value) }

// Properties documents the broker properties Set accepts, with Kafka's defaults.
func (BrokerConfig) Properties() []PropertyDoc { return brokerProps.docs(DefaultBrokerConfig()) }

// Validate reports every problem of c at once: values out of range and Kafka's rules between
// properties (KafkaConfig.validateValues): replica.fetch.wait.max.ms must not exceed
// replica.lag.time.max.ms nor replica.socket.timeout.ms.
func (c BrokerConfig) Validate() error {
	errs := brokerProps.check(&c)
	if c.ReplicaFetchWaitMax > c.ReplicaLagTimeMax {
		errs = append(errs, fmt.Errorf("replica.fetch.wait.max.ms (%d) must not exceed replica.lag.time.max.ms (%d)",
			c.ReplicaFetchWaitMax.Milliseconds(), c.ReplicaLagTimeMax.Milliseconds()))
	}
	if c.ReplicaFetchWaitMax > c.ReplicaSocketTimeout {
		errs = append(errs, fmt.Errorf("replica.fetch.wait.max.ms (%d) must not exceed replica.socket.timeout.ms (%d)",
			c.ReplicaFetchWaitMax.Milliseconds(), c.ReplicaSocketTimeout.Milliseconds()))
	}
	return errors.Join(errs...)
}
