package kraft

import (
	"fmt"
	"sort"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// Violation is a broken invariant, with what is needed to replay it: the quorum's, and the data
// plane's (model.Violation is this type).
type Violation struct {
	Seed   uint64
	At     sim.Time
	Rule   string
	Detail string
}

func (v Violation) String() string {
	return fmt.Sprintf("seed %d at %v: %s: %s", v.Seed, v.At, v.Rule, v.Detail)
}

// maxViolations bounds how many violations a quorum keeps (the first ones matter most).
const maxViolations = 100

// Quorum invariant names, as design §3 words them.
const (
	ruleCommittedKept   = "committed metadata never lost"
	ruleOneQuorumLeader = "one quorum leader per epoch"
	ruleRaftHW          = "HW <= LEO"
)

// raftCommitRun is a run of committed offsets [start, end) whose entries have the same epoch,
// the same record content (hash) and were first seen committed in the same epoch (by). NoOp
// records of one leadership share one run, so the record of a steady log stays small.
type raftCommitRun struct {
	start, end units.Offset
	epoch, by  int32
	hash       uint64
}

// raftInvariants watches the quorum for the metadata invariants of design §3 as it runs:
// every replica delivers the same entry (epoch and record content) at each committed offset; a
// snapshot holds only committed entries; a leader holds every entry committed in an earlier epoch
// (Raft's Leader Completeness, which is what keeps committed metadata from being lost); one voter
// leads each epoch. It keeps the committed prefix as runs, from the lowest log start offset of
// any replica (below it no replica holds an entry to compare).
type raftInvariants struct {
	seed       uint64
	prefix     []raftCommitRun // the committed prefix of the metadata log, from base
	base       units.Offset
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

// end is the end of the committed prefix.
func (iv *raftInvariants) end() units.Offset {
	if n := len(iv.prefix); n > 0 {
		return iv.prefix[n-1].end
	}
	return iv.base
}

// at returns the committed run holding offset off (base <= off < end).
func (iv *raftInvariants) at(off units.Offset) *raftCommitRun {
	i := sort.Search(len(iv.prefix), func(i int) bool { return iv.prefix[i].end > off })
	return &iv.prefix[i]
}

// extend appends offset end() to the committed prefix.
func (iv *raftInvariants) extend(epoch, by int32, hash uint64) {
	if n := len(iv.prefix); n > 0 {
		if r := &iv.prefix[n-1]; r.epoch == epoch && r.by == by && r.hash == hash {
			r.end++
			return
		}
	}
	e := iv.end()
	iv.prefix = append(iv.prefix, raftCommitRun{start: e, end: e + 1, epoch: epoch, by: by, hash: hash})
}

// committed checks entries a replica (who, id) is about to deliver as committed against the
// committed prefix, and extends the prefix; by is the replica's epoch.
func (iv *raftInvariants) committed(s *sim.Sim, by int32, es Entries, who string, id int32) {
	for e := range es.All() {
		h := recordHash(e.Rec)
		switch off := e.Offset; {
		case off < iv.base:
		case off < iv.end():
			if c := iv.at(off); c.epoch != e.Epoch || c.hash != h {
				iv.report(s, ruleCommittedKept, fmt.Sprintf("%s %d commits offset %d of epoch %d (record %016x), committed before with epoch %d (record %016x)",
					who, id, off, e.Epoch, h, c.epoch, c.hash))
				return
			}
		case off == iv.end():
			iv.extend(e.Epoch, by, h)
		default:
			iv.report(s, ruleCommittedKept, fmt.Sprintf("%s %d commits offset %d past the committed prefix %d",
				who, id, off, iv.end()))
			return
		}
	}
}

// snapshot checks a snapshot a replica wrote or loaded: it must hold only committed entries,
// ending with the committed entry of its epoch.
func (iv *raftInvariants) snapshot(s *sim.Sim, id raftSnapshotID, who string, nodeID int32) {
	switch last := id.end - 1; {
	case id.end > iv.end():
		iv.report(s, ruleCommittedKept, fmt.Sprintf("%s %d: snapshot up to %d past the committed prefix %d",
			who, nodeID, id.end, iv.end()))
	case last >= iv.base && iv.at(last).epoch != id.epoch:
		iv.report(s, ruleCommittedKept, fmt.Sprintf("%s %d: snapshot up to %d of epoch %d, committed with epoch %d",
			who, nodeID, id.end, id.epoch, iv.at(last).epoch))
	}
}

// trimBelow forgets the committed offsets below low: no replica holds them any more.
func (iv *raftInvariants) trimBelow(low units.Offset) {
	if low <= iv.base {
		return
	}
	i := 0
	for i < len(iv.prefix) && iv.prefix[i].end <= low {
		i++
	}
	iv.prefix = append(iv.prefix[:0], iv.prefix[i:]...)
	if len(iv.prefix) > 0 {
		iv.prefix[0].start = max(iv.prefix[0].start, low)
	}
	iv.base = low
}

// newLeader checks a voter taking the leadership of its epoch: its log holds every entry
// committed in an earlier epoch, from its log start offset (below it, its snapshots were checked
// when written or loaded).
func (iv *raftInvariants) newLeader(s *sim.Sim, v *Voter) {
	if prev, ok := iv.leaders[v.curEpoch]; ok && prev != v.spec.ID {
		iv.report(s, ruleOneQuorumLeader, fmt.Sprintf("voters %d and %d both led epoch %d", prev, v.spec.ID, v.curEpoch))
	}
	iv.leaders[v.curEpoch] = v.spec.ID
	for i := range iv.prefix {
		c := &iv.prefix[i]
		if c.by >= v.curEpoch {
			continue
		}
		from := max(c.start, v.log.start)
		if from < c.end && c.end > v.log.end() {
			iv.report(s, ruleCommittedKept, fmt.Sprintf("leader %d of epoch %d lacks offset %d committed in epoch %d",
				v.spec.ID, v.curEpoch, max(from, v.log.end()), c.by))
			return
		}
		for _, r := range v.log.view(min(from, c.end), c.end).runs {
			if r.epoch != c.epoch || recordHash(r.rec) != c.hash {
				iv.report(s, ruleCommittedKept, fmt.Sprintf("leader %d of epoch %d lacks offset %d committed in epoch %d",
					v.spec.ID, v.curEpoch, max(r.start, from), c.by))
				return
			}
		}
	}
}

// CheckInvariants checks the quorum's invariants now (HW <= LEO on every replica, at most one
// live leader per epoch) and returns every violation found in the run so far, including those
// caught as they happened.
func (q *Quorum) CheckInvariants(s *sim.Sim) []Violation {
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

// raftControlHash stands for the content of a LeaderChange control record.
const raftControlHash uint64 = 0x9e3779b97f4a7c15

// recordHash is the hash of an entry's record, raftControlHash for a control record.
func recordHash(rec Record) uint64 {
	if rec == nil {
		return raftControlHash
	}
	return rec.Hash()
}
