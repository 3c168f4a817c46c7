package model

import (
	"math"

	"github.com/stretchsim/stretchsim/sim"
)

// consumerLag is a consumer's records-lag metric (FetchMetricsManager.recordPartitionLag, :121,
// called by FetchCollector.fetchRecords, FetchCollector.java:190, for every partition of a Fetch
// response it consumes): the lag of a partition is the high watermark the response carried less
// the consumer's position once it has consumed the response's records
// (SubscriptionState.partitionLag, :562, read_uncommitted). records-lag-max is the sensor's Max
// (FetchMetricsManager.java:72). Kafka's application takes at most max.poll.records (500) per
// poll and records a lag at each; the model's consumes a whole response at once (the property is
// not modelled), so a lag is recorded once per partition and response.
//
// It also times how long the consumer takes to catch up: an episode begins when the consumer
// starts, and again when its host comes back after a site outage; the consumer has caught up at
// the first response after which every partition of its topic has recorded a lag of 0 at least
// once since the episode began.
type consumerLag struct {
	zero   []bool // partition i recorded a lag of 0 in this episode
	behind int    // partitions that have not, in this episode
	since  sim.Time
	at     sim.Time // when behind reached 0 in this episode; Never until then
	begun  bool     // an episode began

	max      Offset // records-lag-max after the warm-up; -1: nothing recorded
	interval Offset // records-lag-max since the last series sample; -1: nothing recorded
}

func (l *consumerLag) init(parts int) {
	l.zero = make([]bool, parts)
	l.max, l.interval, l.at = -1, -1, sim.Never
}

// begin starts an episode at now: every partition is behind until it records a lag of 0.
func (l *consumerLag) begin(now sim.Time) {
	clear(l.zero)
	l.behind, l.since, l.at, l.begun = len(l.zero), now, sim.Never, true
}

// record records partition i's lag at now.
func (l *consumerLag) record(now sim.Time, i int, lag Offset, warmup sim.Time) {
	if now >= warmup {
		l.max = max(l.max, lag)
	}
	l.interval = max(l.interval, lag)
	if lag <= 0 && !l.zero[i] {
		l.zero[i] = true
		if l.behind--; l.behind == 0 {
			l.at = now
		}
	}
}

// sample returns records-lag-max since the last sample, NaN when nothing was recorded (Kafka's
// Max of no sample is NaN too), and starts the next interval.
func (l *consumerLag) sample() float64 {
	v := l.interval
	l.interval = -1
	if v < 0 {
		return math.NaN()
	}
	return float64(v)
}

// RecordsLagMax returns the consumer's records-lag-max over the measured window (after the
// warm-up); ok is false when it recorded no lag then.
func (c *Consumer) RecordsLagMax() (lag int64, ok bool) {
	return int64(c.lag.max), c.lag.max >= 0
}

// CatchUp returns when the consumer's latest episode began (its start, or its host's return
// after a site outage) and when it had caught up: every partition had recorded a lag of 0 in a
// Fetch response since. caughtUp is false when it had not by now, or never started.
func (c *Consumer) CatchUp() (since, at sim.Time, caughtUp bool) {
	l := &c.lag
	return l.since, l.at, l.begun && l.at != sim.Never
}

// Started reports whether the consumer has started (whether it still runs or not).
func (c *Consumer) Started() bool { return c.lag.begun }
