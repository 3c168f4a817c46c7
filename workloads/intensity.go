package workloads

import (
	"math"
	"sort"

	"github.com/stretchsim/stretchsim/model"
)

// intensity is a Profile compiled for one record size and start time: the arrival rate λ(t), in
// records per second at t seconds since the start of the run (0 before the start), and its
// integral Λ(t) = ∫₀ᵗ λ, the expected number of records before t.
//
// Arrivals come from Λ by the time-change theorem: if u₁ < u₂ < ... are the points of a unit-rate
// process, then Λ⁻¹(u₁) < Λ⁻¹(u₂) < ... are the points of the process of intensity λ. Unit
// exponential gaps in u give the non-homogeneous Poisson process; u = 0, 1, 2, ... gives the
// constant process, its k-th record at Λ⁻¹(k).
type intensity interface {
	// rate returns λ(t).
	rate(t float64) float64
	// cum returns Λ(t).
	cum(t float64) float64
	// inv returns Λ⁻¹(u) = inf{t : Λ(t) > u}, the first time the expected count passes u, or +Inf
	// when it never does (the load has ended). Successive calls must not decrease u: inv keeps
	// its place.
	inv(u float64) float64
}

// compile returns the intensity of p for records of recordSize bytes, with nothing before
// start seconds. p must be valid and not zero.
func (p Profile) compile(recordSize model.Bytes, start float64) intensity {
	if p.Daily != nil {
		return newCosine(*p.Daily, recordSize, start)
	}
	return newPiecewise(p.Phases, recordSize, start)
}

// piecewise is the intensity of a list of phases: linear on each segment (constant or a ramp),
// the last segment unbounded.
type piecewise struct {
	segs []segment
	cur  int // the segment the previous inv ended in
}

// segment is [t0, t1) with λ going linearly from r0 at t0 to r1 at t1.
// Invariant: t1 = +Inf and r1 = r0 on the last segment only; c0 = Λ(t0).
type segment struct {
	t0, t1 float64 // s since the start of the run
	r0, r1 float64 // records/s
	c0     float64 // records
}

// slope returns dλ/dt on s, 0 on a constant segment.
func (s segment) slope() float64 {
	if s.r0 == s.r1 {
		return 0
	}
	return (s.r1 - s.r0) / (s.t1 - s.t0)
}

func newPiecewise(phases []Phase, recordSize model.Bytes, start float64) *piecewise {
	var raw []segment
	prevEnd, prevRate := 0.0, 0.0
	for _, ph := range phases {
		end, r := math.Inf(1), ph.Rate.RecordRate(recordSize)
		if ph.Until > 0 {
			end = ph.Until.Seconds()
		}
		r0 := r
		if ph.Ramp {
			r0 = prevRate
		}
		raw = append(raw, segment{t0: prevEnd, t1: end, r0: r0, r1: r})
		prevEnd, prevRate = end, r
	}
	if !math.IsInf(prevEnd, 1) {
		raw = append(raw, segment{t0: prevEnd, t1: math.Inf(1)}) // the load has ended
	}
	var segs []segment
	if start > 0 {
		segs = append(segs, segment{t0: 0, t1: start})
	}
	for _, s := range raw {
		switch {
		case s.t1 <= start:
			continue
		case s.t0 < start:
			s.r0 += s.slope() * (start - s.t0)
			s.t0 = start
		}
		segs = append(segs, s)
	}
	c := 0.0
	for i := range segs {
		segs[i].c0 = c
		if s := segs[i]; !math.IsInf(s.t1, 1) {
			c += (s.r0 + s.r1) / 2 * (s.t1 - s.t0)
		}
	}
	return &piecewise{segs: segs}
}

// at returns the index of the segment holding t (t >= 0).
func (p *piecewise) at(t float64) int {
	return sort.Search(len(p.segs)-1, func(i int) bool { return p.segs[i].t1 > t })
}

func (p *piecewise) rate(t float64) float64 {
	if t < 0 {
		return 0
	}
	s := p.segs[p.at(t)]
	return s.r0 + s.slope()*(t-s.t0)
}

func (p *piecewise) cum(t float64) float64 {
	if t <= 0 {
		return 0
	}
	s := p.segs[p.at(t)]
	tau := t - s.t0
	return s.c0 + s.r0*tau + s.slope()*tau*tau/2
}

func (p *piecewise) inv(u float64) float64 {
	for p.cur+1 < len(p.segs) && u >= p.segs[p.cur+1].c0 {
		p.cur++
	}
	s := p.segs[p.cur]
	d := u - s.c0
	if d <= 0 {
		d = 0
	}
	var tau float64
	switch g := s.slope(); {
	case g == 0 && s.r0 == 0:
		return math.Inf(1) // only the last segment can be empty here: nothing more arrives
	case g == 0:
		tau = d / s.r0
	default:
		// r0·τ + g·τ²/2 = d, in the form that stays exact for g of either sign and r0 = 0.
		if den := s.r0 + math.Sqrt(max(0, s.r0*s.r0+2*g*d)); den > 0 {
			tau = 2 * d / den
		}
	}
	return min(s.t0+tau, s.t1)
}
