package model

import (
	"math"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/stretchsim/stretchsim/sim"
)

// SeriesColumns returns the names of the time series columns: SeriesColumnsBase, then the number
// of partition leaders in each site ("leaders_<site>"), each consumer's records-lag-max in the
// interval ("records_lag_max_<consumer>", consumer_lag.go; empty in an interval in which it
// recorded none, as when it is not running) and each consumer group's lag
// ("group_lag_<group>", or "group_lag_<group>:<topic>" for a group reading several topics:
// groupTopic.lag; empty while the group has committed nothing).
func (c *Cluster) SeriesColumns() []string {
	cols := append([]string(nil), SeriesColumnsBase...)
	for _, st := range c.topo.Sites {
		cols = append(cols, "leaders_"+st.Name)
	}
	for _, k := range c.consumers {
		cols = append(cols, "records_lag_max_"+k.Name)
	}
	for _, g := range c.groups {
		for _, gt := range g.topics {
			name := "group_lag_" + g.id
			if len(g.topics) > 1 {
				name += ":" + gt.parts[0].name
			}
			cols = append(cols, name)
		}
	}
	return cols
}

// SeriesColumnsBase names the columns of the time series, operators' names where Kafka has one.
var SeriesColumnsBase = []string{
	"time_s",
	"UnderReplicatedPartitions", "UnderMinIsrPartitionCount", "AtMinIsrPartitionCount",
	"OfflinePartitionsCount", "ActiveControllerCount",
	"IsrShrinksPerSec", "IsrExpandsPerSec", "FailedProduceRequestsPerSec",
	"produce_bytes_per_sec", "produce_p99_ms", "cross_site_bytes_per_sec",
	"controller_isr_removals_per_sec",
	// Partitions that cannot take an acks=all write now: no live leader (a dark leader the
	// controller has not yet replaced counts) or a committed ISR below min.insync.replicas.
	"unwritable_partitions",
}

// clusterMetrics integrates partition states over time and samples the time series.
type clusterMetrics struct {
	c        *Cluster
	counts   stateCounts
	last     sim.Time
	seconds  stateSeconds
	produce  *hdrhistogram.Histogram // broker-side produce TotalTimeMs, in µs
	interval *hdrhistogram.Histogram // client produce latency since the last sample, in µs
	series   [][]float64
	timer    sim.Timer
	prev     sampleTotals
	checker  invariantChecker
	leaders  []int // per site: partitions whose committed leader is there
	// latest is each partition's latestOffset (ListOffsets latest) as of the last invariant
	// check, which refreshes the partitions touched since the one before: what a group's lag
	// series reads at each sample, right after a check.
	latest []Offset

	activeControllers   int   // controllers active now (ActiveControllerCount summed)
	controllerElections int64 // controllers that became active after the warm-up
	writable            int   // partitions writable now: live leader, ISR >= min ISR
	allWritableSince    sim.Time
	allWritable         bool // every partition is writable, since allWritableSince
	writableSeconds     float64
	partitionSeconds    float64
	noControllerSeconds float64

	ackedLost        int64 // acknowledged records lost after the warm-up
	ackedLostPower   int64 // of those, lost by the new leader in a power loss (durability.go)
	fencings         int64 // brokers fenced by the controller
	leaderElections  int64 // partition leader changes written by the controller
	uncleanElections int64

	// isrRemovals counts, after the warm-up, the ISR removals the controller wrote for brokers it
	// fenced, shut down or re-registered; isrRemovalsAll counts them from time 0 (the series).
	isrRemovals, isrRemovalsAll int64
}

// stateCounts counts partitions by the state of their committed ISR.
type stateCounts struct{ underReplicated, underMinISR, atMinISR, offline, isrOne int }

// stateSeconds are partition-seconds spent in each state after the warm-up.
type stateSeconds struct{ UnderReplicated, UnderMinISR, AtMinISR, Offline, ISROne float64 }

type sampleTotals struct {
	shrinks, expands, failed, ackedBytes, crossSite, removals int64
}

