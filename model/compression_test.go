package model

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/sim"
)

// TestUpdateEstimationFollowsKafka checks CompressionRatioEstimator.updateEstimation: a batch
// that compresses better moves the estimate down by at most 0.005, one that compresses worse
// moves it up by at least 0.05 (CompressionRatioEstimatorTest's cases).
func TestUpdateEstimationFollowsKafka(t *testing.T) {
	assert.Equal(t, float32(0.995), updateEstimation(1, 0.4))
	assert.Equal(t, float32(0.4), updateEstimation(0.402, 0.4))
	assert.Equal(t, float32(0.4)+float32(0.05), updateEstimation(0.4, 0.41)) // Java float arithmetic too
	assert.Equal(t, float32(0.9), updateEstimation(0.4, 0.9))
	assert.Equal(t, float32(0.5), updateEstimation(0.5, 0.5))
}

// TestDefaultCodecRates checks the documented defaults: Kafka's default levels pick lz4's fast
// compressor, zstd level 3 and zlib level 6; other levels pick their own lzbench row.
func TestDefaultCodecRates(t *testing.T) {
	d := DefaultCompressionLevels()
	assert.Equal(t, CodecRates{577e6, 3716e6}, DefaultCodecRates(CodecLZ4, d.LZ4))
	assert.Equal(t, CodecRates{250e6, 1210e6}, DefaultCodecRates(CodecZstd, d.Zstd))
	assert.Equal(t, CodecRates{25.3e6, 344e6}, DefaultCodecRates(CodecGzip, d.Gzip))
	assert.Equal(t, CodecRates{401e6, 1077e6}, DefaultCodecRates(CodecSnappy, 0))
	assert.Equal(t, CodecRates{21.4e6, 3604e6}, DefaultCodecRates(CodecLZ4, 10)) // LZ4HC level 10
	assert.Equal(t, CodecRates{10.5e6, 3622e6}, DefaultCodecRates(CodecLZ4, 17)) // clamped to LZ4HC_CLEVEL_MAX
	assert.Equal(t, CodecRates{573e6, 1948e6}, DefaultCodecRates(CodecZstd, -100))
	hw := DefaultHardware()
	hw.Codecs[CodecZstd].Compress = 100e6
	assert.Equal(t, CodecRates{100e6, 1210e6}, hw.codecRates(CodecZstd, 3))
}

// compressionSpec is three sites 2 ms apart, RF 3 with one replica per site, a producer in
// site a writing 10 MB/s of 1 KiB records, and a consumer in site b.
func compressionSpec(codec Codec, ratio float64, tweak func(*ClusterSpec)) ClusterSpec {
	spec := baseSpec(siteSpecs(3, 1), 2*time.Millisecond)
	spec.Topics = []TopicSpec{{Name: "t", Partitions: 6, ReplicationFactor: 3, Config: TopicConfig{MinInsyncReplicas: intp(2)}}}
	spec = withProducer(spec, 0, arrivalsAt(10e6, 1024), func(c *ProducerConfig) {
		c.CompressionType = codec
		c.Linger = 20 * time.Millisecond
	})
	for k := range spec.Producers[0].CompressionRatio {
		spec.Producers[0].CompressionRatio[k] = ratio
	}
	spec.Consumers = []ConsumerSpec{{Name: "c", Site: 1, Topic: "t", Config: DefaultConsumerConfig()}}
	if tweak != nil {
		tweak(&spec)
	}
	return spec
}

// replicationIn sums the followers' fetched bytes over the brokers.
func replicationIn(c *Cluster) int64 {
	var n int64
	for _, b := range c.Brokers() {
		n += b.Metrics().ReplicationBytesIn
	}
	return n
}

