package model

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// Codec is a record batch compression codec: a producer's compression.type, a topic's, and the
// codec bits of a RecordBatch's attributes (CompressionType.java).
type Codec uint8

// The codecs, in Kafka's CompressionType id order.
const (
	CodecNone Codec = iota
	CodecGzip
	CodecSnappy
	CodecLZ4
	CodecZstd
	// NumCodecs is the number of codecs, none included.
	NumCodecs = 5
)

var codecNames = [NumCodecs]string{"none", "gzip", "snappy", "lz4", "zstd"}

// String returns Kafka's name of c: "none", "gzip", "snappy", "lz4" or "zstd".
func (c Codec) String() string {
	if int(c) < len(codecNames) {
		return codecNames[c]
	}
	return fmt.Sprintf("Codec(%d)", uint8(c))
}

// ParseCodec returns the codec Kafka names s (case-insensitive, as CompressionType.forName).
func ParseCodec(s string) (Codec, error) {
	for i, n := range codecNames {
		if strings.EqualFold(s, n) {
			return Codec(i), nil
		}
	}
	return 0, fmt.Errorf("compression.type %q: want one of none, gzip, snappy, lz4, zstd", s)
}

// Compression levels Kafka accepts (KIP-390; CompressionType.java): gzip 1..9 or -1 (zlib's
// Z_DEFAULT_COMPRESSION, level 6), lz4 1..17 (default 9), zstd -131072..22 (default 3).
const (
	DefaultGzipLevel = -1
	DefaultLZ4Level  = 9
	DefaultZstdLevel = 3
	minZstdLevel     = -131072
	maxZstdLevel     = 22
	maxLZ4Level      = 17
	maxGzipLevel     = 9
)

// CompressionLevels are the compression.<codec>.level settings of a producer or a topic.
type CompressionLevels struct {
	Gzip, LZ4, Zstd int
}

// DefaultCompressionLevels returns Kafka's defaults.
func DefaultCompressionLevels() CompressionLevels {
	return CompressionLevels{Gzip: DefaultGzipLevel, LZ4: DefaultLZ4Level, Zstd: DefaultZstdLevel}
}

// level returns the level l sets for codec c (0 for a codec without levels).
func (l CompressionLevels) level(c Codec) int {
	switch c {
	case CodecGzip:
		return l.Gzip
	case CodecLZ4:
		return l.LZ4
	case CodecZstd:
		return l.Zstd
	}
	return 0
}

// checkGzipLevel, checkLZ4Level and checkZstdLevel are CompressionType's levelValidators.
func checkGzipLevel(v int64) error {
	if v > maxGzipLevel || (v < 1 && v != DefaultGzipLevel) {
		return fmt.Errorf("must be between 1 and 9 or equal to -1, got %d", v)
	}
	return nil
}

func checkLZ4Level(v int64) error {
	if v < 1 || v > maxLZ4Level {
		return fmt.Errorf("must be between 1 and 17, got %d", v)
	}
	return nil
}

func checkZstdLevel(v int64) error {
	if v < minZstdLevel || v > maxZstdLevel {
		return fmt.Errorf("must be between -131072 and 22, got %d", v)
	}
	return nil
}

// CodecRates is the speed of one codec on one core: uncompressed bytes compressed, and
// uncompressed bytes produced by decompression, per second.
type CodecRates struct {
	Compress, Decompress ByteRate
}

// CompressionRatios is how compressible a producer's records are: for each codec, the compressed
// size of a batch's records over their uncompressed size, in (0, 1]; 0 means not given. The
// workload states it (scenario key compression_ratio); nothing assumes one.
type CompressionRatios [NumCodecs]float64