func (m *clusterMetrics) init(c *Cluster, s *sim.Sim) {
	m.c = c
	m.leaders = make([]int, len(c.topo.Sites))
	m.latest = make([]Offset, len(c.partitions))
	m.produce = hdrhistogram.New(1, 3_600_000_000, 3)
	m.interval = hdrhistogram.New(1, 3_600_000_000, 3)
	for _, p := range c.partitions {
		m.counts.add(p, 1)
		m.countLeader(p, 1)
	}
	m.recountWritable(c)
	m.checker.init(c)
	if iv := c.spec.MetricsInterval; iv > 0 {
		s.Arm(&m.timer, sim.Event{At: s.Now().Add(iv), H: m})
	}
}

// countLeader adds d to the count of p's committed leader's site.
func (m *clusterMetrics) countLeader(p *Partition, d int) {
	if l := p.LeaderBroker(); l >= 0 {
		m.leaders[m.c.brokerAt(l).Site] += d
	}
}

// writable reports whether p accepts acks=all writes: a leader that is up, and a committed ISR
// of at least min.insync.replicas.
func (c *Cluster) writable(p *Partition) bool {
	l := p.LeaderBroker()
	return l >= 0 && !c.brokerAt(l).down && p.meta.ISR.size() >= int(p.minISR)
}

// recountWritable counts the writable partitions afresh (a broker went down or came back).
func (m *clusterMetrics) recountWritable(c *Cluster) {
	m.writable = 0
	for _, p := range c.partitions {
		if c.writable(p) {
			m.writable++
		}
	}
	m.noteWritable()
}

// noteWritable records when every partition became writable again, after m.writable changed
// (m.last is the time of the change: advance ran before it).
func (m *clusterMetrics) noteWritable() {
	all := m.writable == len(m.c.partitions)
	if all && !m.allWritable {
		m.allWritableSince = m.last
	}
	m.allWritable = all
}

func (sc *stateCounts) add(p *Partition, d int) {
	n := p.meta.ISR.size()
	if p.meta.Leader < 0 {
		sc.offline += d
	}
	if n < len(p.Replicas) {
		sc.underReplicated += d
	}
	if n < int(p.minISR) {
		sc.underMinISR += d
	}
	if n == int(p.minISR) {
		sc.atMinISR += d
	}
	if n == 1 {
		sc.isrOne += d
	}
}

// advance integrates the current counts up to now, counting only time after the warm-up.
func (m *clusterMetrics) advance(now sim.Time) {
	from := max(m.last, m.c.warmup)
	if now > from {
		dt := now.Sub(from).Seconds()
		m.seconds.UnderReplicated += dt * float64(m.counts.underReplicated)
		m.seconds.UnderMinISR += dt * float64(m.counts.underMinISR)
		m.seconds.AtMinISR += dt * float64(m.counts.atMinISR)
		m.seconds.Offline += dt * float64(m.counts.offline)
		m.seconds.ISROne += dt * float64(m.counts.isrOne)
		m.writableSeconds += dt * float64(m.writable)
		m.partitionSeconds += dt * float64(len(m.c.partitions))
		if m.activeControllers == 0 {
			m.noControllerSeconds += dt
		}
	}
	m.last = max(m.last, now)
}

// commitISR applies a committed ISR change to the partition's metadata.
func (c *Cluster) commitISR(s *sim.Sim, p *Partition, isr replicaSet) {
	m := p.meta
	c.setMeta(s, p, partitionState{leader: m.Leader, leaderEpoch: m.LeaderEpoch, partitionEpoch: m.PartitionEpoch + 1, isr: isr})
}

func (m *clusterMetrics) observeProduceTime(d time.Duration) {
	_ = m.produce.RecordValue(max(int64(d)/1000, 1))
}

// Handle samples the time series and checks the invariants every metrics interval.
func (m *clusterMetrics) Handle(s *sim.Sim, _ *sim.Event) {
	now := s.Now()
	m.advance(now)
	m.checker.check(now)
	m.series = append(m.series, m.sample(now))
	m.interval.Reset()
	s.ArmAfter(&m.timer, m.c.spec.MetricsInterval, sim.Event{H: m})
}

