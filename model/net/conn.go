package net

import (
	"time"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

const (
	mss    = 1448                   // TCP payload per segment on a 1500-byte MTU path
	minRTO = 200 * time.Millisecond // Linux's minimum retransmission timeout (TCP_RTO_MIN)
)

// Half is one direction of a TCP connection: it delivers whole messages, in order, to the
// receiving node's Endpoint, with at most Window bytes unacknowledged. Acknowledgements travel
// back one one-way delay after the data arrives, so a single connection carries at most
// Window/RTT — the mechanism that throttles cross-site replication with default socket buffers.
//
// Modelling choices: the congestion window is assumed open (long-lived connections), so the
// receive window alone limits a connection; a lost segment delays its chunk by a fast retransmit
// (one RTT) when enough segments follow it to trigger three duplicate acks, else by an RTO. The
// acknowledgement of a chunk takes the same one-way delay as its data. Path outages and down
// nodes: see recovery and Network.SetNodeDown.
type Half struct {
	net      *Network
	from, to NodeID
	peer     *Half
	fwd, rev *link // the paths from→to (data) and to→from (acknowledgements)
	window   units.Bytes
	// Invariant: inflight is the sum of the bytes in acks, <= window.
	inflight units.Bytes
	acks     sim.FIFO[flight]  // chunks sent and not yet acknowledged, in send order
	queue    sim.FIFO[outMsg]  // messages not yet fully handed to the network
	queued   units.Bytes       // their bytes not yet sent (Invariant: the sum of their remaining)
	msgs     sim.FIFO[sentMsg] // messages fully handed to the network, not yet delivered, in order
	// Stream offsets. Invariant: una <= seq.
	seq, una units.Bytes   // after the latest chunk sent; after the latest chunk acknowledged
	last     sim.Time      // arrival time of the latest chunk: delivery stays in order
	started  sim.Time      // transmission start of the latest chunk: a byte stream leaves in order
	hold     sim.Time      // no delivery before: retransmitted chunks are still on their way
	rtt      time.Duration // round trip of the latest chunk: what the RTO starts from
	wake     sim.Timer
	retx     sim.Timer // the retransmission (or give-up) timer of a loss recovery
	rec      recovery
	epoch    int64 // bumped on reset: deliveries of an earlier epoch are dropped
	closed   bool
	// The receiving side's socket (reference §2.8a): while muted, the receiver reads nothing, and
	// messages that arrive wait unread in its receive buffer, where their bytes still take room
	// from the window the receiver advertises (see held).
	muted   bool
	unread  sim.FIFO[sentMsg]
	readEnd units.Bytes // stream offset after the last message the receiver read
	written []outMsg    // replies just written, whose request connections pump unmutes
	waited  bool        // messages waited for the window: the sender is told when they are written
	dead    bool        // a node at one end went down: nothing is delivered or acknowledged until Reset
	// Wait accounting (SetWindowWait, SetUnreadWait), when set: bytes queued behind a full window
	// (tcp-window) and requests waiting unread (unread-requests); the flags are this half's
	// current states. winFrom, when not 0, is the time after now at which the queued bytes start
	// waiting for the window, unless something changes first (trackWindow).
	winWait, unreadWait WaitRecorder
	inWinWait, inUnread bool
	winFrom             sim.Time
}

// flight is a chunk on its way or waiting for its acknowledgement. A chunk sent into a down path
// has arrival and ackAt Never until it is retransmitted.
type flight struct {
	end, bytes           units.Bytes // end is the stream offset after the chunk
	sent, arrival, ackAt sim.Time
}

type outMsg struct {
	msg             any
	size, remaining units.Bytes
	start           sim.Time // its bytes leave no earlier (SendAt)
	// unmute, if set, is the connection a request came in on: once this reply is written to the
	// socket, the receiver reads that connection again (see Reply). unmuteEpoch is its epoch then.
	unmute      *Half
	unmuteEpoch int64
}

// sentMsg is a message whose last chunk has been sent.
type sentMsg struct {
	msg   any
	size  units.Bytes
	end   units.Bytes // stream offset after the message
	fired bool        // its arrival time has passed, or it was sent into a down path (no event)
}

// Peer returns the reverse direction of the connection.
func (h *Half) Peer() *Half { return h.peer }

// From returns the sending node.
func (h *Half) From() NodeID { return h.from }

// To returns the receiving node.
func (h *Half) To() NodeID { return h.to }

// Window returns the receive window that limits this direction.
func (h *Half) Window() units.Bytes { return h.window }

// Send queues msg of the given wire size for delivery to the receiving node.
func (h *Half) Send(s *sim.Sim, msg any, size units.Bytes) { h.SendAt(s, s.Now(), msg, size) }

// SendAt is Send for a message that leaves the sender at time at >= now, a moment after the
// event that produced it (a thread finishing its work). It is written to the socket at once
// as far as the window has room, its bytes transmitted from at; the rest queues, and leaves
// once the window has room again, never before at. A message sent from a node that is down is
// dropped.
func (h *Half) SendAt(s *sim.Sim, at sim.Time, msg any, size units.Bytes) {
	if h.closed || h.net.nodes[h.from].down {
		return
	}
	size = max(size, 1)
	h.queue.Push(outMsg{msg: msg, size: size, remaining: size, start: at})
	h.queued += size
	h.pump(s)
}

// Epoch returns the connection's epoch, which every Reset bumps: what Mute returns.
func (h *Half) Epoch() int64 { return h.epoch }

// Reset drops everything queued or in flight in both directions, as a TCP RST does, and
// reopens the connection empty: one killed by a node going down works again once it is up.
func (h *Half) Reset() {
	for _, x := range [2]*Half{h, h.peer} {
		x.epoch++
		x.queue.Reset()
		x.queued = 0
		x.acks.Reset()
		x.msgs.Reset()
		x.unread.Reset()
		x.muted, x.readEnd, x.waited = false, x.seq, false
		x.inflight, x.una, x.hold, x.dead, x.last, x.started = 0, x.seq, 0, false, 0, 0 // a new connection: nothing to order behind
		x.wake.Stop()
		x.endRecovery()
		x.track(x.net.s.Now())
		if w, ok := x.net.nodes[x.from].endpoint.(ResetWatcher); ok {
			w.SendReset(x.net.s, x)
		}
	}
}

// ResetWatcher is an Endpoint that wants to know at once when a connection it sends on is reset,
// before any RST reaches it: what it had queued is gone, so the connection is idle.
type ResetWatcher interface {
	SendReset(s *sim.Sim, c *Half)
}

// Close resets the connection and makes both halves drop whatever is sent on them later.
func (h *Half) Close() {
	h.Reset()
	h.closed, h.peer.closed = true, true
}

// Closed reports whether the connection was closed.
func (h *Half) Closed() bool { return h.closed }

// Idle reports whether nothing waits to be sent: the previous message is fully on the wire.
func (h *Half) Idle() bool { return h.queue.Len() == 0 }

// Backlog returns the bytes queued but not yet sent: what waits for the window.
func (h *Half) Backlog() units.Bytes { return h.queued }

// Half events.
const (
	halfDeliver sim.Kind = iota
	halfWake
	halfFlush
	halfRetx
	halfGiveUp
	halfRST
)

// Handle delivers messages, resumes sending after the window reopened, or runs loss recovery.
func (h *Half) Handle(s *sim.Sim, ev *sim.Event) {
	switch ev.Kind {
	case halfDeliver, halfFlush:
		if ev.A != h.epoch {
			return
		}
		if ev.Kind == halfDeliver {
			h.fire()
		}
		h.deliverReady(s)
	case halfWake:
		h.pump(s)
		h.notifyDrained(s)
	case halfRetx:
		h.onRetx(s, int(ev.B))
		h.notifyDrained(s)
	case halfGiveUp:
		h.giveUp(s)
	case halfRST:
		if ev.A == h.epoch {
			h.net.notify(s, h.from, h)
		}
	}
}

// fire marks the oldest message still waiting for its arrival event as arrived.
func (h *Half) fire() {
	ms := h.msgs.All()
	for i := range ms {
		if !ms[i].fired {
			ms[i].fired = true
			return
		}
	}
}

// deliverReady hands the receiver, in order, every message that has arrived and waits behind
// no lost chunk. Messages on a dead connection are dropped.
func (h *Half) deliverReady(s *sim.Sim) {
	for h.msgs.Len() > 0 && h.msgs.Front().fired {
		m := h.msgs.Front()
		if h.isDead() {
			h.msgs.Pop()
			continue
		}
		if h.blocked(m.end, s.Now()) {
			h.stall(s)
			return
		}
		msg := *m
		h.msgs.Pop()
		if h.muted {
			h.unread.Push(msg)
			continue
		}
		h.readEnd = msg.end
		h.net.nodes[h.to].endpoint.Deliver(s, h, msg.msg)
	}
	if h.unreadWait != nil {
		h.track(s.Now())
	}
	if h.rev.down {
		h.stall(s) // the acknowledgements are lost: the window will not reopen
	}
}

// pump hands queued bytes to the network while the window allows, then, if bytes remain,
// sleeps until the earliest acknowledgement. A chunk's transmission starts no earlier than its
// message's start (SendAt) and the chunk before it.
//
// Like Linux's sender (tcp_write_xmit → tcp_snd_wnd_test), it sends only into a window that
// holds a full segment, or all the bytes in the write queue (writeQueue): a smaller opening waits for more
// acknowledgements, which is the sender's half of silly-window avoidance (RFC 1122 §4.2.3.4).
// Into a window that does, it sends all the window holds, a partial last segment included, as a
// socket with TCP_NODELAY does (Kafka sets it: tcp_mss_split_point ignores Nagle then). Without
// this rule a window freed a few bytes at a time (acknowledgements of small messages) is refilled
// a few bytes at a time, and since chunks never merge, a connection goes on carrying large
// messages in pieces of a few bytes (a fuzzed run: 32-byte chunks, a hundred times the events).
func (h *Half) pump(s *sim.Sim) {
	now := s.Now()
	h.retireAcks(now)
	if h.net.nodes[h.from].down {
		return
	}
	if room := h.window - h.inflight - h.held(); room > 0 && h.queue.Len() > 0 && room >= h.writeQueue(max(now, h.leaveAt()), h.segment()) {
		for h.queue.Len() > 0 && room > 0 {
			m := h.queue.Front()
			if m.start > h.started && room < min(h.segment(), m.remaining) {
				// Written after the bytes before it left: Linux tests the window for it then
				// (tcp_snd_wnd_test on its own skb), and what is left now is too small.
				break
			}
			chunk := min(room, m.remaining)
			room -= chunk
			h.started = max(now, m.start, h.started)
			arrival := h.sendChunk(h.started, chunk)
			m.remaining -= chunk
			h.queued -= chunk
			if m.remaining == 0 {
				h.sent(s, m.msg, m.size, arrival)
				if m.unmute != nil {
					h.written = append(h.written, outMsg{unmute: m.unmute, unmuteEpoch: m.unmuteEpoch})
				}
				h.queue.Pop()
			}
		}
	}
	// A window held shut only by unread bytes reopens when the receiver reads them (Unmute).
	// Queued bytes that may not leave yet are pumped when they may, in one chunk with the room
	// that the acknowledgements until then free.
	if h.queue.Len() > 0 && !h.wake.Armed() && h.inflight > 0 {
		if at := h.nextAck(now); at != sim.Never {
			s.Arm(&h.wake, sim.Event{At: max(at, h.leaveAt()), H: h, Kind: halfWake})
		} else {
			h.stall(s)
		}
	}
	h.unmuteWritten(s)
	if h.queue.Len() > 0 {
		h.waited = true
	}
	h.track(now)
}

// writeQueue is what Linux's write queue holds when the first queued byte may leave, at t, counted
// up to limit: the queued messages that start by then. A message that starts later (a
// compressing producer's next request) is still being built by the application, so a small
// ready message is not held back for a segment's room by bytes that are not written yet.
func (h *Half) writeQueue(t sim.Time, limit units.Bytes) units.Bytes {
	var n units.Bytes
	for _, m := range h.queue.All() {
		if n >= limit || m.start > t {
			break
		}
		n += m.remaining
	}
	return min(n, limit)
}

// segment returns the most payload one segment carries: the path's MSS, bounded to half the
// receive window where that is smaller, so that a small window still holds two segments (Linux
// tcp_bound_to_half_wnd; a window of at most 536 bytes, TCP_MSS_DEFAULT, bounds it whole).
func (h *Half) segment() units.Bytes {
	if h.window <= 536 {
		return h.window
	}
	return min(mss, h.window/2)
}

// leaveAt returns the earliest time the first queued byte may leave: its message's start
// (SendAt) and the start of the bytes before it in the stream. The queue must not be empty.
func (h *Half) leaveAt() sim.Time { return max(h.started, h.queue.Front().start) }

// notifyDrained tells the sending endpoint, at the end of one of this half's own events, that
// the messages which waited for the window are now all written. (A send made by the endpoint
// itself needs no notice: the endpoint is running.)
func (h *Half) notifyDrained(s *sim.Sim) {
	if !h.waited || h.queue.Len() > 0 {
		return
	}
	h.waited = false
	if d, ok := h.net.nodes[h.from].endpoint.(Drainer); ok && !h.net.nodes[h.from].down {
		d.Drained(s, h)
	}
}

// sent records a message whose last chunk arrives at arrival: an event delivers it then, or, if
// the path dropped it, loss recovery does.
func (h *Half) sent(s *sim.Sim, msg any, size units.Bytes, arrival sim.Time) {
	h.msgs.Push(sentMsg{msg: msg, size: size, end: h.seq, fired: arrival == sim.Never})
	if arrival == sim.Never {
		h.stall(s)
		return
	}
	s.Schedule(sim.Event{At: arrival, H: h, Kind: halfDeliver, A: h.epoch})
}
