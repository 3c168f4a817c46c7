package scenario

import (
	"time"

	"github.com/stretchsim/stretchsim/model"
)

// consumerTimes checks a consumer's start and stop: 0 <= start < duration (a consumer starting
// at or after the end would never run: most likely a mistake), stop after start. A stop at or
// after the end of the run is no stop: it is refused when negative, and warned about when it
// lies beyond the end.
func (v *validator) consumerTimes(p string, c Consumer) {
	d := v.s.Duration
	switch {
	case c.Start < 0:
		v.errorf(p+".start", "must not be negative, got %v", c.Start)
	case d > 0 && c.Start >= d:
		v.errorf(p+".start", "%v is not before the end of the run (duration %v): the consumer would never run", c.Start, d)
	}
	if !c.HasStop {
		return
	}
	switch {
	case c.Stop < 0:
		v.errorf(p+".stop", "must not be negative, got %v", c.Stop)
	case c.Stop <= c.Start:
		v.errorf(p+".stop", "%v is not after start %v: a stop before a start", c.Stop, c.Start)
	case d > 0 && c.Stop > d:
		v.warnf(p+".stop", "%v is after the end of the run (duration %v): the consumer runs to the end", c.Stop, d)
	}
}

// consumerGroups checks what the model's groups need: the consumers of one group never run at the
// same time, since stretchsim does not model the rebalance protocol that would share the
// partitions between them; and auto.offset.reset=none only for a consumer that finds a committed
// offset, one left by a consumer of its group on its topic that commits (enable.auto.commit) and
// stops before it starts.
func (v *validator) consumerGroups() {
	cs := v.s.Consumers
	d := v.s.Duration
	end := func(c *Consumer) time.Duration {
		if c.Stops(d) {
			return c.Stop
		}
		return max(d, c.Start+1)
	}
	for j := range cs {
		b := &cs[j]
		if b.Start < 0 || (b.HasStop && b.Stop <= b.Start) {
			continue // reported by consumerTimes
		}
		p := indexPath("consumers", j)
		committed := false
		for i := range cs[:j+1] {
			a := &cs[i]
			if a.Group() != b.Group() || a.Start < 0 || (a.HasStop && a.Stop <= a.Start) {
				continue
			}
			if i < j && a.Start < end(b) && b.Start < end(a) {
				v.errorf(p+".start", "consumers %q and %q of group %q run at the same time (%s and %s): the consumers of a group must take turns, "+
					"since stretchsim does not model the group rebalance protocol that would share the partitions between them",
					a.Name, b.Name, b.Group(), span(a, d), span(b, d))
			}
			if i != j && a.Topic == b.Topic && a.Config.EnableAutoCommit && a.Stops(d) && a.Stop <= b.Start {
				committed = true
			}
		}
		if b.Config.AutoOffsetReset == model.OffsetResetNone && !committed {
			v.errorf(p+".config.auto.offset.reset", "none: no consumer of group %q that commits offsets of topic %q (enable.auto.commit) stops before %q starts, "+
				"so it would start without a committed offset and KafkaConsumer.poll would throw NoOffsetForPartitionException", b.Group(), b.Topic, b.Name)
		}
	}
}

// span describes when a consumer runs within a run of duration d: "from 0s to 1m0s", "from 3m0s
// to the end".
func span(c *Consumer, d time.Duration) string {
	if c.Stops(d) {
		return "from " + c.Start.String() + " to " + c.Stop.String()
	}
	return "from " + c.Start.String() + " to the end"
}