func (m *clusterMetrics) sample(now sim.Time) []float64 {
	cur := m.totals()
	iv := m.c.spec.MetricsInterval.Seconds()
	rate := func(a, b int64) float64 { return float64(a-b) / iv }
	row := []float64{
		now.Seconds(),
		float64(m.counts.underReplicated), float64(m.counts.underMinISR), float64(m.counts.atMinISR),
		float64(m.counts.offline), float64(m.activeControllers),
		rate(cur.shrinks, m.prev.shrinks), rate(cur.expands, m.prev.expands), rate(cur.failed, m.prev.failed),
		rate(cur.ackedBytes, m.prev.ackedBytes), m.intervalP99(),
		rate(cur.crossSite, m.prev.crossSite), rate(cur.removals, m.prev.removals),
		float64(len(m.c.partitions) - m.writable),
	}
	m.prev = cur
	for _, n := range m.leaders {
		row = append(row, float64(n))
	}
	for _, k := range m.c.consumers {
		row = append(row, k.lag.sample())
	}
	for _, g := range m.c.groups {
		for _, gt := range g.topics {
			lag, ok := gt.lag(m.latest)
			if !ok {
				row = append(row, math.NaN())
				continue
			}
			row = append(row, float64(lag))
		}
	}
	return row
}

// intervalP99 is the p99 produce latency of the interval in ms, NaN when nothing was
// acknowledged in it: no latency was measured, which is not a latency of 0.
func (m *clusterMetrics) intervalP99() float64 {
	if m.interval.TotalCount() == 0 {
		return math.NaN()
	}
	return float64(m.interval.ValueAtQuantile(99)) / 1000
}

func (m *clusterMetrics) totals() sampleTotals {
	var t sampleTotals
	for _, b := range m.c.brokers {
		t.shrinks += b.metrics.IsrShrinks
		t.expands += b.metrics.IsrExpands
		t.failed += b.metrics.FailedProduceRequests
	}
	for _, p := range m.c.producers {
		t.ackedBytes += p.metrics.allAckedBytes // the warm-up's rows show its traffic too
	}
	t.crossSite = m.c.net.CrossSiteBytes()
	t.removals = m.isrRemovalsAll
	return t
}

// noteControllerISRRemovals counts n ISR removals written by the controller at now.
func (m *clusterMetrics) noteControllerISRRemovals(now sim.Time, n int64) {
	m.isrRemovalsAll += n
	if now >= m.c.warmup {
		m.isrRemovals += n
	}
}

// ControllerISRRemovals returns how many times, after the warm-up, the controller took a broker
// out of a partition's ISR because it fenced the broker, shut it down (controlled shutdown) or saw
// it register again. These are not ISR shrinks: Kafka's IsrShrinksPerSec counts only the shrinks
// a leader asks for (replica.lag.time.max.ms).
func (c *Cluster) ControllerISRRemovals() int64 { return c.metrics.isrRemovals }

// Series returns the sampled time series, one row per metrics interval from time 0 (the warm-up
// included), columns as SeriesColumns. A figure with no samples in its interval (produce_p99_ms
// when nothing was acknowledged) is NaN.
func (c *Cluster) Series() [][]float64 { return c.metrics.series }

// StateSeconds returns the partition-seconds spent in each ISR state after the warm-up, up to now.
func (c *Cluster) StateSeconds(now sim.Time) stateSeconds {
	c.metrics.advance(now)
	return c.metrics.seconds
}

// PartitionSeconds returns the partition-time measured after the warm-up, up to now: the
// denominator of Resilience.WritableFraction, which is undefined when it is 0.
func (c *Cluster) PartitionSeconds(now sim.Time) float64 {
	c.metrics.advance(now)
	return c.metrics.partitionSeconds
}

// ProduceTotalTime returns the broker-side produce TotalTimeMs histogram, in µs.
func (c *Cluster) ProduceTotalTime() *hdrhistogram.Histogram { return c.metrics.produce }
