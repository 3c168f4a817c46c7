package kraft

import (
	"github.com/stretchsim/stretchsim/model/net"
	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// raftOwner is the voter or observer a raftClient sends for.
type raftOwner interface {
	// poll sends whatever the owner's state wants sent; called whenever a slot frees up.
	poll(s *sim.Sim)
	// requestTimedOut reports that the request of kind api to voter `to` got no answer within
	// controller.quorum.request.timeout.ms.
	requestTimedOut(s *sim.Sim, to int, api raftAPI)
}

// raftClient is a node's side of the KRaft RPCs (Kafka's RequestManager): one connection and one
// request slot per voter. A slot holds at most one request in flight; it frees up when the
// response arrives, and after an error response or a timeout it backs off for
// controller.quorum.retry.backoff.ms. Connections are opened on first use (Network.Connect from
// this node to the voter's) and reused.
type raftClient struct {
	q     *Quorum
	node  net.NodeID
	buf   units.Bytes // socket.receive.buffer.bytes of both directions
	owner raftOwner
	conns []*net.Half // per voter index; nil until first used
	slots []raftSlot  // per voter index
	corr  uint64      // last correlation id handed out
}

type raftSlotPhase uint8

const (
	slotIdle raftSlotPhase = iota
	slotInFlight
	slotBackoff
)

// raftSlot is the request state towards one voter. Its deadline is the request timeout while a
// request is in flight, then the end of the retry backoff. The timer is re-armed lazily: a
// response leaves it armed, and when it fires early it moves to the current deadline, so a slot
// keeps at most one pending event however many requests it carries.
type raftSlot struct {
	cl       *raftClient
	to       int
	phase    raftSlotPhase
	api      raftAPI
	corr     uint64 // Invariant: corr != 0 iff phase == slotInFlight
	deadline sim.Time
	timer    sim.Timer // Invariant: armed at or before deadline unless phase == slotIdle
}

func newRaftClient(q *Quorum, node net.NodeID, buf units.Bytes, owner raftOwner) *raftClient {
	c := &raftClient{q: q, node: node, buf: buf, owner: owner}
	c.conns = make([]*net.Half, len(q.vs))
	c.slots = make([]raftSlot, len(q.vs))
	for i := range c.slots {
		c.slots[i] = raftSlot{cl: c, to: i}
	}
	return c
}

// ready reports whether a request can go to voter i now.
func (c *raftClient) ready(i int) bool { return c.slots[i].phase == slotIdle }

// inFlight reports whether any request is waiting for its response.
func (c *raftClient) inFlight() bool {
	for i := range c.slots {
		if c.slots[i].phase == slotInFlight {
			return true
		}
	}
	return false
}

// begin reserves voter to's slot for a request of kind api, arms its timeout
// (controller.quorum.request.timeout.ms) and returns the request's correlation id.
func (c *raftClient) begin(s *sim.Sim, to int, api raftAPI) uint64 {
	c.corr++
	sl := &c.slots[to]
	sl.phase, sl.api, sl.corr = slotInFlight, api, c.corr
	sl.setDeadline(s, s.Now().Add(c.q.cfg.RequestTimeout))
	return c.corr
}

// transmit sends a request begun with begin.
func (c *raftClient) transmit(s *sim.Sim, to int, msg any, size units.Bytes) {
	h := c.conns[to]
	if h == nil {
		h = c.q.net.Connect(c.node, c.q.vs[to].spec.Node, c.buf, c.buf)
		c.conns[to] = h
	}
	h.Send(s, msg, size)
}

// accept reports whether a response from voter `from` answers the request in flight to it; if
// so the slot is free again. Responses to abandoned or timed-out requests are dropped.
func (c *raftClient) accept(from int, corr uint64) bool {
	if from < 0 || from >= len(c.slots) {
		return false
	}
	sl := &c.slots[from]
	if sl.phase != slotInFlight || sl.corr != corr {
		return false
	}
	sl.phase, sl.corr = slotIdle, 0
	return true
}

// backoff holds voter to's slot for controller.quorum.retry.backoff.ms (after an error response).
func (c *raftClient) backoff(s *sim.Sim, to int) {
	sl := &c.slots[to]
	sl.phase, sl.corr = slotBackoff, 0
	sl.setDeadline(s, s.Now().Add(c.q.cfg.RetryBackoff))
}

// setDeadline sets the slot's deadline, arming the timer only if it would fire later.
func (sl *raftSlot) setDeadline(s *sim.Sim, at sim.Time) {
	sl.deadline = at
	if !sl.timer.Armed() || sl.timer.At() > at {
		s.Arm(&sl.timer, sim.Event{At: at, H: sl})
	}
}

// reset abandons every request and backoff, as Kafka's resetConnections does on each state
// transition.
func (c *raftClient) reset() {
	for i := range c.slots {
		c.slots[i].phase, c.slots[i].corr = slotIdle, 0
	}
}

// stop resets the slots and disarms their timers: the process died.
func (c *raftClient) stop() {
	c.reset()
	for i := range c.slots {
		c.slots[i].timer.Stop()
	}
}

// closeAll drops everything queued or in flight on the node's connections, as when the process
// dies or comes back (a restarted process opens new connections).
func (c *raftClient) closeAll() {
	c.stop()
	for _, h := range c.conns {
		if h != nil {
			h.Reset()
		}
	}
}

// pickAny chooses the voter to send a Fetch to when the leader is unknown
// (RequestManager.findReadyBootstrapServer): nothing while any request is in flight, else the
// first ready voter from a random starting position, skipping self. It returns -1 if none.
func (c *raftClient) pickAny(rnd *sim.Stream, self int) int {
	if c.inFlight() {
		return -1
	}
	n := len(c.slots)
	start := rnd.IntN(n)
	for k := range n {
		i := (start + k) % n
		if i != self && c.ready(i) {
			return i
		}
	}
	return -1
}

// Handle fires the slot's timer: a request timed out (the slot backs off), or the backoff ended.
func (sl *raftSlot) Handle(s *sim.Sim, _ *sim.Event) {
	if sl.phase == slotIdle {
		return
	}
	if s.Now() < sl.deadline {
		s.Arm(&sl.timer, sim.Event{At: sl.deadline, H: sl})
		return
	}
	switch sl.phase {
	case slotInFlight:
		// Kafka's NetworkClient closes the connection of a timed-out request; resetting it also
		// revives a connection that died with a node or stalled behind a network outage.
		api := sl.api
		if h := sl.cl.conns[sl.to]; h != nil {
			h.Reset()
		}
		sl.cl.backoff(s, sl.to)
		sl.cl.owner.requestTimedOut(s, sl.to, api)
	case slotBackoff:
		sl.phase = slotIdle
	}
	sl.cl.owner.poll(s)
}

// disconnected fails the request in flight on connection h, which the network reset (the peer
// crashed, or TCP gave up): the slot backs off and the request is retried, as Kafka does on a
// disconnect.
func (c *raftClient) disconnected(s *sim.Sim, h *net.Half) {
	for i, x := range c.conns {
		if x == h && c.slots[i].phase == slotInFlight {
			api := c.slots[i].api
			c.backoff(s, i)
			c.owner.requestTimedOut(s, i, api)
		}
	}
}