// The default codec speeds are lzbench 2.0 figures on the Silesia corpus, one thread of an AMD
// EPYC 9554 at 3.10 GHz with turbo off (github.com/inikep/lzbench README, "Benchmarks", for lz4,
// snappy and zlib; github.com/inikep/lizard README, same machine and options, for every level of
// zstd, lz4hc and zlib). Kafka's codecs are these C libraries (lz4-java, snappy-java and zstd-jni
// call them through JNI; gzip is java.util.zip over zlib). The rates are per uncompressed byte.
var (
	// zlib 1.3.1 levels 1..9; gzip's default -1 is zlib's Z_DEFAULT_COMPRESSION, level 6.
	gzipRates = [maxGzipLevel + 1]CodecRates{
		1: {93.0e6, 323e6}, 2: {83.4e6, 333e6}, 3: {60.3e6, 344e6}, 4: {58.4e6, 334e6}, 5: {39.2e6, 337e6},
		6: {25.3e6, 344e6}, 7: {20.3e6, 345e6}, 8: {13.1e6, 347e6}, 9: {10.3e6, 348e6},
	}
	// snappy 1.2.1 (no levels).
	snappyRates = CodecRates{401e6, 1077e6}
	// lz4 1.10.0: Kafka's default level 9 uses lz4-java's fastCompressor (Lz4BlockOutputStream:
	// "fastCompressor with default compression level"), plain LZ4; any other level uses
	// highCompressor, LZ4HC at that level. LZ4HC clamps levels above 12 (LZ4HC_CLEVEL_MAX).
	lz4FastRates = CodecRates{577e6, 3716e6}
	lz4HCRates   = [13]CodecRates{
		1: {265e6, 3225e6}, 2: {265e6, 3227e6}, 3: {92.7e6, 3373e6}, 4: {76.6e6, 3429e6},
		5: {62.6e6, 3474e6}, 6: {51.4e6, 3494e6}, 7: {42.7e6, 3511e6}, 8: {36.1e6, 3525e6},
		9: {31.0e6, 3531e6}, 10: {21.4e6, 3604e6}, 11: {12.5e6, 3630e6}, 12: {10.5e6, 3622e6},
	}
	// zstd 1.5.6 levels 1..22; level 0 is zstd's default, 3.
	zstdRates = [maxZstdLevel + 1]CodecRates{
		1: {421e6, 1342e6}, 2: {344e6, 1241e6}, 3: {250e6, 1210e6}, 4: {214e6, 1192e6},
		5: {125e6, 1194e6}, 6: {91.7e6, 1272e6}, 7: {80.7e6, 1283e6}, 8: {64.1e6, 1316e6},
		9: {61.9e6, 1306e6}, 10: {48.0e6, 1323e6}, 11: {34.5e6, 1339e6}, 12: {31.8e6, 1339e6},
		13: {14.2e6, 1343e6}, 14: {11.3e6, 1360e6}, 15: {8.39e6, 1368e6}, 16: {6.13e6, 1255e6},
		17: {4.76e6, 1226e6}, 18: {3.76e6, 1164e6}, 19: {2.98e6, 1147e6}, 20: {2.73e6, 1079e6},
		21: {2.40e6, 1075e6}, 22: {2.09e6, 1071e6},
	}
	// zstd's negative ("fast") levels -1..-5 (zstd_fast --1..--5); lower levels, for which no
	// figure is published, take level -5's.
	zstdFastRates = [6]CodecRates{
		1: {459e6, 1716e6}, 2: {489e6, 1773e6}, 3: {518e6, 1818e6}, 4: {542e6, 1905e6}, 5: {573e6, 1948e6},
	}
)

// DefaultCodecRates returns the documented default speed of codec c at level (see the tables
// above); CodecNone has none.
func DefaultCodecRates(c Codec, level int) CodecRates {
	switch c {
	case CodecGzip:
		if level == DefaultGzipLevel {
			level = 6
		}
		return gzipRates[min(max(level, 1), maxGzipLevel)]
	case CodecSnappy:
		return snappyRates
	case CodecLZ4:
		if level == DefaultLZ4Level {
			return lz4FastRates
		}
		return lz4HCRates[min(max(level, 1), 12)]
	case CodecZstd:
		switch {
		case level == 0:
			level = DefaultZstdLevel
		case level < 0:
			return zstdFastRates[min(-level, 5)]
		}
		return zstdRates[min(level, maxZstdLevel)]
	}
	return CodecRates{}
}

