package plots

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

var nan = math.NaN()

// twoSeries is a chart of two series with intervals, the second with a gap at x = 3.
func twoSeries(bands bool) Lines {
	return Lines{
		Title: "p99 latency",
		X:     Axis{Label: "RTT (ms)"},
		Y:     Axis{Label: "p99 (ms)"},
		Series: []Series{
			{Label: "acks=1", X: []float64{1, 2, 3}, Y: []float64{5, 6, 7}, Lo: []float64{4, 5, 6}, Hi: []float64{6, 7, 8}},
			{Label: "acks=all", X: []float64{1, 2, 3, 4}, Y: []float64{10, 20, nan, 40}, Lo: []float64{9, 18, nan, 35}, Hi: []float64{11, 22, nan, 45}},
		},
		Bands: bands,
	}
}

func buildLines(t *testing.T, l Lines) *linesFigure {
	t.Helper()
	f, err := l.build()
	if err != nil {
		t.Fatal(err)
	}
	return f.(*linesFigure)
}

func TestLinesSplitsLinesAtNaN(t *testing.T) {
	f := buildLines(t, twoSeries(true))
	var got [][]plotter.XYs
	for _, a := range f.art {
		var runs []plotter.XYs
		for _, ln := range a.lines {
			runs = append(runs, ln.XYs)
		}
		got = append(got, runs)
	}
	want := [][]plotter.XYs{
		{{{X: 1, Y: 5}, {X: 2, Y: 6}, {X: 3, Y: 7}}},
		{{{X: 1, Y: 10}, {X: 2, Y: 20}}, {{X: 4, Y: 40}}},
	}
	if !equalRuns(got, want) {
		t.Errorf("lines = %v, want %v", got, want)
	}
	if n := f.art[1].points.Len(); n != 3 {
		t.Errorf("acks=all has %d glyphs, want 3 (the NaN is not drawn)", n)
	}
}

func TestLinesBandsAreClosedPolygonsAlongLoThenHi(t *testing.T) {
	f := buildLines(t, twoSeries(true))
	want := [][]plotter.XYs{
		{{{X: 1, Y: 4}, {X: 2, Y: 5}, {X: 3, Y: 6}, {X: 3, Y: 8}, {X: 2, Y: 7}, {X: 1, Y: 6}}},
		{{{X: 1, Y: 9}, {X: 2, Y: 18}, {X: 2, Y: 22}, {X: 1, Y: 11}}, {{X: 4, Y: 35}, {X: 4, Y: 45}}},
	}
	for i, a := range f.art {
		if a.band == nil || a.bars != nil {
			t.Fatalf("series %d: band %v, bars %v; want a band only", i, a.band, a.bars)
		}
		if !equalRuns([][]plotter.XYs{a.band.XYs}, want[i:i+1]) {
			t.Errorf("series %d band = %v, want %v", i, a.band.XYs, want[i])
		}
		if _, _, _, alpha := a.band.Color.RGBA(); alpha == 0xffff {
			t.Errorf("series %d band is opaque", i)
		}
	}
}

func TestLinesErrorBarsGoFromLoToHi(t *testing.T) {
	f := buildLines(t, twoSeries(false))
	bars := f.art[1].bars
	if bars == nil || f.art[1].band != nil {
		t.Fatal("no error bars")
	}
	var lo, hi []float64
	for i, p := range bars.XYs {
		lo, hi = append(lo, p.Y-bars.YErrors[i].Low), append(hi, p.Y+bars.YErrors[i].High)
	}
	if !slices.Equal(lo, []float64{9, 18, 35}) || !slices.Equal(hi, []float64{11, 22, 45}) {
		t.Errorf("error bars from %v to %v, want from [9 18 35] to [11 22 45]", lo, hi)
	}
}

func TestLinesSeriesLookApartInColourAndShape(t *testing.T) {
	ss := make([]Series, 8)
	for i := range ss {
		ss[i] = Series{Label: string(rune('a' + i)), X: []float64{1, 2}, Y: []float64{1, float64(i)}}
	}
	f := buildLines(t, Lines{Series: ss})
	colours, shapes := map[any]bool{}, map[any]bool{}
	for _, a := range f.art {
		colours[a.points.GlyphStyle.Color] = true
		shapes[a.points.GlyphStyle.Shape] = true
	}
	if len(colours) != 8 || len(shapes) != 8 {
		t.Errorf("%d colours and %d glyph shapes for 8 series, want 8 of each", len(colours), len(shapes))
	}
	var labels []string
	for _, e := range f.legend {
		labels = append(labels, e.label)
	}
	if !slices.Equal(labels, []string{"a", "b", "c", "d", "e", "f", "g", "h"}) {
		t.Errorf("legend %v", labels)
	}
}

