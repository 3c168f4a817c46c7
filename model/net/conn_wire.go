package net

import (
	"math"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// A connection direction's chunks on the wire: transmission over the path, arrival, and the
// acknowledgements that free the window.

// sendChunk transmits one chunk starting at t, records it for the window and returns when it
// arrives (Never if the path dropped it).
func (h *Half) sendChunk(t sim.Time, chunk units.Bytes) sim.Time {
	r := flight{bytes: chunk, sent: t}
	r.arrival, r.ackAt = h.transmit(t, chunk)
	h.seq += chunk
	r.end = h.seq
	h.inflight += chunk
	h.acks.Push(r)
	return r.arrival
}

// retireAcks frees the window of every chunk acknowledged by now. Acknowledgements are
// cumulative: one that gets through also covers the chunks that arrived before its own, even if
// theirs were lost; nothing is acknowledged past a chunk whose data was lost.
func (h *Half) retireAcks(now sim.Time) {
	if h.isDead() {
		return
	}
	cover, n := sim.Time(math.MinInt64), 0
	for i, r := range h.acks.All() {
		if r.ackAt > now || h.fwd.lost(r.sent, r.arrival) {
			break
		}
		if !h.rev.lost(r.arrival, r.ackAt) {
			cover = max(cover, r.arrival)
		}
		if r.arrival <= cover {
			n = i + 1
		}
	}
	for range n {
		r := h.acks.Front()
		h.inflight -= r.bytes
		h.una = r.end
		h.acks.Pop()
	}
	if h.rec.active && h.una >= h.rec.end {
		h.endRecovery()
	}
}

// transmit sends one chunk through sender NIC, link, propagation and receiver NIC, each serving
// bytes in the order they reach it (timeline), and returns
// when it arrives (never before the previous chunk) and when its acknowledgement returns. A
// chunk sent into a down path leaves the sender's NIC and is dropped: both times are Never.
func (h *Half) transmit(now sim.Time, chunk units.Bytes) (arrival, ackAt sim.Time) {
	n := h.net
	src, dst := &n.nodes[h.from], &n.nodes[h.to]
	p := h.fwd
	n.Bytes[int(src.site)*n.sites+int(dst.site)] += int64(chunk)
	cur := n.s.Now()
	t := src.tx.reserve(cur, now, chunk)
	if p.down {
		return sim.Never, sim.Never
	}
	if src.site != dst.site {
		t = p.bw.reserve(cur, t, chunk)
	}
	d := p.oneWay()
	h.rtt = 2 * d
	t = t.Add(d + p.lossDelay(chunk, 2*d))
	// The receiving NIC is booked for when the chunk arrives, not when it was sent: bytes from a
	// near host sent after a far host's are not queued behind them (timeline).
	t = dst.rx.reserve(cur, t, chunk)
	arrival = max(t, h.last)
	h.last = arrival
	return arrival, arrival.Add(d)
}
