package experiments_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// runLimits runs a built-in scenario with overrides (duration and warm-up included) and returns
// its ranked limits.
func runLimits(t *testing.T, name string, sets ...string) []experiments.LimitSummary {
	t.Helper()
	sc, err := scenario.LoadFS(scenarios.FS, name, scenario.Options{Sets: sets})
	require.NoError(t, err)
	res, err := experiments.Run(sc)
	require.NoError(t, err)
	require.NotNil(t, res.Summary.Limits)
	for i, l := range res.Summary.Limits {
		t.Logf("%d %s %s %s %.3f", i, l.Mechanism, l.Setting, l.Where, l.Share)
		assert.True(t, l.Share >= 0.001 && l.Share <= 1, "share in [0.001, 1]: %+v", l)
	}
	return res.Summary.Limits
}

// find returns the limit of (mechanism, setting, where), or a zero one.
func find(ls []experiments.LimitSummary, mechanism, setting, where string) experiments.LimitSummary {
	for _, l := range ls {
		if l.Mechanism == mechanism && l.Setting == setting && l.Where == where {
			return l
		}
	}
	return experiments.LimitSummary{}
}

// The long-haul scenario (2 sites, 50 ms RTT) as shipped is bound by one produce request per
// connection at a time (reference §2.8a): each dc-a leader reads the next request only once the
// previous one committed, one RTT later, and a request carries at most one 16 KiB batch per
// partition it leads: 4 × 16 KiB / 50 ms ≈ 1.3 MB/s per leader, far below the 20 MB/s asked for.
// So requests wait unread at the dc-a leaders practically all the time.
func TestLimitsLongHaulUnreadRequests(t *testing.T) {
	ls := runLimits(t, "long-haul.yaml", "duration=40s", "warmup=10s")
	require.NotEmpty(t, ls)
	top := ls[0]
	assert.Equal(t, "unread-requests", top.Mechanism)
	assert.Contains(t, []string{"broker 1", "broker 2", "broker 3"}, top.Where, "a dc-a leader: the producer is in dc-a")
	assert.Greater(t, top.Share, 0.95)
}

// With batch.size raised, the next limit is the replica fetchers' TCP window: a connection moves
// at most one window per round trip, 64 KiB / 50 ms ≈ 1.3 MB/s, while each leader must send its
// share of 20 MB/s (3.3 MB/s) to the followers across the link over 3 fetcher connections (one per
// remote follower broker, ≈ 2.2 MB/s each). The follower's replica.socket.receive.buffer.bytes
// (64 KiB, below the leader's 100 KiB socket.send.buffer.bytes) sets the window, on the pair from
// the leaders' site to the followers'. With both buffers autotuned (3 MiB / 50 ms ≈ 63 MB/s per
// connection) it no longer binds.
func TestLimitsLongHaulReplicaWindow(t *testing.T) {
	big := []string{"duration=40s", "warmup=10s", "producers[checkout].config.batch.size=262144"}
	ls := runLimits(t, "long-haul.yaml", big...)
	require.NotEmpty(t, ls)
	top := ls[0]
	assert.Equal(t, "tcp-window", top.Mechanism)
	assert.Equal(t, "replica.socket.receive.buffer.bytes", top.Setting)
	assert.Contains(t, []string{"dc-a->dc-b", "dc-b->dc-a"}, top.Where, "leader site -> follower site")
	assert.Greater(t, top.Share, 0.95)

	ls = runLimits(t, "long-haul.yaml", append(big, "broker.replica.socket.receive.buffer.bytes=-1",
		"broker.socket.send.buffer.bytes=-1")...)
	for _, pair := range []string{"dc-a->dc-b", "dc-b->dc-a"} {
		assert.Zero(t, find(ls, "tcp-window", "replica.socket.receive.buffer.bytes", pair).Share)
		assert.Less(t, find(ls, "tcp-window", "socket.send.buffer.bytes", pair).Share, 0.2, "autotuned: %s", pair)
	}
}

