package model

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// maxElectionsPerImbalance is MAX_ELECTIONS_PER_IMBALANCE (QuorumController.java:154).
const maxElectionsPerImbalance = 1000

// change builds a PartitionChangeRecord for partition idx of the working state with the given
// target ISR and election; excluded brokers count as unacceptable (the broker being fenced).
func (k *Controller) change(idx int, target replicaSet, election electionType, excluded int) (metaRecord, bool) {
	p := k.c.partitions[idx]
	cur := k.working.parts.get(idx)
	if election == electionOnline && p.unclean {
		election = electionUnclean // unclean.leader.election.enable applies at fence/ISR-change time
	}
	in := changeInput{n: len(p.Replicas), targetISR: target, election: election, minISR: int(p.minISR),
		elrEnabled: k.cfg.EligibleLeaderReplicasEnable,
		acceptable: func(pos int) bool {
			b := k.c.brokerIndex(p.Replicas[pos])
			return b != excluded && k.working.acceptable(b)
		}}
	next, changed := buildChange(cur, in)
	if !changed {
		return nil, false
	}
	if next.leader != cur.leader && k.c.sim.Now() >= k.c.warmup {
		k.c.metrics.leaderElections++ // counted when written (after the warm-up)
		if next.recovering {
			k.c.metrics.uncleanElections++
		}
	}
	return partitionChangeRecord{part: idx, state: next}, true
}

// removeBroker builds the records that take broker b out of every ISR, electing new leaders where
// it led (handleBrokerFenced, and the same for controlled shutdown).
func (k *Controller) removeBroker(b int) []metaRecord {
	var recs []metaRecord
	id := k.c.brokers[b].ID
	for idx := range k.working.parts.len() {
		st := k.working.parts.get(idx)
		pos := k.c.partitions[idx].position(id)
		if pos < 0 || (!st.isr.has(pos) && st.leader != pos) {
			continue
		}
		if r, ok := k.change(idx, st.isr.without(pos), electionOnline, b); ok {
			recs = append(recs, r)
		}
	}
	return recs
}

// writeRemoving writes recs, which take broker b out of ISRs (fencing, controlled shutdown,
// re-registration), and counts the ISR removals among them. Kafka's IsrShrinksPerSec meters only
// a leader's own AlterPartition shrinks; without this count the ISR changes of a broker or site
// outage, which the controller makes, would show as expands with no shrinks.
func (k *Controller) writeRemoving(s *sim.Sim, b int, recs []metaRecord) (Offset, bool) {
	n := k.isrRemovals(b, recs) // before write applies recs to the working state
	last, ok := k.write(s, recs...)
	if ok {
		k.c.metrics.noteControllerISRRemovals(s.Now(), n)
	}
	return last, ok
}

// isrRemovals counts the partitions whose ISR in the working state holds broker b and whose
// record in recs does not.
func (k *Controller) isrRemovals(b int, recs []metaRecord) int64 {
	id := k.c.brokers[b].ID
	var n int64
	for _, r := range recs {
		pc, ok := r.(partitionChangeRecord)
		if !ok {
			continue
		}
		pos := k.c.partitions[pc.part].position(id)
		if pos >= 0 && k.working.parts.get(pc.part).isr.has(pos) && !pc.state.isr.has(pos) {
			n++
		}
	}
	return n
}

// fence is handleBrokerFenced: ISR removals and elections, then the fencing record, in one write.
func (k *Controller) fence(b int) []metaRecord {
	return append(k.removeBroker(b), brokerChangeRecord{broker: b, fenced: true})
}

// controlledShutdown moves leadership away from b and takes it out of the ISRs while it still
// runs (ReplicationControlManager.handleBrokerInControlledShutdown).
func (k *Controller) controlledShutdown(b int) []metaRecord {
	recs := k.removeBroker(b)
	return append(recs, brokerChangeRecord{broker: b, shutdown: true})
}

// unfence is handleBrokerUnfenced: the broker is unfenced and elected where partitions it can
// lead have no leader. It does not rejoin other ISRs: its leaders add it back (reference §4.4).
func (k *Controller) unfence(b int) []metaRecord {
	recs := []metaRecord{brokerChangeRecord{broker: b}}
	k.working.brokers[b].fenced = false // elections below may choose it
	id := k.c.brokers[b].ID
	for idx := range k.working.parts.len() {
		st := k.working.parts.get(idx)
		if st.leader >= 0 || k.c.partitions[idx].position(id) < 0 {
			continue
		}
		if r, ok := k.change(idx, st.isr, electionOnline, -1); ok {
			recs = append(recs, r)
		}
	}
	k.working.brokers[b].fenced = true // write() applies the records in order
	return recs
}

// leaveReplicaSets takes a (re)registering broker out of the ISRs it is still in, electing new
// leaders where it led, and, after an unclean shutdown, out of every ELR too
// (handleBrokerUncleanShutdown walks the partitions with the broker in the ISR or the ELR; a last
// known leader stays one, PartitionChangeBuilder.maybeUpdateRecordElr).
func (k *Controller) leaveReplicaSets(b int, unclean bool) []metaRecord {
	var recs []metaRecord
	id := k.c.brokers[b].ID
	for idx := range k.working.parts.len() {
		st := k.working.parts.get(idx)
		pos := k.c.partitions[idx].position(id)
		if pos < 0 {
			continue
		}
		inELR := unclean && st.elr.has(pos)
		if !st.isr.has(pos) && st.leader != pos && !inELR {
			continue
		}
		var next partitionState
		if rec, ok := k.change(idx, st.isr.without(pos), electionOnline, b); ok {
			next = rec.(partitionChangeRecord).state
		} else {
			next = st
			next.partitionEpoch++
		}
		if unclean {
			next.elr = next.elr.without(pos)
		}
		recs = append(recs, partitionChangeRecord{part: idx, state: next})
	}
	return recs
}

