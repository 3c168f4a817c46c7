package kraft

import (
	"time"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// raftCleanInterval is the period of KafkaRaftClient's RaftMetadataLogCleanerManager, which runs
// KafkaMetadataLog.maybeClean.
const raftCleanInterval = 60 * time.Second

// raftCleaner runs the retention rules of one replica's metadata log every raftCleanInterval,
// counted from the process start. With fewer than two snapshots maybeClean can delete nothing,
// so the timer is armed only once the log has two: the result is Kafka's, without an event a
// minute per node in runs that never snapshot.
type raftCleaner struct {
	q     *Quorum
	log   *raftLog
	base  sim.Time // the process start: ticks fall at base + k × raftCleanInterval
	timer sim.Timer
	down  bool
}

// arm schedules the next tick if there is something the rules could delete.
func (c *raftCleaner) arm(s *sim.Sim) {
	if c.down || len(c.log.snaps) < 2 || c.timer.Armed() {
		return
	}
	k := s.Now().Sub(c.base)/raftCleanInterval + 1
	s.Arm(&c.timer, sim.Event{At: c.base.Add(k * raftCleanInterval), H: c})
}

// Handle runs maybeClean at a tick.
func (c *raftCleaner) Handle(s *sim.Sim, _ *sim.Event) {
	if c.down {
		return
	}
	if c.log.maybeClean(s.Now()) {
		c.q.onLogCleaned()
	}
	c.arm(s)
}

// crash stops the cleaner with its process; restart starts the 60 s period again.
func (c *raftCleaner) crash() {
	c.down = true
	c.timer.Stop()
}

func (c *raftCleaner) restart(s *sim.Sim) {
	c.down, c.base = false, s.Now()
	c.arm(s)
}

// onLogCleaned lets the invariant checker forget the committed offsets no replica holds any more.
func (q *Quorum) onLogCleaned() {
	low := units.Offset(-1)
	for _, v := range q.vs {
		if low < 0 || v.log.start < low {
			low = v.log.start
		}
	}
	for _, o := range q.obs {
		low = min(low, o.log.start)
	}
	q.invariant.trimBelow(low)
}
