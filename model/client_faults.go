package model

import "github.com/stretchsim/stretchsim/sim"

// setDown takes the producer's host down (its site failed) or brings it back. While down the
// application sends nothing: records due then are never sent. Batches queued or in flight when it
// went down are lost with the process and counted as failed (CLIENT_CRASHED).
func (p *Producer) setDown(s *sim.Sim, down bool) {
	if p.down == down {
		return
	}
	if down {
		p.settle(s, false) // the records that arrived before the crash are in the accumulator
		p.skipped = p.skipped[:0]
	}
	p.down = down
	p.meta.setDown(s, down)
	if down {
		p.trigger.Stop()
		p.wake.Stop()
		p.expiry.Stop()
		for i := range p.nodes {
			n := &p.nodes[i]
			for _, req := range n.inflight {
				for _, b := range req.batches {
					p.fail(s, b, ErrClientCrashed)
				}
			}
			n.inflight = nil
			n.timeout.Stop()
			n.conn.Reset()
		}
		for _, i := range append([]int(nil), p.nonEmpty...) {
			for p.deques[i].Len() > 0 {
				b := *p.deques[i].Front()
				p.popFirst(i)
				p.fail(s, b, ErrClientCrashed)
			}
		}
		if p.blocked {
			p.bufWait.end(s.Now())
		}
		p.blocked = false
		p.trackInFlight(s.Now())
		return
	}
	// A new process: InitProducerId gives it a new producer id, its sequences start at 0.
	p.pid = p.cluster.newProducerID()
	clear(p.nextSeq)
	clear(p.ackedSeq)
	clear(p.epochs)
	clear(p.bumpWanted)
	p.bumps = p.bumps[:0]
	now := s.Now()
	for sim.Time(p.peek(0).At) < now { // records due while the host was down were never sent
		p.pop()
	}
	p.blockAt = now
	p.trigStale = true
	p.armTrigger(s)
}

// setDown takes the consumer's host down or brings it back (it resumes from its positions, and
// its time to catch up is measured afresh). The commits due before the host went down are made;
// none reach the group while it is down. A consumer not running yet starts when its host is back;
// one closing gives up on its sessions.
func (k *Consumer) setDown(s *sim.Sim, down bool) {
	if k.down == down {
		return
	}
	if k.state != consumerRunning {
		k.down = down
		switch {
		case down && k.state == consumerClosing:
			k.finishClose(s)
		case !down && k.startWhenUp:
			k.startWhenUp = false
			k.begin(s)
		}
		return
	}
	if down {
		k.autoCommit(s.Now())
	}
	k.down = down
	k.meta.setDown(s, down)
	for _, n := range k.nodes {
		n.inflight = false
		n.req = n.req.giveUp()
		n.session = false // the connections are gone: each Fetch session starts anew
		n.timeout.Stop()
		n.conn.Reset()
		n.release()
	}
	if !down {
		k.lag.begin(s.Now())
		k.poll(s)
	}
}