// Replica buffers of 1 MiB set on hosts left at Linux's default caps get 212992 bytes each
// (net.core.rmem_max, wmem_max): over 150 ms a fetcher connection moves at most 1.4 MB/s, so
// the replication window from the dc-a leaders binds nearly all the time, and the limit names the
// host's cap, the setting to raise, not the Kafka setting. (The producer's own 100 KiB window to
// the dc-b leaders binds too, at 150 ms.) With the caps at 4 MiB the 1 MiB window no longer
// binds.
func TestLimitsSocketBufferCap(t *testing.T) {
	big := []string{"duration=40s", "warmup=10s", "producers[checkout].config.batch.size=262144", "network.inter_site.rtt=150ms",
		"broker.replica.socket.receive.buffer.bytes=1MiB", "broker.socket.send.buffer.bytes=1MiB"}
	ls := runLimits(t, "long-haul.yaml", big...)
	assert.Greater(t, find(ls, "tcp-window", "net.core.rmem_max", "dc-a->dc-b").Share, 0.9)
	assert.Zero(t, find(ls, "tcp-window", "replica.socket.receive.buffer.bytes", "dc-a->dc-b").Share)

	ls = runLimits(t, "long-haul.yaml", append(big, "hardware.rmem_max=4MiB", "hardware.wmem_max=4MiB")...)
	for _, pair := range []string{"dc-a->dc-b", "dc-b->dc-a"} {
		for _, set := range []string{"net.core.rmem_max", "replica.socket.receive.buffer.bytes", "socket.send.buffer.bytes"} {
			assert.Less(t, find(ls, "tcp-window", set, pair).Share, 0.2, "caps raised: %s %s", set, pair)
		}
	}
}

// max.in.flight.requests.per.connection=1 over 30 ms: one request per broker per round trip
// (reference §5.1), so batches wait for the request in flight: the producer is at its limit
// whenever it has data, which at 20 MB/s is always.
func TestLimitsMaxInFlight(t *testing.T) {
	ls := runLimits(t, "two-site.yaml", "duration=20s", "warmup=5s",
		"producers[checkout].config.max.in.flight.requests.per.connection=1", "network.inter_site.rtt=30ms")
	require.NotEmpty(t, ls)
	assert.Equal(t, "max-in-flight", ls[0].Mechanism)
	assert.Equal(t, "producer checkout", ls[0].Where)
	assert.Greater(t, ls[0].Share, 0.95)
}

// A 100 Mbit/s link (12.5 MB/s) below the 20 MB/s produced in dc-a and replicated to dc-b: bytes
// queue at the dc-a->dc-b link all the time, and it ranks first (the waits upstream are its
// back-pressure).
func TestLimitsLinkBandwidth(t *testing.T) {
	ls := runLimits(t, "two-site.yaml", "duration=20s", "warmup=5s", "network.inter_site.bandwidth=100Mbps")
	require.NotEmpty(t, ls)
	assert.Equal(t, experiments.LimitSummary{Mechanism: "link-bandwidth", Setting: "network.inter_site.bandwidth",
		Where: "dc-a->dc-b", Share: ls[0].Share}, ls[0])
	assert.Greater(t, ls[0].Share, 0.95)
}

// 1 MiB of buffer.memory holds 64 batches of 16 KiB: at 80 MB/s the producer fills it in
// 13 ms, far less than a commit round, so send() blocks nearly all the time.
func TestLimitsBufferMemory(t *testing.T) {
	ls := runLimits(t, scenarios.Default, "duration=10s", "warmup=2s",
		"producers[checkout].config.buffer.memory=1048576", "producers[checkout].rate=80MB/s")
	l := find(ls, "buffer-memory", "buffer.memory", "producer checkout")
	assert.Greater(t, l.Share, 0.95)
}

// The default scenario is not saturated: nothing waits all the time. Its largest waits are
// requests queued behind one being committed at the busiest leaders (reference §2.8a; broker 5
// reads ≈ 360 requests/s, each held ≈ 2.1 ms: a connection busy ≈ 75 % of the time, so a request
// sometimes queues behind another); every resource (links, NICs, disks, threads, windows) waits
// less than 1 % of the time.
func TestLimitsDefaultUnsaturated(t *testing.T) {
	ls := runLimits(t, scenarios.Default)
	for _, l := range ls {
		assert.Less(t, l.Share, 0.5, "%+v", l)
		if l.Mechanism != "unread-requests" && l.Mechanism != "max-in-flight" {
			assert.Less(t, l.Share, 0.01, "%+v", l)
		}
	}
}

