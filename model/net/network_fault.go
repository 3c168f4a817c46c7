package net

import (
	"slices"
	"time"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// Disconnecter is implemented by an Endpoint that wants to learn that a connection was reset by
// the network: its peer's process crashed (ResetNode) or TCP gave up retransmitting. c is this
// endpoint's outgoing half of the reset connection (c.From() is this node, c.To() the other
// end); the connection is already reset and usable again.
type Disconnecter interface {
	Disconnected(s *sim.Sim, c *Half)
}

// TCP retransmission limits (Linux).
const (
	tcpRetries2 = 15                // net.ipv4.tcp_retries2
	maxRTO      = 120 * time.Second // TCP_RTO_MAX
)

// recovery is a Half's loss-recovery state: Linux's retransmission timer with its backoff.
//
// A path outage (design §3 "Faults") is TCP over a silent drop. A chunk sent into a down path,
// or on its way when the path went down, is not delivered; later messages of its connection wait
// behind it (in-order delivery) and the window stays full. The sender retransmits with Linux's
// backoff counted from when the oldest lost chunk was sent: the first RTO is
// max(TCP_RTO_MIN = 200 ms, the connection's latest RTT sample), doubling up to TCP_RTO_MAX =
// 120 s. At the first retransmission instant after the heal every lost chunk is resent and
// arrives after the usual path delays. An acknowledgement lost on a down reverse path keeps the
// window full likewise, until the first retransmission after that heal, whose cumulative
// acknowledgement covers everything received. After tcp_retries2 = 15 retransmissions and a
// last RTO (924.6 s from the first send with a 200 ms RTO) the connection is reset and both
// endpoints are told (Disconnecter).
//
// No event per chunk or per retransmission while the path is down: a stalled connection
// registers once with the path, arms one give-up timer, and is rescheduled at the heal.
// Simplifications: the RTO ignores RTT variance; the congestion window is not modelled, so
// every lost chunk is resent at once; a path keeps only its latest outage, so a chunk hit by an
// earlier outage that the sender has not yet looked at may count as delivered; the
// retransmissions into a down path count in Network.Bytes (one segment each) when the
// connection next acts.
type recovery struct {
	active bool
	t0     sim.Time      // when the oldest lost chunk was sent: the backoff counts from it
	rto    time.Duration // the first backoff interval
	end    units.Bytes   // stream offset after that chunk: recovery ends when it is acknowledged
	done   int           // retransmissions made (or accounted for) so far
	waitOn *link         // the down path the Half waits for, or nil
}

// retxAt returns when retransmission k (from 1) happens; k = tcpRetries2+1 is the give-up time.
func (r *recovery) retxAt(k int) sim.Time {
	t, rto := r.t0, r.rto
	for range k {
		t = t.Add(rto)
		rto = min(2*rto, maxRTO)
	}
	return t
}

// SetNodeDown takes a node's host down (a silent crash or power loss) or brings it back. While
// it is down, everything sent to or from it is dropped silently, in flight included: nothing is
// delivered and no acknowledgement returns, so its peers' windows fill and stall and they learn
// only through their own timeouts (TCP's give-up is not modelled on a dead connection). Its own
// Sends are dropped. Coming back up revives no connection: callers Reset them.
func (n *Network) SetNodeDown(id NodeID, down bool) {
	n.nodes[id].down = down
	if !down {
		return
	}
	for _, c := range n.connsOf(id) {
		c.isDead()
	}
}

// ResetNode is a hard crash of a process on a live host: every connection with the node at one
// end is reset (Half.Reset: queued and in-flight data and pending acknowledgements in both
// directions are dropped, so the windows reopen empty), and each peer whose Endpoint is a
// Disconnecter learns it one one-way delay later, when the RST arrives (not at all if the path
// is down or the peer's host is down, or if the connection is reset again before). The node's
// own endpoint is not told. The connections stay usable: deliveries to the node go on, so the
// crashed process must ignore them until it restarts.
func (n *Network) ResetNode(s *sim.Sim, id NodeID) {
	for _, c := range n.connsOf(id) {
		c.Reset()
		out := c.peer // the peer's outgoing half
		if c.to == id {
			out = c
		}
		p := n.path(id, out.from)
		if out.from == id || n.nodes[out.from].down || p.down {
			continue
		}
		s.Schedule(sim.Event{At: s.Now().Add(p.oneWay()), H: out, Kind: halfRST, A: out.epoch})
	}
}

// Refuse answers a message that reached a node whose process is dead but whose host is up: the
// host's TCP stack resets the connection, and the sender learns it one one-way delay later (a
// connection refused or reset, as a client sees it).
func (n *Network) Refuse(s *sim.Sim, c *Half) {
	c.Reset()
	p := n.path(c.to, c.from)
	if n.nodes[c.from].down || p.down {
		return
	}
	s.Schedule(sim.Event{At: s.Now().Add(p.oneWay()), H: c, Kind: halfRST, A: c.epoch})
}

// isDead reports whether a node at either end went down since the connection was last reset,
// marking both halves dead (and ending any loss recovery) the first time it sees it.
func (h *Half) isDead() bool {
	if !h.dead && (h.net.nodes[h.from].down || h.net.nodes[h.to].down) {
		for _, x := range [2]*Half{h, h.peer} {
			x.dead = true
			x.endRecovery()
		}
	}
	return h.dead
}

// blocked reports whether the message ending at stream offset end must wait: a chunk before
// that offset was lost and not yet retransmitted, or retransmitted chunks are still on their way.
func (h *Half) blocked(end units.Bytes, now sim.Time) bool {
	if now < h.hold {
		return true
	}
	if h.acks.Len() == 0 || !h.fwd.lost(h.acks.Front().sent, sim.Never) {
		return false // no outage since the oldest chunk in flight was sent
	}
	for _, r := range h.acks.All() {
		if r.end-r.bytes >= end {
			break
		}
		if h.fwd.lost(r.sent, r.arrival) {
			return true
		}
	}
	return false
}

// nextAck returns when the next acknowledgement that can reopen the window arrives, or Never if
// the window waits for loss recovery (or for ever, on a dead connection).
func (h *Half) nextAck(now sim.Time) sim.Time {
	if h.dead {
		return sim.Never
	}
	for _, r := range h.acks.All() {
		if h.fwd.lost(r.sent, r.arrival) {
			break
		}
		if r.ackAt > now {
			if h.rev.lost(r.arrival, r.ackAt) {
				break
			}
			return r.ackAt
		}
	}
	return sim.Never
}

// stall starts loss recovery if a chunk or its acknowledgement was lost, or reschedules it if
// no retransmission is pending.
func (h *Half) stall(s *sim.Sim) {
	if h.isDead() || h.retx.Armed() {
		return
	}
	if !h.rec.active {
		i := slices.IndexFunc(h.acks.All(), func(r flight) bool {
			return h.fwd.lost(r.sent, r.arrival) || h.rev.lost(r.arrival, r.ackAt)
		})
		if i < 0 {
			return
		}
		r := h.acks.All()[i]
		rtt := h.rtt
		if rtt == 0 {
			rtt = h.fwd.median
		}
		h.rec = recovery{active: true, t0: r.sent, rto: max(minRTO, rtt), end: r.end}
	}
	h.schedule(s)
}

// schedule arms the retransmission timer at the next backoff instant if a retransmission can
// get through, else waits for the down path to heal with the give-up time armed.
func (h *Half) schedule(s *sim.Sim) {
	now := s.Now()
	switch {
	case h.fwd.down:
		h.waitFor(s, h.fwd)
	case h.rev.down && !h.dataLost():
		h.waitFor(s, h.rev)
	default:
		k := h.rec.done + 1
		for k <= tcpRetries2 && h.rec.retxAt(k) < now {
			k++
		}
		if k > tcpRetries2 {
			h.armGiveUp(s)
			return
		}
		s.Arm(&h.retx, sim.Event{At: h.rec.retxAt(k), H: h, Kind: halfRetx, B: int64(k)})
	}
}

func (h *Half) waitFor(s *sim.Sim, l *link) {
	if h.rec.waitOn != l {
		h.rec.waitOn = l
		l.waiters = append(l.waiters, h)
	}
	h.armGiveUp(s)
}

func (h *Half) armGiveUp(s *sim.Sim) {
	s.Arm(&h.retx, sim.Event{At: max(s.Now(), h.rec.retxAt(tcpRetries2+1)), H: h, Kind: halfGiveUp})
}

func (h *Half) dataLost() bool {
	return slices.ContainsFunc(h.acks.All(), func(r flight) bool { return h.fwd.lost(r.sent, r.arrival) })
}

func (h *Half) endRecovery() {
	h.rec = recovery{}
	h.retx.Stop()
}

// onRetx is retransmission k: it resends what was lost if the paths allow, then arms the next.
func (h *Half) onRetx(s *sim.Sim, k int) {
	now := s.Now()
	h.retireAcks(now)
	if !h.rec.active || h.isDead() {
		return
	}
	h.countRetx(k - 1)
	if h.fwd.down || h.rev.down && !h.dataLost() {
		h.countRetx(k)
		h.schedule(s)
		return
	}
	h.rec.done = k
	if h.retransmit(now) && h.msgs.Len() > 0 {
		h.hold = h.last
		s.Schedule(sim.Event{At: h.last, H: h, Kind: halfFlush, A: h.epoch})
	}
	h.schedule(s)
	h.pump(s)
}

// retransmit resends every chunk whose data was lost or, if none, the oldest one whose
// acknowledgement is overdue (its acknowledgement covers the rest); it reports whether data was
// resent.
func (h *Half) retransmit(now sim.Time) (data bool) {
	rs := h.acks.All()
	for i := range rs {
		if h.fwd.lost(rs[i].sent, rs[i].arrival) {
			h.resend(&rs[i], now)
			data = true
		}
	}
	if data {
		return true
	}
	for i := range rs {
		if rs[i].ackAt <= now && h.rev.lost(rs[i].arrival, rs[i].ackAt) {
			h.resend(&rs[i], now)
			break
		}
	}
	return false
}

func (h *Half) resend(r *flight, now sim.Time) {
	r.sent = now
	r.arrival, r.ackAt = h.transmit(now, r.bytes)
}

// countRetx counts the retransmissions up to k that went into a down path: one segment each.
func (h *Half) countRetx(k int) {
	if k > h.rec.done {
		n := h.net
		pair := int(n.nodes[h.from].site)*n.sites + int(n.nodes[h.to].site)
		n.Bytes[pair] += int64(k-h.rec.done) * mss
		h.rec.done = k
	}
}

// giveUp resets the connection after tcp_retries2 unanswered retransmissions and tells both
// endpoints.
func (h *Half) giveUp(s *sim.Sim) {
	h.retireAcks(s.Now())
	if !h.rec.active || h.isDead() {
		return
	}
	h.countRetx(tcpRetries2)
	h.Reset()
	h.net.notify(s, h.from, h)
	h.net.notify(s, h.to, h.peer)
}
