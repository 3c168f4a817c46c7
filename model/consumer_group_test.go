package model

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/sim"
)

// Group tests: one partition on a broker in site a (one replica: acks=all costs no round
// trip, so the producer keeps its rate), written at 1 MB/s of 1 KiB records from site a; consumers in site b read from the leader across an RTT of 20 ms, at most
// 64 KiB a Fetch (max.partition.fetch.bytes) and with autotuned socket buffers, so that a
// consumer's pace is max.partition.fetch.bytes per round trip.
const (
	groupRate     = 1e6 // bytes/s
	groupRecord   = 1024
	groupRecords  = groupRate / groupRecord // records/s
	groupRTT      = 20 * time.Millisecond
	groupPartMax  = 64 * KiB
	groupInterval = 5 * time.Second // auto.commit.interval.ms
)

func groupConsumer(name, group string, start, stop time.Duration, tweak func(*ConsumerConfig)) ConsumerSpec {
	cfg := DefaultConsumerConfig()
	cfg.GroupID, cfg.MaxPartitionFetchBytes, cfg.ReceiveBuffer = group, groupPartMax, -1
	if tweak != nil {
		tweak(&cfg)
	}
	return ConsumerSpec{Name: name, Site: 1, Topic: "t", Start: start, Stop: stop, Config: cfg}
}

func groupCluster(t *testing.T, consumers ...ConsumerSpec) (*sim.Sim, *Cluster) {
	t.Helper()
	spec := baseSpec(siteSpecs(2, 1), groupRTT)
	spec.Broker.SocketSendBuffer = -1
	spec = withTopic(spec, 1, []BrokerID{1})
	spec = withProducer(spec, 0, arrivalsAt(groupRate, groupRecord), nil)
	spec.Consumers = consumers
	s := sim.New(1)
	cl, err := NewCluster(s, spec)
	require.NoError(t, err)
	return s, cl
}

// A consumer that closes commits its position (ConsumerCoordinator.close with enable.auto.commit)
// and the next consumer of its group resumes there: every record is delivered exactly once, the
// backlog it finds is what was written while the group was down, and the end-to-end latency of
// the first records it reads is the downtime.
func TestConsumerResumesWhereItsGroupCommitted(t *testing.T) {
	const stop, start = 3 * time.Second, 8 * time.Second
	s, cl := groupCluster(t, groupConsumer("a", "g", 0, stop, nil), groupConsumer("b", "g", start, 0, nil))
	s.RunUntil(sim.Time(20 * time.Second))
	a, b := cl.Consumers()[0], cl.Consumers()[1]
	acked := cl.Producers()[0].Metrics().AckedRecords
	assert.InDelta(t, float64(acked), float64(a.Metrics().Records+b.Metrics().Records), 30,
		"every acknowledged record is delivered once")
	assert.Zero(t, a.Metrics().Duplicates+b.Metrics().Duplicates)
	assert.Zero(t, b.Metrics().Skipped, "b resumes from the commit: auto.offset.reset is not used")

	backlog := groupRecords * (start - stop).Seconds()
	lag, ok := b.RecordsLagMax()
	require.True(t, ok)
	t.Logf("backlog %.0f records, records-lag-max %d", backlog, lag)
	// The first response's records are consumed before the lag is recorded.
	assert.InDelta(t, backlog-float64(groupPartMax/groupRecord), float64(lag), 0.02*backlog)

	down := (start - stop).Seconds() * 1000
	e2e := float64(b.Metrics().EndToEnd.Max()) / 1000
	t.Logf("b: end-to-end max %.1f ms for a downtime of %.0f ms", e2e, down)
	assert.GreaterOrEqual(t, e2e, down)
	assert.LessOrEqual(t, e2e, down+200, "the first records of the backlog arrive within a few round trips")
	assert.Less(t, float64(a.Metrics().EndToEnd.Max())/1000, 100.0)
	assert.Empty(t, cl.CheckInvariants(s.Now()))
}

