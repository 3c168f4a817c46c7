package model

import (
	"math"
	"time"

	"github.com/stretchsim/stretchsim/model/conf"
)

// MetadataLogConfig holds the properties of one node's KRaft metadata log (KRaftConfigs,
// KafkaMetadataLog): when the node writes a snapshot of its metadata image and how long the log
// and its snapshots are kept. Every node — controller or broker — has its own copy of the log,
// generates its own snapshots and cleans its own log.
type MetadataLogConfig struct {
	// SnapshotMaxNewRecordBytes: a snapshot is generated once this many bytes of committed records
	// were applied since the last one (metadata.log.max.record.bytes.between.snapshots = 20 MiB).
	SnapshotMaxNewRecordBytes Bytes
	// SnapshotMaxInterval: a snapshot is generated once this long has passed since the last one,
	// if records were committed since (metadata.log.max.snapshot.interval.ms = 1 h); 0 turns the
	// time trigger off.
	SnapshotMaxInterval time.Duration
	// SegmentBytes is the largest size of a log segment (metadata.log.segment.bytes = 1 GiB):
	// only whole segments below the log start offset are deleted.
	SegmentBytes Bytes
	// SegmentAge rolls a new segment once the active one is this old (metadata.log.segment.ms = 7 days).
	SegmentAge time.Duration
	// RetentionBytes: older snapshots (and the log before the next one) are deleted while the log
	// and the snapshots together are larger (metadata.max.retention.bytes = 100 MiB); negative: no limit.
	RetentionBytes Bytes
	// RetentionAge: a snapshot whose last record is older than this is deleted, with the log before
	// the next snapshot (metadata.max.retention.ms = 7 days); negative: no limit.
	RetentionAge time.Duration
}

// metadataLogSegmentMinBytes is metadata.log.segment.min.bytes (8 MiB, an internal property "for
// testing only"): KafkaMetadataLog refuses a metadata.log.segment.bytes below it.
const metadataLogSegmentMinBytes = 8 * MiB

// DefaultMetadataLogConfig returns Kafka's defaults (KRaftConfigs, LogConfig).
func DefaultMetadataLogConfig() MetadataLogConfig {
	return MetadataLogConfig{
		SnapshotMaxNewRecordBytes: 20 * MiB,
		SnapshotMaxInterval:       time.Hour,
		SegmentBytes:              1 << 30,
		SegmentAge:                7 * 24 * time.Hour,
		RetentionBytes:            100 * MiB,
		RetentionAge:              7 * 24 * time.Hour,
	}
}

// anyLong is a LONG property Kafka declares without a validator.
var anyLong = conf.Range{Min: math.MinInt64, Max: math.MaxInt64}

// metadataLogProps are the metadata log properties of a node's config C (controller or broker),
// with Kafka's validators (KRaftConfigs.CONFIG_DEF; segment bounds from KafkaMetadataLog.apply
// and LogConfig.validate).
func metadataLogProps[C any](f func(*C) *MetadataLogConfig) []conf.Property[C] {
	return []conf.Property[C]{
		conf.BytesProp("metadata.log.max.record.bytes.between.snapshots", "a node writes a metadata snapshot once this many bytes of committed records were applied since its last one",
			conf.AtLeastLong(1), func(c *C) *Bytes { return &f(c).SnapshotMaxNewRecordBytes }),
		conf.MsProp("metadata.log.max.snapshot.interval.ms", "a node writes a metadata snapshot once this long has passed since its last one, if records were committed since; 0: never by time",
			conf.AtLeastLong(0), func(c *C) *time.Duration { return &f(c).SnapshotMaxInterval }),
		conf.BytesProp("metadata.log.segment.bytes", "largest metadata log segment; only whole segments below the log start offset are deleted (at least metadata.log.segment.min.bytes, 8 MiB)",
			conf.Range{Min: int64(metadataLogSegmentMinBytes), Max: math.MaxInt32}, func(c *C) *Bytes { return &f(c).SegmentBytes }),
		conf.MsProp("metadata.log.segment.ms", "a new metadata log segment is rolled once the active one is this old",
			conf.AtLeastLong(1), func(c *C) *time.Duration { return &f(c).SegmentAge }),
		conf.BytesProp("metadata.max.retention.bytes", "older metadata snapshots and the log before the next one are deleted while log and snapshots exceed this; negative: no limit",
			anyLong, func(c *C) *Bytes { return &f(c).RetentionBytes }),
		conf.MsProp("metadata.max.retention.ms", "a metadata snapshot older than this is deleted with the log before the next one; negative: no limit",
			conf.Range{Min: -math.MaxInt64 / int64(time.Millisecond), Max: math.MaxInt64}, func(c *C) *time.Duration { return &f(c).RetentionAge }),
	}
}
