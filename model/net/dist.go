package net

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// DistKind names a family of latency distributions.
type DistKind uint8

// Latency distribution families.
const (
	DistConstant  DistKind = iota // Value
	DistNormal                    // Mean, SD
	DistLogNormal                 // Median, P99
	DistPareto                    // Min (scale x_m), Alpha (shape)
	DistEmpirical                 // Samples, drawn uniformly; Source names the file
)

// DistSpec describes a distribution of durations, e.g. a round-trip time. It is plain data; a
// Sampler built from it with an explicit random source draws from it.
type DistSpec struct {
	Kind     DistKind
	Value    time.Duration   // constant
	Mean, SD time.Duration   // normal
	Median   time.Duration   // lognormal
	P99      time.Duration   // lognormal: the 99th percentile, > Median
	Min      time.Duration   // pareto: the scale x_m, the smallest value
	Alpha    float64         // pareto: the shape, > 1; the tail is heavier as Alpha falls
	Samples  []time.Duration // empirical
	Source   string          // empirical: the file the samples came from
}

// Constant returns the distribution that is always d.
func Constant(d time.Duration) DistSpec { return DistSpec{Kind: DistConstant, Value: d} }

// MinParetoAlpha is the bound Pareto shapes must exceed: the mean of a Pareto distribution,
// Alpha × Min / (Alpha − 1), is finite only above it.
const MinParetoAlpha = 1

// z99 is the 99th percentile of the standard normal distribution.
const z99 = 2.3263478740408408

// Validate reports why d cannot be sampled: negative durations, a P99 not above the median, a
// Pareto shape of 1 or less (MinParetoAlpha), or no empirical samples.
func (d DistSpec) Validate() error {
	neg := func(name string, v time.Duration) error {
		if v < 0 {
			return fmt.Errorf("%s must not be negative, got %v", name, v)
		}
		return nil
	}
	switch d.Kind {
	case DistConstant:
		return neg("value", d.Value)
	case DistNormal:
		return errors.Join(neg("mean", d.Mean), neg("sd", d.SD))
	case DistLogNormal:
		if d.Median <= 0 {
			return fmt.Errorf("median must be positive, got %v", d.Median)
		}
		if d.P99 <= d.Median {
			return fmt.Errorf("p99 (%v) must be above the median (%v)", d.P99, d.Median)
		}
	case DistPareto:
		if d.Min <= 0 {
			return fmt.Errorf("min must be positive, got %v", d.Min)
		}
		if !(d.Alpha > MinParetoAlpha) || math.IsInf(d.Alpha, 0) {
			return fmt.Errorf("alpha must be a finite number above %g, got %g: with alpha <= 1 the Pareto mean is infinite, "+
				"so the mean RTT would grow without bound with the run (alpha=2.5 is a heavy tail already)", float64(MinParetoAlpha), d.Alpha)
		}
	case DistEmpirical:
		if len(d.Samples) == 0 {
			return fmt.Errorf("empirical(%s) has no samples", d.Source)
		}
		for _, s := range d.Samples {
			if err := neg("sample", s); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("unknown distribution kind %d", d.Kind)
	}
	return nil
}

// String returns the canonical text form, which the scenario parser reads back to an equal spec
// (empirical specs print their source file).
func (d DistSpec) String() string {
	switch d.Kind {
	case DistConstant:
		return d.Value.String()
	case DistNormal:
		return fmt.Sprintf("normal(mean=%v, sd=%v)", d.Mean, d.SD)
	case DistLogNormal:
		return fmt.Sprintf("lognormal(median=%v, p99=%v)", d.Median, d.P99)
	case DistPareto:
		return fmt.Sprintf("pareto(min=%v, alpha=%g)", d.Min, d.Alpha)
	case DistEmpirical:
		return fmt.Sprintf("empirical(%s)", d.Source)
	}
	return fmt.Sprintf("dist(%d)", d.Kind)
}

// MedianValue returns the distribution's median, the figure a user thinks of as "the RTT".
func (d DistSpec) MedianValue() time.Duration {
	switch d.Kind {
	case DistNormal:
		return d.Mean
	case DistLogNormal:
		return d.Median
	case DistPareto:
		return time.Duration(float64(d.Min) * math.Pow(2, 1/d.Alpha))
	case DistEmpirical:
		return slices.Sorted(slices.Values(d.Samples))[len(d.Samples)/2]
	}
	return d.Value
}

// NegativeFraction returns the probability that a draw of d is below zero, and so is clamped to
// zero by its Sampler: Φ(−Mean/SD) for a normal, 0 for every other family.
func (d DistSpec) NegativeFraction() float64 {
	if d.Kind != DistNormal || d.SD <= 0 {
		return 0
	}
	return 0.5 * math.Erfc(float64(d.Mean)/(float64(d.SD)*math.Sqrt2))
}

// Sampler draws durations. Negative draws (a normal's left tail) are clamped to zero.
type Sampler interface {
	Sample() time.Duration
}

// Sampler returns a sampler for d drawing from src. d must be valid.
func (d DistSpec) Sampler(src rand.Source) Sampler {
	switch d.Kind {
	case DistNormal:
		return floatSampler{distuv.Normal{Mu: float64(d.Mean), Sigma: float64(d.SD), Src: src}}
	case DistLogNormal:
		mu := math.Log(float64(d.Median))
		sigma := (math.Log(float64(d.P99)) - mu) / z99
		return floatSampler{distuv.LogNormal{Mu: mu, Sigma: sigma, Src: src}}
	case DistPareto:
		return floatSampler{distuv.Pareto{Xm: float64(d.Min), Alpha: d.Alpha, Src: src}}
	case DistEmpirical:
		return empiricalSampler{samples: d.Samples, rnd: rand.New(src)}
	}
	return constSampler(d.Value)
}

type constSampler time.Duration

func (c constSampler) Sample() time.Duration { return time.Duration(c) }

type floatSampler struct{ d interface{ Rand() float64 } }

func (f floatSampler) Sample() time.Duration {
	v := f.d.Rand()
	if v < 0 || math.IsNaN(v) {
		return 0
	}
	if v > float64(math.MaxInt64/2) {
		return time.Duration(math.MaxInt64 / 2)
	}
	return time.Duration(v)
}

type empiricalSampler struct {
	samples []time.Duration
	rnd     *rand.Rand
}

func (e empiricalSampler) Sample() time.Duration { return e.samples[e.rnd.IntN(len(e.samples))] }
