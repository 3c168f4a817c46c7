package model

import (
	"errors"
	"fmt"
	"time"

	"github.com/stretchsim/stretchsim/model/conf"
)

// rackAwareSelector is the ReplicaSelectorClass value of KIP-392's rack-aware selector.
const rackAwareSelector = "RackAwareReplicaSelector"

// rackAwareSelectorFQCN is its class name as server.properties spells it.
const rackAwareSelectorFQCN = "org.apache.kafka.common.replica." + rackAwareSelector

var brokerProps = conf.NewRegistry("broker", append([]conf.Property[BrokerConfig]{
	conf.MsProp("replica.lag.time.max.ms", "a follower not caught up for this long leaves the ISR",
		conf.Range{Min: 1, Max: 1<<63 - 1}, func(c *BrokerConfig) *time.Duration { return &c.ReplicaLagTimeMax }),
	conf.MsProp("replica.fetch.wait.max.ms", "longest a follower Fetch waits at the leader (long poll)",
		conf.AtLeast(0), func(c *BrokerConfig) *time.Duration { return &c.ReplicaFetchWaitMax }),
	conf.BytesProp("replica.fetch.min.bytes", "bytes a follower Fetch waits for before the leader answers",
		conf.AtLeast(0), func(c *BrokerConfig) *Bytes { return &c.ReplicaFetchMinBytes }),
	conf.BytesProp("replica.fetch.max.bytes", "soft cap on the bytes fetched per partition per follower Fetch",
		conf.AtLeast(0), func(c *BrokerConfig) *Bytes { return &c.ReplicaFetchMaxBytes }),
	conf.BytesProp("replica.fetch.response.max.bytes", "soft cap on a whole follower Fetch response",
		conf.AtLeast(0), func(c *BrokerConfig) *Bytes { return &c.ReplicaFetchResponseMaxBytes }),
	conf.MsProp("replica.fetch.backoff.ms", "wait after a failed follower Fetch before the next",
		conf.AtLeast(0), func(c *BrokerConfig) *time.Duration { return &c.ReplicaFetchBackoff }),
	conf.MsProp("replica.socket.timeout.ms", "a follower Fetch unanswered this long fails (the connection is dropped)",
		conf.AtLeast(1), func(c *BrokerConfig) *time.Duration { return &c.ReplicaSocketTimeout }),
	conf.IntProp("num.replica.fetchers", "fetcher threads (connections) per source broker",
		conf.AtLeast(1), func(c *BrokerConfig) *int { return &c.NumReplicaFetchers }),
	conf.BufferProp("replica.socket.receive.buffer.bytes", "follower fetch connection window: caps throughput at window/RTT; cut to the hosts' net.core.rmem_max (hardware.rmem_max); -1: OS autotuning",
		func(c *BrokerConfig) *Bytes { return &c.ReplicaSocketReceiveBuffer }),
	conf.BufferProp("socket.receive.buffer.bytes", "broker listener socket receive buffer, cut to the hosts' net.core.rmem_max (hardware.rmem_max); -1: OS autotuning",
		func(c *BrokerConfig) *Bytes { return &c.SocketReceiveBuffer }),
	conf.BufferProp("socket.send.buffer.bytes", "broker listener socket send buffer, with the peer's receive buffer the window of responses and follower fetch data; cut to the hosts' net.core.wmem_max (hardware.wmem_max); -1: OS autotuning",
		func(c *BrokerConfig) *Bytes { return &c.SocketSendBuffer }),
	replicaSelectorProp(),
	conf.IntProp("num.io.threads", "request handler threads per broker",
		conf.AtLeast(1), func(c *BrokerConfig) *int { return &c.NumIOThreads }),
	conf.IntProp("num.network.threads", "network threads per broker",
		conf.AtLeast(1), func(c *BrokerConfig) *int { return &c.NumNetworkThreads }),
	conf.IntProp("min.insync.replicas", "default for topics: ISR size below which acks=all writes fail",
		conf.AtLeast(1), func(c *BrokerConfig) *int { return &c.MinInsyncReplicas }),
	conf.BoolProp("unclean.leader.election.enable", "default for topics: elect an out-of-sync replica when no ISR member is left",
		func(c *BrokerConfig) *bool { return &c.UncleanLeaderElectionEnable }),
	conf.MsProp("broker.heartbeat.interval.ms", "period of broker heartbeats to the active controller",
		conf.Range{Min: 1, Max: 1<<31 - 1}, func(c *BrokerConfig) *time.Duration { return &c.BrokerHeartbeatInterval }),
	conf.MsProp("broker.session.timeout.ms", "a broker without a heartbeat for this long is fenced",
		conf.Range{Min: 1, Max: 1<<31 - 1}, func(c *BrokerConfig) *time.Duration { return &c.BrokerSessionTimeout }),
	conf.BoolProp("auto.leader.rebalance.enable", "periodically move leadership back to preferred replicas",
		func(c *BrokerConfig) *bool { return &c.AutoLeaderRebalanceEnable }),
	conf.SecondsProp("leader.imbalance.check.interval.seconds", "period of the preferred-leader rebalance check, in seconds",
		conf.AtLeastLong(1), func(c *BrokerConfig) *time.Duration { return &c.LeaderImbalanceCheckInterval }),
}, append(brokerFlushProps(), metadataLogProps(func(c *BrokerConfig) *MetadataLogConfig { return &c.MetadataLog })...)...), map[string]conf.Unmodelled{
	"replica.high.watermark.checkpoint.interval.ms": {Simulated: "5000"},
	"leader.imbalance.per.broker.percentage":        {Simulated: "10", Why: "the KRaft controller ignores it"},
	"compression.type":                              {Simulated: "producer"},
	"default.replication.factor":                    {Why: "give topics[].replication.factor"},
	"num.partitions":                                {Why: "give topics[].partitions"},
	"broker.rack":                                   {Why: "racks come from sites[].racks, default the site name"},
	"node.id":                                       {Why: "ids are assigned site by site from the sites list"},
	"broker.id":                                     {Why: "ids are assigned site by site from the sites list"},
	"process.roles":                                 {Why: "brokers and controllers are dedicated nodes, counted per site"},
	"controller.quorum.voters":                      {Why: "the voters are the controllers of the sites list"},
	"zookeeper.connect":                             {Why: "stretchsim models KRaft only"},
	"eligible.leader.replicas.enable":               {Why: "it is a controller property: put it under controller"},
})

func replicaSelectorProp() conf.Property[BrokerConfig] {
	return conf.Property[BrokerConfig]{
		Name: "replica.selector.class",
		Doc:  "RackAwareReplicaSelector lets consumers with client.rack fetch from a replica in their rack (KIP-392); null: leader only",
		Get: func(c *BrokerConfig) string {
			if c.ReplicaSelectorClass == "" {
				return "null"
			}
			return rackAwareSelectorFQCN
		},
		Set: func(c *BrokerConfig, s string) error {
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
		Check: func(c *BrokerConfig) error {
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
func (c *BrokerConfig) Set(key, value string) error { return brokerProps.Set(c, key, value) }

// Properties documents the broker properties Set accepts, with Kafka's defaults.
func (BrokerConfig) Properties() []conf.PropertyDoc { return brokerProps.Docs(DefaultBrokerConfig()) }

// Validate reports every problem of c at once: values out of range and Kafka's rules between
// properties (KafkaConfig.validateValues): replica.fetch.wait.max.ms must not exceed
// replica.lag.time.max.ms nor replica.socket.timeout.ms.
func (c BrokerConfig) Validate() error {
	errs := brokerProps.Check(&c)
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
