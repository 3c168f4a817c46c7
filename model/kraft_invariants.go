package model

import (
	"fmt"

	"github.com/stretchsim/stretchsim/sim"
)

// Quorum invariant names, as design §3 words them.
const (
	ruleCommittedKept   = "committed metadata never lost"
	ruleOneQuorumLeader = "one quorum leader per epoch"
	ruleRaftHW          = "HW <= LEO"
)

// raftCommit is one committed offset: the epoch of its entry, and the epoch in which it was
// first seen committed.
type raftCommit struct {
	epoch, by int32
}

// raftInvariants watches the quorum for the metadata invariants of design §3 as it runs:
// every replica delivers the same entry at each committed offset; a leader holds every entry
// committed in an earlier epoch (Raft's Leader Completeness, which is what keeps committed
// metadata from being lost); one voter leads each epoch.
type raftInvariants struct {
	seed       uint64
	prefix     []raftCommit    // the committed prefix of the metadata log
	leaders    map[int32]int32 // epoch → node.id of the voter that led it; lookups only
	violations []Violation
}

func (iv *raftInvariants) init(seed uint64) {
	iv.seed = seed
	iv.leaders = make(map[int32]int32)
}

func (iv *raftInvariants) report(s *sim.Sim, rule, detail string) {
	if len(iv.violations) < maxViolations {
		iv.violations = append(iv.violations, Violation{Seed: iv.seed, At: s.Now(), Rule: rule, Detail: detail})
	}
}

// committed checks entries a replica (who, id) is about to deliver as committed against the
// committed prefix, and extends the prefix; by is the replica's epoch.
func (iv *raftInvariants) committed(s *sim.Sim, by int32, es []raftEntry, who string, id int32) {
	for i := range es {
		e := &es[i]
		switch off := int(e.Offset); {
		case off < len(iv.prefix):
			if c := iv.prefix[off]; c.epoch != e.Epoch {
				iv.report(s, ruleCommittedKept, fmt.Sprintf("%s %d commits offset %d of epoch %d, committed before with epoch %d",
					who, id, off, e.Epoch, c.epoch))
				return
			}
		case off == len(iv.prefix):
			iv.prefix = append(iv.prefix, raftCommit{epoch: e.Epoch, by: by})
		default:
			iv.report(s, ruleCommittedKept, fmt.Sprintf("%s %d commits offset %d past the committed prefix %d",
				who, id, off, len(iv.prefix)))
			return
		}
	}
}

// newLeader checks a voter taking the leadership of its epoch.
func (iv *raftInvariants) newLeader(s *sim.Sim, v *raftVoter) {
	if prev, ok := iv.leaders[v.curEpoch]; ok && prev != v.spec.ID {
		iv.report(s, ruleOneQuorumLeader, fmt.Sprintf("voters %d and %d both led epoch %d", prev, v.spec.ID, v.curEpoch))
	}
	iv.leaders[v.curEpoch] = v.spec.ID
	for off, c := range iv.prefix {
		if c.by >= v.curEpoch {
			continue
		}
		if off >= len(v.log.entries) || v.log.entries[off].Epoch != c.epoch {
			iv.report(s, ruleCommittedKept, fmt.Sprintf("leader %d of epoch %d lacks offset %d committed in epoch %d",
				v.spec.ID, v.curEpoch, off, c.by))
			return
		}
	}
}

// checkInvariants checks the quorum's invariants now (HW <= LEO on every replica, at most one
// live leader per epoch) and returns every violation found in the run so far, including those
// caught as they happened.
func (q *quorum) checkInvariants(s *sim.Sim) []Violation {
	iv := &q.invariant
	for _, v := range q.vs {
		if v.hw > v.log.end() {
			iv.report(s, ruleRaftHW, fmt.Sprintf("voter %d: HW %d > LEO %d", v.spec.ID, v.hw, v.log.end()))
		}
		for _, w := range q.vs[v.idx+1:] {
			if v.isLeader() && w.isLeader() && v.curEpoch == w.curEpoch {
				iv.report(s, ruleOneQuorumLeader, fmt.Sprintf("voters %d and %d both lead epoch %d", v.spec.ID, w.spec.ID, v.curEpoch))
			}
		}
	}
	for _, o := range q.obs {
		if o.hw > o.log.end() {
			iv.report(s, ruleRaftHW, fmt.Sprintf("observer on node %d: HW %d > LEO %d", o.node, o.hw, o.log.end()))
		}
	}
	return iv.violations
}
