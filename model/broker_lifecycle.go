package model

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// brokerLifecycle is BrokerLifecycleManager (reference §4.4): registration with the active
// controller, a heartbeat every broker.heartbeat.interval.ms, exponential backoff after failures,
// and the controlled shutdown handshake. RPCs go to the controller the broker's metadata observer
// names; one is outstanding at a time and is re-sent when the observer learns of a new leader.
type brokerLifecycle struct {
	b                   *Broker
	epoch               int64
	registered          bool
	registers           int // registrations answered, restarts and STALE_BROKER_EPOCH re-registrations
	fenced              bool
	clean               bool  // the previous shutdown was controlled
	stopping            bool  // wants to shut down (controlled shutdown)
	gotShutdownResponse bool  // a heartbeat response came while stopping
	inflight            any   // the registration or heartbeat in flight
	correlation         int32 // its correlation id
	sentTo              NodeID
	failures            int
	timer               sim.Timer   // next heartbeat or retry
	timeout             sim.Timer   // request timeout
	channel             ctrlChannel // Kafka's "heartbeat" NodeToControllerChannelManager
}

// stop resets the lifecycle when the broker process stops: connections close, timers stop (their
// generations go on), and the next start registers again.
func (l *brokerLifecycle) stop(clean bool) {
	l.channel.close()
	l.timer.Stop()
	l.timeout.Stop()
	l.inflight, l.registered, l.fenced, l.stopping, l.failures, l.gotShutdownResponse = nil, false, false, false, 0, false
	l.clean = clean
}

// ctrlChannel is a broker's NodeToControllerChannelManager: its own connection to each
// controller, with at most one request in flight (the channel's NetworkClient allows one per
// connection). Registration and heartbeats go on one channel ("heartbeat"), AlterPartition on
// another ("alter-partition", AlterPartitionManager.scala), so an AlterPartition never waits
// behind a heartbeat that the controller holds until its records commit.
type ctrlChannel struct {
	b     *Broker
	conns map[NodeID]*Half
}

// conn returns the channel's connection to controller node, opening it if needed.
func (ch *ctrlChannel) conn(node NodeID) *Half {
	if h, ok := ch.conns[node]; ok && !h.Closed() {
		return h
	}
	b := ch.b
	// The broker's side keeps the OS buffers (NodeToControllerChannelManager opens its
	// NetworkClient with USE_DEFAULT_BUFFER_SIZE); controllers listen with the broker socket
	// settings.
	ctrl := b.cluster.spec.Broker
	h := b.cluster.net.Connect(b.node, node, b.cluster.bufs().Window(-1, ctrl.SocketReceiveBuffer),
		b.cluster.bufs().Window(ctrl.SocketSendBuffer, -1))
	if ch.conns == nil {
		ch.conns = map[NodeID]*Half{}
	}
	ch.conns[node] = h
	return h
}

// owns reports whether c is one of the channel's connections.
func (ch *ctrlChannel) owns(c *Half) bool {
	h, ok := ch.conns[c.To()]
	return ok && h == c
}

// close closes every connection of the channel, in node order.
func (ch *ctrlChannel) close() {
	for _, node := range sortedNodes(ch.conns) {
		ch.conns[node].Close()
	}
	clear(ch.conns)
}