// TestCompressionShrinksReplicationByTheRatio checks the first-principles bound: with ratio r,
// the bytes followers fetch (all cross-site here) are r times those without compression, plus
// the uncompressed RecordBatch headers, while the records delivered are the same.
func TestCompressionShrinksReplicationByTheRatio(t *testing.T) {
	const d = 10 * time.Second
	_, plain := run(t, compressionSpec(CodecNone, 0, nil), d)
	ls, lz4 := run(t, compressionSpec(CodecLZ4, 0.4, nil), d)
	got := float64(replicationIn(lz4)) / float64(replicationIn(plain))
	t.Logf("replication bytes, lz4 at 0.4 over uncompressed: %.4f", got)
	assert.GreaterOrEqual(t, got, 0.4, "never below the ratio: headers are not compressed")
	assert.Less(t, got, 0.42, "headers add 61 bytes to batches of tens of kilobytes")
	pm, lm := plain.Producers()[0].Metrics(), lz4.Producers()[0].Metrics()
	assert.InDelta(t, float64(pm.AckedBytes), float64(lm.AckedBytes), 0.01*float64(pm.AckedBytes))
	assert.InDelta(t, 0.4, float64(lm.AckedWireBytes)/float64(lm.AckedBytes), 0.01)
	cm := lz4.Consumers()[0].Metrics()
	assert.InDelta(t, 0.4, float64(cm.WireBytes)/float64(cm.Bytes), 0.01, "the consumer fetches compressed batches")
	// The estimate follows the actual ratios, header included: down 0.005 per better batch, up
	// at least 0.05 after a worse one (a small batch drained by linger.ms, whose header weighs
	// more), so it stays a little above the records' ratio.
	est := lz4.Producers()[0].ratioEst
	assert.GreaterOrEqual(t, est, float32(0.4))
	assert.Less(t, est, float32(0.5))
	// Every acknowledged record went once through lz4 at 577 MB/s (the batches still queued at
	// the end add a little).
	cpu := lz4.Producers()[0].CompressCPU(ls.Now())
	assert.InDelta(t, float64(lm.AckedBytes)/577e6, cpu.Seconds(), 0.02*float64(lm.AckedBytes)/577e6)
}

// TestCompressedBatchesHoldMoreRecords checks MemoryRecordsBuilder's fullness rule: with a ratio
// estimate of 0.4, a full batch holds about 16384 / (0.4 × 1.05) ≈ 39 KB of records, not 16 KB.
func TestCompressedBatchesHoldMoreRecords(t *testing.T) {
	p := &Producer{cfg: &ProducerConfig{BatchSize: 16384}, codec: CodecLZ4, ratioEst: 0.4}
	bytes := Bytes(recordBatchOverhead)
	for p.hasRoom(bytes, 0.4, 1024) {
		bytes += 1024
	}
	// Room while 61 + int(records × 0.4 × 1.05) + 1024 <= 16384: 36 records of 1 KiB.
	assert.Equal(t, Bytes(recordBatchOverhead+36*1024), bytes)
	p.codec = CodecNone
	bytes = recordBatchOverhead
	for p.hasRoom(bytes, 1, 1024) {
		bytes += 1024
	}
	assert.Equal(t, Bytes(recordBatchOverhead+15*1024), bytes)
}

// TestWindowBoundFetcherCarriesMoreRecords checks that a fetcher bound by its TCP window
// carries 1/r times the record bytes when batches are compressed at ratio r: the consumer in a
// site 50 ms away with a 64 KiB receive buffer reads about window/RTT of wire bytes.
func TestWindowBoundFetcherCarriesMoreRecords(t *testing.T) {
	tweak := func(s *ClusterSpec) {
		far := LinkSpec{RTT: Constant(50 * time.Millisecond), HasRTT: true}
		s.Network.Links = []PairLinkSpec{{A: 0, B: 2, LinkSpec: far}, {A: 1, B: 2, LinkSpec: far}}
		// Leaders in site a, followers in site b: the high watermark keeps up, so the consumer in
		// site c, 50 ms away, is bound by its 64 KiB window alone. Its responses are whole
		// batches, up to max.partition.fetch.bytes per partition: about 4 MB, 3 s each; which
		// responses end inside the run moves a run's rate by a few percent.
		s.Topics[0].ReplicationFactor = 2
		s.Topics[0].Assignment = [][]BrokerID{{1, 2}, {1, 2}, {1, 2}, {1, 2}, {1, 2}, {1, 2}}
		s.Consumers[0].Site = 2
		s.Consumers[0].Config.ReceiveBuffer = 64 << 10
	}
	const d = 60 * time.Second
	_, plain := run(t, compressionSpec(CodecNone, 0, tweak), d)
	_, half := run(t, compressionSpec(CodecZstd, 0.5, tweak), d)
	pm, hm := plain.Consumers()[0].Metrics(), half.Consumers()[0].Metrics()
	// The window bound: at most one 64 KiB window per 50 ms round trip on the wire, minus the
	// rounds a response's request takes. Compressed or not, the fetcher runs at that bound in
	// wire bytes, and carries 1/ratio as many record bytes.
	bound := float64(64<<10) / 0.050
	t.Logf("window bound %.2f MB/s; wire %.2f and %.2f MB/s; records %.2f and %.2f MB/s",
		bound/1e6, float64(pm.WireBytes)/d.Seconds()/1e6, float64(hm.WireBytes)/d.Seconds()/1e6,
		float64(pm.Bytes)/d.Seconds()/1e6, float64(hm.Bytes)/d.Seconds()/1e6)
	for _, m := range []*ConsumerMetrics{pm, hm} {
		wire := float64(m.WireBytes) / d.Seconds()
		assert.LessOrEqual(t, wire, bound)
		assert.Greater(t, wire, 0.85*bound, "window-bound, not bound by what was produced")
	}
	assert.InDelta(t, 2, float64(hm.Bytes)/float64(hm.WireBytes), 0.02, "twice the record bytes per wire byte")
	assert.Greater(t, float64(hm.Bytes)/float64(pm.Bytes), 1.75, "about twice the records through the same window")
}