// Catching up is bound by the fetch size: one Fetch per round trip brings at most
// max.partition.fetch.bytes of the one partition, so a backlog of B bytes written at R bytes/s
// takes at least B / (max.partition.fetch.bytes/RTT − R) to read, and the consumer gets close to
// that pace.
func TestConsumerCatchUpIsBoundByFetchSizePerRoundTrip(t *testing.T) {
	const stop, start = 2 * time.Second, 7 * time.Second
	s, cl := groupCluster(t, groupConsumer("a", "g", 0, stop, nil), groupConsumer("b", "g", start, 0, nil))
	s.RunUntil(sim.Time(20 * time.Second))
	b := cl.Consumers()[1]
	since, at, ok := b.CatchUp()
	require.True(t, ok, "b catches up")
	assert.Equal(t, sim.Time(start), since)
	took := at.Sub(since).Seconds()
	pace := float64(groupPartMax) / groupRTT.Seconds() // bytes/s
	bound := groupRate * (start - stop).Seconds() / (pace - groupRate)
	t.Logf("caught up in %.3f s; the fetch-size bound is %.3f s", took, bound)
	assert.GreaterOrEqual(t, took, bound, "never faster than max.partition.fetch.bytes per round trip allows")
	assert.LessOrEqual(t, took, 1.25*bound+0.1, "close to that pace: whole batches fill most of each Fetch")

	a := cl.Consumers()[0]
	_, at, ok = a.CatchUp()
	assert.True(t, ok)
	assert.Less(t, at, sim.Time(time.Second), "a consumer starting with the cluster is caught up at once")
}

// A consumer whose host went down between two auto-commits and that stopped before it came back
// could not commit on close: the next consumer of its group resumes from the last auto-commit and
// delivers again what the first delivered after it — at most auto.commit.interval.ms of records.
func TestConsumerRereadsSinceTheLastAutoCommit(t *testing.T) {
	const downAt, stop, start = 7500 * time.Millisecond, 8 * time.Second, 10 * time.Second
	s, cl := groupCluster(t, groupConsumer("a", "g", 0, stop, nil), groupConsumer("b", "g", start, 0, nil))
	a, b := cl.Consumers()[0], cl.Consumers()[1]
	s.RunUntil(sim.Time(downAt))
	a.setDown(s, true)
	s.RunUntil(sim.Time(20 * time.Second))
	// The auto-commits were at the first response from 5 s on: what a delivered from then to 7.5 s
	// is delivered twice.
	want := groupRecords * (downAt - groupInterval).Seconds()
	t.Logf("b delivered %d records a had delivered, want about %.0f", b.Metrics().Duplicates, want)
	assert.InDelta(t, want, float64(b.Metrics().Duplicates), 0.03*want)
	assert.Zero(t, a.Metrics().Duplicates)
	acked := cl.Producers()[0].Metrics().AckedRecords
	assert.InDelta(t, float64(acked), float64(a.Metrics().Records+b.Metrics().Records-b.Metrics().Duplicates), 30,
		"apart from the duplicates, every record is delivered once")
	// The first duplicates were written just after the commit, about 5 s before b read them.
	e2e := float64(b.Metrics().EndToEnd.Max()) / 1000
	assert.InDelta(t, (start-groupInterval).Seconds()*1000, e2e, 200)
	assert.Empty(t, cl.CheckInvariants(s.Now()))
}

// With no committed offset, auto.offset.reset decides: latest starts at the high watermark and
// the records below it are never delivered (nor counted in latency), earliest reads the whole log.
func TestConsumerOffsetResetWithoutCommit(t *testing.T) {
	const stop, start = 3 * time.Second, 8 * time.Second
	noCommit := func(c *ConsumerConfig) { c.EnableAutoCommit = false }
	earliest := func(c *ConsumerConfig) { c.AutoOffsetReset = OffsetResetEarliest }
	s, cl := groupCluster(t, groupConsumer("a", "g", 0, stop, noCommit), groupConsumer("latest", "g", start, 0, nil),
		groupConsumer("earliest", "other", start, 0, earliest))
	s.RunUntil(sim.Time(15 * time.Second))
	a, latest, early := cl.Consumers()[0], cl.Consumers()[1], cl.Consumers()[2]
	acked := float64(cl.Producers()[0].Metrics().AckedRecords)

	skipped := groupRecords * (start - stop).Seconds()
	t.Logf("latest skipped %d records, want about %.0f", latest.Metrics().Skipped, skipped)
	assert.InDelta(t, skipped, float64(latest.Metrics().Skipped), 0.01*skipped)
	assert.InDelta(t, acked, float64(a.Metrics().Records+latest.Metrics().Records+latest.Metrics().Skipped), 30,
		"a's records, the skipped ones and latest's make up the log")
	assert.Less(t, float64(latest.Metrics().EndToEnd.Max())/1000, 100.0, "the skipped records are not measured")
	lag, _ := latest.RecordsLagMax()
	assert.Less(t, lag, int64(100), "latest has no backlog")

	assert.InDelta(t, acked, float64(early.Metrics().Records), 30, "earliest reads the whole log")
	assert.Zero(t, early.Metrics().Skipped)
	assert.InDelta(t, start.Seconds()*1000, float64(early.Metrics().EndToEnd.Max())/1000, 200,
		"the log's first record waited from time 0 to earliest's start")
	assert.Empty(t, cl.CheckInvariants(s.Now()))
}