func sortedNodes(m map[NodeID]*Half) []NodeID {
	out := make([]NodeID, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// heartbeat backoff: ExponentialBackoff(100 ms, ×2, max = broker.session.timeout.ms, jitter 2%).
func (l *brokerLifecycle) backoff() time.Duration {
	return exponentialBackoff(100*time.Millisecond, l.b.cfg.BrokerSessionTimeout, 0.02, l.failures-1, l.b.rnd)
}

// schedule arms the next heartbeat after d.
func (l *brokerLifecycle) schedule(s *sim.Sim, d time.Duration) {
	s.ArmAfter(&l.timer, d, sim.Event{H: l.b, Kind: brokerHeartbeat})
}

// send issues the next RPC: registration if the broker is not registered, else a heartbeat.
func (l *brokerLifecycle) send(s *sim.Sim) {
	b := l.b
	if b.down || l.inflight != nil {
		return
	}
	node, ok := b.controllerNode()
	if !ok {
		l.failures++
		l.schedule(s, l.backoff())
		return
	}
	var msg any
	l.correlation = b.nextCorrelation()
	if !l.registered {
		msg = &registerRequest{correlation: l.correlation, broker: b.cluster.brokerIndex(b.ID), clean: l.clean}
	} else {
		msg = &heartbeatRequest{correlation: l.correlation, broker: b.cluster.brokerIndex(b.ID), epoch: l.epoch,
			wantFence: !l.caughtUp(), wantShutdown: l.stopping, metadataOffset: b.image.applied}
	}
	l.inflight, l.sentTo = msg, node
	l.channel.conn(node).Send(s, msg, controllerRPCSize)
	s.ArmAfter(&l.timeout, b.cluster.spec.Controller.RequestTimeout, sim.Event{H: b, Kind: brokerRPCTimeout})
}

// caughtUp reports whether the broker's metadata reaches its registration (it may be unfenced).
func (l *brokerLifecycle) caughtUp() bool { return l.b.image.applied >= Offset(l.epoch) }

// onRPCFailure handles a timeout, a disconnect or NOT_CONTROLLER: back off and retry.
func (l *brokerLifecycle) onRPCFailure(s *sim.Sim) {
	l.inflight = nil
	l.timeout.Stop()
	l.failures++
	l.schedule(s, l.backoff())
}

// onResponse handles the controller's answer to registration or heartbeat.
func (l *brokerLifecycle) onResponse(s *sim.Sim, msg any) {
	b := l.b
	l.inflight = nil
	l.timeout.Stop()
	l.failures = 0
	interval := b.cfg.BrokerHeartbeatInterval
	switch m := msg.(type) {
	case *registerResponse:
		l.registered, l.epoch, l.fenced = true, m.epoch, true
		l.registers++
		interval = 10 * time.Millisecond // STARTING: heartbeat fast until unfenced
	case *heartbeatResponse:
		if m.err == ErrStaleBrokerEpoch {
			l.registered = false
			interval = 0
			break
		}
		l.fenced = m.fenced
		if l.fenced {
			interval = 10 * time.Millisecond
		}
		if m.shouldShutdown && l.stopping {
			b.finishControlledShutdown(s)
			return
		}
		if l.stopping && !l.gotShutdownResponse {
			// The first answer in PENDING_CONTROLLED_SHUTDOWN: the next heartbeat comes sooner,
			// later ones at the usual interval (BrokerLifecycleManager).
			interval = 50 * time.Millisecond
		}
		l.gotShutdownResponse = l.gotShutdownResponse || l.stopping
	}
	l.schedule(s, interval)
}

// onMetadataProgress re-sends an RPC stuck at a controller that is no longer the leader, and
// heartbeats at once when the broker just caught up with its registration.
func (l *brokerLifecycle) onMetadataProgress(s *sim.Sim) {
	b := l.b
	node, ok := b.controllerNode()
	if ok && l.inflight != nil && node != l.sentTo {
		l.inflight = nil
		l.timeout.Stop()
		l.send(s)
	}
	if ok && b.alter.inflight != nil && node != b.alter.sentTo {
		b.alter.resend(s)
	} else if ok {
		b.alter.send(s)
	}
	if !b.ready && l.registered && l.caughtUp() {
		b.becomeReady(s)
	}
	if l.registered && l.fenced && l.caughtUp() && l.inflight == nil {
		l.schedule(s, 0) // tell the controller at once that it may unfence
	}
}

// controllerNode returns the network node of the active controller as the broker knows it.
func (b *Broker) controllerNode() (NodeID, bool) {
	_, node, ok := b.observer.Leader()
	return node, ok
}
