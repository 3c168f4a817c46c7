package plots

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"
)

// finite reports whether v is a number that can be drawn.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// check returns every problem of s, drawn against axes x and y, each error naming the series.
func (s Series) check(x, y Axis) []error {
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("series %q: "+format, append([]any{s.Label}, args...)...))
	}
	if len(s.X) != len(s.Y) {
		fail("%d x values but %d y values", len(s.X), len(s.Y))
	}
	if (s.Lo == nil) != (s.Hi == nil) {
		fail("an interval needs both Lo and Hi")
	}
	if s.Lo != nil && (len(s.Lo) != len(s.Y) || len(s.Hi) != len(s.Y)) {
		fail("%d y values but %d Lo and %d Hi", len(s.Y), len(s.Lo), len(s.Hi))
	}
	if x.Log {
		errs = append(errs, s.positive("x", s.X)...)
	}
	if y.Log {
		errs = append(errs, s.positive("y", s.Y)...)
		errs = append(errs, s.positive("Lo", s.Lo)...)
		errs = append(errs, s.positive("Hi", s.Hi)...)
	}
	return errs
}

// positive returns an error for the first value of vs that a logarithmic axis cannot show.
func (s Series) positive(name string, vs []float64) []error {
	for i, v := range vs {
		if finite(v) && v <= 0 {
			return []error{fmt.Errorf("series %q: %s[%d] = %g is not positive, on a logarithmic axis",
				s.Label, name, i, v)}
		}
	}
	return nil
}

// points returns the number of points of s that can be drawn.
func (s Series) points() int {
	n := 0
	for i := range min(len(s.X), len(s.Y)) {
		if finite(s.X[i]) && finite(s.Y[i]) {
			n++
		}
	}
	return n
}

// checkSeries checks a figure's series against its axes: at least one series, every series
// well formed, and at least one drawable point.
func checkSeries(ss []Series, x, y Axis) error {
	if len(ss) == 0 {
		return errors.New("no series")
	}
	var errs []error
	n := 0
	for _, s := range ss {
		errs = append(errs, s.check(x, y)...)
		n += s.points()
	}
	if n == 0 && len(errs) == 0 {
		errs = append(errs, errors.New("no point to draw (every series is empty or NaN)"))
	}
	return errors.Join(errs...)
}

// runs splits s into the runs of consecutive drawable points: a NaN (or infinite) value is a gap.
func (s Series) runs() []plotter.XYs {
	return splitRuns(len(s.Y), func(i int) (plotter.XY, bool) {
		return plotter.XY{X: s.X[i], Y: s.Y[i]}, finite(s.X[i]) && finite(s.Y[i])
	})
}

// bands returns the outline of the interval around s, one closed polygon per run of points
// with a finite interval: along Lo left to right, back along Hi.
func (s Series) bands() []plotter.XYs {
	if s.Lo == nil {
		return nil
	}
	runs := splitRuns(len(s.Y), func(i int) (plotter.XY, bool) {
		ok := finite(s.X[i]) && finite(s.Lo[i]) && finite(s.Hi[i])
		return plotter.XY{X: s.X[i], Y: float64(i)}, ok
	})
	out := make([]plotter.XYs, 0, len(runs))
	for _, r := range runs {
		poly := make(plotter.XYs, 0, 2*len(r))
		for _, p := range r {
			poly = append(poly, plotter.XY{X: p.X, Y: s.Lo[int(p.Y)]})
		}
		for k := len(r) - 1; k >= 0; k-- {
			poly = append(poly, plotter.XY{X: r[k].X, Y: s.Hi[int(r[k].Y)]})
		}
		out = append(out, poly)
	}
	return out
}

// intervals are points with their interval, as gonum's error bars take them.
type intervals struct {
	plotter.XYs
	plotter.YErrors
}

// errorBars returns the points of s that have a finite value and interval, with the distances
// from the value down to Lo and up to Hi.
func (s Series) errorBars() intervals {
	var iv intervals
	for i := range s.Lo {
		if !finite(s.X[i]) || !finite(s.Y[i]) || !finite(s.Lo[i]) || !finite(s.Hi[i]) {
			continue
		}
		iv.XYs = append(iv.XYs, plotter.XY{X: s.X[i], Y: s.Y[i]})
		iv.YErrors = append(iv.YErrors, struct{ Low, High float64 }{s.Y[i] - s.Lo[i], s.Hi[i] - s.Y[i]})
	}
	return iv
}

// splitRuns returns the maximal runs of consecutive indices below n whose point is ok.
func splitRuns(n int, at func(int) (plotter.XY, bool)) []plotter.XYs {
	var runs []plotter.XYs
	var cur plotter.XYs
	for i := range n {
		p, ok := at(i)
		if !ok {
			if len(cur) > 0 {
				runs, cur = append(runs, cur), nil
			}
			continue
		}
		cur = append(cur, p)
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	return runs
}

// xExtent widens [lo, hi] to the x of every drawable point of ss.
func xExtent(lo, hi float64, ss ...Series) (float64, float64) {
	for _, s := range ss {
		for i := range min(len(s.X), len(s.Y)) {
			if finite(s.X[i]) && finite(s.Y[i]) {
				lo, hi = min(lo, s.X[i]), max(hi, s.X[i])
			}
		}
	}
	return lo, hi
}
