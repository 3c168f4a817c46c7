package kraft

import (
	"fmt"
	"slices"

	"github.com/stretchsim/stretchsim/model/net"
	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// raftParked is a Fetch the leader holds in its fetch purgatory: nothing past the fetch offset
// yet. It is answered when the leader's LEO grows or at its deadline (maxWait, at most
// MAX_FETCH_WAIT_MS) — not when only the HW moves, which is the 0–500 ms HW propagation delay of
// reference §4.3 (KIP-1166, which completes fetches on HW changes, is not modelled).
type raftParked struct {
	c        *net.Half
	req      *raftFetchReq
	deadline sim.Time
}

// park holds m until the LEO grows or its wait is over. The purgatory is kept in deadline order
// with one timer for the earliest deadline.
func (v *Voter) park(s *sim.Sim, c *net.Half, m *raftFetchReq) {
	ld := v.ld
	p := raftParked{c: c, req: m, deadline: s.Now().Add(min(m.maxWait, raftMaxFetchWait))}
	i := len(ld.parked)
	for i > 0 && ld.parked[i-1].deadline > p.deadline {
		i--
	}
	ld.parked = slices.Insert(ld.parked, i, p)
	if !ld.parkTimer.Armed() || ld.parkTimer.At() > p.deadline {
		s.Arm(&ld.parkTimer, sim.Event{At: p.deadline, H: v, Kind: raftEvParkExpiry})
	}
}

// expireParked answers the parked fetches whose wait is over.
func (v *Voter) expireParked(s *sim.Sim) {
	ld := v.ld
	n := 0
	for n < len(ld.parked) && ld.parked[n].deadline <= s.Now() {
		v.replyFetch(s, ld.parked[n].c, ld.parked[n].req, raftNone)
		n++
	}
	ld.parked = slices.Delete(ld.parked, 0, n)
	if len(ld.parked) > 0 {
		s.Arm(&ld.parkTimer, sim.Event{At: ld.parked[0].deadline, H: v, Kind: raftEvParkExpiry})
	}
}

// onFetchReq serves a Fetch (KafkaRaftClient.handleFetchRequest). A voter that does not lead the
// request's epoch answers at once with an error and the leader it knows. The leader answers at
// once with entries, a diverging epoch or the id of the snapshot to fetch instead, and parks the
// fetch otherwise. A voter's fetch offset is
// its end offset for the HW rule, and counts for check quorum.
func (v *Voter) onFetchReq(s *sim.Sim, c *net.Half, m *raftFetchReq) {
	if err := v.validateLeaderRequest(m.epoch); err != raftNone {
		v.replyFetch(s, c, m, err)
		return
	}
	if m.from >= 0 {
		v.onVoterFetch(s, m.from)
	}
	switch kind, epoch, end := v.log.validateFetch(m.offset, m.lastEpoch); kind {
	case fetchDiverging:
		v.replyDiverging(s, c, m, epoch, end)
		return
	case fetchSnapshot:
		v.replySnapshotID(s, c, m, raftSnapshotID{end: end, epoch: epoch})
		return
	}
	if m.from >= 0 {
		v.ld.ends[m.from] = m.offset
		v.maybeAdvanceHW(s)
	}
	if m.offset < v.log.end() || m.maxWait <= 0 {
		v.replyFetch(s, c, m, raftNone)
		return
	}
	v.park(s, c, m)
}

// validateLeaderRequest is KafkaRaftClient.validateLeaderOnlyRequest.
func (v *Voter) validateLeaderRequest(epoch int32) raftErr {
	switch {
	case epoch < v.curEpoch:
		return raftFencedEpoch
	case epoch > v.curEpoch:
		return raftUnknownEpoch
	case v.state != raftLeader:
		return raftNotLeader
	}
	return raftNone
}

// completeParked answers every parked fetch: the LEO grew.
func (v *Voter) completeParked(s *sim.Sim) {
	ps := v.ld.parked
	v.ld.parked = nil
	v.ld.parkTimer.Stop()
	for _, p := range ps {
		v.replyFetch(s, p.c, p.req, raftNone)
	}
}

// replyFetch answers m with the entries past its offset (if err is raftNone), the HW and the
// epoch and leader this voter knows.
func (v *Voter) replyFetch(s *sim.Sim, c *net.Half, m *raftFetchReq, err raftErr) {
	r := &raftFetchResp{raftHdr: raftHdr{corr: m.corr, from: v.idx, epoch: v.curEpoch},
		leader: v.leaderIdx, err: err, hw: v.hw}
	if err == raftNone && m.offset < v.log.end() {
		r.entries = v.log.read(m.offset, raftMaxFetchBytes)
	}
	c.Peer().Send(s, r, r.size())
}

// replySnapshotID tells the fetcher to fetch snapshot id: its fetch offset is below the log start
// offset, or its log is empty or older than the oldest snapshot (tryCompleteFetchRequest).
func (v *Voter) replySnapshotID(s *sim.Sim, c *net.Half, m *raftFetchReq, id raftSnapshotID) {
	r := &raftFetchResp{raftHdr: raftHdr{corr: m.corr, from: v.idx, epoch: v.curEpoch},
		leader: v.leaderIdx, hw: v.hw, snapshot: true, snapID: id}
	c.Peer().Send(s, r, r.size())
}

func (v *Voter) replyDiverging(s *sim.Sim, c *net.Half, m *raftFetchReq, divEpoch int32, divEnd units.Offset) {
	r := &raftFetchResp{raftHdr: raftHdr{corr: m.corr, from: v.idx, epoch: v.curEpoch},
		leader: v.leaderIdx, hw: v.hw, diverging: true, divEpoch: divEpoch, divEnd: divEnd}
	c.Peer().Send(s, r, r.size())
}

// sendFetch sends a Fetch from the end of the log to voter i, waiting up to MAX_FETCH_WAIT_MS.
func (v *Voter) sendFetch(s *sim.Sim, i int) {
	corr := v.cl.begin(s, i, raftFetchAPI)
	v.cl.transmit(s, i, &raftFetchReq{raftHdr: raftHdr{corr: corr, from: v.idx, epoch: v.curEpoch},
		offset: v.log.end(), lastEpoch: v.log.lastEpoch(), maxWait: raftMaxFetchWait}, raftMsgBytes)
}

// onFetchResp handles a Fetch answer (KafkaRaftClient.handleFetchResponse). A response naming a
// newer epoch or an unknown leader moves the voter first; an error backs the slot off; a success
// from the leader is applied, advances the HW to min(leader HW, LEO) and restarts the fetch
// timeout, which runs from the last successful response. A snapshot id starts a FetchSnapshot
// download instead.
func (v *Voter) onFetchResp(s *sim.Sim, m *raftFetchResp) {
	if !v.cl.accept(m.from, m.corr) || v.observeEpoch(s, m.epoch, m.leader) {
		return
	}
	if m.err != raftNone {
		v.cl.backoff(s, m.from)
		return
	}
	if v.state != raftFollower || m.from != v.leaderIdx || m.epoch != v.curEpoch {
		return
	}
	if m.snapshot {
		v.snap.start(&v.log, m.snapID)
	} else {
		hw, ok := v.log.applyFetch(s.Now(), m, v.hw)
		if !ok {
			return
		}
		v.setFollowerHW(s, hw)
	}
	v.fetched = true
	v.armFetchTimeout(s, v.cfg.FetchTimeout)
	v.deliverCommits(s)
}

// setFollowerHW sets the HW after a fetch; a truncation below it would lose committed entries.
func (v *Voter) setFollowerHW(s *sim.Sim, hw units.Offset) {
	if end := v.log.end(); end < hw {
		v.q.invariant.report(s, ruleCommittedKept,
			fmt.Sprintf("voter %d truncated to %d below its HW %d", v.spec.ID, end, hw))
		hw = end
	}
	v.hw = hw
}