// Before its start a consumer sends nothing; once closed its brokers keep no session of it, so
// they neither serve nor park its Fetches, and it sends nothing more.
func TestConsumerStartAndCloseSessions(t *testing.T) {
	const stop, start = 3 * time.Second, 5 * time.Second
	s, cl := groupCluster(t, groupConsumer("a", "g", 0, stop, nil), groupConsumer("b", "g", start, 0, nil))
	a, b := cl.Consumers()[0], cl.Consumers()[1]
	s.RunUntil(sim.Time(start - time.Millisecond))
	assert.Zero(t, b.meta.sent, "no metadata request before the start")
	for _, n := range b.nodes {
		assert.Zero(t, n.req.gen, "no Fetch before the start")
	}
	assert.Equal(t, consumerClosed, a.state)
	for _, br := range cl.brokers {
		assert.Nil(t, br.consumerSession(a.node), "broker %d: a's session is closed", br.ID)
		for _, r := range br.replicas {
			for _, cp := range r.consumers() {
				assert.NotEqual(t, a.node, cp.cs.client, "broker %d: nothing watches a's partitions", br.ID)
			}
		}
	}
	for _, n := range a.nodes {
		assert.True(t, n.conn.Closed(), "a's connections are closed")
	}
	for _, p := range cl.Partitions() {
		assert.False(t, slices.Contains(p.readers, &a.pos[0]), "a no longer holds the log")
		assert.True(t, slices.Contains(p.readers, &b.group.committed[0]), "b's group holds it until b starts")
	}
	s.RunUntil(sim.Time(8 * time.Second))
	for _, p := range cl.Partitions() {
		require.Len(t, p.readers, 2)
		assert.Same(t, &b.pos[0], p.readers[0], "once b runs, its position holds the log")
		assert.Same(t, &b.out[0].from, p.readers[1], "and so does the offset its outstanding Fetch lists")
	}
	require.Positive(t, b.Metrics().Records)
}

// The group's lag (kafka-consumer-groups.sh: the log end offset less the committed offset) grows
// at the write rate while no consumer of the group runs, and falls once one reads again.
func TestGroupLagGrowsWhileTheGroupIsDown(t *testing.T) {
	const stop, start = 3 * time.Second, 8 * time.Second
	s, cl := groupCluster(t, groupConsumer("a", "g", 0, stop, nil), groupConsumer("b", "g", start, 0, nil))
	s.RunUntil(sim.Time(20 * time.Second))
	cols := cl.SeriesColumns()
	gi, ai := slices.Index(cols, "group_lag_g"), slices.Index(cols, "records_lag_max_a")
	require.GreaterOrEqual(t, gi, 0, "%v", cols)
	require.GreaterOrEqual(t, ai, 0, "%v", cols)
	rows := cl.Series()
	at := func(sec int) []float64 { return rows[sec-1] } // row k is sampled at k+1 s
	for sec := 4; sec <= 8; sec++ {
		want := groupRecords * float64(sec-3)
		assert.InDelta(t, want, at(sec)[gi], 0.02*want+20, "%d s: the lag grows at the write rate", sec)
		assert.True(t, math.IsNaN(at(sec)[ai]), "%d s: a stopped consumer records no lag", sec)
	}
	assert.Less(t, at(20)[gi], groupRecords*groupInterval.Seconds()+50, "b caught up: the lag is what the last commit leaves")
}

