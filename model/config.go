package model

import (
	"time"

	"github.com/stretchsim/stretchsim/model/kraft"
)

// BrokerConfig holds the broker properties the model uses, under Kafka's names (server.properties).
// Defaults are Kafka 4.x's (reference §2.9, §4.4); durations are kept as time.Duration and set
// from Kafka's *.ms values.
type BrokerConfig struct {
	ReplicaLagTimeMax            time.Duration // replica.lag.time.max.ms = 30000
	ReplicaFetchWaitMax          time.Duration // replica.fetch.wait.max.ms = 500
	ReplicaFetchMinBytes         Bytes         // replica.fetch.min.bytes = 1
	ReplicaFetchMaxBytes         Bytes         // replica.fetch.max.bytes = 1048576 (per partition, soft)
	ReplicaFetchResponseMaxBytes Bytes         // replica.fetch.response.max.bytes = 10485760 (soft)
	ReplicaFetchBackoff          time.Duration // replica.fetch.backoff.ms = 1000
	ReplicaSocketTimeout         time.Duration // replica.socket.timeout.ms = 30000
	NumReplicaFetchers           int           // num.replica.fetchers = 1
	ReplicaSocketReceiveBuffer   Bytes         // replica.socket.receive.buffer.bytes = 65536; -1: OS autotuning
	SocketReceiveBuffer          Bytes         // socket.receive.buffer.bytes = 102400; -1: OS autotuning
	SocketSendBuffer             Bytes         // socket.send.buffer.bytes = 102400; -1: OS autotuning
	ReplicaSelectorClass         string        // replica.selector.class = "" (leader only); or RackAwareReplicaSelector
	NumIOThreads                 int           // num.io.threads = 8
	NumNetworkThreads            int           // num.network.threads = 3
	MinInsyncReplicas            int           // min.insync.replicas = 1 (topic default)
	UncleanLeaderElectionEnable  bool          // unclean.leader.election.enable = false (topic default)
	BrokerHeartbeatInterval      time.Duration // broker.heartbeat.interval.ms = 2000
	BrokerSessionTimeout         time.Duration // broker.session.timeout.ms = 9000
	AutoLeaderRebalanceEnable    bool          // auto.leader.rebalance.enable = true
	LeaderImbalanceCheckInterval time.Duration // leader.imbalance.check.interval.seconds = 300
	// Log flushing (fsync by Kafka itself, disk.go). Kafka's defaults leave it to the OS:
	// Long.MAX_VALUE messages and milliseconds (ServerLogConfigs.java:83-96), kept as NeverFlush.
	LogFlushIntervalMessages  int64             // log.flush.interval.messages = Long.MAX_VALUE (topic default)
	LogFlushInterval          time.Duration     // log.flush.interval.ms = null: log.flush.scheduler.interval.ms (topic default); UnsetFlush: null
	LogFlushSchedulerInterval time.Duration     // log.flush.scheduler.interval.ms = Long.MAX_VALUE: the log flusher's period
	MetadataLog               MetadataLogConfig // the broker's copy of the metadata log: snapshots and retention
}

// NeverFlush is Kafka's Long.MAX_VALUE in a flush interval, message count aside: never.
const NeverFlush = time.Duration(1<<63 - 1)

// UnsetFlush is log.flush.interval.ms left at null: it then takes log.flush.scheduler.interval.ms.
const UnsetFlush = time.Duration(-1)

// DefaultBrokerConfig returns Kafka's broker defaults.
func DefaultBrokerConfig() BrokerConfig {
	return BrokerConfig{
		ReplicaLagTimeMax:            30 * time.Second,
		ReplicaFetchWaitMax:          500 * time.Millisecond,
		ReplicaFetchMinBytes:         1,
		ReplicaFetchMaxBytes:         1 << 20,
		ReplicaFetchResponseMaxBytes: 10 << 20,
		ReplicaFetchBackoff:          time.Second,
		ReplicaSocketTimeout:         30 * time.Second,
		NumReplicaFetchers:           1,
		ReplicaSocketReceiveBuffer:   65536,
		SocketReceiveBuffer:          102400,
		SocketSendBuffer:             102400,
		NumIOThreads:                 8,
		NumNetworkThreads:            3,
		MinInsyncReplicas:            1,
		BrokerHeartbeatInterval:      2 * time.Second,
		BrokerSessionTimeout:         9 * time.Second,
		AutoLeaderRebalanceEnable:    true,
		LeaderImbalanceCheckInterval: 300 * time.Second,
		LogFlushIntervalMessages:     1<<63 - 1,
		LogFlushInterval:             UnsetFlush,
		LogFlushSchedulerInterval:    NeverFlush,
		MetadataLog:                  DefaultMetadataLogConfig(),
	}
}