// codecRates returns the speed of codec c at level on hardware hw: its override under
// hardware.compression, else the default.
func (hw *HardwareSpec) codecRates(c Codec, level int) CodecRates {
	r := DefaultCodecRates(c, level)
	if o := hw.Codecs[c]; o.Compress > 0 {
		r.Compress = o.Compress
	}
	if o := hw.Codecs[c]; o.Decompress > 0 {
		r.Decompress = o.Decompress
	}
	return r
}

// cpuFor returns the time one core takes to run bytes through a codec at rate.
func cpuFor(bytes int64, rate ByteRate) time.Duration {
	if bytes <= 0 || rate <= 0 || math.IsInf(float64(rate), 1) {
		return 0
	}
	ns := math.Ceil(float64(bytes) / float64(rate) * 1e9)
	if ns >= math.MaxInt64/4 {
		return math.MaxInt64 / 4 // beyond any run: the core never finishes (scenarios refuse such speeds)
	}
	return time.Duration(ns)
}

// compressedSize returns the size of a batch whose records total raw uncompressed bytes once
// compressed at ratio: the RecordBatch header (never compressed) and the records' compressed
// bytes, rounded up.
func compressedSize(raw Bytes, ratio float64) Bytes {
	return recordBatchOverhead + Bytes(math.Ceil(float64(raw-recordBatchOverhead)*ratio))
}

// Kafka's producer compression-ratio estimation (CompressionRatioEstimator.java,
// MemoryRecordsBuilder.java): a new batch takes the current estimate for its topic and codec
// (initially CompressionType.rate, 1.0), judges its fullness on header + records × estimate ×
// COMPRESSION_RATE_ESTIMATION_FACTOR, and at close moves the estimate toward the batch's actual
// ratio (records only, without the batch header: actualCompressionRatio), down by at most 0.005
// and up by at least 0.05.
const (
	compressionRateEstimationFactor = float32(1.05)
	compressionRatioImprovingStep   = float32(0.005)
	compressionRatioDeteriorateStep = float32(0.05)
)

// updateEstimation is CompressionRatioEstimator.updateEstimation.
func updateEstimation(current, observed float32) float32 {
	switch {
	case observed > current:
		return max(current+compressionRatioDeteriorateStep, observed)
	case observed < current:
		return max(current-compressionRatioImprovingStep, observed)
	}
	return current
}

// TopicCompression is a topic's compression.type. The zero value is Kafka's default,
// "producer": each batch keeps its codec. With Fixed, the leader stores every batch in Codec
// ("uncompressed" is CodecNone), recompressing those written in another codec (LogValidator).
type TopicCompression struct {
	Fixed bool
	Codec Codec
}

// String returns Kafka's spelling: "producer", "uncompressed" or a codec name.
func (t TopicCompression) String() string {
	switch {
	case !t.Fixed:
		return "producer"
	case t.Codec == CodecNone:
		return "uncompressed"
	}
	return t.Codec.String()
}

// ParseTopicCompression parses a topic's compression.type (BrokerCompressionType.forName).
func ParseTopicCompression(s string) (TopicCompression, error) {
	switch strings.ToLower(s) {
	case "producer":
		return TopicCompression{}, nil
	case "uncompressed":
		return TopicCompression{Fixed: true, Codec: CodecNone}, nil
	}
	c, err := ParseCodec(s)
	if err != nil || c == CodecNone {
		return TopicCompression{}, fmt.Errorf("compression.type %q: want one of producer, uncompressed, gzip, snappy, lz4, zstd", s)
	}
	return TopicCompression{Fixed: true, Codec: c}, nil
}

// Target returns the codec the leader stores a batch written in source in
// (BrokerCompressionType.targetCompression).
func (t TopicCompression) Target(source Codec) Codec {
	if !t.Fixed {
		return source
	}
	return t.Codec
}

// sizeOf is ProducerBatch.estimatedSizeInBytes: the closed batch's size, or the estimate of an
// open one.
func (p *Producer) sizeOf(b *producerBatch) Bytes {
	if b.wire > 0 {
		return b.wire
	}
	return p.estimated(b.bytes, b.est)
}

