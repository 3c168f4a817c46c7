package model

import (
	"fmt"
	"slices"

	"github.com/stretchsim/stretchsim/model/kraft"
	"github.com/stretchsim/stretchsim/sim"
)

// Violation is a broken invariant, with what is needed to replay it: the data plane's and the
// quorum's are one type.
type Violation = kraft.Violation

// maxViolations bounds how many violations a run keeps (the first ones matter most).
const maxViolations = 100

// invariantChecker checks design §3's invariants, controllers in id order then partitions in
// order: at most one active controller per epoch; HW <= LEO on every replica; the leader's HW
// never decreases within a leader epoch; the ISR is a subset of the replicas and holds the
// leader; at most one replica leads a partition in an epoch. Lost acknowledged records are
// reported where they are detected (durability.go), and the quorum checks its own
// (kraft.Quorum.CheckInvariants).
//
// A check reads only the partitions touched since the previous one (Cluster.touch: a HW rose, a
// log was truncated, a replica took or lost leadership, the committed metadata changed) and those
// that broke an invariant then: a partition none of that happened to, whole at its previous check,
// is whole now. So the check costs what changed, not the partition count. In the model's tests
// (verifyTouches) a second checker reads every partition at every check and the two must agree.
type invariantChecker struct {
	c          *Cluster
	lastHW     []Offset // per partition: the leader's HW at the previous check
	lastEpoch  []int32
	violations []Violation
	touched    []int32 // partitions to read at the next check, each once (Partition.touched)
	broken     []int32 // partitions that broke an invariant at this check
	shadow     *invariantChecker
}

// verifyTouches makes every check also read every partition, with a second checker, and panic
// if the two disagree: a change to what the checker reads that does not touch its partition.
// Set by the model's tests.
var verifyTouches = false

func (ic *invariantChecker) init(c *Cluster) {
	ic.c = c
	ic.lastHW = make([]Offset, len(c.partitions))
	ic.lastEpoch = make([]int32, len(c.partitions))
	ic.touched = make([]int32, 0, len(c.partitions))
	for _, p := range c.partitions {
		p.touched = false
		ic.touch(p)
	}
	if verifyTouches {
		ic.shadow = &invariantChecker{c: c, lastHW: make([]Offset, len(c.partitions)), lastEpoch: make([]int32, len(c.partitions))}
	}
}

// touch marks p for the next check.
func (ic *invariantChecker) touch(p *Partition) {
	if !p.touched {
		p.touched = true
		ic.touched = append(ic.touched, int32(p.idx))
	}
}

// touch tells the invariant checker that something it reads of p changed.
func (c *Cluster) touch(p *Partition) { c.metrics.checker.touch(p) }

func (ic *invariantChecker) report(now sim.Time, rule, format string, args ...any) {
	if len(ic.violations) < maxViolations {
		ic.violations = append(ic.violations, Violation{Seed: ic.c.seed, At: now, Rule: rule, Detail: fmt.Sprintf(format, args...)})
	}
}

func (ic *invariantChecker) check(now sim.Time) {
	before := len(ic.violations)
	ic.checkControllers(now)
	slices.Sort(ic.touched)
	ic.broken = ic.broken[:0]
	for _, i := range ic.touched {
		p := ic.c.partitions[i]
		p.touched = false
		if !ic.checkPartition(now, int(i), p) {
			ic.broken = append(ic.broken, i)
		}
		ic.c.metrics.latest[i] = p.latestOffset()
	}
	ic.touched = ic.touched[:0]
	for _, i := range ic.broken {
		ic.touch(ic.c.partitions[i])
	}
	if ic.shadow != nil {
		ic.verify(now, ic.violations[before:])
	}
}

