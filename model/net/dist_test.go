package net

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// NegativeFraction is the share of draws a Sampler clamps to zero: Φ(−mean/sd) for a normal.
func TestNegativeFraction(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		d    DistSpec
		want float64
	}{
		{DistSpec{Kind: DistNormal, Mean: 5 * ms, SD: 10 * ms}, 0.3085375387259869},
		{DistSpec{Kind: DistNormal, Mean: 0, SD: ms}, 0.5},
		{DistSpec{Kind: DistNormal, Mean: 5 * ms, SD: ms}, 2.866515718791939e-07},
		{DistSpec{Kind: DistNormal, Mean: 5 * ms}, 0},
		{DistSpec{Kind: DistLogNormal, Median: ms, P99: 100 * ms}, 0},
		{Constant(0), 0},
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			got := tt.d.NegativeFraction()
			assert.InDelta(t, tt.want, got, 1e-12)
			s := tt.d.Sampler(rand.NewPCG(1, 2))
			const n = 100_000
			zeros := 0
			for range n {
				if s.Sample() == 0 {
					zeros++
				}
			}
			if tt.d.Kind == DistNormal {
				assert.InDelta(t, got, float64(zeros)/n, 0.005, "the sampler clamps that share to zero")
			}
		})
	}
}

// Rule: a Pareto distribution has a finite mean only for alpha > 1.
func TestParetoAlphaAboveOne(t *testing.T) {
	for _, a := range []float64{0.5, 1} {
		assert.ErrorContains(t, DistSpec{Kind: DistPareto, Min: time.Millisecond, Alpha: a}.Validate(), "alpha must be a finite number above 1")
	}
	assert.NoError(t, DistSpec{Kind: DistPareto, Min: time.Millisecond, Alpha: 1.01}.Validate())
}
