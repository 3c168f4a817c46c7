package model

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// Mechanisms that make bytes or requests wait (Limit.Mechanism).
const (
	LimitTCPWindow      = "tcp-window"      // a connection direction with bytes queued behind a full window
	LimitMaxInFlight    = "max-in-flight"   // a producer batch ready for a broker at max.in.flight.requests.per.connection
	LimitUnreadRequests = "unread-requests" // requests queued unread at a broker behind one being handled (reference §2.8a)
	LimitBufferMemory   = "buffer-memory"   // a producer's send() blocked on buffer.memory
	LimitCompression    = "compression"     // a producer's batches held back until its threads have compressed them (compression.type; KafkaProducer.send, ProducerBatch.close)
	LimitLinkBandwidth  = "link-bandwidth"  // bytes queued at a site pair's shared link
	LimitNICBandwidth   = "nic-bandwidth"   // bytes queued at a node's NIC
	LimitRequestThreads = "request-threads" // requests queued for a broker's num.io.threads
	LimitDisk           = "disk"            // appends queued at a broker's disk
	LimitFetchMaxBytes  = "fetch-max-bytes" // bytes a leader had but left out of a follower's fetch response
)

// Limit is one mechanism that made bytes or requests wait, the setting that sets it and where it
// binds, over the measured window (from the warm-up to now).
type Limit struct {
	Mechanism string // one of the Limit* constants
	Setting   string // the Kafka or scenario setting, e.g. "replica.socket.receive.buffer.bytes"
	Where     string // the site pair ("dc-a->dc-b", sender first), broker ("broker 4") or client ("producer checkout")
	// Waited is the measured time during which at least one byte or request waited for this
	// reason at this place: the union of the waiting intervals, not their sum.
	Waited time.Duration
	// Share is Waited over the measured window, in [0, 1]; 0 when no time was measured.
	Share float64
}

type limitKey struct{ mechanism, setting, where string }

// waitSlot accounts the waiting for one (mechanism, setting, where). Waits are either counted
// (begin/end: the union is the time with n > 0) or, for a resource that books its future ahead
// (the network's NICs and links, fifo), added as intervals that start no earlier than the
// current time (addSpan). Only the part after the warm-up is accumulated.
type waitSlot struct {
	key    limitKey
	warmup sim.Time
	n      int32    // waiters now. Invariant: n >= 0
	since  sim.Time // start of the current wait, while n > 0
	ended  sim.Time // end of the latest counted wait: the union before it is in total
	// spans are the booked waiting intervals not yet folded into total: sorted, disjoint, not
	// touching. Invariant: none starts before the current time when it is added.
	spans []span
	total time.Duration // measured waiting of the closed intervals
}

// span is a waiting interval [start, end).
type span struct{ start, end sim.Time }

// pruneAt is the number of spans at which those that ended are folded into the total.
const pruneAt = 32

// measured returns the part of [a, b) after the warm-up.
func (w *waitSlot) measured(a, b sim.Time) time.Duration {
	return max(0, b.Sub(max(a, w.warmup)))
}

// begin counts a waiter from time at (<= now; a wait found late starts when it did, but no
// earlier than the end of the latest wait, whose time is counted already). The union is exact
// when a late wait starts no earlier than the end of the slot's latest counted wait; before it,
// a gap between earlier waits would go uncounted. The one caller that begins late, a producer's
// send() blocked on buffer.memory (Producer.catchUp), keeps to that: its slot is its own and it
// waits once at a time, so a late wait never starts before an earlier one ended.
func (w *waitSlot) begin(at sim.Time) {
	if w == nil {
		return
	}
	at = max(at, w.ended)
	if w.n == 0 || at < w.since {
		w.since = at
	}
	w.n++
}

// end uncounts a waiter at now.
func (w *waitSlot) end(now sim.Time) {
	if w == nil {
		return
	}
	w.n--
	if w.n == 0 {
		w.total += w.measured(w.since, now)
		w.ended = now
	}
}

// set moves one waiter's state to waiting, counting the transition; it returns the new state.
func (w *waitSlot) set(was, waiting bool, now sim.Time) bool {
	if w == nil || was == waiting {
		return waiting
	}
	if waiting {
		w.begin(now)
	} else {
		w.end(now)
	}
	return waiting
}

