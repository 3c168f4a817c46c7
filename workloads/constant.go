package workloads

import "math"

// constantClock emits arrivals exactly gapNs nanoseconds apart from start. The k-th time is
// computed as start + k·gapNs rather than by summing gaps, so rounding never accumulates into
// drift: over any span the count is exact to one record.
type constantClock struct {
	start float64 // ns
	gapNs float64 // ns between arrivals, 1e9/rate
	k     float64 // index of the next arrival
}

func newConstantClock(start int64, recordsPerSec float64) *constantClock {
	return &constantClock{start: float64(start), gapNs: 1e9 / recordsPerSec}
}

func (c *constantClock) next() int64 {
	t := c.start + c.k*c.gapNs
	c.k++
	return int64(math.Round(t))
}
