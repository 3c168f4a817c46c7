package workloads

import (
	"math"

	"github.com/stretchsim/stretchsim/model"
)

// cosine is the intensity of a Daily curve from start on:
//
//	λ(t) = mean + amp·cos(2π·(t+off)/period)
//	Λ(t) = F(t) − F(start),  F(t) = mean·t + amp·period/(2π)·sin(2π·(t+off)/period)
//
// Λ has no closed-form inverse; inv solves Λ(t) = u by Newton's method, safeguarded by
// bisection on a bracket that always holds the root, so it converges for any trough (λ may
// touch 0) in a fixed, deterministic sequence of floating-point steps.
type cosine struct {
	mean, amp float64 // records/s; amp <= mean
	period    float64 // s
	off       float64 // s, in [0, period): where in its cycle the curve is at t = 0 (0: a peak)
	start     float64 // s: nothing before
	f0        float64 // F(start)
	// last is the previous inv's answer, a lower bound for the next; lastCum and lastRate are
	// Λ and λ there.
	last, lastCum, lastRate float64
}

func newCosine(d Daily, recordSize model.Bytes, start float64) *cosine {
	tr, pk := d.Trough.RecordRate(recordSize), d.Peak.RecordRate(recordSize)
	period := d.Period.Seconds()
	scale := period / clockDay.Seconds()
	off := math.Mod((d.StartAt-d.PeakAt).Seconds()*scale, period)
	if off < 0 {
		off += period
	}
	c := &cosine{mean: (pk + tr) / 2, amp: (pk - tr) / 2, period: period, off: off, start: start, last: start}
	c.f0 = c.antiderivative(start)
	c.lastRate = c.rate(start)
	return c
}

// angle returns 2π·(t+off)/period reduced to [0, 2π), so that long runs lose no precision.
func (c *cosine) angle(t float64) float64 {
	x := t + c.off
	return 2 * math.Pi * (x - c.period*math.Floor(x/c.period)) / c.period
}

func (c *cosine) antiderivative(t float64) float64 {
	return c.mean*t + c.amp*c.period/(2*math.Pi)*math.Sin(c.angle(t))
}

func (c *cosine) rate(t float64) float64 {
	if t < c.start {
		return 0
	}
	return max(0, c.mean+c.amp*math.Cos(c.angle(t)))
}

func (c *cosine) cum(t float64) float64 {
	if t <= c.start {
		return 0
	}
	return c.antiderivative(t) - c.f0
}

// eval returns Λ(t) and λ(t) for t >= start, with one sin-cos.
func (c *cosine) eval(t float64) (cum, rate float64) {
	sin, cos := math.Sincos(c.angle(t))
	return c.mean*t + c.amp*c.period/(2*math.Pi)*sin - c.f0, max(0, c.mean+c.amp*cos)
}

// maxNewtonSteps bounds inv's iterations: bisection alone halves a bracket of 10⁷ s to below
// its tolerance in under 70 steps.
const maxNewtonSteps = 200

func (c *cosine) inv(u float64) float64 {
	if !(c.mean > 0) {
		return math.Inf(1)
	}
	lo := c.last
	if c.lastCum > u {
		return lo // u is within rounding of the previous arrival
	}
	// Λ(t) >= mean·(t−start) − amp·period/π, so the root is before hi (were Λ(hi) <= u by
	// rounding alone, the root would be within rounding of hi, which inv then returns).
	hi := c.start + (u+c.amp*c.period/math.Pi)/c.mean
	hi = math.Max(hi, lo) + math.Max(1e-9, 1e-12*hi)
	t, step := lo, hi-lo
	if c.lastRate > 0 {
		t = lo + (u-c.lastCum)/c.lastRate
	}
	// at is the last point evaluated, with Λ and λ there.
	var at, atCum, atRate float64
	for i := 0; i < maxNewtonSteps; i++ {
		if !(t > lo && t < hi) {
			t = lo + (hi-lo)/2
		}
		at = t
		atCum, atRate = c.eval(t)
		g := atCum - u
		if g == 0 {
			break
		}
		if g > 0 {
			hi = t
		} else {
			lo = t
		}
		if hi-lo <= tolerance(hi) {
			break
		}
		// Newton's step when it stays in the bracket and shrinks faster than bisection would.
		next := lo + (hi-lo)/2
		if atRate > 0 {
			if n := t - g/atRate; n > lo && n < hi && math.Abs(n-t) < step/2 {
				next = n
			}
		}
		step, t = math.Abs(next-t), next
		if step <= tolerance(t) {
			break
		}
	}
	t = math.Min(math.Max(t, lo), hi)
	// Λ at t from the last evaluation, at most a tolerance away: what the next call starts from.
	c.last, c.lastCum, c.lastRate = t, atCum+atRate*(t-at), atRate
	return t
}

// tolerance is how close inv gets to the root at about t: 0.01 ns, or a few units in the last
// place of t where those are coarser.
func tolerance(t float64) float64 {
	return math.Max(1e-11, 4*(math.Nextafter(t, math.Inf(1))-t))
}
