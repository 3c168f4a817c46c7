package net

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// TestSegmentRuleCostsNoThroughput checks that the sender's silly-window avoidance costs a
// window-limited connection at most part of a segment per round trip: with messages of many
// sizes, which cut the chunks at new places each round trip, and acknowledgements that free the
// window piece by piece, the throughput stays at the bound, window/RTT, and the chunks in flight
// stay few. (A rule that waited for more than a segment, or for the whole window, would fall
// below the bound; the case that fragments without the rule is the next test's.)
func TestSegmentRuleCostsNoThroughput(t *testing.T) {
	s := sim.New(1)
	rtt := 20 * time.Millisecond
	n := twoSiteNet(s, rtt, 0)
	k := &sink{}
	a, b := n.AddNode(0, 0, &sink{}), n.AddNode(1, 0, k)
	const window = 64 * units.KiB
	h := n.Connect(a, b, window, window)
	const msgs = 20000 // about 1.9 s at 64 KiB per 20 ms
	var total units.Bytes
	for i := range msgs {
		size := 1000 + units.Bytes(i*7919%4001) // 1,000 to 5,000 bytes
		total += size
		h.Send(s, i, size)
	}
	most := sampleInFlight(s, h, 0)
	s.Run()
	require.Len(t, k.got, msgs)
	assert.LessOrEqual(t, *most, 2*int(window/mss)+2, "chunks in flight")
	rate := float64(total) / k.at[msgs-1].Seconds()
	bound := float64(window) / rtt.Seconds()
	assert.LessOrEqual(t, rate, bound*1.001)
	assert.Greater(t, rate, bound*0.97, "the window is refilled a segment at a time, at most a segment short")
}

// TestSmallMessagesDoNotShrinkTheSegments checks the case that made a fuzzed run crawl: a
// window filled with small messages, then a large one queued behind them. Each small message's
// acknowledgement frees its few bytes, one NIC serialisation after the other; a sender that
// refilled every opening at once would carry the large message in pieces of the same few bytes,
// for ever. The sender waits for a segment's worth instead.
func TestSmallMessagesDoNotShrinkTheSegments(t *testing.T) {
	s := sim.New(1)
	rtt := 20 * time.Millisecond
	n := twoSiteNet(s, rtt, 0)
	k := &sink{}
	a, b := n.AddNode(0, 10e9, &sink{}), n.AddNode(1, 10e9, k)
	const window = 64 * units.KiB
	h := n.Connect(a, b, window, window)
	const small, large = 2048, 50
	for i := range small {
		h.Send(s, i, 32)
	}
	for i := range large {
		h.Send(s, small+i, 60*units.KiB)
	}
	most := sampleInFlight(s, h, sim.Time(2*rtt)) // from when the small messages are delivered
	s.Run()
	require.Len(t, k.got, small+large)
	assert.LessOrEqual(t, *most, 2*int(window/mss)+2, "chunks in flight")
	// Each round trip of the large messages moves a window but for at most a segment.
	took := k.at[small+large-1] - k.at[small-1]
	rounds := float64(large*60*units.KiB) / float64(window-mss)
	assert.Less(t, took.Seconds(), (rounds+2)*rtt.Seconds())
}

// TestSegmentSize checks the segment the sender waits room for: the path's MSS (1448 bytes), or
// half the window when that is smaller (Linux tcp_bound_to_half_wnd), or the whole of a window of
// at most 536 bytes (TCP_MSS_DEFAULT).
func TestSegmentSize(t *testing.T) {
	for _, c := range []struct{ window, want units.Bytes }{
		{64 * units.KiB, mss}, {2896, mss}, {2000, 1000}, {1000, 500}, {537, 268}, {536, 536}, {100, 100},
	} {
		h := &Half{window: c.window}
		assert.Equal(t, c.want, h.segment(), "window %d", c.window)
	}
}

// sampleInFlight records, every millisecond from from until h has nothing queued, the most chunks
// h has in flight.
func sampleInFlight(s *sim.Sim, h *Half, from sim.Time) *int {
	most := new(int)
	var sample sim.Handler
	sample = sendFn(func(s *sim.Sim) {
		*most = max(*most, h.acks.Len())
		if !h.Idle() {
			s.After(time.Millisecond, sim.Event{H: sample})
		}
	})
	s.Schedule(sim.Event{At: from, H: sample})
	return most
}

// TestMessageNotWrittenYetHoldsNothingBack checks that the segment rule counts only what the
// application has written: a 200-byte message, ready, queued ahead of a 64 KiB one that its
// sender finishes only at 200 ms (SendAt: a compressing producer's next request). When a 300-byte
// acknowledgement reopens the full window, Linux's write queue holds the 200 bytes alone, which
// fit: they leave then, not a whole chunk's acknowledgement later for want of a segment's room.
// And the 100 bytes left over are not given to the later message: when it is written, Linux
// tests the window for it on its own.
func TestMessageNotWrittenYetHoldsNothingBack(t *testing.T) {
	s := sim.New(1)
	n := twoSiteNet(s, 50*time.Millisecond, 100e6)
	k := &sink{}
	a, b := n.AddNode(0, 0, &sink{}), n.AddNode(1, 0, k)
	const window = 64 * units.KiB
	h := n.Connect(a, b, window, window)
	h.Send(s, 0, 300)
	h.Send(s, 1, window-300) // the window is full: its acknowledgement comes 5 ms after the first's
	h.Send(s, 2, 200)
	h.SendAt(s, 200*ms, 3, window)
	s.RunUntil(52 * ms) // after the first acknowledgement, before the second
	require.Equal(t, 1, h.queue.Len())
	assert.Equal(t, window, h.queue.Front().remaining, "the 100 bytes left over are no room for a message written at 200 ms")
	s.Run()
	require.Equal(t, []int{0, 1, 2, 3}, k.got)
	firstAck := 50*ms + sim.Time(300*8*time.Second/100e6)
	assert.Less(t, k.at[2], firstAck+26*ms, "sent when the first acknowledgement freed 300 bytes")
	assert.GreaterOrEqual(t, k.at[3], 225*ms, "the later message still leaves at its start")
}
