package model

import "github.com/stretchsim/stretchsim/model/conf"

// Compression properties (KIP-390 for the levels). A producer compresses each batch in
// compression.type at its level; a topic's compression.type other than "producer" makes the
// leader store batches in that codec at the topic's level (LogValidator recompresses).

// levelProps are compression.gzip.level, compression.lz4.level and compression.zstd.level for a
// config whose levels f returns.
func levelProps[C any](what string, f func(*C) *CompressionLevels) []conf.Property[C] {
	prop := func(name, codec string, check func(int64) error, field func(*CompressionLevels) *int) conf.Property[C] {
		return conf.NumProp(name, what+" level of "+codec+": sets the codec's default CPU speed (hardware.compression overrides it); the ratio stays the workload's compression_ratio",
			conf.UnitCount, check,
			func(c *C) int64 { return int64(*field(f(c))) },
			func(c *C, v int64) { *field(f(c)) = int(v) })
	}
	return []conf.Property[C]{
		prop("compression.gzip.level", "gzip", checkGzipLevel, func(l *CompressionLevels) *int { return &l.Gzip }),
		prop("compression.lz4.level", "lz4", checkLZ4Level, func(l *CompressionLevels) *int { return &l.LZ4 }),
		prop("compression.zstd.level", "zstd", checkZstdLevel, func(l *CompressionLevels) *int { return &l.Zstd }),
	}
}

// producerCompressionProps are the producer's compression.type and levels.
func producerCompressionProps() []conf.Property[ProducerConfig] {
	return append([]conf.Property[ProducerConfig]{{
		Name: "compression.type",
		Doc:  "codec of every batch (none, gzip, snappy, lz4, zstd): compressed when the sender closes it, on the producer's CPU; needs the producer's compression_ratio",
		Get:  func(c *ProducerConfig) string { return c.CompressionType.String() },
		Set: func(c *ProducerConfig, s string) error {
			codec, err := ParseCodec(s)
			if err == nil {
				c.CompressionType = codec
			}
			return err
		},
	}}, levelProps("producer", func(c *ProducerConfig) *CompressionLevels { return &c.CompressionLevels })...)
}

// topicCompressionProps are the topic's compression.type and levels.
func topicCompressionProps() []conf.Property[TopicConfig] {
	return append([]conf.Property[TopicConfig]{{
		Name: "compression.type",
		Doc:  "producer keeps each batch's codec; uncompressed, gzip, snappy, lz4 or zstd makes the leader store batches in that codec, recompressing on its request threads",
		Get:  func(c *TopicConfig) string { return c.Compression.String() },
		Set: func(c *TopicConfig, s string) error {
			t, err := ParseTopicCompression(s)
			if err == nil {
				c.Compression = t
			}
			return err
		},
	}}, levelProps("topic", func(c *TopicConfig) *CompressionLevels {
		if c.CompressionLevels == nil {
			l := DefaultCompressionLevels()
			c.CompressionLevels = &l
		}
		return c.CompressionLevels
	})...)
}
