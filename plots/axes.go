package plots

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// setAxis gives a of a plot the label and scale of ax.
func setAxis(a *plot.Axis, ax Axis) {
	a.Label.Text = ax.Label
	a.Tick.Marker = roundTicks{n: 6}
	if ax.Log {
		a.Scale = plot.LogScale{}
		a.Tick.Marker = logTicks{}
	}
}

// logTicks are logarithmic ticks: 1 to 9 times each power of ten in the range, the powers of ten
// labelled, and the 2s and 5s too when the axis spans less than three decades (an RTT axis from
// 1 to 50 ms would otherwise read only "1" and "10"). Within less than a decade, where a power of
// ten and its multiples leave a stretch with no label at all (a p99 axis from 880 to 1900 ms
// read "900" and "1000" only), it labels round values evenly spaced over the range instead,
// placed on the logarithmic scale. (gonum's LogTicks starts at the decade of int(log10(lo)), a
// decade late below 1: [0.3, 4] read "1" and "2" only.)
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) {
		return nil
	}
	if hi/lo < 10 {
		return roundTicks{n: 5}.Ticks(lo, hi)
	}
	var ticks []plot.Tick
	for d := int(math.Floor(math.Log10(lo))); math.Pow10(d) <= hi*(1+1e-9); d++ {
		for m := 1; m <= 9; m++ {
			// Parsed from its decimal form, so that 3e-2 is 0.03, not 3 × 0.01.
			v, _ := strconv.ParseFloat(strconv.Itoa(m)+"e"+strconv.Itoa(d), 64)
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || (hi/lo < 1000 && (m == 2 || m == 5)) {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// widen makes the range of a drawable when it is a single value (a flat line, one point):
// gonum would otherwise widen it by ±1, below zero on a logarithmic axis.
func widen(a *plot.Axis, log bool) {
	if a.Min != a.Max {
		return
	}
	v := a.Min
	switch {
	case log:
		a.Min, a.Max = v/2, v*2
	case v == 0:
		a.Min, a.Max = -1, 1
	default:
		a.Min, a.Max = v-math.Abs(v)/10, v+math.Abs(v)/10
	}
}

// grid returns light grid lines at the major ticks, to read values off the chart.
func grid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = gridColor, gridColor
	g.Vertical.Width, g.Horizontal.Width = 0.6, 0.6
	return g
}

// roundTicks labels about n evenly spaced round values (a step of 1, 2 or 5 times a power of
// ten): gonum's default labels only three or four along a long time axis.
type roundTicks struct{ n int }

func (t roundTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return nil
	}
	step, best := 0.0, math.Inf(1)
	mag := math.Pow10(int(math.Floor(math.Log10((hi - lo) / float64(t.n)))))
	for _, m := range []float64{1, 2, 5, 10, 20} {
		s := m * mag
		if d := math.Abs((hi-lo)/s - float64(t.n)); d < best {
			step, best = s, d
		}
	}
	prec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	var ticks []plot.Tick
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+step*1e-9; k++ {
		v := k*step + 0 // + 0 turns -0 into 0
		label := strconv.FormatFloat(v, 'f', prec, 64)
		if math.Abs(v) >= 1e6 {
			label = strconv.FormatFloat(v, 'g', -1, 64)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}
