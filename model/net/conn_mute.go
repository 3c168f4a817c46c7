package net

import (
	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// The receiving side of a connection direction (reference §2.8a): a Kafka broker reads one
// request per connection at a time, muting the channel until it has written the response.

// Mute makes the receiver stop reading this direction, as a Kafka broker does after reading a
// request (reference §2.8a: SocketServer.Processor.processCompletedReceives → selector.mute).
// Messages that arrive meanwhile wait unread in the receive buffer. It returns the connection's
// epoch, for Reply and UnmuteEpoch: a reset connection is not unmuted by an answer to a request
// of its earlier life.
func (h *Half) Mute() int64 {
	h.muted = true
	return h.epoch
}

// Reply sends msg back on the reverse of this direction, where a request read under Mute (epoch
// from Mute) came in, and unmutes this direction once msg is written to the socket: its last
// byte handed to the network within the window (Processor.processCompletedSends →
// tryUnmuteChannel). The next request, already in the receive buffer, is read then.
func (h *Half) Reply(s *sim.Sim, epoch int64, msg any, size units.Bytes) {
	p := h.peer
	if p.closed || p.net.nodes[p.from].down || h.epoch != epoch {
		return // a reset connection: the answer has nowhere to go (the channel is closed)
	}
	size = max(size, 1)
	p.queue.Push(outMsg{msg: msg, size: size, remaining: size, unmute: h, unmuteEpoch: epoch})
	p.queued += size
	p.pump(s)
}

// UnmuteEpoch unmutes a direction muted at epoch (Kafka's NoOpResponse for a request answered with
// nothing, acks=0 produce), unless the connection was reset since.
func (h *Half) UnmuteEpoch(s *sim.Sim, epoch int64) {
	if h.epoch == epoch {
		h.unmuteNow(s)
	}
}

// unmuteNow lets the receiver read again and hands it the messages waiting unread, in order,
// until it mutes again. The room they took in the receive buffer reaches the sender with the
// next acknowledgement, a one-way delay later.
func (h *Half) unmuteNow(s *sim.Sim) {
	if !h.muted {
		return
	}
	held := h.held() // whole unread messages, and the arrived part of the next one
	h.muted = false
	for !h.muted && h.unread.Len() > 0 {
		m := *h.unread.Front()
		h.unread.Pop()
		h.readEnd = m.end
		h.net.nodes[h.to].endpoint.Deliver(s, h, m.msg)
	}
	if held > h.held() && h.queue.Len() > 0 {
		s.ArmEarlier(&h.wake, sim.Event{At: s.Now().Add(h.rtt / 2), H: h, Kind: halfWake})
	}
	h.track(s.Now())
}

// held returns the bytes the sender knows have arrived (acknowledged) but the muted receiver has
// not read: they sit in its receive buffer and shrink the window it advertises. A receiver that
// is not muted reads bytes as they arrive, before their acknowledgement is back, and holds none.
func (h *Half) held() units.Bytes {
	if !h.muted {
		return 0
	}
	return max(0, h.una-h.readEnd)
}

// unmuteWritten unmutes the connections whose replies pump has just written. It runs after
// the pump loop, since a receiver that reads its next request may reply at once on this half.
func (h *Half) unmuteWritten(s *sim.Sim) {
	for len(h.written) > 0 {
		m := h.written[0]
		h.written = append(h.written[:0], h.written[1:]...)
		m.unmute.UnmuteEpoch(s, m.unmuteEpoch)
	}
}
