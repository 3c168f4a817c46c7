package model

import (
	"math"
	"time"

	"github.com/stretchsim/stretchsim/model/conf"
	"github.com/stretchsim/stretchsim/model/kraft"
)

// MetadataLogConfig holds the properties of one node's KRaft metadata log (kraft.MetadataLogConfig).
type MetadataLogConfig = kraft.MetadataLogConfig

// metadataLogSegmentMinBytes is metadata.log.segment.min.bytes (8 MiB, an internal property "for
// testing only"): KafkaMetadataLog refuses a metadata.log.segment.bytes below it.
const metadataLogSegmentMinBytes = 8 * MiB

// DefaultMetadataLogConfig returns Kafka's defaults (KRaftConfigs, LogConfig).
func DefaultMetadataLogConfig() MetadataLogConfig { return kraft.DefaultMetadataLogConfig() }

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