// FlushInterval returns the broker's default flush.ms: log.flush.interval.ms, or
// log.flush.scheduler.interval.ms when that is null (ServerLogConfigs LOG_FLUSH_INTERVAL_MS_DOC).
func (c BrokerConfig) FlushInterval() time.Duration {
	if c.LogFlushInterval == UnsetFlush {
		return c.LogFlushSchedulerInterval
	}
	return c.LogFlushInterval
}

// ControllerConfig holds the KRaft controller properties (reference §4.1, §3.4).
type ControllerConfig struct {
	kraft.QuorumConfig                              // controller.quorum.*: elections, fetches, requests, append linger
	MetadataMaxIdleInterval       time.Duration     // metadata.max.idle.interval.ms = 500
	EligibleLeaderReplicasEnable  bool              // eligible.leader.replicas.enable = false
	UncleanLeaderElectionInterval time.Duration     // unclean.leader.election.interval.ms = 300000
	MetadataLog                   MetadataLogConfig // the controller's copy of the metadata log: snapshots and retention
}

// DefaultControllerConfig returns Kafka's KRaft defaults.
func DefaultControllerConfig() ControllerConfig {
	return ControllerConfig{
		QuorumConfig:                  kraft.DefaultQuorumConfig(),
		MetadataMaxIdleInterval:       500 * time.Millisecond,
		UncleanLeaderElectionInterval: 5 * time.Minute,
		MetadataLog:                   DefaultMetadataLogConfig(),
	}
}

// TopicConfig holds the topic-level overrides (kafka-topics --config). A nil pointer inherits the
// broker default.
type TopicConfig struct {
	MinInsyncReplicas           *int               // min.insync.replicas
	UncleanLeaderElectionEnable *bool              // unclean.leader.election.enable
	FlushMessages               *int64             // flush.messages
	FlushInterval               *time.Duration     // flush.ms (NeverFlush: Long.MAX_VALUE)
	Compression                 TopicCompression   // compression.type = producer
	CompressionLevels           *CompressionLevels // compression.<codec>.level (KIP-390); nil: the defaults
}

// Acks is the producer acks setting: 0, 1 or -1 ("all").
type Acks int8

// Acks values.
const (
	AcksNone   Acks = 0
	AcksLeader Acks = 1
	AcksAll    Acks = -1
)

// String returns Kafka's spelling: "0", "1" or "all".
func (a Acks) String() string {
	switch a {
	case AcksNone:
		return "0"
	case AcksLeader:
		return "1"
	}
	return "all"
}

// ProducerConfig holds the producer properties (reference §5.1).
type ProducerConfig struct {
	Acks                  Acks          // acks = all
	EnableIdempotence     bool          // enable.idempotence = true (off if acks set to 0/1 without it)
	Linger                time.Duration // linger.ms = 5 (Kafka 4.0)
	BatchSize             Bytes         // batch.size = 16384
	BufferMemory          Bytes         // buffer.memory = 33554432
	MaxInFlight           int           // max.in.flight.requests.per.connection = 5
	MaxRequestSize        Bytes         // max.request.size = 1048576
	RequestTimeout        time.Duration // request.timeout.ms = 30000
	DeliveryTimeout       time.Duration // delivery.timeout.ms = 120000
	Retries               int           // retries = 2147483647
	RetryBackoff          time.Duration // retry.backoff.ms = 100
	RetryBackoffMax       time.Duration // retry.backoff.max.ms = 1000
	ReconnectBackoff      time.Duration // reconnect.backoff.ms = 50
	ReconnectBackoffMax   time.Duration // reconnect.backoff.max.ms = 1000
	MetadataMaxAge        time.Duration // metadata.max.age.ms = 300000
	MaxBlock              time.Duration // max.block.ms = 60000
	ReceiveBuffer         Bytes         // receive.buffer.bytes = 32768
	SendBuffer            Bytes         // send.buffer.bytes = 131072
	PartitionerIgnoreKeys bool          // partitioner.ignore.keys = false
	CompressionType       Codec         // compression.type = none
	// CompressionLevels are compression.gzip.level = -1, compression.lz4.level = 9 and
	// compression.zstd.level = 3 (KIP-390).
	CompressionLevels CompressionLevels
}