// A consumer whose pace (max.partition.fetch.bytes per round trip) is below the write rate never
// catches up: its lag only grows, and CatchUp says so rather than giving a time.
func TestConsumerSlowerThanTheWritesNeverCatchesUp(t *testing.T) {
	slow := func(c *ConsumerConfig) { c.MaxPartitionFetchBytes = 16 * KiB } // 0.8 MB/s at 20 ms
	s, cl := groupCluster(t, groupConsumer("a", "g", 0, time.Second, nil), groupConsumer("b", "g", 2*time.Second, 0, slow))
	s.RunUntil(sim.Time(6 * time.Second))
	b := cl.Consumers()[1]
	lag6, _ := b.RecordsLagMax()
	s.RunUntil(sim.Time(12 * time.Second))
	lag12, _ := b.RecordsLagMax()
	since, _, ok := b.CatchUp()
	assert.False(t, ok, "never caught up")
	assert.Equal(t, sim.Time(2*time.Second), since)
	t.Logf("records-lag-max %d at 6 s, %d at 12 s", lag6, lag12)
	assert.Greater(t, lag12, lag6, "the lag grows")
}

// A consumer due to start while its host is down starts when the host is back, and measures its
// catch-up from then.
func TestConsumerStartsWhenItsHostIsBack(t *testing.T) {
	s, cl := groupCluster(t, groupConsumer("a", "g", 0, 2*time.Second, nil), groupConsumer("b", "g", 3*time.Second, 0, nil))
	b := cl.Consumers()[1]
	s.RunUntil(sim.Time(2500 * time.Millisecond))
	b.setDown(s, true)
	s.RunUntil(sim.Time(4 * time.Second))
	assert.Equal(t, consumerNew, b.state, "no start on a host that is down")
	assert.Zero(t, b.meta.sent)
	b.setDown(s, false)
	s.RunUntil(sim.Time(8 * time.Second))
	since, at, ok := b.CatchUp()
	require.True(t, ok)
	assert.Equal(t, sim.Time(4*time.Second), since)
	assert.Less(t, at.Sub(since), time.Second)
	assert.Zero(t, b.Metrics().Duplicates)
	assert.Zero(t, b.Metrics().Skipped, "it resumed from a's commit on close")
}

// The backlog a group finds grows linearly with its downtime: records-lag-max at the resume is
// R·T, less the first response's records, for downtimes T of 2 s and 6 s.
func TestConsumerBacklogGrowsWithTheDowntime(t *testing.T) {
	for _, down := range []time.Duration{2 * time.Second, 6 * time.Second} {
		const stop = time.Second
		s, cl := groupCluster(t, groupConsumer("a", "g", 0, stop, nil), groupConsumer("b", "g", stop+down, 0, nil))
		s.RunUntil(sim.Time(stop + down + 5*time.Second))
		lag, ok := cl.Consumers()[1].RecordsLagMax()
		require.True(t, ok)
		want := groupRecords*down.Seconds() - float64(groupPartMax/groupRecord)
		t.Logf("down %v: records-lag-max %d, R·T less one response %.0f", down, lag, want)
		assert.InDelta(t, want, float64(lag), 0.03*want)
	}
}

// TestConsumerClosesWhileItsFetchIsParked checks a close with a Fetch parked on the broker (no
// writes: every Fetch waits fetch.max.wait.ms). The broker answers the parked Fetch at its
// maxWait although the consumer no longer wants it, then reads the FINAL_EPOCH Fetch behind it
// on the connection (one request at a time, reference §2.8a) and closes the session: the close
// ends within fetch.max.wait.ms and a round trip, not at the close timeout, and no session is
// left on the broker.
func TestConsumerClosesWhileItsFetchIsParked(t *testing.T) {
	const stop = 3 * time.Second
	spec := withTopic(baseSpec(siteSpecs(2, 1), groupRTT), 1, []BrokerID{1})
	spec.Consumers = []ConsumerSpec{groupConsumer("a", "g", 0, stop, nil)}
	s := sim.New(1)
	cl, err := NewCluster(s, spec)
	require.NoError(t, err)
	a := cl.Consumers()[0]
	s.RunUntil(sim.Time(stop - time.Millisecond))
	require.NotNil(t, cl.brokers[0].consumerSession(a.node).parked, "a Fetch waits on the broker")
	s.RunUntil(sim.Time(stop + a.cfg.FetchMaxWait + 2*groupRTT))
	assert.Equal(t, consumerClosed, a.state, "closed once the parked Fetch was answered and the session closed")
	assert.Nil(t, cl.brokers[0].consumerSession(a.node), "the broker closed the session")
}

