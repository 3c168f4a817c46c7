package kraft

import (
	"github.com/stretchsim/stretchsim/model/net"
	"github.com/stretchsim/stretchsim/sim"
)

// raftResignation is the Resigned state's progress: EndQuorumEpoch goes to every other voter
// until it acknowledges.
type raftResignation struct {
	successors []int  // voter indexes by descending end offset
	acked      []bool // per voter
}

// toResigned gives up the leadership because a majority has not fetched for 1.5 ×
// controller.quorum.fetch.timeout.ms (check quorum, LeaderState). The voter stays at its epoch,
// tells the voters with EndQuorumEpoch, and starts an election after a randomized election
// timeout.
func (v *Voter) toResigned(s *sim.Sim) {
	successors := v.ld.successors(v.idx)
	v.transition(s, raftResigned, v.curEpoch, -1)
	v.resigned = &raftResignation{successors: successors, acked: make([]bool, len(v.q.vs))}
	v.armElection(s, v.randomElectionTimeout())
}

// sendEndEpochs sends EndQuorumEpoch to the voters that have not acknowledged it.
func (v *Voter) sendEndEpochs(s *sim.Sim) {
	r := v.resigned
	for i := range v.q.vs {
		if i == v.idx || r.acked[i] || !v.cl.ready(i) {
			continue
		}
		corr := v.cl.begin(s, i, raftEndEpochAPI)
		v.cl.transmit(s, i, &raftEndEpochReq{raftHdr: raftHdr{corr: corr, from: v.idx, epoch: v.curEpoch},
			successors: r.successors}, raftMsgBytes)
	}
}

// onBeginEpochReq follows the leader that announces its epoch, unless the epoch is stale
// (KafkaRaftClient.handleBeginQuorumEpochRequest).
func (v *Voter) onBeginEpochReq(s *sim.Sim, c *net.Half, m *raftBeginEpochReq) {
	err := raftNone
	if m.epoch < v.curEpoch {
		err = raftFencedEpoch
	} else {
		v.observeEpoch(s, m.epoch, m.from)
	}
	v.replyEpoch(s, c, m.raftHdr, raftBeginEpochAPI, err)
}

// onEndEpochReq handles a resigning leader's EndQuorumEpoch: a follower of that leader shortens
// its fetch timeout to its place among the successors, so the best-placed voter starts the next
// election first (KafkaRaftClient.handleEndQuorumEpochRequest).
func (v *Voter) onEndEpochReq(s *sim.Sim, c *net.Half, m *raftEndEpochReq) {
	err := raftNone
	if m.epoch < v.curEpoch {
		err = raftFencedEpoch
	} else {
		v.observeEpoch(s, m.epoch, m.from)
		if v.state == raftFollower && v.leaderIdx == m.from {
			v.armFetchTimeout(s, v.endEpochBackoff(m.successors))
		}
	}
	v.replyEpoch(s, c, m.raftHdr, raftEndEpochAPI, err)
}

func (v *Voter) replyEpoch(s *sim.Sim, c *net.Half, req raftHdr, api raftAPI, err raftErr) {
	c.Peer().Send(s, &raftEpochResp{raftHdr: raftHdr{corr: req.corr, from: v.idx, epoch: v.curEpoch},
		api: api, leader: v.leaderIdx, err: err}, raftMsgBytes)
}

// onEpochResp records an acknowledged BeginQuorumEpoch or EndQuorumEpoch.
func (v *Voter) onEpochResp(s *sim.Sim, m *raftEpochResp) {
	if !v.cl.accept(m.from, m.corr) || v.observeEpoch(s, m.epoch, m.leader) {
		return
	}
	switch {
	case m.err != raftNone:
		v.cl.backoff(s, m.from)
	case m.api == raftBeginEpochAPI && v.state == raftLeader:
		v.ld.acked[m.from] = true
	case m.api == raftEndEpochAPI && v.state == raftResigned:
		v.resigned.acked[m.from] = true
	}
}