// DefaultProducerConfig returns Kafka 4.x's producer defaults.
func DefaultProducerConfig() ProducerConfig {
	return ProducerConfig{
		Acks: AcksAll, EnableIdempotence: true, Linger: 5 * time.Millisecond, BatchSize: 16384,
		BufferMemory: 32 << 20, MaxInFlight: 5, MaxRequestSize: 1 << 20,
		RequestTimeout: 30 * time.Second, DeliveryTimeout: 120 * time.Second, Retries: 1<<31 - 1,
		RetryBackoff: 100 * time.Millisecond, RetryBackoffMax: time.Second,
		ReconnectBackoff: 50 * time.Millisecond, ReconnectBackoffMax: time.Second,
		MetadataMaxAge: 5 * time.Minute, MaxBlock: time.Minute, ReceiveBuffer: 32768, SendBuffer: 131072,
		CompressionLevels: DefaultCompressionLevels(),
	}
}

// ConsumerConfig holds the consumer properties (reference §5.3).
type ConsumerConfig struct {
	ClientRack             string        // client.rack = ""
	FetchMinBytes          Bytes         // fetch.min.bytes = 1
	FetchMaxWait           time.Duration // fetch.max.wait.ms = 500
	FetchMaxBytes          Bytes         // fetch.max.bytes = 52428800
	MaxPartitionFetchBytes Bytes         // max.partition.fetch.bytes = 1048576
	ReceiveBuffer          Bytes         // receive.buffer.bytes = 65536
	SendBuffer             Bytes         // send.buffer.bytes = 131072
	RequestTimeout         time.Duration // request.timeout.ms = 30000
	RetryBackoff           time.Duration // retry.backoff.ms = 100 (metadata refreshes)
	ReconnectBackoff       time.Duration // reconnect.backoff.ms = 50
	ReconnectBackoffMax    time.Duration // reconnect.backoff.max.ms = 1000
	MetadataMaxAge         time.Duration // metadata.max.age.ms = 300000
	// GroupID is the consumer group whose committed offsets the consumer resumes from and commits
	// to (group.id = null; "" stands for it, and a scenario's consumer then uses its own name).
	GroupID            string
	EnableAutoCommit   bool          // enable.auto.commit = true
	AutoCommitInterval time.Duration // auto.commit.interval.ms = 5000
	AutoOffsetReset    OffsetReset   // auto.offset.reset = latest
}

// OffsetReset is auto.offset.reset: where a consumer starts reading a partition its group has no
// committed offset for (SubscriptionState, OffsetResetStrategy).
type OffsetReset uint8

// The auto.offset.reset strategies.
const (
	OffsetResetLatest   OffsetReset = iota // "latest": the partition's high watermark at the consumer's start
	OffsetResetEarliest                    // "earliest": the log start offset (0: the model keeps every log whole)
	OffsetResetNone                        // "none": no position; KafkaConsumer.poll throws NoOffsetForPartitionException
)

var offsetResetNames = []string{OffsetResetLatest: "latest", OffsetResetEarliest: "earliest", OffsetResetNone: "none"}

// String returns Kafka's spelling: "latest", "earliest" or "none".
func (r OffsetReset) String() string {
	if int(r) < len(offsetResetNames) {
		return offsetResetNames[r]
	}
	return "unknown"
}

// DefaultConsumerConfig returns Kafka's consumer defaults.
func DefaultConsumerConfig() ConsumerConfig {
	return ConsumerConfig{
		FetchMinBytes: 1, FetchMaxWait: 500 * time.Millisecond, FetchMaxBytes: 50 << 20,
		MaxPartitionFetchBytes: 1 << 20, ReceiveBuffer: 65536, SendBuffer: 131072, RequestTimeout: 30 * time.Second,
		RetryBackoff: 100 * time.Millisecond, ReconnectBackoff: 50 * time.Millisecond, ReconnectBackoffMax: time.Second,
		MetadataMaxAge: 5 * time.Minute, EnableAutoCommit: true, AutoCommitInterval: 5 * time.Second,
		AutoOffsetReset: OffsetResetLatest,
	}
}
