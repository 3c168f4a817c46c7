package model

import "github.com/stretchsim/stretchsim/sim"

// ackedRange is a run of offsets of a partition acknowledged to a producer: [from, to), all
// appended in one leader epoch.
type ackedRange struct {
	from, to Offset
	epoch    int32
	safe     bool // acknowledged with acks=all on a topic with unclean leader election off
}

// recordAcked remembers that records [base, base+n) of p, appended in epoch, were acknowledged.
// An acknowledgement from a leader already deposed (a zombie) is checked at once against the
// current leader's log.
func (c *Cluster) recordAcked(s *sim.Sim, p *Partition, base Offset, n int, epoch int32, acks Acks) {
	a := ackedRange{from: base, to: base + Offset(n), epoch: epoch, safe: acks == AcksAll && !p.unclean}
	if l := p.leaderReplica(); l != nil && l.leader && l.leaderEpoch > epoch {
		if c.lostFrom(s, l, &a) {
			return
		}
	}
	if k := len(p.acked); k > 0 && p.acked[k-1].to == a.from && p.acked[k-1].safe == a.safe && p.acked[k-1].epoch == a.epoch {
		p.acked[k-1].to = a.to
		return
	}
	p.acked = append(p.acked, a)
}

// trimAcked forgets acknowledged ranges every replica holds: no leader can lack them.
func (p *Partition) trimAcked(keep Offset) {
	i := 0
	for i < len(p.acked) && p.acked[i].to <= keep {
		i++
	}
	if i > 0 {
		p.acked = append(p.acked[:0], p.acked[i:]...)
	}
}

// onLeaderChange counts the acknowledged records a new leader does not have: its log is
// authoritative, so followers truncate to it and those records are gone (reference §3.2). A
// record survives if the new leader holds its offset in the same leader epoch (its epoch cache,
// KIP-101). A loss of records acknowledged with acks=all while unclean election is off breaks
// design §3's durability invariant and is reported as a violation, unless the new leader itself
// lost them in a power loss (below); other losses are findings.
//
// A broker whose metadata lags may become leader in an epoch the controller has already moved
// past (it applies the records in order, as BrokerMetadataPublisher does). Its log is not the
// partition's: a broker that knows a later epoch never fetches from it, and records acknowledged
// in a later epoch, by a later leader, are not its to have. The check waits for a leader of the
// committed epoch, which checks every range still kept.
func (c *Cluster) onLeaderChange(s *sim.Sim, r *Replica) {
	if r.leaderEpoch < r.p.meta.LeaderEpoch {
		return
	}
	kept := r.p.acked[:0]
	for _, a := range r.p.acked {
		if !c.lostFrom(s, r, &a) {
			kept = append(kept, a)
		}
	}
	r.p.acked = kept
}

// lostFrom counts the part of a that leader r lacks, shrinks a to what it holds, and reports
// whether nothing is left.
//
// Kafka's guarantee for acks=all with clean elections assumes that what a replica acknowledged
// survives on it: a power loss breaks that assumption, not Kafka's protocol. So the records the
// new leader had and lost in the last power-loss recovery of its log (diskState.cut) are a
// finding, counted apart as well (ackedLostPower); any other missing record acknowledged with
// acks=all and unclean election off is still a violation.
func (c *Cluster) lostFrom(s *sim.Sim, r *Replica, a *ackedRange) bool {
	ep, end := r.log.endOffsetFor(a.epoch)
	if ep != a.epoch {
		end = a.from // no record of that epoch on the new leader
	}
	end = min(max(end, a.from), a.to)
	if lost := a.to - end; lost > 0 {
		var power Offset
		if r.disk != nil {
			power = r.disk.cut.overlap(end, a.to)
		}
		if s.Now() >= c.warmup {
			c.metrics.ackedLost += int64(lost)
			c.metrics.ackedLostPower += int64(power)
		}
		if a.safe && lost > power {
			c.metrics.checker.report(s.Now(), "no acknowledged record lost (acks=all, unclean election off)",
				"%s: %d records acknowledged in epoch %d below offset %d are missing on the leader (broker %d)",
				r.p.Name(), lost-power, a.epoch, a.to, r.broker.ID)
		}
		a.to = end
	}
	return a.to <= a.from
}