// close is ProducerBatch.close at its first drain (RecordAccumulator.drainBatchesForOneNode):
// the compression stream is flushed, which costs the producer's core the records of its last,
// partial chunk (the request carrying the batch leaves when the core is done, send), and the
// actual ratio updates the topic's estimate (CompressionRatioEstimator).
func (p *Producer) close(b *producerBatch, now sim.Time) {
	b.codec, b.ratios, b.level = p.codec, p.ratios, p.cfg.CompressionLevels.level(p.codec)
	if p.codec == CodecNone {
		b.wire = b.bytes
		return
	}
	raw := b.bytes - recordBatchOverhead
	b.wire = compressedSize(b.bytes, p.ratios[p.codec])
	// MemoryRecordsBuilder.close: actualCompressionRatio = writtenCompressed (the batch less its
	// header) / uncompressedRecordsSizeInBytes.
	p.ratioEst = updateEstimation(p.ratioEst, float32(b.wire-recordBatchOverhead)/float32(raw))
	// The stream's last, partial chunk, flushed on the sender thread once the chunks before it
	// are compressed.
	d := cpuFor(int64(raw-b.compressed), p.rates.Compress)
	b.readyAt = p.sender.run(max(now, b.readyAt), d, now, p.cluster.warmup)
	b.compressed = raw
}

// The compression streams' chunks: a codec compresses what the stream has buffered once a chunk
// is full, on the thread appending to it (KafkaProducer.send), and the rest when the batch
// closes. gzip and zstd sit behind a 16 KiB BufferedOutputStream (GzipCompression,
// ZstdCompression.wrapForOutput), zstd's stream then compresses whole 128 KiB blocks
// (ZSTD_BLOCKSIZE_MAX); lz4 compresses 64 KiB blocks (Lz4BlockOutputStream, BLOCKSIZE_64KB);
// snappy-java's SnappyOutputStream 32 KiB blocks.
var codecChunk = [NumCodecs]Bytes{CodecGzip: 16 << 10, CodecSnappy: 32 << 10, CodecLZ4: 64 << 10, CodecZstd: 128 << 10}

// appended charges the application's core (the thread calling send) for the chunks of batch b's
// compression stream that the record appended at at filled, after the chunks before them: the
// batch's compressed bytes are ready when the core is done (readyAt). Kafka's send() blocks while
// it compresses; here the records are appended at their times and a core that cannot keep up
// holds their batches back instead, until buffer.memory blocks the appends.
func (p *Producer) appended(b *producerBatch, at sim.Time) {
	chunk := codecChunk[p.codec]
	if full := (b.bytes - recordBatchOverhead) / chunk * chunk; full > b.compressed {
		d := cpuFor(int64(full-b.compressed), p.rates.Compress)
		b.readyAt = p.app.run(at, d, at, p.cluster.warmup)
		b.compressed = full
	}
}

// CompressCPU returns the time the producer's threads spent compressing between the warm-up
// and now: the application thread's full chunks and the sender thread's last chunks, each
// counted when the core runs it.
func (p *Producer) CompressCPU(now sim.Time) time.Duration {
	return p.app.busy(now, p.cluster.warmup) + p.sender.busy(now, p.cluster.warmup)
}

// validate returns when the leader's request thread, starting at start, is done with
// LogValidator's work on the batches of a produce request
// (LogValidator.validateMessagesAndAssignOffsets): nothing for an uncompressed batch stored
// uncompressed (in-place assignment); otherwise every record is read, decompressing a compressed
// batch, and a batch whose codec is not the topic's is rebuilt, compressing it in the topic's
// codec at the topic's level (buildRecordsAndAssignOffsets). Validation runs under the
// partition's log lock (UnifiedLog.append: lock synchronized), so two requests' batches for one
// partition are validated one after the other, whatever the number of request threads.
func (b *Broker) validate(req *produceRequest, start sim.Time) sim.Time {
	t := start
	for i := range req.batches {
		pb := &req.batches[i]
		source := pb.codec
		target := pb.partition.storedCodec(source)
		if source == CodecNone && target == CodecNone {
			continue
		}
		raw := int64(pb.bytes - recordBatchOverhead)
		var d time.Duration
		if source != CodecNone {
			d += cpuFor(raw, b.hw.codecRates(source, pb.level).Decompress) // decompression speed barely depends on the level
		}
		if target != source && target != CodecNone {
			d += cpuFor(raw, b.hw.codecRates(target, pb.partition.recompress.level).Compress)
		}
		if b.logLock == nil {
			b.logLock = map[int]sim.Time{}
		}
		t = max(t, b.logLock[pb.partition.idx]).Add(d)
		b.logLock[pb.partition.idx] = t
	}
	return t
}

