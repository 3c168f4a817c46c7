package workloads

import (
	"math"

	"github.com/stretchsim/stretchsim/sim"
)

// profileClock emits the arrivals of a rate Profile by the time-change theorem (see intensity):
// the next point u of a unit-rate process, then its time Λ⁻¹(u). With rnd, u grows by a unit
// exponential draw per arrival (one rnd.ExpFloat64, as poissonClock draws): a non-homogeneous
// Poisson process. Without, u is 0, 1, 2, ...: the constant process, the k-th record exactly at
// Λ⁻¹(k). When Λ stops growing (the last phase ended) every further arrival is at sim.Never, a
// time no run reaches, and no more numbers are drawn.
type profileClock struct {
	in   intensity
	rnd  *sim.Stream // nil: constant
	u    float64     // the previous point (Poisson) or the next index (constant)
	done bool
}

func newProfileClock(in intensity, rnd *sim.Stream) *profileClock {
	return &profileClock{in: in, rnd: rnd}
}

func (c *profileClock) next() int64 {
	if c.done {
		return int64(sim.Never)
	}
	u := c.u
	if c.rnd != nil {
		c.u += c.rnd.ExpFloat64()
		u = c.u
	} else {
		c.u++
	}
	ns := c.in.inv(u) * 1e9
	if !(ns < float64(sim.Never)) {
		c.done = true
		return int64(sim.Never)
	}
	return int64(math.Round(ns))
}