// TestProducerCompressionBoundsThroughput checks the producer's cores as a bound. A batch's
// compression stream compresses each full chunk (16 KiB for gzip) on the thread appending records
// and the rest on the sender thread when the batch closes. With batches of under a chunk of
// records (batch.size 4 KiB at ratio 0.3: about 12 KB), all of it falls to the sender thread:
// compressing at 4 MB/s, a producer offered 10 MB/s acknowledges no more than 4 MB/s. At the
// default batch.size (16 KiB, about 48 KB of records) two full chunks fall to the appending
// thread and the last third to the sender thread: together at most 6 MB/s.
func TestProducerCompressionBoundsThroughput(t *testing.T) {
	const d = 10 * time.Second
	slow := func(batch Bytes) func(s *ClusterSpec) {
		return func(s *ClusterSpec) {
			s.Hardware.Codecs[CodecGzip].Compress = 4e6
			s.Producers[0].Config.BatchSize = batch
		}
	}
	_, c := run(t, compressionSpec(CodecGzip, 0.3, slow(4096)), d)
	m := c.Producers()[0].Metrics()
	rate := float64(m.AckedBytes) / d.Seconds()
	t.Logf("acknowledged %.3f MB/s, batches under a chunk, compressing at 4 MB/s", rate/1e6)
	assert.Less(t, rate, 4.05e6)
	assert.Greater(t, rate, 3.5e6, "the sender thread compresses back to back")

	_, c = run(t, compressionSpec(CodecGzip, 0.3, slow(16384)), d)
	m = c.Producers()[0].Metrics()
	rate = float64(m.AckedBytes) / d.Seconds()
	t.Logf("acknowledged %.3f MB/s, batches of three chunks, compressing at 4 MB/s", rate/1e6)
	assert.Greater(t, rate, 4.05e6, "the application's thread compresses the full chunks")
	assert.Less(t, rate, 6.05e6)
}

// TestConsumerDecompressionBoundsThroughput checks the consumer's core as a bound, and that
// end-to-end latency includes the wait for it.
func TestConsumerDecompressionBoundsThroughput(t *testing.T) {
	s := sim.New(1)
	c, err := NewCluster(s, compressionSpec(CodecLZ4, 0.5, func(s *ClusterSpec) { s.Hardware.Codecs[CodecLZ4].Decompress = 5e6 }))
	require.NoError(t, err)
	// Records count when fetched, which runs ahead of the core by at most a response per
	// broker: the rate over a window in steady state is the core's.
	s.RunUntil(sim.Time(10 * time.Second))
	before := c.Consumers()[0].Metrics().Bytes
	s.RunUntil(sim.Time(20 * time.Second))
	require.Empty(t, c.CheckInvariants(s.Now()))
	m := c.Consumers()[0].Metrics()
	rate := float64(m.Bytes-before) / 10
	t.Logf("consumed %.3f MB/s with the consumer's core decompressing at 5 MB/s", rate/1e6)
	assert.Less(t, rate, 5.1e6)
	assert.Greater(t, rate, 4.5e6, "the core decompresses back to back")
	assert.Greater(t, ms(int64(m.EndToEnd.ValueAtQuantile(50))), 1000.0, "a backlog builds up behind the consumer's core")
}

