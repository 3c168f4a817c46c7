package model

import (
	"github.com/stretchsim/stretchsim/model/kraft"
	"github.com/stretchsim/stretchsim/sim"
)

// onMetadata applies committed metadata records to the broker's image and reconciles its replicas
// (ReplicaManager.applyDelta → makeLeader / makeFollower). The broker's kraft.ObserverListener
// (brokerListener) calls it.
// Like Kafka's MetadataDelta, the records of one batch are applied to the image first, so that a
// partition change sees the broker fencing written with it.
func (b *Broker) onMetadata(s *sim.Sim, entries kraft.Entries) {
	if b.down {
		return
	}
	changed := b.changedBuf[:0]
	for e := range entries.All() {
		if e.Rec == nil {
			continue
		}
		b.image.apply(e.Offset, e.Rec)
		if r, ok := e.Rec.(partitionChangeRecord); ok {
			if rep := b.replicaOf(b.cluster.partitions[r.part]); rep != nil {
				changed = append(changed, rep)
			}
		}
	}
	if b.ready {
		for _, rep := range changed {
			b.reconcile(s, rep, b.image.parts.get(rep.p.idx))
		}
	}
	b.changedBuf = changed[:0]
	b.lifecycle.onMetadataProgress(s)
	if b.snapshots.onDelta(s.Now(), entries) {
		b.observer.CreateSnapshot(s, entries.End(), b.snapshots.emit(s.Now(), &b.image))
	}
}

// onSnapshot loads a snapshot the observer fetched from the leader: the image becomes the
// snapshot's and the replicas follow it (BrokerMetadataPublisher applies the difference).
func (b *Broker) onSnapshot(s *sim.Sim, image kraft.SnapshotImage, end Offset) {
	if b.down {
		return
	}
	b.image = loadImage(image, end)
	b.snapshots.loaded(s.Now(), image.(*ctrlState))
	if b.ready {
		for _, p := range b.cluster.partitions {
			if rep := b.replicaOf(p); rep != nil {
				b.reconcile(s, rep, b.image.parts.get(p.idx))
			}
		}
	}
	b.lifecycle.onMetadataProgress(s)
}

// reconcile makes replica r follow the partition state st, as applyDelta does.
func (b *Broker) reconcile(s *sim.Sim, r *Replica, st partitionState) {
	switch {
	case st.leader == int(r.pos) && (!r.leader || st.leaderEpoch > r.leaderEpoch):
		b.makeLeader(s, r, st)
	case st.leader == int(r.pos):
		if st.partitionEpoch > r.partitionEpoch {
			// A newer committed state wins; an AlterPartition still in flight is answered stale
			// and ignored (reference §4.5 step 4).
			r.isr, r.partitionEpoch, r.pending = st.isr, st.partitionEpoch, alterNone
			r.setMaximal(st.isr)
			r.afterHWMayRise(s)
		}
	case st.leader < 0:
		b.makeFollower(s, r, st, nil)
	case r.leader || st.leaderEpoch > r.leaderEpoch || r.fetcher() == nil:
		b.makeFollower(s, r, st, b.cluster.brokers[b.cluster.brokerIndex(r.p.Replicas[st.leader])])
	}
}

// makeLeader is Partition.makeLeader: the replica leads from its LEO, its followers' state reset.
func (b *Broker) makeLeader(s *sim.Sim, r *Replica, st partitionState) {
	if r.fetcher() != nil {
		r.fetcher().remove(r)
	}
	r.becomeLeader(s.Now(), st.leaderEpoch, st.isr, st.partitionEpoch)
	b.cluster.onLeaderChange(s, r)
	r.afterHWMayRise(s)
}

// makeFollower is Partition.makeFollower: leadership is lost (waiting produces fail with
// NOT_LEADER_OR_FOLLOWER), and the replica fetches from the new leader, truncating on divergence
// (KIP-320). A nil leader means the partition is offline: the replica stops fetching.
func (b *Broker) makeFollower(s *sim.Sim, r *Replica, st partitionState, leader *Broker) {
	wasLeader := r.leader
	r.leader, r.leaderEpoch, r.partitionEpoch = false, st.leaderEpoch, st.partitionEpoch
	b.cluster.touch(r.p)
	if wasLeader {
		r.produces.failAll(s, r, ErrNotLeaderOrFollower)
		r.onLeadershipLost(s)
	}
	if r.fetcher() != nil {
		r.fetcher().remove(r)
	}
	if leader != nil && leader != b {
		b.fetcherFor(leader, int(r.p.fetcherID)).add(r)
		r.fetcher().send(s)
	}
}

// onLeadershipLost answers the sessions that fetch from r: each gets NOT_LEADER_OR_FOLLOWER for
// the partition in its next response, and a parked Fetch completes at once (DelayedFetch
// condition A). Followers back off and move when their metadata says so.
func (r *Replica) onLeadershipLost(s *sim.Sim) {
	for _, sp := range r.sessions() {
		sp.markDirty()
		if pf := sp.ls.parked; pf != nil && !pf.done {
			sp.ls.complete(s)
		}
	}
	r.onLeadershipLostForConsumers(s)
}

// failAll completes every wait with err (leadership lost: NOT_LEADER_OR_FOLLOWER).
func (w *produceWaiters) failAll(s *sim.Sim, r *Replica, err ErrorCode) {
	for _, x := range w.q[w.head:] {
		if x.op.done {
			continue
		}
		x.op.resp.results[x.idx].code = err
		x.op.waiting--
		if x.op.waiting == 0 {
			r.broker.respondProduce(s, x.op)
		}
	}
	clear(w.q)
	w.q, w.head = w.q[:0], 0
}