// addSpan adds the waiting interval [a, b), a >= now, to the union.
func (w *waitSlot) addSpan(now, a, b sim.Time) {
	if w == nil || b <= a {
		return
	}
	sp := w.spans
	n := len(sp)
	switch {
	case n > 0 && a <= sp[n-1].end && a >= sp[n-1].start:
		sp[n-1].end = max(sp[n-1].end, b)
		return
	case n == 0 || a > sp[n-1].end:
		if n > 0 && (sp[n-1].end <= now || n >= pruneAt) {
			sp = w.fold(now)
		}
		w.spans = append(sp, span{a, b})
		return
	}
	// i: the first span ending at or after a; j: the first starting after b.
	i, _ := slices.BinarySearchFunc(sp, a, func(s span, t sim.Time) int { return cmp.Compare(s.end, t) })
	j, _ := slices.BinarySearchFunc(sp, b, func(s span, t sim.Time) int {
		if s.start <= t {
			return -1
		}
		return 1
	})
	m := span{a, b}
	if i < j {
		m = span{min(a, sp[i].start), max(b, sp[j-1].end)}
	}
	w.spans = slices.Replace(sp, i, j, m)
}

// fold moves the spans that ended by now into total and returns the rest.
func (w *waitSlot) fold(now sim.Time) []span {
	k := 0
	for k < len(w.spans) && w.spans[k].end <= now {
		w.total += w.measured(w.spans[k].start, w.spans[k].end)
		k++
	}
	if k > 0 {
		w.spans = append(w.spans[:0], w.spans[k:]...)
	}
	return w.spans
}

// waited returns the measured waiting up to now.
func (w *waitSlot) waited(now sim.Time) time.Duration {
	d := w.total
	if w.n > 0 {
		d += w.measured(w.since, now)
	}
	for _, s := range w.spans {
		if s.start < now {
			d += w.measured(s.start, min(s.end, now))
		}
	}
	return d
}

// netWait is a waitSlot as the network's net.WaitRecorder.
type netWait struct{ w *waitSlot }

func (n netWait) Begin(at sim.Time)          { n.w.begin(at) }
func (n netWait) End(now sim.Time)           { n.w.end(now) }
func (n netWait) AddSpan(now, a, b sim.Time) { n.w.addSpan(now, a, b) }

// limitBook holds the wait slots of a cluster, one per (mechanism, setting, where), in the order
// they were first asked for.
type limitBook struct {
	warmup sim.Time
	slots  []*waitSlot
	index  map[limitKey]*waitSlot // used when wiring components, never per event
}

// slot returns the slot of (mechanism, setting, where), creating it on first use.
func (l *limitBook) slot(mechanism, setting, where string) *waitSlot {
	k := limitKey{mechanism, setting, where}
	if w, ok := l.index[k]; ok {
		return w
	}
	if l.index == nil {
		l.index = map[limitKey]*waitSlot{}
	}
	w := &waitSlot{key: k, warmup: l.warmup}
	l.index[k] = w
	l.slots = append(l.slots, w)
	return w
}

// mechanismRank orders mechanisms from the wire up to the application: a wait downstream backs
// up into those upstream (a slow commit keeps requests unread, which keeps the producer at its
// in-flight limit, which fills its buffer), so among equal shares the downstream one is the cause.
// A producer's compression waits for nothing but its own cores, and holds back batches already
// drained into requests: its wait backs up into the in-flight limit and the buffer, so it ranks
// before them.
var mechanismRank = map[string]int{
	LimitLinkBandwidth: 0, LimitNICBandwidth: 1, LimitDisk: 2, LimitTCPWindow: 3, LimitFetchMaxBytes: 4,
	LimitRequestThreads: 5, LimitUnreadRequests: 6, LimitCompression: 7, LimitMaxInFlight: 8, LimitBufferMemory: 9,
}

// Limits returns every mechanism that made something wait in the measured window (the warm-up
// to now), most binding first: by share, at a percent's resolution, then from the wire up
// (mechanismRank), then by setting and place.
func (c *Cluster) Limits(now sim.Time) []Limit {
	window := now.Sub(c.warmup)
	var out []Limit
	for _, w := range c.limits.slots {
		d := w.waited(now)
		if d <= 0 || window <= 0 {
			continue
		}
		out = append(out, Limit{Mechanism: w.key.mechanism, Setting: w.key.setting, Where: w.key.where,
			Waited: d, Share: min(1, float64(d)/float64(window))})
	}
	slices.SortStableFunc(out, func(a, b Limit) int {
		return cmp.Or(cmp.Compare(math.Round(b.Share*100), math.Round(a.Share*100)),
			cmp.Compare(mechanismRank[a.Mechanism], mechanismRank[b.Mechanism]),
			cmp.Compare(b.Share, a.Share), cmp.Compare(a.Setting, b.Setting), cmp.Compare(a.Where, b.Where))
	})
	return out
}