// TestLeaderRecompresses checks LogValidator: a topic whose compression.type is not the
// producer's makes the leader decompress and recompress (request-thread time), and the log,
// hence replication, holds the topic's codec at the records' ratio for it.
func TestLeaderRecompresses(t *testing.T) {
	const d = 10 * time.Second
	spec := compressionSpec(CodecLZ4, 0, func(s *ClusterSpec) {
		s.Producers[0].CompressionRatio[CodecLZ4] = 0.5
		s.Producers[0].CompressionRatio[CodecZstd] = 0.3
		s.Topics[0].Config.Compression = TopicCompression{Fixed: true, Codec: CodecZstd}
	})
	_, c := run(t, spec, d)
	m := c.Producers()[0].Metrics()
	assert.InDelta(t, 0.5, float64(m.AckedWireBytes)/float64(m.AckedBytes), 0.01, "the producer sends lz4")
	cm := c.Consumers()[0].Metrics()
	assert.InDelta(t, 0.3, float64(cm.WireBytes)/float64(cm.Bytes), 0.01, "the log holds zstd")

	req := &produceRequest{batches: []batchData{{partition: c.Partitions()[0], bytes: 1e6 + recordBatchOverhead, codec: CodecLZ4, level: DefaultLZ4Level}}}
	pb := &req.batches[0]
	b := c.Brokers()[0]
	start := sim.Time(time.Hour)
	lz4zstd := cpuFor(1e6, 3716e6) + cpuFor(1e6, 250e6)
	assert.Equal(t, start.Add(lz4zstd), b.validate(req, start), "lz4 decompressed, zstd level 3 compressed")
	assert.Equal(t, start.Add(2*lz4zstd), b.validate(req, start), "a second request for the partition waits for its log's lock")
	c.Partitions()[0].recompress = nil
	b.logLock = nil
	assert.Equal(t, start.Add(cpuFor(1e6, 3716e6)), b.validate(req, start), "same codec: decompressed to validate, stored as is")
	pb.codec = CodecNone
	assert.Equal(t, start, b.validate(req, start), "uncompressed in, uncompressed out: in place")
}

// TestMissingRatioIsAnError checks that nothing assumes a ratio.
func TestMissingRatioIsAnError(t *testing.T) {
	_, err := NewCluster(sim.New(1), compressionSpec(CodecLZ4, 0, nil))
	require.ErrorContains(t, err, "no compression ratio for lz4")
	spec := compressionSpec(CodecLZ4, 0, func(s *ClusterSpec) {
		s.Producers[0].CompressionRatio[CodecLZ4] = 0.5
		s.Topics[0].Config.Compression = TopicCompression{Fixed: true, Codec: CodecGzip}
	})
	_, err = NewCluster(sim.New(1), spec)
	require.ErrorContains(t, err, "no compression ratio for gzip (topic t recompresses to it)")
}

// TestAcksZeroCompletesWhenWritten checks that an acks=0 batch counts as done when its request
// leaves, after its compression, not when the sender drained it: compressing at 4 MB/s instead of
// without limit adds about a batch's compression (some 12 KB of records, 3 ms) to the latency.
func TestAcksZeroCompletesWhenWritten(t *testing.T) {
	p50 := func(rate ByteRate) float64 {
		spec := compressionSpec(CodecGzip, 0.3, func(s *ClusterSpec) {
			s.Hardware.Codecs[CodecGzip].Compress = rate
			s.Producers[0].Config.BatchSize = 4096
			s.Producers[0].Config.Acks = AcksNone
			s.Producers[0].Config.EnableIdempotence = false
			s.Producers[0].Arrivals = arrivalsAt(1e6, 1024) // the core keeps up
		})
		_, c := run(t, spec, 5*time.Second)
		m := c.Producers()[0].Metrics()
		require.Positive(t, m.AckedRecords)
		return ms(int64(m.Latency.ValueAtQuantile(50)))
	}
	fast, slow := p50(ByteRate(math.Inf(1))), p50(4e6)
	t.Logf("acks=0 latency p50: %.2f ms compressing without limit, %.2f ms at 4 MB/s", fast, slow)
	assert.InDelta(t, 3, slow-fast, 1.5)
}

