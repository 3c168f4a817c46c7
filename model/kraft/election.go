package kraft

import (
	"time"

	"github.com/stretchsim/stretchsim/model/net"
	"github.com/stretchsim/stretchsim/sim"
)

// startElection opens a PreVote or Vote round with the voter's own vote granted.
func (v *Voter) startElection() {
	v.votes = make([]int8, len(v.q.vs))
	v.votes[v.idx] = 1
}

func (v *Voter) countVotes() (granted, rejected int) {
	for _, x := range v.votes {
		switch x {
		case 1:
			granted++
		case -1:
			rejected++
		}
	}
	return granted, rejected
}

// electionWon reports a majority of granted votes (EpochElection.isVoteGranted).
func (v *Voter) electionWon() bool {
	g, _ := v.countVotes()
	return g >= v.q.majority()
}

// electionLost reports that enough voters rejected to make a majority impossible
// (EpochElection.isVoteRejected).
func (v *Voter) electionLost() bool {
	if v.votes == nil {
		return false
	}
	_, r := v.countVotes()
	return len(v.votes)-r < v.q.majority()
}

// sendVotes asks every voter that has not answered, whose slot is free, for its (Pre)Vote.
func (v *Voter) sendVotes(s *sim.Sim) {
	pre := v.state == raftProspective
	for i := range v.q.vs {
		if v.votes[i] != 0 || !v.cl.ready(i) {
			continue
		}
		corr := v.cl.begin(s, i, raftVoteAPI)
		v.cl.transmit(s, i, &raftVoteReq{raftHdr: raftHdr{corr: corr, from: v.idx, epoch: v.curEpoch},
			lastEpoch: v.log.lastEpoch(), end: v.log.end(), preVote: pre}, raftMsgBytes)
	}
}

// onVoteReq answers a Vote or PreVote (KafkaRaftClient.handleVoteRequest). A Vote with a higher
// epoch first makes this voter Unattached at that epoch; a PreVote never changes the epoch.
func (v *Voter) onVoteReq(s *sim.Sim, c *net.Half, m *raftVoteReq) {
	granted := false
	if m.epoch >= v.curEpoch {
		if !m.preVote && m.epoch > v.curEpoch {
			v.toUnattached(s, m.epoch)
		}
		granted = v.canGrant(m.from, v.log.upToDateWith(m.lastEpoch, m.end), m.preVote)
		if granted && !m.preVote && v.votedFor < 0 {
			v.toUnattachedVoted(s, m.from)
		}
	}
	c.Peer().Send(s, &raftVoteResp{raftHdr: raftHdr{corr: m.corr, from: v.idx, epoch: v.curEpoch},
		leader: v.leaderIdx, granted: granted}, raftMsgBytes)
}

// canGrant is each state's canGrantVote (Kafka 4.0 with KIP-996). PreVotes: a leader refuses; a
// follower that has fetched successfully from its leader refuses; every other state grants if
// the candidate's log is at least as up to date. Votes at the current epoch: only an Unattached or
// Prospective voter that has not voted for someone else and knows no leader, for an up-to-date
// log.
func (v *Voter) canGrant(candidate int, upToDate, preVote bool) bool {
	switch v.state {
	case raftLeader:
		return false
	case raftFollower:
		return preVote && !v.fetched && upToDate
	case raftCandidate, raftResigned:
		return preVote && upToDate
	}
	switch {
	case preVote:
		return upToDate
	case v.votedFor >= 0:
		return v.votedFor == candidate
	case v.leaderIdx >= 0:
		return false
	}
	return upToDate
}

// onVoteResp records a (Pre)Vote answer. A PreVote majority makes a Prospective Candidate; a
// Vote majority makes a Candidate Leader. Enough rejections end a PreVote round, or make a
// Candidate back off.
func (v *Voter) onVoteResp(s *sim.Sim, m *raftVoteResp) {
	if !v.cl.accept(m.from, m.corr) || v.observeEpoch(s, m.epoch, m.leader) {
		return
	}
	if v.state != raftProspective && v.state != raftCandidate {
		return
	}
	v.votes[m.from] = -1
	if m.granted {
		v.votes[m.from] = 1
	}
	switch {
	case v.electionWon() && v.state == raftProspective:
		v.toCandidate(s)
	case v.electionWon():
		v.toLeader(s)
	case v.electionLost() && v.state == raftProspective:
		v.prospectiveLost(s)
	case v.electionLost() && !v.backingOff:
		v.startBackoff(s)
	}
}

// startBackoff makes a Candidate that lost or timed out wait before its next PreVote round.
func (v *Voter) startBackoff(s *sim.Sim) {
	v.backingOff = true
	v.armState(s, electionBackoff(v.rnd, v.retries, v.cfg.ElectionBackoffMax))
}

// electionBackoff is KafkaRaftClient.binaryExponentialElectionBackoffMs:
// min(RETRY_BACKOFF_BASE_MS × nextInt(2 << min(20, retries−1)), controller.quorum.election.backoff.max.ms).
func electionBackoff(rnd *sim.Stream, retries int, maxBackoff time.Duration) time.Duration {
	retries = max(retries, 1)
	d := raftBackoffBase * time.Duration(rnd.IntN(2<<min(20, retries-1)))
	return min(d, maxBackoff)
}

// endEpochBackoff is how long a follower waits before its election after the leader resigned
// naming successors (KafkaRaftClient.endEpochElectionBackoff): 0 for the first successor, then
// strictly exponential, controller.quorum.election.backoff.max.ms if not named.
func (v *Voter) endEpochBackoff(successors []int) time.Duration {
	maxMs := v.cfg.ElectionBackoffMax.Milliseconds()
	for p, i := range successors {
		if i != v.idx {
			continue
		}
		if p == 0 {
			return 0
		}
		return time.Duration(min(maxMs, (maxMs>>(len(successors)-1))<<(p-1))) * time.Millisecond
	}
	return v.cfg.ElectionBackoffMax
}