// The text report names the top limits.
func TestLimitsText(t *testing.T) {
	s := experiments.Summary{Limits: []experiments.LimitSummary{
		{Mechanism: "tcp-window", Setting: "replica.socket.receive.buffer.bytes", Where: "dc-a->dc-b", Share: 0.97},
		{Mechanism: "buffer-memory", Setting: "buffer.memory", Where: "producer checkout", Share: 0.5},
	}}
	var out strings.Builder
	require.NoError(t, experiments.WriteText(&out, &s))
	assert.Contains(t, out.String(), "limits    tcp-window replica.socket.receive.buffer.bytes dc-a->dc-b 97%; buffer-memory buffer.memory producer checkout 50%\n")
}

// replica.fetch.max.bytes=4096 over 20 ms with acks=1 (no commit wait holds the producer back):
// a follower's fetch brings at most about 4 KiB of each partition per round trip (the limit is
// soft: the first batch comes whole), ≈ 0.2 MB/s, while each of the 24 partitions takes
// 10 MB/s / 24 ≈ 0.42 MB/s. The leaders always have more than they send: the responses are cut
// on both pairs all the time. With Kafka's 1 MiB they are not.
func TestLimitsFetchMaxBytes(t *testing.T) {
	sets := []string{"duration=20s", "warmup=5s", "network.inter_site.rtt=20ms", "producers[checkout].config.acks=1",
		"broker.replica.socket.receive.buffer.bytes=-1", "broker.socket.send.buffer.bytes=-1"}
	ls := runLimits(t, "two-site.yaml", append(sets, "broker.replica.fetch.max.bytes=4096")...)
	require.NotEmpty(t, ls)
	for _, pair := range []string{"dc-a->dc-b", "dc-b->dc-a"} {
		assert.Greater(t, find(ls, "fetch-max-bytes", "replica.fetch.max.bytes", pair).Share, 0.95, pair)
	}
	assert.Equal(t, "fetch-max-bytes", ls[0].Mechanism)

	ls = runLimits(t, "two-site.yaml", sets...)
	for _, pair := range []string{"dc-a->dc-b", "dc-b->dc-a"} {
		assert.Less(t, find(ls, "fetch-max-bytes", "replica.fetch.max.bytes", pair).Share, 0.01, pair)
	}
}

// perf-test-lz4 with gzip (25.3 MB/s per core at level 6) for the 102 MB/s of records asked: the
// producer's threads compress all the time, and the batches they hold back fill buffer.memory.
// Compression is the limit, ranked before the buffer it fills. The bytes of a request wait for
// the core, not for the TCP window: no window binds more than a few percent of the time (the
// replica fetchers' 64 KiB windows over 2 ms carry bursts of up to a request's 1 MB).
func TestLimitsCompressionGzip(t *testing.T) {
	ls := runLimits(t, "perf-test-lz4.yaml", "producers[perf-test].config.compression.type=gzip",
		"producers[perf-test].compression_ratio=0.32")
	require.NotEmpty(t, ls)
	assert.Equal(t, experiments.LimitSummary{Mechanism: "compression", Setting: "compression.type=gzip",
		Where: "producer perf-test", Share: ls[0].Share}, ls[0])
	assert.Greater(t, ls[0].Share, 0.95)
	assert.Greater(t, find(ls, "buffer-memory", "buffer.memory", "producer perf-test").Share, 0.95)
	for _, l := range ls {
		if l.Mechanism == "tcp-window" {
			assert.Less(t, l.Share, 0.06, "%+v", l)
		}
	}
}

// perf-test-lz4 as shipped: lz4 (577 MB/s per core) keeps up, but each request still waits for
// the sender thread to flush its batches' last lz4 blocks (ProducerBatch.close). A batch only
// waits while one of the producer's two threads compresses, so the compression share is at most
// the cores compression keeps busy. With a core that compresses in no time, nothing waits for it.
func TestLimitsCompressionLZ4(t *testing.T) {
	sc, err := scenario.LoadFS(scenarios.FS, "perf-test-lz4.yaml", scenario.Options{})
	require.NoError(t, err)
	res, err := experiments.Run(sc)
	require.NoError(t, err)
	l := find(res.Summary.Limits, "compression", "compression.type=lz4", "producer perf-test")
	cores := res.Summary.Produce.CompressionCores
	t.Logf("compression waits %.4f of the time, %.4f cores compress", l.Share, cores)
	assert.Greater(t, l.Share, 0.001)
	assert.LessOrEqual(t, l.Share, cores)

	ls := runLimits(t, "perf-test-lz4.yaml", "hardware.compression.lz4.compress=unlimited")
	assert.Zero(t, find(ls, "compression", "compression.type=lz4", "producer perf-test").Share)
}
