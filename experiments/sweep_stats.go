package experiments

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is the mean of a figure over a point's replications with its standard deviation and
// 95 % confidence interval.
type Interval struct {
	N         int     // replications with a value
	Mean      float64 // NaN when N is 0
	SD        float64 // sample standard deviation (n-1); NaN when N < 2
	Low, High float64 // the 95 % confidence interval of the mean; NaN when N < 2
}

// MeanCI returns the mean of xs with the two-sided 95 % confidence interval of Student's t
// with n-1 degrees of freedom: mean ± t(0.975, n-1) · sd / √n. With 3 values 1, 2 and 6 the mean
// is 3, sd √7 ≈ 2.6458, t(0.975, 2) ≈ 4.3027 and the interval 3 ± 6.5724 (4.3027 · 2.6458 / √3).
func MeanCI(xs []float64) Interval {
	iv := Interval{N: len(xs), Mean: math.NaN(), SD: math.NaN(), Low: math.NaN(), High: math.NaN()}
	if iv.N == 0 {
		return iv
	}
	iv.Mean = stat.Mean(xs, nil)
	if iv.N < 2 {
		return iv
	}
	iv.SD = stat.StdDev(xs, nil)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(iv.N - 1)}
	half := t.Quantile(0.975) * iv.SD / math.Sqrt(float64(iv.N))
	iv.Low, iv.High = iv.Mean-half, iv.Mean+half
	return iv
}