// TestCompressCPUIsCountedWhenTheCoreRuns checks that the producer's compression time counts in
// the window where its core is busy, not where the work was queued: with a 10 ms warm-up and a
// core compressing 1 MB/s, a 16 KiB gzip chunk queued at 5 ms runs over [5, 21.384) ms and counts
// from 10 ms only; a second one queued at 12 ms runs after it, over [21.384, 37.768) ms, and
// counts only up to the time asked for. The sender thread's last chunk (1000 bytes, 1 ms) adds
// its own core's time.
func TestCompressCPUIsCountedWhenTheCoreRuns(t *testing.T) {
	const ms = sim.Time(time.Millisecond)
	p := &Producer{cfg: &ProducerConfig{CompressionLevels: DefaultCompressionLevels()}, cluster: &Cluster{warmup: 10 * ms},
		codec: CodecGzip, rates: CodecRates{Compress: 1e6}, ratios: &CompressionRatios{CodecGzip: 0.5}, ratioEst: 1}
	chunk := codecChunk[CodecGzip]
	p.appended(&producerBatch{bytes: recordBatchOverhead + chunk}, 5*ms)
	assert.Equal(t, 5*time.Millisecond, p.CompressCPU(15*ms), "the part after the warm-up")
	p.appended(&producerBatch{bytes: recordBatchOverhead + chunk}, 12*ms)
	assert.Equal(t, 20*time.Millisecond, p.CompressCPU(30*ms), "busy from the warm-up to now, no more")
	assert.Equal(t, 27768*time.Microsecond, p.CompressCPU(40*ms), "both chunks done by 37.768 ms")
	b := &producerBatch{bytes: recordBatchOverhead + 1000}
	p.close(b, 40*ms)
	assert.Equal(t, 41*ms, b.readyAt)
	assert.Equal(t, 28268*time.Microsecond, p.CompressCPU(40500*sim.Time(time.Microsecond)), "half the sender thread's flush")
}

// TestDecompressCPUIsCountedWhenTheCoreRuns checks the consumer's core the same way, and that it
// decompresses a batch at the speed of the level its records were compressed at (gzip level 1
// decompresses at 323 MB/s, level 6 at 344 MB/s): the batch carries its level to the consumer.
func TestDecompressCPUIsCountedWhenTheCoreRuns(t *testing.T) {
	const ms = sim.Time(time.Millisecond)
	c := &Consumer{cluster: &Cluster{warmup: 10 * ms, spec: &ClusterSpec{}}}
	b := batchRef{codec: CodecGzip, level: 1, raw: recordBatchOverhead + 3_230_000} // 10 ms at 323 MB/s
	assert.Equal(t, 15*ms, c.decompress(5*ms, b))
	assert.Equal(t, 5*time.Millisecond, c.DecompressCPU(20*ms))
	assert.Equal(t, 25*ms, c.decompress(12*ms, b), "behind the first batch")
	assert.Equal(t, 8*time.Millisecond, c.DecompressCPU(18*ms))
	assert.Equal(t, 15*time.Millisecond, c.DecompressCPU(30*ms))
	b.level = DefaultGzipLevel
	assert.Equal(t, 30*ms+sim.Time(cpuFor(3_230_000, 344e6)), c.decompress(30*ms, b), "level 6")
}

// TestLogCarriesTheLevel checks that a batch keeps, in the leader's log and in a follower's
// copied from it, the level its records are compressed at: the producer's when the topic keeps
// the producer's codec, the topic's when the leader recompresses (LogValidator), none when it
// stores them uncompressed.
func TestLogCarriesTheLevel(t *testing.T) {
	part := &Partition{topicState: &topicState{}}
	pb := &batchData{partition: part, codec: CodecZstd, level: 19}
	for _, c := range []struct {
		topic *topicCodec
		codec Codec
		level int32
	}{
		{nil, CodecZstd, 19},
		{&topicCodec{TopicCompression{Fixed: true, Codec: CodecZstd}, 5}, CodecZstd, 19}, // same codec: kept as is
		{&topicCodec{TopicCompression{Fixed: true, Codec: CodecGzip}, 1}, CodecGzip, 1},
		{&topicCodec{TopicCompression{Fixed: true, Codec: CodecNone}, 0}, CodecNone, 0},
	} {
		part.recompress = c.topic
		codec, level := storedCoding(pb)
		assert.Equal(t, c.codec, codec)
		assert.Equal(t, c.level, level)
	}
	var leader, follower replicaLog
	leader.appendCoded(10, 500, 1000, CodecZstd, 19, 1, 0, 0)
	follower.appendBatches(leader.batches, 0)
	assert.Equal(t, int32(19), follower.batches[0].level)
}
