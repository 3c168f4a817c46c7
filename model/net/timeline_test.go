package net

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// TestTimelineServesInArrivalOrder checks the timeline's rule directly: a booking for bytes that
// arrive earlier than bytes booked before it goes first when it fits in the idle gap, else fills
// the gaps around the earlier booking and finishes after it; a booking inside a busy span waits
// for its end.
func TestTimelineServesInArrivalOrder(t *testing.T) {
	l := timeline{nsPerByte: 1} // 1 ns per byte
	assert.Equal(t, sim.Time(1100), l.reserve(0, 1000, 100), "far chunk: arrives at 1000")
	assert.Equal(t, sim.Time(60), l.reserve(0, 10, 50), "near chunk booked later but arriving first")
	assert.Equal(t, sim.Time(1150), l.reserve(0, 1050, 50), "arrives during a busy span: waits for its end")
	// 200 bytes arriving at 900: 100 before the span [1000, 1150), 100 after it.
	assert.Equal(t, sim.Time(1250), l.reserve(0, 900, 200), "split around a span booked earlier")
	assert.Equal(t, []span{{10, 60}, {900, 1250}}, l.spans, "touching spans merge")
	assert.Equal(t, sim.Time(1260), l.reserve(1200, 1200, 10), "queued behind the rest")
	assert.Equal(t, []span{{900, 1260}}, l.prune(1200), "spans ended by now are dropped")
	assert.Equal(t, sim.Time(5010), l.reserve(5000, 5000, 10))
	assert.Equal(t, []span{{5000, 5010}}, l.spans, "every span over: the timeline starts afresh")
	u := timeline{}
	assert.Equal(t, sim.Time(5), u.reserve(0, 5, 1e9), "unlimited: no wait")
}

// TestTimelineMatchesFIFOInOrder checks that bookings made in arrival order are served exactly as
// a FIFO serves them (each booking starts when it arrives or when the one before it ends), and
// that the busy time always equals the bytes booked.
func TestTimelineMatchesFIFOInOrder(t *testing.T) {
	rnd := sim.New(7).Stream("t")
	l := timeline{nsPerByte: 0.8}
	var at, busyUntil sim.Time
	for range 10000 {
		at += sim.Time(rnd.Int64N(2000))
		b := units.Bytes(1 + rnd.Int64N(3000))
		busyUntil = max(busyUntil, at) + sim.Time(float64(b)*0.8)
		require.Equal(t, busyUntil, l.reserve(at, at, b))
	}
	var busy, want sim.Time
	g := timeline{nsPerByte: 1}
	for range 2000 {
		t0 := sim.Time(rnd.Int64N(1e6))
		b := units.Bytes(1 + rnd.Int64N(500))
		want += sim.Time(b)
		g.reserve(0, t0, b)
	}
	for i, sp := range g.spans {
		busy += sp.end - sp.start
		if i > 0 {
			require.Less(t, g.spans[i-1].end, sp.start, "spans are disjoint and do not touch")
		}
	}
	assert.Equal(t, want, busy, "work conserving: busy time is the bytes booked")
}
