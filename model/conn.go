package model

import (
	"math"
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// mss is the TCP payload per segment on a 1500-byte MTU path.
const mss = 1448

// minRTO is Linux's minimum retransmission timeout (TCP_RTO_MIN).
const minRTO = 200 * time.Millisecond

// Half is one direction of a TCP connection: it delivers whole messages, in order, to the
// receiving node's Endpoint, with at most Window bytes unacknowledged. Acknowledgements travel
// back one one-way delay after the data arrives, so a single connection carries at most
// Window/RTT — the mechanism that throttles cross-site replication with default socket buffers.
//
// Modelling choices: the congestion window is assumed open (long-lived connections), so the
// receive window alone limits a connection; a lost segment delays its chunk by a fast retransmit
// (one RTT) when enough segments follow it to trigger three duplicate acks, else by an RTO.
type Half struct {
	net      *Network
	from, to NodeID
	peer     *Half
	window   Bytes
	inflight Bytes
	acks     []pendingAck  // in ack order
	queue    queue[outMsg] // messages not yet fully handed to the network
	last     sim.Time      // arrival time of the latest chunk: delivery stays in order
	wake     sim.Timer
	epoch    int64 // bumped on reset: deliveries of an earlier epoch are dropped
	closed   bool
}

type pendingAck struct {
	at    sim.Time
	bytes Bytes
}

type outMsg struct {
	msg       any
	remaining Bytes
}

// Connect opens a TCP connection between a and b. windowAB is the receive buffer of b (it limits
// a→b), windowBA that of a; -1 means OS autotuning. It returns the a→b half; its Peer is b→a.
func (n *Network) Connect(a, b NodeID, windowAB, windowBA Bytes) *Half {
	ab := &Half{net: n, from: a, to: b, window: effectiveWindow(windowAB)}
	ba := &Half{net: n, from: b, to: a, window: effectiveWindow(windowBA)}
	ab.peer, ba.peer = ba, ab
	return ab
}

func effectiveWindow(w Bytes) Bytes {
	if w <= 0 {
		return autotunedWindow
	}
	return w
}

// Peer returns the reverse direction of the connection.
func (h *Half) Peer() *Half { return h.peer }

// From returns the sending node.
func (h *Half) From() NodeID { return h.from }

// To returns the receiving node.
func (h *Half) To() NodeID { return h.to }

// Window returns the receive window that limits this direction.
func (h *Half) Window() Bytes { return h.window }

// Send queues msg of the given wire size for delivery to the receiving node.
func (h *Half) Send(s *sim.Sim, msg any, size Bytes) { h.SendAt(s, s.Now(), msg, size) }

// SendAt is Send for a message that leaves the sender at time at >= now, a moment after the
// event that produced it (a thread finishing its work). When the connection has nothing queued
// and the window room, the message goes at once with its transmission starting at at;
// otherwise it queues as usual (and leaves no earlier than at's turn in the queue).
func (h *Half) SendAt(s *sim.Sim, at sim.Time, msg any, size Bytes) {
	if h.closed {
		return
	}
	h.queue.push(outMsg{msg: msg, remaining: max(size, 1)})
	h.pumpFrom(s, at)
}

// Reset drops everything queued or in flight in both directions, as a TCP RST does, and
// reopens the connection empty.
func (h *Half) Reset() {
	for _, x := range []*Half{h, h.peer} {
		x.epoch++
		x.queue.reset()
		x.acks = x.acks[:0]
		x.inflight = 0
		x.wake.Stop()
	}
}

// Close resets the connection and makes both halves drop whatever is sent on them later.
func (h *Half) Close() {
	h.Reset()
	h.closed, h.peer.closed = true, true
}

// Closed reports whether the connection was closed.
func (h *Half) Closed() bool { return h.closed }

// Backlog returns the bytes queued but not yet sent: what waits for the window.
func (h *Half) Backlog() Bytes {
	var b Bytes
	for _, m := range h.queue.all() {
		b += m.remaining
	}
	return b
}

// Half events.
const (
	halfDeliver int32 = iota
	halfWake
)

// Handle delivers a message or resumes sending after the window reopened.
func (h *Half) Handle(s *sim.Sim, ev *sim.Event) {
	switch ev.Kind {
	case halfDeliver:
		if ev.A != h.epoch {
			return
		}
		h.net.nodes[h.to].endpoint.Deliver(s, h, ev.Data)
	case halfWake:
		h.pump(s)
	}
}

// pump hands queued bytes to the network while the window allows, then, if bytes remain,
// sleeps until the earliest acknowledgement.
func (h *Half) pump(s *sim.Sim) { h.pumpFrom(s, s.Now()) }

// pumpFrom is pump with transmissions starting no earlier than start.
func (h *Half) pumpFrom(s *sim.Sim, start sim.Time) {
	now := s.Now()
	h.retireAcks(now)
	for h.queue.len() > 0 && h.inflight < h.window {
		m := h.queue.front()
		chunk := min(h.window-h.inflight, m.remaining)
		arrival, ackAt := h.transmit(max(now, start), chunk)
		h.inflight += chunk
		h.acks = append(h.acks, pendingAck{at: ackAt, bytes: chunk})
		m.remaining -= chunk
		if m.remaining == 0 {
			s.Schedule(sim.Event{At: arrival, H: h, Kind: halfDeliver, A: h.epoch, Data: m.msg})
			h.queue.pop()
		}
	}
	if h.queue.len() > 0 && !h.wake.Armed() {
		s.Arm(&h.wake, sim.Event{At: h.acks[0].at, H: h, Kind: halfWake})
	}
}

// retireAcks frees the window of every chunk acknowledged by now.
func (h *Half) retireAcks(now sim.Time) {
	i := 0
	for i < len(h.acks) && h.acks[i].at <= now {
		h.inflight -= h.acks[i].bytes
		i++
	}
	if i > 0 {
		h.acks = append(h.acks[:0], h.acks[i:]...)
	}
}

// transmit sends one chunk through sender NIC, link, propagation and receiver NIC, and returns
// when it arrives (never before the previous chunk) and when its acknowledgement returns.
func (h *Half) transmit(now sim.Time, chunk Bytes) (arrival, ackAt sim.Time) {
	n := h.net
	src, dst := &n.nodes[h.from], &n.nodes[h.to]
	p := n.path(h.from, h.to)
	n.Bytes[int(src.site)*n.sites+int(dst.site)] += int64(chunk)
	t := src.tx.reserve(now, chunk)
	if src.site != dst.site {
		t = p.bw.reserve(t, chunk)
	}
	d := p.oneWay()
	t = t.Add(d + p.lossDelay(chunk, 2*d))
	t = dst.rx.reserve(t, chunk)
	arrival = max(t, h.last)
	h.last = arrival
	return arrival, arrival.Add(d)
}

// lossDelay returns the extra delay of a chunk if one of its segments is lost.
func (l *link) lossDelay(chunk Bytes, rtt time.Duration) time.Duration {
	if l.loss <= 0 {
		return 0
	}
	segs := int((chunk + mss - 1) / mss)
	if l.lrnd.Float64() >= 1-math.Pow(1-l.loss, float64(segs)) {
		return 0
	}
	if segs >= 4 {
		return rtt // fast retransmit after three duplicate acks
	}
	return max(minRTO, rtt) + rtt
}
