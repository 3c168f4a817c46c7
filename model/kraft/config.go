package kraft

import (
	"time"

	"github.com/stretchsim/stretchsim/model/units"
)

// QuorumConfig holds the KRaft quorum properties of a controller (Kafka's QuorumConfig,
// reference §4.1). The voters (controller.quorum.voters) are the controllers of the cluster.
type QuorumConfig struct {
	ElectionTimeout    time.Duration // controller.quorum.election.timeout.ms = 1000
	FetchTimeout       time.Duration // controller.quorum.fetch.timeout.ms = 2000
	ElectionBackoffMax time.Duration // controller.quorum.election.backoff.max.ms = 1000
	RequestTimeout     time.Duration // controller.quorum.request.timeout.ms = 2000
	RetryBackoff       time.Duration // controller.quorum.retry.backoff.ms = 20
	AppendLinger       time.Duration // controller.quorum.append.linger.ms = 25
}

// DefaultQuorumConfig returns Kafka's defaults (QuorumConfig).
func DefaultQuorumConfig() QuorumConfig {
	return QuorumConfig{
		ElectionTimeout:    time.Second,
		FetchTimeout:       2 * time.Second,
		ElectionBackoffMax: time.Second,
		RequestTimeout:     2 * time.Second,
		RetryBackoff:       20 * time.Millisecond,
		AppendLinger:       25 * time.Millisecond,
	}
}

// MetadataLogConfig holds the properties of one node's KRaft metadata log (KRaftConfigs,
// KafkaMetadataLog): when the node writes a snapshot of its metadata image and how long the log
// and its snapshots are kept. Every node — controller or broker — has its own copy of the log,
// generates its own snapshots and cleans its own log.
type MetadataLogConfig struct {
	// SnapshotMaxNewRecordBytes: a snapshot is generated once this many bytes of committed records
	// were applied since the last one (metadata.log.max.record.bytes.between.snapshots = 20 MiB).
	SnapshotMaxNewRecordBytes units.Bytes
	// SnapshotMaxInterval: a snapshot is generated once this long has passed since the last one,
	// if records were committed since (metadata.log.max.snapshot.interval.ms = 1 h); 0 turns the
	// time trigger off.
	SnapshotMaxInterval time.Duration
	// SegmentBytes is the largest size of a log segment (metadata.log.segment.bytes = 1 GiB):
	// only whole segments below the log start offset are deleted.
	SegmentBytes units.Bytes
	// SegmentAge rolls a new segment once the active one is this old (metadata.log.segment.ms = 7 days).
	SegmentAge time.Duration
	// RetentionBytes: older snapshots (and the log before the next one) are deleted while the log
	// and the snapshots together are larger (metadata.max.retention.bytes = 100 MiB); negative: no limit.
	RetentionBytes units.Bytes
	// RetentionAge: a snapshot whose last record is older than this is deleted, with the log before
	// the next snapshot (metadata.max.retention.ms = 7 days); negative: no limit.
	RetentionAge time.Duration
}

// DefaultMetadataLogConfig returns Kafka's defaults (KRaftConfigs, LogConfig).
func DefaultMetadataLogConfig() MetadataLogConfig {
	return MetadataLogConfig{
		SnapshotMaxNewRecordBytes: 20 * units.MiB,
		SnapshotMaxInterval:       time.Hour,
		SegmentBytes:              1 << 30,
		SegmentAge:                7 * 24 * time.Hour,
		RetentionBytes:            100 * units.MiB,
		RetentionAge:              7 * 24 * time.Hour,
	}
}
