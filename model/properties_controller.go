package model

import (
	"errors"
	"strconv"
	"time"

	"github.com/stretchsim/stretchsim/model/conf"
)

// Kafka declares most quorum timeouts without a validator; the model needs them positive
// (an election timeout of 0 would elect forever), so they are at least 1 ms.
var positiveMs = conf.Range{Min: 1, Max: 1<<31 - 1}

var controllerProps = conf.NewRegistry("controller", append([]conf.Property[ControllerConfig]{
	conf.MsProp("controller.quorum.election.timeout.ms", "base of a voter's randomized election timeout",
		positiveMs, func(c *ControllerConfig) *time.Duration { return &c.ElectionTimeout }),
	conf.MsProp("controller.quorum.fetch.timeout.ms", "a voter without a successful fetch from the leader for this long starts an election",
		positiveMs, func(c *ControllerConfig) *time.Duration { return &c.FetchTimeout }),
	conf.MsProp("controller.quorum.election.backoff.max.ms", "cap of the exponential backoff between elections",
		positiveMs, func(c *ControllerConfig) *time.Duration { return &c.ElectionBackoffMax }),
	conf.MsProp("controller.quorum.request.timeout.ms", "timeout of a KRaft request",
		positiveMs, func(c *ControllerConfig) *time.Duration { return &c.RequestTimeout }),
	conf.MsProp("controller.quorum.retry.backoff.ms", "wait before retrying a failed KRaft request",
		conf.AtLeast(0), func(c *ControllerConfig) *time.Duration { return &c.RetryBackoff }),
	conf.MsProp("controller.quorum.append.linger.ms", "the leader batches metadata records for up to this long",
		conf.AtLeast(0), func(c *ControllerConfig) *time.Duration { return &c.AppendLinger }),
	conf.MsProp("metadata.max.idle.interval.ms", "the active controller writes a NoOpRecord this often (KIP-835); 0: never",
		conf.AtLeast(0), func(c *ControllerConfig) *time.Duration { return &c.MetadataMaxIdleInterval }),
	conf.BoolProp("eligible.leader.replicas.enable", "Eligible Leader Replicas (KIP-966): elect a clean leader from the ELR when the ISR is empty",
		func(c *ControllerConfig) *bool { return &c.EligibleLeaderReplicasEnable }),
	conf.MsProp("unclean.leader.election.interval.ms", "period of the controller's unclean leader election task",
		conf.Range{Min: 1, Max: 1<<63 - 1}, func(c *ControllerConfig) *time.Duration { return &c.UncleanLeaderElectionInterval }),
}, metadataLogProps(func(c *ControllerConfig) *MetadataLogConfig { return &c.MetadataLog })...), map[string]conf.Unmodelled{
	"controller.quorum.voters":            {Why: "the voters are the controllers of the sites list"},
	"controller.quorum.bootstrap.servers": {Why: "the voters are the controllers of the sites list"},
	"node.id":                             {Why: "ids are assigned site by site from the sites list"},
	"process.roles":                       {Why: "brokers and controllers are dedicated nodes, counted per site"},
	"broker.session.timeout.ms":           {Why: "stretchsim keeps it with the broker settings: put it under broker"},
})

// Set sets one KRaft controller property from its Kafka name and text value (*.ms in
// milliseconds), checking its range. See BrokerConfig.Set.
func (c *ControllerConfig) Set(key, value string) error { return controllerProps.Set(c, key, value) }

// Properties documents the controller properties Set accepts, with Kafka's defaults.
func (ControllerConfig) Properties() []conf.PropertyDoc {
	return controllerProps.Docs(DefaultControllerConfig())
}

// Validate reports every value of c out of range, all at once.
func (c ControllerConfig) Validate() error { return errors.Join(controllerProps.Check(&c)...) }

var topicProps = conf.NewRegistry("topic", append([]conf.Property[TopicConfig]{
	conf.NumProp("min.insync.replicas", "ISR size below which acks=all writes fail with NOT_ENOUGH_REPLICAS",
		conf.UnitCount, conf.AtLeast(1).Check,
		func(c *TopicConfig) int64 {
			if c.MinInsyncReplicas == nil {
				return 1
			}
			return int64(*c.MinInsyncReplicas)
		},
		func(c *TopicConfig, v int64) { n := int(v); c.MinInsyncReplicas = &n }),
	{
		Name: "unclean.leader.election.enable",
		Doc:  "elect an out-of-sync replica when no ISR member is left, losing acknowledged data",
		Get: func(c *TopicConfig) string {
			return strconv.FormatBool(c.UncleanLeaderElectionEnable != nil && *c.UncleanLeaderElectionEnable)
		},
		Set: func(c *TopicConfig, s string) error {
			v, err := conf.ParseBool(s)
			if err == nil {
				c.UncleanLeaderElectionEnable = &v
			}
			return err
		},
	},
}, append(topicFlushProps(), topicCompressionProps()...)...), map[string]conf.Unmodelled{
	"cleanup.policy":    {Simulated: "delete"},
	"retention.ms":      {Why: "logs are never deleted during a run"},
	"retention.bytes":   {Why: "logs are never deleted during a run"},
	"segment.bytes":     {Why: "logs are not segmented"},
	"max.message.bytes": {Why: "record sizes come from the producers"},
})

// Set sets one topic-level override (kafka-topics --config) from its Kafka name and text value,
// checking its range. A property not set keeps inheriting the broker default.
func (c *TopicConfig) Set(key, value string) error { return topicProps.Set(c, key, value) }

// Properties documents the topic properties Set accepts, with Kafka's defaults.
func (TopicConfig) Properties() []conf.PropertyDoc { return topicProps.Docs(TopicConfig{}) }

// Validate reports every override of c out of range, all at once. Whether min.insync.replicas
// fits the replication factor is the scenario's to check.
func (c TopicConfig) Validate() error { return errors.Join(topicProps.Check(&c)...) }
