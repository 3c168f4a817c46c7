package kraft

import (
	"cmp"
	"slices"
	"time"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// raftLeadership is a leader's state for its epoch (Kafka's LeaderState plus its BatchAccumulator).
type raftLeadership struct {
	epochStart units.Offset   // the LeaderChange entry's offset; the HW must pass it first
	ends       []units.Offset // per voter: the end offset it reported in its last Fetch (own: LEO), -1 unknown
	acked      []bool         // per voter: acknowledged this leadership (BeginQuorumEpoch answer or a Fetch)
	needBegin  []bool         // per voter: a BeginQuorumEpoch is due
	fetched    []bool         // per voter: fetched since the check-quorum timer was last reset
	active     bool           // OnLeaderActive fired
	batch      []Record
	batchBytes units.Bytes
	parked     []raftParked // the fetch purgatory, by deadline
	scratch    []units.Offset

	linger, checkQuorum, beginResend, parkTimer sim.Timer
}

// toLeader takes the leadership of the current epoch: write the LeaderChange entry, announce
// the epoch with BeginQuorumEpoch, start the check-quorum timer.
func (v *Voter) toLeader(s *sim.Sim) {
	v.transition(s, raftLeader, v.curEpoch, v.idx)
	v.retries = 0
	n := len(v.q.vs)
	ld := &raftLeadership{epochStart: v.log.end(), ends: make([]units.Offset, n), acked: make([]bool, n),
		needBegin: make([]bool, n), fetched: make([]bool, n)}
	for i := range ld.ends {
		ld.ends[i] = -1
		ld.needBegin[i] = i != v.idx
	}
	v.ld = ld
	v.q.invariant.newLeader(s, v)
	v.log.add(s.Now(), v.curEpoch, nil)
	if n > 1 {
		v.armCheckQuorum(s)
		s.ArmAfter(&ld.beginResend, v.cfg.FetchTimeout/2, sim.Event{H: v, Kind: raftEvBeginResend})
	}
	v.onLeaderAppend(s)
}

// stop ends the leadership's timers and returns its parked fetches.
func (ld *raftLeadership) stop() []raftParked {
	ld.linger.Stop()
	ld.checkQuorum.Stop()
	ld.beginResend.Stop()
	ld.parkTimer.Stop()
	return ld.parked
}

// Append adds records to the open batch (leader only). The batch is written to the log and
// replicated when controller.quorum.append.linger.ms has passed since its first record, or at
// once when it reaches MAX_BATCH_SIZE_BYTES (BatchAccumulator). It returns the offset the last
// record will have.
func (v *Voter) Append(s *sim.Sim, recs ...Record) (last units.Offset, ok bool) {
	if !v.isLeader() {
		return 0, false
	}
	ld := v.ld
	if len(ld.batch) == 0 && len(recs) > 0 {
		s.ArmAfter(&ld.linger, v.cfg.AppendLinger, sim.Event{H: v, Kind: raftEvLinger})
	}
	for _, r := range recs {
		ld.batch = append(ld.batch, r)
		ld.batchBytes += r.WireSize() + EntryOverhead
	}
	last = v.log.end() + units.Offset(len(ld.batch)) - 1
	if ld.batchBytes >= raftMaxBatchBytes {
		v.drain(s)
	}
	return last, true
}

// drain writes the open batch to the log (the flush is instant).
func (v *Voter) drain(s *sim.Sim) {
	ld := v.ld
	ld.linger.Stop()
	if len(ld.batch) == 0 {
		return
	}
	for _, r := range ld.batch {
		v.log.add(s.Now(), v.curEpoch, r)
	}
	clear(ld.batch)
	ld.batch, ld.batchBytes = ld.batch[:0], 0
	v.onLeaderAppend(s)
}

// onLeaderAppend follows a local append: the leader's own end offset moves, the HW may move, and
// the parked fetches now have entries to return (updateLeaderEndOffsetAndTimestamp).
func (v *Voter) onLeaderAppend(s *sim.Sim) {
	v.ld.ends[v.idx] = v.log.end()
	v.maybeAdvanceHW(s)
	if v.state == raftLeader {
		v.completeParked(s)
	}
}

// maybeAdvanceHW is LeaderState.maybeUpdateHighWatermark: sort the voters' end offsets in
// descending order and take the one at index ⌊n/2⌋, the largest offset a majority holds. It
// becomes the HW only past the epoch start offset and if larger than the HW. Observers never
// count.
func (v *Voter) maybeAdvanceHW(s *sim.Sim) {
	hw := majorityEndOffset(v.ld.ends, &v.ld.scratch)
	if hw > v.ld.epochStart && hw > v.hw {
		v.hw = hw
		v.deliverCommits(s)
	}
}

// majorityEndOffset returns the ⌊n/2⌋-th largest of ends, sorting a copy in *scratch.
func majorityEndOffset(ends []units.Offset, scratch *[]units.Offset) units.Offset {
	sc := append((*scratch)[:0], ends...)
	slices.SortFunc(sc, func(a, b units.Offset) int { return cmp.Compare(b, a) })
	*scratch = sc
	return sc[len(sc)/2]
}

// onVoterFetch records a voter's Fetch for BeginQuorumEpoch and check quorum
// (LeaderState.updateCheckQuorumForFollowingVoter): once a majority, the leader included, has
// fetched, the check-quorum timer starts over.
func (v *Voter) onVoterFetch(s *sim.Sim, from int) {
	ld := v.ld
	ld.acked[from] = true
	ld.fetched[from] = true
	n := 0
	for i, f := range ld.fetched {
		if f && i != v.idx {
			n++
		}
	}
	if n >= v.q.majority()-1 {
		clear(ld.fetched)
		v.armCheckQuorum(s)
	}
}

func (v *Voter) armCheckQuorum(s *sim.Sim) {
	d := time.Duration(raftCheckQuorumFactor * float64(v.cfg.FetchTimeout))
	s.ArmAfter(&v.ld.checkQuorum, d, sim.Event{H: v, Kind: raftEvCheckQuorum})
}

// onBeginResend re-announces the epoch to the voters that have not acknowledged it, every
// controller.quorum.fetch.timeout.ms / 2.
func (v *Voter) onBeginResend(s *sim.Sim) {
	ld := v.ld
	for i := range ld.needBegin {
		if i != v.idx && !ld.acked[i] {
			ld.needBegin[i] = true
		}
	}
	s.ArmAfter(&ld.beginResend, v.cfg.FetchTimeout/2, sim.Event{H: v, Kind: raftEvBeginResend})
}

// sendBeginEpochs sends the due BeginQuorumEpoch requests whose slots are free.
func (v *Voter) sendBeginEpochs(s *sim.Sim) {
	ld := v.ld
	for i, due := range ld.needBegin {
		if !due || ld.acked[i] || !v.cl.ready(i) {
			continue
		}
		ld.needBegin[i] = false
		corr := v.cl.begin(s, i, raftBeginEpochAPI)
		v.cl.transmit(s, i, &raftBeginEpochReq{raftHdr{corr: corr, from: v.idx, epoch: v.curEpoch}}, raftMsgBytes)
	}
}

// successors lists the other voters by descending end offset, ties by index
// (LeaderState.nonLeaderVotersByDescendingFetchOffset).
func (ld *raftLeadership) successors(self int) []int {
	var out []int
	for i := range ld.ends {
		if i != self {
			out = append(out, i)
		}
	}
	slices.SortStableFunc(out, func(a, b int) int { return cmp.Compare(ld.ends[b], ld.ends[a]) })
	return out
}
