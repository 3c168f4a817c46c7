package workloads

import (
	"math"

	"github.com/stretchsim/stretchsim/sim"
)

// poissonClock emits arrivals with independent exponential gaps of mean meanNs nanoseconds,
// one rnd.ExpFloat64 draw per arrival. Time is kept in float64 nanoseconds so sub-nanosecond
// gaps at very high rates still add up to the right mean.
type poissonClock struct {
	t      float64 // ns, time of the previous arrival (start before the first)
	meanNs float64 // ns, 1e9/rate
	rnd    *sim.Stream
}

func newPoissonClock(start int64, recordsPerSec float64, rnd *sim.Stream) *poissonClock {
	return &poissonClock{t: float64(start), meanNs: 1e9 / recordsPerSec, rnd: rnd}
}

func (c *poissonClock) next() int64 {
	c.t += c.rnd.ExpFloat64() * c.meanNs
	return int64(math.Round(c.t))
}
