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

// logTicks are gonum's logarithmic ticks, with the 2s and 5s labelled too when the axis spans
// less than three decades (an RTT axis from 1 to 50 ms would otherwise read only "1" and "10").
// Within less than a decade, where a power of ten and its multiples leave a stretch with no
// label at all (a p99 axis from 880 to 1900 ms read "900" and "1000" only), it labels round
// values evenly spaced over the range instead, placed on the logarithmic scale.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if lo > 0 && hi/lo < 10 {
		return roundTicks{n: 5}.Ticks(lo, hi)
	}
	all := plot.LogTicks{Prec: -1}.Ticks(lo, hi)
	// gonum's log ticks run to the powers of ten around the range; a labelled tick outside it
	// is not drawn, but its label still takes room above or below the data area.
	ticks := all[:0]
	for _, t := range all {
		dup := len(ticks) > 0 && math.Abs(ticks[len(ticks)-1].Value-t.Value) <= 1e-9*t.Value
		if t.Value >= lo*(1-1e-9) && t.Value <= hi*(1+1e-9) && !dup {
			ticks = append(ticks, t)
		}
	}
	if hi/lo >= 1000 {
		return ticks
	}
	for i, t := range ticks {
		m := t.Value / math.Pow10(int(math.Floor(math.Log10(t.Value)+1e-9)))
		if math.Abs(m-2) < 1e-9 || math.Abs(m-5) < 1e-9 {
			ticks[i].Label = strconv.FormatFloat(t.Value, 'g', -1, 64)
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
