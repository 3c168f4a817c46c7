package kraft

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// transition leaves the current state for st at epoch (never lower than the current one) with
// the given known leader. Like Kafka's QuorumState transitions it abandons every request in flight
// (resetConnections). A leader that steps down answers its parked fetches with
// NOT_LEADER_OR_FOLLOWER and the new epoch, and tells its listener.
func (v *Voter) transition(s *sim.Sim, st raftState, epoch int32, leader int) {
	var parked []raftParked
	wasLeader := v.state == raftLeader
	if wasLeader {
		parked = v.ld.stop()
	}
	v.cl.reset()
	v.timer.Stop()
	v.backingOff, v.votes, v.fetched, v.ld, v.resigned = false, nil, false, nil, nil
	v.snap = raftSnapshotFetch{}
	if epoch > v.curEpoch {
		v.curEpoch, v.votedFor = epoch, -1 // persisted at once: flushes are instant
	}
	v.state, v.leaderIdx = st, leader
	for _, p := range parked {
		v.replyFetch(s, p.c, p.req, raftNotLeader)
	}
	if wasLeader && st != raftLeader && v.listener != nil {
		v.listener.OnLeaderLost(s)
	}
}

// toUnattached moves to Unattached at epoch with no known leader. As in
// QuorumState.transitionToUnattached, a voter that was already waiting for an election
// (Unattached, Candidate, or Prospective without a majority of rejections) keeps the rest of its
// election timeout; any other draws a new randomized one.
func (v *Voter) toUnattached(s *sim.Sim, epoch int32) {
	keep := v.state == raftUnattached || v.state == raftCandidate ||
		(v.state == raftProspective && !v.electionLost())
	remaining := max(0, v.electionAt.Sub(s.Now()))
	v.transition(s, raftUnattached, epoch, -1)
	if !keep {
		remaining = v.randomElectionTimeout()
	}
	v.armElection(s, remaining)
}

// toUnattachedVoted records a granted Vote at the current epoch, with a new randomized election
// timeout (QuorumState.unattachedAddVotedState).
func (v *Voter) toUnattachedVoted(s *sim.Sim, candidate int) {
	v.transition(s, raftUnattached, v.curEpoch, -1)
	v.votedFor = candidate
	v.armElection(s, v.randomElectionTimeout())
}

// toProspective starts a PreVote round at the current epoch (KIP-996). A follower keeps its
// leader, to go back to it if the round fails.
func (v *Voter) toProspective(s *sim.Sim) {
	leader := -1
	if v.state == raftFollower {
		leader = v.leaderIdx
	}
	v.transition(s, raftProspective, v.curEpoch, leader)
	v.startElection()
	v.armElection(s, v.randomElectionTimeout())
	if v.electionWon() {
		v.toCandidate(s)
	}
}

// toCandidate bumps the epoch, votes for itself and asks for Votes.
func (v *Voter) toCandidate(s *sim.Sim) {
	v.retries++
	v.transition(s, raftCandidate, v.curEpoch+1, -1)
	v.votedFor = v.idx
	v.startElection()
	v.armElection(s, v.randomElectionTimeout())
	if v.electionWon() {
		v.toLeader(s)
	}
}

// toFollower follows leader at epoch, with a fresh fetch timeout
// (controller.quorum.fetch.timeout.ms, not randomized).
func (v *Voter) toFollower(s *sim.Sim, epoch int32, leader int) {
	v.transition(s, raftFollower, epoch, leader)
	v.retries = 0
	v.armFetchTimeout(s, v.cfg.FetchTimeout)
}

// prospectiveLost ends a PreVote round that a majority rejected or that timed out: back to the
// known leader, else Unattached (KafkaRaftClient.pollProspective).
func (v *Voter) prospectiveLost(s *sim.Sim) {
	if v.leaderIdx >= 0 {
		v.toFollower(s, v.curEpoch, v.leaderIdx)
		return
	}
	v.toUnattached(s, v.curEpoch)
}

// observeEpoch applies the epoch and leader any message reveals (KafkaRaftClient.maybeTransition):
// a higher epoch makes the voter follow its leader, or be Unattached if the leader is unknown; a
// leader of the current epoch the voter did not know makes it follow. It reports whether the
// voter changed state.
func (v *Voter) observeEpoch(s *sim.Sim, epoch int32, leader int) bool {
	switch {
	case epoch > v.curEpoch && leader >= 0 && leader != v.idx:
		v.toFollower(s, epoch, leader)
	case epoch > v.curEpoch:
		v.toUnattached(s, epoch)
	case epoch == v.curEpoch && leader >= 0 && leader != v.idx && v.leaderIdx < 0 &&
		v.state != raftLeader && v.state != raftResigned:
		v.toFollower(s, epoch, leader)
	default:
		return false
	}
	return true
}

// onStateTimeout acts on the state's deadline.
func (v *Voter) onStateTimeout(s *sim.Sim) {
	switch v.state {
	case raftFollower:
		if s.Now() < v.fetchDeadline {
			v.armState(s, v.fetchDeadline.Sub(s.Now())) // pushed back by a fetch since
			return
		}
		v.toProspective(s)
	case raftUnattached, raftResigned:
		v.toProspective(s)
	case raftProspective:
		v.prospectiveLost(s)
	case raftCandidate:
		if v.backingOff {
			v.toProspective(s)
		} else {
			v.startBackoff(s)
		}
	}
}

// armElection sets the election deadline d from now.
func (v *Voter) armElection(s *sim.Sim, d time.Duration) {
	v.electionAt = s.Now().Add(d)
	v.armState(s, d)
}

// armFetchTimeout sets a follower's fetch deadline d from now. Like the parked-fetch and request
// timers it re-arms lazily: a later deadline leaves the timer as it is, and the timer moves on
// when it fires early, so a stream of fetch responses leaves no trail of cancelled events.
func (v *Voter) armFetchTimeout(s *sim.Sim, d time.Duration) {
	v.fetchDeadline = s.Now().Add(d)
	if !v.timer.Armed() || v.timer.At() > v.fetchDeadline {
		v.armState(s, d)
	}
}

func (v *Voter) armState(s *sim.Sim, d time.Duration) {
	s.ArmAfter(&v.timer, d, sim.Event{H: v, Kind: raftEvState})
}
