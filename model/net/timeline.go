package net

import (
	"slices"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// timeline is a resource that serves bytes at a fixed rate (a NIC direction, or the shared link
// of a site pair) in the order the bytes arrive at it, whatever the order they are booked in.
//
// A chunk is booked when it is sent, which for a receiving NIC is a whole one-way delay before
// it arrives: a chunk from a far host, booked first, arrives after a chunk from a near host
// booked a moment later. A plain busy-until counter would serve them in booking order and queue
// the near chunk behind bytes still tens of milliseconds away on the wire (reference §2.8a,
// network model note). The timeline instead keeps the busy spans still ahead of now, and a
// booking fills the idle gaps at or after its arrival, earliest first: a chunk that fits in the
// gap before a later arrival goes through at once; one that does not is served in the gaps
// around the spans already booked (packets of different flows interleave on a NIC), finishing
// after them. The bytes already booked keep their times, so every arrival event already
// scheduled stays valid. Cost per booking: O(log n) to find the gap plus the spans it crosses, n
// being the busy spans ahead (adjacent spans merge, so a saturated resource has few).
type timeline struct {
	nsPerByte float64 // 0: unlimited
	// spans are the busy intervals [start, end): sorted, disjoint, and never touching (touching
	// spans are merged). Those that ended before now are dropped from time to time (prune).
	spans []span
	// wait, if set, accounts the time bytes waited here for the rate (nic-bandwidth,
	// link-bandwidth): from their arrival to the start of their service.
	wait WaitRecorder
}

type span struct{ start, end sim.Time }

// reserve books bytes arriving at t >= now and returns when the last of them has been served.
// now is the current virtual time: no later booking can arrive before it, so spans ended by
// then are dropped.
func (l *timeline) reserve(now, t sim.Time, bytes units.Bytes) sim.Time {
	if l.nsPerByte == 0 {
		return t
	}
	need := sim.Time(float64(bytes) * l.nsPerByte)
	sp := l.spans
	n := len(sp)
	// The usual cases: the arrival is after every booked byte, or during the last busy span.
	if n == 0 || t > sp[n-1].end {
		switch {
		case n > 0 && sp[n-1].end <= now:
			sp = sp[:0] // every span is over: start afresh in the same array
		case n >= pruneAt:
			sp = l.prune(now)
		}
		l.spans = append(sp, span{t, t + need})
		return t + need
	}
	if t >= sp[n-1].start {
		if l.wait != nil {
			l.wait.AddSpan(now, t, sp[n-1].end)
		}
		t = max(t, sp[n-1].end)
		sp[n-1].end = t + need
		return t + need
	}
	// i: the first span that ends after t. Spans that ended by now end before it too, so spans
	// not yet pruned are passed over.
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if sp[m].end <= t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	i := lo
	need0 := need
	start, cur, j := t, t, i
	if sp[j].start <= t { // t falls inside a busy span: wait for its end
		start, cur = sp[j].start, sp[j].end
		j++
	}
	for { // fill the gap before span j, or end after the last span
		if j == n || sp[j].start-cur >= need {
			cur += need
			break
		}
		need -= sp[j].start - cur
		cur = sp[j].end
		j++
	}
	done, end := cur, cur
	if l.wait != nil {
		// Served in the gaps between earlier bookings: taken to have waited from its arrival
		// until its service could have run as one stretch ending when it does.
		l.wait.AddSpan(now, t, done-need0)
	}
	if j < n && sp[j].start == end { // touching the next span: merge
		end = sp[j].end
		j++
	}
	// Spans i..j-1 and the gaps between them become one busy span (inserted if j == i).
	l.spans = slices.Replace(sp, i, j, span{start, end})
	if len(l.spans) >= pruneAt {
		l.prune(now)
	}
	return done
}

// pruneAt is the number of spans at which those that ended are dropped: they are harmless (no
// booking arrives before now) but cost memory and search time.
const pruneAt = 32

// prune drops the spans that ended by now and returns the rest.
func (l *timeline) prune(now sim.Time) []span {
	k, _ := slices.BinarySearchFunc(l.spans, now, func(s span, now sim.Time) int {
		if s.end <= now {
			return -1
		}
		return 1
	})
	if k > 0 { // copy down, so that the array is reused rather than regrown
		l.spans = append(l.spans[:0], l.spans[k:]...)
	}
	return l.spans
}
