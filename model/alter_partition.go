package model

import "github.com/stretchsim/stretchsim/sim"

// alterManager is AlterPartitionManager (reference §4.5): at most one pending item per partition
// (Partition keeps the pending state) and one request in flight per broker; items submitted
// meanwhile go in the next request. There is no timeout of its own: a request lost with the
// controller is re-sent when the observer names a new one.
type alterManager struct {
	b        *Broker
	queued   []alterItem
	inflight *alterPartitionRequest
	sentTo   NodeID
	channel  ctrlChannel // Kafka's "alter-partition" NodeToControllerChannelManager
}

// propose queues newISR for the partition r leads on this broker (reference §4.5). The request
// names the partition and the leader's epochs; the answer comes back through r.onAlterCommitted.
func (m *alterManager) propose(s *sim.Sim, r *Replica, newISR replicaSet) {
	m.queued = append(m.queued, alterItem{part: r.p.idx, leader: int(r.pos), leaderEpoch: r.leaderEpoch,
		partitionEpoch: r.partitionEpoch, newISR: newISR})
	m.send(s)
}

func (m *alterManager) send(s *sim.Sim) {
	b := m.b
	if m.inflight != nil || len(m.queued) == 0 || b.down {
		return
	}
	node, ok := b.controllerNode()
	if !ok {
		return // re-sent on metadata progress
	}
	m.inflight = &alterPartitionRequest{correlation: b.nextCorrelation(), broker: b.cluster.brokerIndex(b.ID), epoch: b.lifecycle.epoch,
		items: m.queued}
	m.queued, m.sentTo = nil, node
	m.channel.conn(node).Send(s, m.inflight, controllerRPCSize+16*Bytes(len(m.inflight.items)))
}

// onResponse applies the controller's answer: committed ISRs, or a revert to the last committed
// state followed by the broker's metadata (which may be newer).
func (m *alterManager) onResponse(s *sim.Sim, resp *alterPartitionResponse) {
	req := m.inflight
	if req == nil || resp.correlation != req.correlation {
		return
	}
	m.inflight = nil
	for i, it := range req.items {
		r := m.b.replicaOf(m.b.cluster.partitions[it.part])
		if !r.leader || r.leaderEpoch != it.leaderEpoch || r.pending == alterNone || r.partitionEpoch != it.partitionEpoch {
			continue // superseded by newer metadata meanwhile
		}
		st := resp.results[i]
		if resp.errs[i] == ErrNone {
			r.onAlterCommitted(s, st.isr, st.partitionEpoch, true)
			continue
		}
		r.onAlterCommitted(s, 0, 0, false)
		m.b.reconcile(s, r, m.b.image.parts.get(r.p.idx))
	}
	m.send(s)
}

// resend puts an unanswered request back in the queue (controller failover) and sends again.
func (m *alterManager) resend(s *sim.Sim) {
	if m.inflight == nil {
		return
	}
	m.queued = append(m.inflight.items, m.queued...)
	m.inflight = nil
	m.send(s)
}