// leadsNothing reports whether broker b leads no partition in the working state.
func (k *Controller) leadsNothing(b int) bool {
	id := k.c.brokers[b].ID
	for idx := range k.working.parts.len() {
		st := k.working.parts.get(idx)
		if st.leader >= 0 && k.c.partitions[idx].Replicas[st.leader] == id {
			return false
		}
	}
	return true
}

// onAlterPartition is ReplicationControlManager.alterPartition (reference §4.5).
func (k *Controller) onAlterPartition(s *sim.Sim, c *Half, m *alterPartitionRequest) {
	resp := &alterPartitionResponse{correlation: m.correlation}
	var recs []metaRecord
	for _, it := range m.items {
		err, rec := k.checkAlter(m, it)
		if rec != nil {
			recs = append(recs, rec)
			k.working.apply(k.working.applied, rec) // later items see it; write applies it again, idempotently
		}
		resp.errs = append(resp.errs, err)
		resp.results = append(resp.results, k.working.parts.get(it.part))
	}
	last := k.voter.HighWatermark() - 1
	if len(recs) > 0 {
		var ok bool
		if last, ok = k.write(s, recs...); !ok {
			return
		}
	}
	k.reply(s, c, last, resp, controllerRPCSize)
}

// checkAlter validates one AlterPartition item and builds its record.
func (k *Controller) checkAlter(m *alterPartitionRequest, it alterItem) (ErrorCode, metaRecord) {
	p := k.c.partitions[it.part]
	st := k.working.parts.get(p.idx)
	reg := k.working.brokers[m.broker]
	switch {
	case !reg.registered || reg.epoch != m.epoch:
		return ErrStaleBrokerEpoch, nil
	case it.leaderEpoch < st.leaderEpoch:
		return ErrFencedLeaderEpoch, nil
	case it.leaderEpoch > st.leaderEpoch:
		return ErrNotController, nil
	case st.leader != it.leader:
		return ErrNotLeaderOrFollower, nil
	case it.partitionEpoch != st.partitionEpoch:
		return ErrInvalidUpdateVersion, nil
	}
	for pos, id := range p.Replicas {
		if it.newISR.has(pos) && pos != st.leader && !k.working.acceptable(k.c.brokerIndex(id)) {
			return ErrIneligibleReplica, nil
		}
	}
	rec, _ := k.change(p.idx, it.newISR, electionOnline, -1)
	return ErrNone, rec
}

// maybeScheduleRebalance arms the preferred-leader check leader.imbalance.check.interval.seconds
// from now if some partition's leader is not its preferred replica (QuorumController.java:1225).
func (k *Controller) maybeScheduleRebalance(s *sim.Sim) {
	if !k.c.spec.Broker.AutoLeaderRebalanceEnable || k.rebalance.Armed() || k.working.imbalanced == 0 {
		return
	}
	s.ArmAfter(&k.rebalance, k.c.spec.Broker.LeaderImbalanceCheckInterval, sim.Event{H: k, Kind: ctrlRebalance, A: int64(k.epoch)})
}

// preferredLeaderElections runs PREFERRED elections for up to 1000 imbalanced partitions; when it
// hit that cap it runs again 10 ms later (QuorumController's rebalance rescheduling, §3.3).
func (k *Controller) preferredLeaderElections(s *sim.Sim) {
	var recs []metaRecord
	for idx := range k.working.parts.len() {
		st := k.working.parts.get(idx)
		if len(recs) == maxElectionsPerImbalance {
			break
		}
		if st.leader == 0 {
			continue
		}
		if r, ok := k.change(idx, st.isr, electionPreferred, -1); ok {
			recs = append(recs, r)
		}
	}
	if len(recs) > 0 {
		k.write(s, recs...)
	}
	if len(recs) == maxElectionsPerImbalance {
		s.ArmAfter(&k.rebalance, 10*time.Millisecond, sim.Event{H: k, Kind: ctrlRebalance, A: int64(k.epoch)})
		return
	}
	k.maybeScheduleRebalance(s)
}

// uncleanLeaderElections is maybeElectUncleanLeaders, every unclean.leader.election.interval.ms.
func (k *Controller) uncleanLeaderElections(s *sim.Sim) {
	var recs []metaRecord
	for idx := range k.working.parts.len() {
		st := k.working.parts.get(idx)
		if st.leader < 0 && k.c.partitions[idx].unclean {
			if r, ok := k.change(idx, st.isr, electionUnclean, -1); ok {
				recs = append(recs, r)
			}
		}
	}
	if len(recs) > 0 {
		k.write(s, recs...)
	}
	s.ArmAfter(&k.uncleanTick, k.cfg.UncleanLeaderElectionInterval, sim.Event{H: k, Kind: ctrlUnclean, A: int64(k.epoch)})
}
