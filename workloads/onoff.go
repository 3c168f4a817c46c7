package workloads

import (
	"math"
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// onOffClock is a Poisson process gated by alternating windows: On (arrivals at the peak rate
// rate·(On+Off)/On) then Off (none), repeating from start. Because a Poisson process is
// memoryless, it runs a plain Poisson clock in "on-time" (total On time elapsed) and maps each
// on-time to wall position: on-time u lies in cycle ⌊u/On⌋ at offset u mod On. One draw per
// arrival and no loop over skipped Off windows.
type onOffClock struct {
	onTime float64 // ns of On time elapsed at the previous arrival
	meanNs float64 // ns, mean gap during On: 1e9 / peak rate
	start  int64   // ns
	on     int64   // ns, On window length
	period int64   // ns, On + Off
	rnd    *sim.Stream
}

func newOnOffClock(start int64, recordsPerSec float64, on, off time.Duration, rnd *sim.Stream) *onOffClock {
	peak := recordsPerSec * float64(on+off) / float64(on)
	return &onOffClock{meanNs: 1e9 / peak, start: start, on: int64(on), period: int64(on + off), rnd: rnd}
}

func (c *onOffClock) next() int64 {
	c.onTime += c.rnd.ExpFloat64() * c.meanNs
	cycle := math.Floor(c.onTime / float64(c.on))
	within := int64(math.Round(c.onTime - cycle*float64(c.on)))
	// On windows are [start+cycle·period, start+cycle·period+On): keep rounding inside them.
	within = min(max(within, 0), c.on-1)
	return c.start + int64(cycle)*c.period + within
}
