package model

import "github.com/stretchsim/stretchsim/sim"

// A power loss (a crash in mode power, or a site outage with power_loss) loses every byte of the
// broker's logs not yet on disk (disk.go); the process dies silently with it (no TCP reset: the
// host is dark). The logs keep their bytes in the model until the broker starts again, when log
// recovery (LogLoader.recoverLog, truncating at the first invalid batch; the leader epoch cache
// truncated to the new end, LogLoader.load → leaderEpochCache.truncateFromEnd) cuts each one to
// its durable end. The broker then registers as after any crash, without a clean-shutdown file,
// so the controller handles it as an unclean shutdown (KIP-966 handleBrokerUncleanShutdown).

// cutPower freezes what each of the broker's logs keeps on disk; the process stops separately
// (crash), unless it is already down.
func (b *Broker) cutPower(s *sim.Sim) {
	for _, r := range b.replicas {
		if r.disk == nil {
			// Every fault is in the spec when the cluster is built (powerLossScheduled).
			panic("model: a power loss in a run built without one")
		}
		r.disk.losePower(s.Now(), &r.p.flush)
	}
}

// recoverLogs is log recovery at start-up after a power loss: each log is cut to its durable
// end, and the records cut are remembered for the durability accounting (durability.go).
func (b *Broker) recoverLogs(s *sim.Sim) {
	for _, r := range b.replicas {
		if r.disk == nil || !r.disk.lost {
			continue
		}
		if leo := r.log.leo; r.disk.recoverTo < leo {
			r.disk.cut = offsetRange{from: r.disk.recoverTo, to: leo}
			b.cluster.truncate(s, r, r.disk.recoverTo)
		}
	}
}

// offsetRange is the offsets [from, to).
type offsetRange struct{ from, to Offset }

// overlap returns how many offsets of [from, to) lie in o.
func (o offsetRange) overlap(from, to Offset) Offset {
	return max(0, min(to, o.to)-max(from, o.from))
}