// storedBytes returns the bytes the leader writes for a produce request of reqBytes: the request
// as it came, with each recompressed batch at its size in the topic's codec.
func storedBytes(req *produceRequest, reqBytes Bytes) Bytes {
	for i := range req.batches {
		reqBytes += storedSize(&req.batches[i]) - req.batches[i].wire
	}
	return reqBytes
}

// storedSize returns the size of batch pb in the leader's log: as it came, or rebuilt in the
// topic's codec at the records' ratio for that codec.
func storedSize(pb *batchData) Bytes {
	target := pb.partition.storedCodec(pb.codec)
	switch {
	case target == pb.codec:
		return pb.wire
	case target == CodecNone:
		return pb.bytes
	}
	return compressedSize(pb.bytes, pb.ratios[target])
}

// storedCoding returns the codec and level batch pb is stored in at the leader: as it came, or
// as the leader rebuilt it in the topic's codec at the topic's level.
func storedCoding(pb *batchData) (Codec, int32) {
	switch target := pb.partition.storedCodec(pb.codec); {
	case target == pb.codec:
		return target, int32(pb.level)
	case target == CodecNone:
		return CodecNone, 0
	default:
		return target, int32(pb.partition.recompress.level)
	}
}

// setCompression gives producer p its codec, the codec's speed on its core, and its records'
// compression ratios, which must cover its codec and the codec of its topic if the topic
// recompresses.
func (c *Cluster) setCompression(p *Producer, ps ProducerSpec) error {
	ratios := ps.CompressionRatio
	for k, r := range ratios {
		if r < 0 || r > 1 || math.IsNaN(r) {
			return fmt.Errorf("compression ratio for %s: must be in (0, 1], got %g", Codec(k), r)
		}
	}
	p.codec, p.ratios, p.ratioEst = p.cfg.CompressionType, &ratios, 1 // CompressionType.rate
	p.rates = c.spec.Hardware.codecRates(p.codec, p.cfg.CompressionLevels.level(p.codec))
	need := func(codec Codec, why string) error {
		if codec != CodecNone && ratios[codec] == 0 {
			return fmt.Errorf("no compression ratio for %s (%s): the workload must say how compressible its records are", codec, why)
		}
		return nil
	}
	if err := need(p.codec, "its compression.type"); err != nil {
		return err
	}
	if t := p.parts[0].storedCodec(p.codec); t != p.codec {
		return need(t, "topic "+p.parts[0].name+" recompresses to it")
	}
	return nil
}

// decompress returns when batch b, fetched at now, reaches the application: at once if it is
// stored uncompressed, else once the consumer's core has decompressed it, after what it already
// had to decompress (CompletedFetch decompresses record batches as poll() reads them).
func (c *Consumer) decompress(now sim.Time, b batchRef) sim.Time {
	if b.codec == CodecNone {
		return now
	}
	d := cpuFor(int64(b.raw)-recordBatchOverhead, c.cluster.spec.Hardware.codecRates(b.codec, int(b.level)).Decompress)
	return c.core.run(now, d, now, c.cluster.warmup)
}

// DecompressCPU returns the time the consumer's core spent decompressing between the warm-up
// and now, counted when the core runs it.
func (c *Consumer) DecompressCPU(now sim.Time) time.Duration {
	return c.core.busy(now, c.cluster.warmup)
}