// checkControllers checks that at most one controller is active per epoch.
func (ic *invariantChecker) checkControllers(now sim.Time) {
	active := map[int32]int32{} // epoch -> an active controller of it
	for _, k := range ic.c.controllers {
		if !k.active {
			continue
		}
		if other, dup := active[k.epoch]; dup {
			ic.report(now, "one active controller per epoch", "controllers %d and %d are both active in epoch %d", other, k.ID, k.epoch)
		}
		active[k.epoch] = k.ID
	}
}

// checkPartition checks the invariants of partition i, p, and reports whether all held.
func (ic *invariantChecker) checkPartition(now sim.Time, i int, p *Partition) bool {
	ok := true
	report := func(rule, format string, args ...any) {
		ok = false
		ic.report(now, rule, format, args...)
	}
	all := replicaSet(1<<len(p.Replicas) - 1)
	if p.meta.ISR&^all != 0 {
		report("ISR ⊆ replicas", "%s ISR mask %b", p.Name(), p.meta.ISR)
	}
	if p.meta.Leader >= 0 && !p.meta.ISR.has(p.meta.Leader) {
		report("leader in the ISR", "%s leader %d not in ISR %v", p.Name(), p.LeaderBroker(), p.ISRBrokers())
	}
	leaders := 0
	for _, r := range p.reps {
		if r.log.hw > r.log.leo {
			report("HW <= LEO", "%s on broker %d: HW %d > LEO %d", p.Name(), r.broker.ID, r.log.hw, r.log.leo)
		}
		if r.leader && r.leaderEpoch == p.meta.LeaderEpoch {
			leaders++
		}
	}
	if leaders > 1 {
		report("one leader per epoch", "%s has %d leaders in epoch %d", p.Name(), leaders, p.meta.LeaderEpoch)
	}
	if l := p.leaderReplica(); l != nil && l.leader {
		if l.leaderEpoch == ic.lastEpoch[i] && l.log.hw < ic.lastHW[i] {
			report("HW monotonic in a leader epoch", "%s HW fell from %d to %d", p.Name(), ic.lastHW[i], l.log.hw)
		}
		ic.lastHW[i], ic.lastEpoch[i] = l.log.hw, l.leaderEpoch
	}
	return ok
}

// verify reads every partition with the shadow checker and panics unless it found found, what
// the check of the touched ones found, and keeps the same last HWs.
func (ic *invariantChecker) verify(now sim.Time, found []Violation) {
	sh := ic.shadow
	sh.violations = sh.violations[:0]
	sh.checkControllers(now)
	for i, p := range ic.c.partitions {
		sh.checkPartition(now, i, p)
	}
	for i, p := range ic.c.partitions {
		if l := p.latestOffset(); ic.c.metrics.latest[i] != l {
			panic(fmt.Sprintf("invariant checker at %v: %s's latest offset moved from %d to %d without a touch", now, p.Name(), ic.c.metrics.latest[i], l))
		}
	}
	for _, k := range ic.c.controllers {
		for _, st := range []*ctrlState{&k.committed, &k.working} {
			n := 0
			for idx := range st.parts.len() {
				if st.parts.get(idx).leader != 0 {
					n++
				}
			}
			if n != st.imbalanced {
				panic(fmt.Sprintf("controller %d at %v: %d imbalanced partitions counted, %d found", k.ID, now, st.imbalanced, n))
			}
		}
	}
	full := len(ic.violations) == maxViolations // the check may have dropped some
	if (!full && !slices.Equal(sh.violations, found)) || !slices.Equal(sh.lastHW, ic.lastHW) || !slices.Equal(sh.lastEpoch, ic.lastEpoch) {
		panic(fmt.Sprintf("invariant checker at %v: a change to what it reads did not touch its partition: "+
			"every partition: %v, touched: %v", now, sh.violations, found))
	}
}

// CheckInvariants checks every invariant now and returns all violations found in the run.
func (c *Cluster) CheckInvariants(now sim.Time) []Violation {
	c.metrics.checker.check(now)
	out := append([]Violation(nil), c.metrics.checker.violations...)
	return append(out, c.quorum.CheckInvariants(c.sim)...)
}