// TestConsumerClosingWithAFetchOnItsWayHoldsTheLog closes a consumer that starts from the log's
// beginning (auto.offset.reset=earliest, 2 s of records behind) a few milliseconds after its
// start, while its first Fetch is still on its way to the broker (20 ms RTT). The broker reads
// that Fetch after the close and reads the log from offset 0, so the log must still hold it: the
// consumer's hold on its partitions ends when its connections close, not when the close starts.
// Before, the broker's read panicked (replicaLog.mustHold).
func TestConsumerClosingWithAFetchOnItsWayHoldsTheLog(t *testing.T) {
	const start = 2 * time.Second
	earliest := func(c *ConsumerConfig) { c.AutoOffsetReset = OffsetResetEarliest }
	for _, d := range []time.Duration{time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond, 15 * time.Millisecond} {
		s, cl := groupCluster(t, groupConsumer("a", "g", start, start+d, earliest))
		a := cl.Consumers()[0]
		s.RunUntil(sim.Time(start + d))
		require.Equal(t, consumerClosing, a.state, "stop after %v: closing", d)
		s.RunUntil(sim.Time(start + time.Second))
		assert.Equal(t, consumerClosed, a.state, "stop after %v", d)
		p := cl.Partitions()[0]
		assert.False(t, slices.Contains(p.readers, &a.pos[0]), "stop after %v: a no longer holds the log", d)
		assert.False(t, slices.Contains(p.readers, &a.out[0].from), "stop after %v", d)
		assert.Empty(t, cl.CheckInvariants(s.Now()))
	}
}

// TestBrokerHoldsTheFetchesItHasRead gives the broker one handler thread that takes 200 ms a
// request, so that a consumer's Fetch waits in the request queue behind Produce requests; the
// consumer starts at 2 s from the log's beginning (auto.offset.reset=earliest). While
// it waits, nothing the consumer does can let the log forget what it reads: here the consumer's
// hold is taken away by hand, as if it had given the Fetch up and read on elsewhere. The broker
// still runs the Fetch from the offset it lists, and the log holds it.
func TestBrokerHoldsTheFetchesItHasRead(t *testing.T) {
	spec := baseSpec(siteSpecs(2, 1), groupRTT)
	spec.Broker.NumIOThreads = 1
	spec.Hardware.RequestCPUTime = 200 * time.Millisecond
	spec = withTopic(spec, 1, []BrokerID{1})
	spec = withProducer(spec, 0, arrivalsAt(groupRate, groupRecord), nil)
	spec.Consumers = []ConsumerSpec{groupConsumer("a", "g", 2*time.Second, 0, func(c *ConsumerConfig) { c.AutoOffsetReset = OffsetResetEarliest })}
	s := sim.New(1)
	cl, err := NewCluster(s, spec)
	require.NoError(t, err)
	a, b, p := cl.Consumers()[0], cl.brokers[0], cl.Partitions()[0]
	r := p.reps[0]
	var off Offset = -1
	for t0 := 2 * time.Second; t0 < 10*time.Second && off < 0; t0 += time.Millisecond {
		s.RunUntil(sim.Time(t0))
		for _, item := range b.io.queue.All() {
			if req, ok := item.msg.(*fetchRequest); ok && !req.replica && len(req.parts) > 0 {
				off = req.parts[0].offset
			}
		}
	}
	require.GreaterOrEqual(t, off, Offset(0), "a consumer Fetch waited in the request queue")
	require.Less(t, off, r.log.hw, "the consumer is behind")
	require.NotNil(t, r.readers)
	require.LessOrEqual(t, r.readers.queued.from, off, "the broker holds the offset of the Fetch it read")
	p.removeReader(&a.pos[0]) // the consumer lets go
	p.removeReader(&a.out[0].from)
	assert.LessOrEqual(t, p.retainFrom(r), off, "the log keeps what the queued Fetch reads")
	s.RunUntil(s.Now().Add(time.Second)) // the broker runs it; before, the read panicked
	cs := b.consumerSession(a.node)
	require.NotNil(t, cs, "the broker ran the Fetch")
	assert.GreaterOrEqual(t, cs.find(p).offset, off)
}
