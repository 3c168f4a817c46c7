package model

import (
	"errors"
	"strconv"
	"time"
)

// Kafka declares most quorum timeouts without a validator; the model needs them positive
// (an election timeout of 0 would elect forever), so they are at least 1 ms.
var positiveMs = intRange{1, 1<<31 - 1}

var controllerProps = newRegistry("controller", append([]property[ControllerConfig]{
	msProp("controller.quorum.election.timeout.ms", "base of a voter's randomized election timeout",
		positiveMs, func(c *ControllerConfig) *time.Duration { return &c.ElectionTimeout }),
	msProp("controller.quorum.fetch.timeout.ms", "a voter without a successful fetch from the leader for this long starts an election",
		positiveMs, func(c *ControllerConfig) *time.Duration { return &c.FetchTimeout }),
	msProp("controller.quorum.election.backoff.max.ms", "cap of the exponential backoff between elections",
		positiveMs, func(c *ControllerConfig) *time.Duration { return &c.ElectionBackoffMax }),
	msProp("controller.quorum.request.timeout.ms", "timeout of a KRaft request",
		positiveMs, func(c *ControllerConfig) *time.Duration { return &c.RequestTimeout }),
	msProp("controller.quorum.retry.backoff.ms", "wait before retrying a failed KRaft request",
		atLeast(0), func(c *ControllerConfig) *time.Duration { return &c.RetryBackoff }),
	msProp("controller.quorum.append.linger.ms", "the leader batches metadata records for up to this long",
		atLeast(0), func(c *ControllerConfig) *time.Duration { return &c.AppendLinger }),
	msProp("metadata.max.idle.interval.ms", "the active controller writes a NoOpRecord this often (KIP-835); 0: never",
		atLeast(0), func(c *ControllerConfig) *time.Duration { return &c.MetadataMaxIdleInterval }),
	boolProp("eligible.leader.replicas.enable", "Eligible Leader Replicas (KIP-966): elect a clean leader from the ELR when the ISR is empty",
		func(c *ControllerConfig) *bool { return &c.EligibleLeaderReplicasEnable }),
	msProp("unclean.leader.election.interval.ms", "period of the controller's unclean leader election task",
		intRange{1, 1<<63 - 1}, func(c *ControllerConfig) *time.Duration { return &c.UncleanLeaderElectionInterval }),
}, metadataLogProps(func(c *ControllerConfig) *MetadataLogConfig { return &c.MetadataLog })...), map[string]unmodelled{
	"controller.quorum.voters":            {why: "the voters are the controllers of the sites list"},
	"controller.quorum.bootstrap.servers": {why: "the voters are the controllers of the sites list"},
	"node.id":                             {why: "ids are assigned site by site from the sites list"},
	"process.roles":                       {why: "brokers and controllers are dedicated nodes, counted per site"},
	"broker.session.timeout.ms":           {why: "stretchsim keeps it with the broker settings: put it under broker"},
})

// Set sets one KRaft controller property from its Kafka name and text value (*.ms in
// milliseconds), checking its range. See BrokerConfig.Set.
func (c *ControllerConfig) Set(key, value string) error { return controllerProps.set(c, key, value) }

// Properties documents the controller properties Set accepts, with Kafka's defaults.
func (ControllerConfig) Properties() []PropertyDoc {
	return controllerProps.docs(DefaultControllerConfig())
}

// Validate reports every value of c out of range, all at once.
func (c ControllerConfig) Validate() error { return errors.Join(controllerProps.check(&c)...) }

var topicProps = newRegistry("topic", append([]property[TopicConfig]{
	numProp("min.insync.replicas", "ISR size below which acks=all writes fail with NOT_ENOUGH_REPLICAS",
		unitCount, atLeast(1).check,
		func(c *TopicConfig) int64 {
			if c.MinInsyncReplicas == nil {
				return 1
			}
			return int64(*c.MinInsyncReplicas)
		},
		func(c *TopicConfig, v int64) { n := int(v); c.MinInsyncReplicas = &n }),
	{
		name: "unclean.leader.election.enable",
		doc:  "elect an out-of-sync replica when no ISR member is left, losing acknowledged data",
		get: func(c *TopicConfig) string {
			return strconv.FormatBool(c.UncleanLeaderElectionEnable != nil && *c.UncleanLeaderElectionEnable)
		},
		set: func(c *TopicConfig, s string) error {
			v, err := parseKafkaBool(s)
			if err == nil {
				c.UncleanLeaderElectionEnable = &v
			}
			return err
		},
	},
}, topicFlushProps()...), map[string]unmodelled{
	"compression.type":  {simulated: "producer"},
	"cleanup.policy":    {simulated: "delete"},
	"retention.ms":      {why: "logs are never deleted during a run"},
	"retention.bytes":   {why: "logs are never deleted during a run"},
	"segment.bytes":     {why: "logs are not segmented"},
	"max.message.bytes": {why: "record sizes come from the producers"},
})

// Set sets one topic-level override (kafka-topics --config) from its Kafka name and text value,
// checking its range. A property not set keeps inheriting the broker default.
func (c *TopicConfig) Set(key, value string) error { return topicProps.set(c, key, value) }

// Properties documents the topic properties Set accepts, with Kafka's defaults.
func (TopicConfig) Properties() []PropertyDoc { return topicProps.docs(TopicConfig{}) }

// Validate reports every override of c out of range, all at once. Whether min.insync.replicas
// fits the replication factor is the scenario's to check.
func (c TopicConfig) Validate() error { return errors.Join(topicProps.check(&c)...) }
