package model

import (
	"fmt"

	"github.com/stretchsim/stretchsim/sim"
)

// Violation is a broken invariant, with what is needed to replay it.
type Violation struct {
	Seed   uint64
	At     sim.Time
	Rule   string
	Detail string
}

func (v Violation) String() string {
	return fmt.Sprintf("seed %d at %v: %s: %s", v.Seed, v.At, v.Rule, v.Detail)
}

// maxViolations bounds how many violations a run keeps (the first ones matter most).
const maxViolations = 100

// invariantChecker checks design §3's invariants, controllers in id order then partitions in
// order: at most one active controller per epoch; HW <= LEO on every replica; the leader's HW
// never decreases within a leader epoch; the ISR is a subset of the replicas and holds the
// leader; at most one replica leads a partition in an epoch. Lost acknowledged records are reported where they are detected
// (durability.go), and the quorum checks its own (kraft.Quorum.CheckInvariants).
type invariantChecker struct {
	c          *Cluster
	lastHW     []Offset // per partition: the leader's HW at the previous check
	lastEpoch  []int32
	violations []Violation
}

func (ic *invariantChecker) init(c *Cluster) {
	ic.c = c
	ic.lastHW = make([]Offset, len(c.partitions))
	ic.lastEpoch = make([]int32, len(c.partitions))
}

func (ic *invariantChecker) report(now sim.Time, rule, format string, args ...any) {
	if len(ic.violations) < maxViolations {
		ic.violations = append(ic.violations, Violation{Seed: ic.c.seed, At: now, Rule: rule, Detail: fmt.Sprintf(format, args...)})
	}
}

func (ic *invariantChecker) check(now sim.Time) {
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
	for i, p := range ic.c.partitions {
		all := replicaSet(1<<len(p.Replicas) - 1)
		if p.meta.ISR&^all != 0 {
			ic.report(now, "ISR ⊆ replicas", "%s ISR mask %b", p.Name(), p.meta.ISR)
		}
		if p.meta.Leader >= 0 && !p.meta.ISR.has(p.meta.Leader) {
			ic.report(now, "leader in the ISR", "%s leader %d not in ISR %v", p.Name(), p.LeaderBroker(), p.ISRBrokers())
		}
		leaders := 0
		for _, r := range p.reps {
			if r.log.hw > r.log.leo {
				ic.report(now, "HW <= LEO", "%s on broker %d: HW %d > LEO %d", p.Name(), r.broker.ID, r.log.hw, r.log.leo)
			}
			if r.leader && r.leaderEpoch == p.meta.LeaderEpoch {
				leaders++
			}
		}
		if leaders > 1 {
			ic.report(now, "one leader per epoch", "%s has %d leaders in epoch %d", p.Name(), leaders, p.meta.LeaderEpoch)
		}
		if l := p.leaderReplica(); l != nil && l.leader {
			if l.leaderEpoch == ic.lastEpoch[i] && l.log.hw < ic.lastHW[i] {
				ic.report(now, "HW monotonic in a leader epoch", "%s HW fell from %d to %d", p.Name(), ic.lastHW[i], l.log.hw)
			}
			ic.lastHW[i], ic.lastEpoch[i] = l.log.hw, l.leaderEpoch
		}
	}
}

// CheckInvariants checks every invariant now and returns all violations found in the run.
func (c *Cluster) CheckInvariants(now sim.Time) []Violation {
	c.metrics.checker.check(now)
	out := append([]Violation(nil), c.metrics.checker.violations...)
	for _, v := range c.quorum.CheckInvariants(c.sim) {
		out = append(out, Violation(v))
	}
	return out
}
