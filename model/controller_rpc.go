package model

import (
	"github.com/stretchsim/stretchsim/sim"
)

// Controller RPCs (BrokerRegistration, BrokerHeartbeat, AlterPartition) and their answers.
type (
	registerRequest struct {
		correlation int32
		broker      int
		clean       bool // the broker shut down cleanly before this start
	}
	registerResponse struct{ epoch int64 }
	heartbeatRequest struct {
		correlation    int32
		broker         int
		epoch          int64
		wantFence      bool
		wantShutdown   bool
		metadataOffset Offset
	}
	heartbeatResponse struct {
		err            ErrorCode
		fenced         bool
		shouldShutdown bool
	}
	alterPartitionRequest struct {
		correlation int32
		broker      int
		epoch       int64
		items       []alterItem
	}
	alterItem struct {
		part           int // Partition.idx (the topic id and partition of Kafka's request)
		leader         int // the proposing leader's position in the partition's replicas
		leaderEpoch    int32
		partitionEpoch int32
		newISR         replicaSet
	}
	// alterPartitionResponse answers the items of the request whose correlation id it carries,
	// in their order.
	alterPartitionResponse struct {
		correlation int32
		errs        []ErrorCode
		results     []partitionState
	}
	// notControllerResponse answers any controller RPC sent to a controller that is not active,
	// naming the request by its correlation id.
	notControllerResponse struct{ correlation int32 }
)

const controllerRPCSize = 100

func (k *Controller) rejectNotController(s *sim.Sim, c *Half, msg any) {
	var correlation int32
	switch m := msg.(type) {
	case *heartbeatRequest:
		correlation = m.correlation
	case *registerRequest:
		correlation = m.correlation
	case *alterPartitionRequest:
		correlation = m.correlation
	default:
		return
	}
	c.Peer().Send(s, &notControllerResponse{correlation: correlation}, controllerRPCSize)
}

// onRegister writes a RegisterBrokerRecord; the broker epoch is its offset.
//
// A broker that comes back before its session expired still leads and sits in ISRs: it is taken
// out of them (with new leaders elected) before it registers again, as a fenced broker would be.
// After an unclean shutdown it also leaves every ELR (handleBrokerUncleanShutdown, KIP-966).
func (k *Controller) onRegister(s *sim.Sim, c *Half, m *registerRequest) {
	recs := k.leaveReplicaSets(m.broker, !m.clean)
	recs = append(recs, registerBrokerRecord{broker: m.broker, uncleanShutdown: !m.clean})
	last, ok := k.writeRemoving(s, m.broker, recs)
	if !ok {
		return
	}
	k.lastContact[m.broker] = s.Now()
	k.reply(s, c, last, &registerResponse{epoch: int64(last)}, controllerRPCSize) // the RegisterBrokerRecord is last
}

// onHeartbeat is BrokerHeartbeatManager plus ReplicationControlManager.processBrokerHeartbeat:
// the session is refreshed, and the broker moves FENCED → UNFENCED once it has caught up with the
// metadata log up to its registration, or UNFENCED → CONTROLLED_SHUTDOWN when it asks to stop.
func (k *Controller) onHeartbeat(s *sim.Sim, c *Half, m *heartbeatRequest) {
	reg := k.working.brokers[m.broker]
	if !reg.registered || reg.epoch != m.epoch {
		c.Peer().Send(s, &heartbeatResponse{err: ErrStaleBrokerEpoch, fenced: true}, controllerRPCSize)
		return
	}
	k.lastContact[m.broker] = s.Now()
	k.reported[m.broker] = m.metadataOffset
	k.armFence(s)
	// calculateNextBrokerState: FENCED → UNFENCED once caught up; UNFENCED + wantShutDown →
	// CONTROLLED_SHUTDOWN while it leads partitions, else SHUTDOWN_NOW; CONTROLLED_SHUTDOWN →
	// SHUTDOWN_NOW once it leads nothing and every active broker has seen its shutdown record.
	// SHUTDOWN_NOW fences it (handleBrokerFenced).
	var recs []metaRecord
	shutdownNow := false
	switch {
	case reg.fenced && !m.wantFence && !m.wantShutdown && m.metadataOffset >= reg.regOffset:
		recs = k.unfence(m.broker)
	case !reg.fenced && m.wantShutdown && !reg.shutdown && !k.leadsNothing(m.broker):
		recs = k.controlledShutdown(m.broker)
	case !reg.fenced && m.wantShutdown && (!reg.shutdown || k.mayShutDown(m.broker)):
		recs, shutdownNow = k.fence(m.broker), true
	}
	if len(recs) == 0 {
		c.Peer().Send(s, &heartbeatResponse{fenced: reg.fenced, shouldShutdown: m.wantShutdown && reg.fenced}, controllerRPCSize)
		return
	}
	last, ok := k.writeRemoving(s, m.broker, recs)
	if !ok {
		return
	}
	if m.wantShutdown && !shutdownNow {
		k.shutdownAt[m.broker] = last
	}
	k.reply(s, c, last, &heartbeatResponse{fenced: k.working.brokers[m.broker].fenced, shouldShutdown: shutdownNow}, controllerRPCSize)
}

// armFence schedules maybeFenceOneStaleBroker for when the oldest session expires.
func (k *Controller) armFence(s *sim.Sim) {
	oldest := sim.Never
	for i, b := range k.working.brokers {
		if b.registered && !b.fenced {
			oldest = min(oldest, k.lastContact[i])
		}
	}
	if oldest == sim.Never {
		k.fenceTimer.Stop()
		return
	}
	at := max(oldest.Add(k.c.spec.Broker.BrokerSessionTimeout)+1, s.Now())
	if !k.fenceTimer.Armed() || k.fenceTimer.At() != at {
		s.Arm(&k.fenceTimer, sim.Event{At: at, H: k, Kind: ctrlFence, A: int64(k.epoch)})
	}
}

// maybeFenceOneStaleBroker fences the broker whose session expired longest ago, one per event
// (ReplicationControlManager.maybeFenceOneStaleBroker), and looks again at once.
func (k *Controller) maybeFenceOneStaleBroker(s *sim.Sim) {
	now := s.Now()
	session := k.c.spec.Broker.BrokerSessionTimeout
	stale := -1
	for i, b := range k.working.brokers {
		if b.registered && !b.fenced && now.Sub(k.lastContact[i]) > session &&
			(stale < 0 || k.lastContact[i] < k.lastContact[stale]) {
			stale = i
		}
	}
	if stale >= 0 {
		k.writeRemoving(s, stale, k.fence(stale))
		if s.Now() >= k.c.warmup {
			k.c.metrics.fencings++
		}
	}
	k.armFence(s)
}

// mayShutDown is the CONTROLLED_SHUTDOWN → SHUTDOWN_NOW rule (BrokerHeartbeatManager): the broker
// leads nothing, and every active broker has reported metadata at least up to its
// controlled-shutdown record, so that clients reach a new leader through any of them.
func (k *Controller) mayShutDown(b int) bool {
	if !k.leadsNothing(b) {
		return false
	}
	for i, reg := range k.working.brokers {
		if i != b && reg.registered && !reg.fenced && !reg.shutdown && k.reported[i] < k.shutdownAt[b] {
			return false
		}
	}
	return true
}