func TestLinesAxesHaveLabelsAndLogScales(t *testing.T) {
	l := Lines{
		X:      Axis{Label: "inter-site RTT (ms)", Log: true},
		Y:      Axis{Label: "p99 (ms)", Log: true},
		Series: []Series{{X: []float64{1, 2, 5, 10, 20, 50}, Y: []float64{3, 4, 8, 15, 30, 70}}},
	}
	p := buildLines(t, l).plot
	if p.X.Label.Text != "inter-site RTT (ms)" || p.Y.Label.Text != "p99 (ms)" {
		t.Errorf("axis labels %q, %q", p.X.Label.Text, p.Y.Label.Text)
	}
	if _, ok := p.X.Scale.(plot.LogScale); !ok {
		t.Errorf("x scale %T, want plot.LogScale", p.X.Scale)
	}
	if got := tickLabels(p.X); !slices.Equal(got, []string{"1", "2", "5", "10", "20", "50"}) {
		t.Errorf("x tick labels %v, want 1 2 5 10 20 50", got)
	}
}

func TestLinesNeedsSomethingToDraw(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines Lines
		want  string
	}{
		{"no series", Lines{Title: "t"}, `lines "t": no series`},
		{"no points", Lines{Series: []Series{{Label: "a"}}}, "no point to draw"},
		{"all NaN", Lines{Series: []Series{{Label: "a", X: []float64{1, 2}, Y: []float64{nan, nan}}}}, "no point to draw"},
		{"lengths", Lines{Series: []Series{{Label: "a", X: []float64{1, 2}, Y: []float64{1}}}}, `series "a": 2 x values but 1 y values`},
		{"half interval", Lines{Series: []Series{{Label: "a", X: []float64{1}, Y: []float64{1}, Lo: []float64{0}}}}, "both Lo and Hi"},
		{"log y", Lines{Y: Axis{Log: true}, Series: []Series{{Label: "a", X: []float64{1, 2}, Y: []float64{1, 2}}, {Label: "b", X: []float64{1}, Y: []float64{0}}}}, `series "b": y[0] = 0 is not positive`},
		{"log x", Lines{X: Axis{Log: true}, Series: []Series{{Label: "c", X: []float64{-1}, Y: []float64{1}}}}, `series "c": x[0] = -1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkErr(t, tc.lines, tc.want)
			if err := tc.lines.Validate(); err == nil {
				t.Error("Validate: no error")
			}
		})
	}
}

func TestLinesDrawsOnePointAndFlatLines(t *testing.T) {
	for _, l := range []Lines{
		{Series: []Series{{X: []float64{3}, Y: []float64{7}}}},
		{X: Axis{Log: true}, Y: Axis{Log: true}, Series: []Series{{X: []float64{3, 3}, Y: []float64{7, 7}}}},
	} {
		checkSVG(t, l)
	}
}

func TestLinesRender(t *testing.T) {
	for _, bands := range []bool{true, false} {
		l := twoSeries(bands)
		if svg := checkSVG(t, l); !strings.Contains(svg, "acks=all") || !strings.Contains(svg, "p99 latency") {
			t.Error("SVG lacks the legend or the title")
		} else if !strings.Contains(svg, "font-family:'Liberation Sans',Arial,") {
			t.Error("SVG text has no fallback font of the same metrics")
		}
		checkPNG(t, l)
	}
}

// tickLabels returns the labels of the major ticks of a that fall in its range.
func tickLabels(a plot.Axis) []string {
	var out []string
	for _, tk := range a.Tick.Marker.Ticks(a.Min, a.Max) {
		if tk.Label != "" && tk.Value >= a.Min && tk.Value <= a.Max {
			out = append(out, tk.Label)
		}
	}
	return out
}

func equalRuns(a, b [][]plotter.XYs) bool {
	return slices.EqualFunc(a, b, func(x, y []plotter.XYs) bool {
		return slices.EqualFunc(x, y, func(p, q plotter.XYs) bool { return slices.Equal(p, q) })
	})
}
