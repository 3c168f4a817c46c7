package model

import "github.com/stretchsim/stretchsim/sim"

// ackedRange is a run of offsets of a partition acknowledged to a producer: [from, to).
type ackedRange struct {
	from, to Offset
	safe     bool // acknowledged with acks=all on a topic with unclean leader election off
}

// recordAcked remembers that records [base, base+n) of p were acknowledged.
func (c *Cluster) recordAcked(p *Partition, base Offset, n int, acks Acks) {
	safe := acks == AcksAll && !p.unclean
	if k := len(p.acked); k > 0 && p.acked[k-1].to == base && p.acked[k-1].safe == safe {
		p.acked[k-1].to = base + Offset(n)
		return
	}
	p.acked = append(p.acked, ackedRange{from: base, to: base + Offset(n), safe: safe})
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
// authoritative, so followers truncate to it and those records are gone (reference §3.2). A loss
// of records acknowledged with acks=all while unclean election is off breaks design §3's
// durability invariant and is reported as a violation; other losses are findings.
func (c *Cluster) onLeaderChange(s *sim.Sim, r *Replica) {
	leo := r.log.leo
	p := r.p
	kept := p.acked[:0]
	for _, a := range p.acked {
		if a.to <= leo {
			kept = append(kept, a)
			continue
		}
		lost := a.to - max(a.from, leo)
		if s.Now() >= c.warmup {
			c.metrics.ackedLost += int64(lost)
		}
		if a.safe {
			c.metrics.checker.report(s.Now(), "no acknowledged record lost (acks=all, unclean election off)",
				"%s: %d records acknowledged below offset %d are missing on the new leader (broker %d, LEO %d)",
				p.Name(), lost, a.to, r.broker.ID, leo)
		}
		if a.from < leo {
			kept = append(kept, ackedRange{from: a.from, to: leo, safe: a.safe})
		}
	}
	p.acked = kept
}
