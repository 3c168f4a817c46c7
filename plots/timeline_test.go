package plots

import (
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// faultRun is a run of 240 s with three panels, two overlapping windows and a warm-up mark.
func faultRun() Timeline {
	t := []float64{0, 60, 120, 180, 240}
	return Timeline{
		Title: "faults",
		X:     Axis{Label: "simulated time (s)"},
		Panels: []Panel{
			{Y: Axis{Label: "throughput (MB/s)"}, Series: []Series{{Label: "produced", X: t, Y: []float64{20, 20, 12, 12, 20}}}},
			{Y: Axis{Label: "partitions"}, Series: []Series{
				{Label: "UnderReplicated", X: t, Y: []float64{0, 18, 60, 0, 0}, Step: true},
				{Label: "Offline", X: t, Y: []float64{0, 0, 4, 0, 0}, Step: true},
			}},
			{Y: Axis{Label: "cross-site traffic (MB/s)"}, Series: []Series{{Label: "cross-site", X: []float64{5, 250}, Y: []float64{40, 40}}}},
		},
		Windows: []Window{{From: 130, To: 190, Label: "site-outage dc-c"}, {From: 180, To: 200, Label: "latency dc-a–dc-b"}},
		Marks:   []Mark{{X: 10, Label: "end of warm-up"}},
	}
}

func buildTimeline(t *testing.T, tl Timeline) *timelineFigure {
	t.Helper()
	f, err := tl.build()
	if err != nil {
		t.Fatal(err)
	}
	return f.(*timelineFigure)
}

func TestTimelinePanelsShareOneXAxis(t *testing.T) {
	f := buildTimeline(t, faultRun())
	for i, p := range f.plots {
		if p.X.Min != 0 || p.X.Max != 250 {
			t.Errorf("panel %d: x %g–%g, want 0–250 (every series, window and mark)", i+1, p.X.Min, p.X.Max)
		}
		labels := tickLabels(p.X)
		if last := i == len(f.plots)-1; last != (len(labels) > 0) || last != (p.X.Label.Text != "") {
			t.Errorf("panel %d: x tick labels %v, x label %q; want them on the bottom panel only", i+1, labels, p.X.Label.Text)
		}
	}
	bottom := f.plots[2]
	if got := tickLabels(bottom.X); !slices.Equal(got, []string{"0", "20", "40", "60", "80", "100", "120", "140", "160", "180", "200", "220", "240"}) {
		t.Errorf("bottom x tick labels %v", got)
	}
	if f.plots[1].Y.Min != 0 {
		t.Errorf("counts panel starts at %g, want 0", f.plots[1].Y.Min)
	}
}

func TestTimelineStepsAndLegends(t *testing.T) {
	f := buildTimeline(t, faultRun())
	if f.art[1][0].lines[0].StepStyle != plotter.PostStep || f.art[0][0].lines[0].StepStyle != plotter.NoStep {
		t.Error("Step series are not drawn as steps, or others are")
	}
	if f.legends[0] != nil || len(f.legends[1]) != 2 || f.legends[1][1].label != "Offline" {
		t.Errorf("legends %v: want none for one series, both labels for two", f.legends)
	}
	if f.art[1][0].points != nil {
		t.Error("timeline series have glyphs")
	}
	if d0, d1 := f.art[1][0].lines[0].Dashes, f.art[1][1].lines[0].Dashes; slices.Equal(d0, d1) {
		t.Error("two series of a panel have the same dashes")
	}
}

func TestTimelineShadesWindowsOverEveryPanelsFullHeight(t *testing.T) {
	f := buildTimeline(t, faultRun())
	d := record(t, faultRun(), 500, 400)
	for w := range 2 {
		rects := d.rects(windowFill(w))
		if len(rects) != 3 {
			t.Fatalf("window %d shaded %d times, want once per panel", w, len(rects))
		}
		for i, r := range rects {
			// The shade spans the data area's full height: from y = Min to y = Max.
			y0, y1 := f.dataY(t, i)
			if r.Min.Y != y0 || r.Max.Y != y1 {
				t.Errorf("window %d, panel %d: shade y %v–%v, want the data area's %v–%v", w, i+1, r.Min.Y, r.Max.Y, y0, y1)
			}
		}
		if r0, r2 := rects[0], rects[2]; r0.Min.X != r2.Min.X || r0.Max.X != r2.Max.X {
			t.Errorf("window %d is at x %v on the top panel, %v on the bottom one", w, r0, r2)
		}
	}
	for _, s := range []string{"site-outage dc-c", "latency dc-a–dc-b", "end of warm-up"} {
		if n := d.count(s); n != 1 {
			t.Errorf("%q written %d times, want once", s, n)
		}
	}
}

// dataY returns the bottom and top of panel i's data area when the figure is drawn 500 × 400.
func (f *timelineFigure) dataY(t *testing.T, i int) (vg.Length, vg.Length) {
	t.Helper()
	f.draw(draw.NewCanvas(&recorder.Canvas{}, 500, 400))
	return f.drawn[i].Min.Y, f.drawn[i].Max.Y
}

func TestTimelineTagsDoNotOverlap(t *testing.T) {
	trX := func(x float64) vg.Length { return vg.Length(x) * 2 } // 0–250 s over 500 pt
	ws := []Window{
		{From: 30, To: 70, Label: "broker-crash 4"},
		{From: 130, To: 190, Label: "site-outage dc-c"},
		{From: 180, To: 200, Label: "latency dc-a–dc-b"},
		{From: 181, To: 182, Label: "a narrow window with a long label"},
		{From: 183, To: 184, Label: "loss"}, {From: 185, To: 186, Label: "partition of dc-a from dc-b and dc-c, both directions, with loss"},
	}
	ts := tags(ws, []Mark{{X: 10, Label: "end of warm-up"}}, trX, 0, 500)
	if len(ts) != 7 || lanes(ts) > maxLanes {
		t.Fatalf("%d tags in %d lanes", len(ts), lanes(ts))
	}
	for i, a := range ts {
		if a.x < 0 || a.x+a.textWide > 500 {
			t.Errorf("%q runs out of the data area: %v–%v", a.text, a.x, a.x+a.textWide)
		}
		for _, b := range ts[i+1:] {
			if a.lane == b.lane && a.x < b.x+b.textWide && b.x < a.x+a.textWide {
				t.Errorf("%q and %q overlap in lane %d", a.text, b.text, a.lane)
			}
		}
	}
	if ts[0].text != "end of warm-up" || ts[1].text != "broker-crash 4" || ts[1].lane != 1 {
		t.Errorf("first tags %+v, %+v: the warm-up label pushes the crash's up a lane", ts[0], ts[1])
	}
	if !strings.HasSuffix(ts[6].text, "…") {
		t.Errorf("the fifth overlapping label %q is not cut short to the room left", ts[6].text)
	}
}

func TestWrapYLabel(t *testing.T) {
	sty := textStyle(labelSize, nil, 0, 0)
	w := sty.Width("cross-site traffic")
	if got := wrap(sty, "cross-site traffic (MB/s)", w, 2); got != "cross-site traffic\n(MB/s)" {
		t.Errorf("wrap = %q", got)
	}
	if got := wrap(sty, "p99 (ms)", w, 2); got != "p99 (ms)" {
		t.Errorf("a short label is wrapped: %q", got)
	}
	if got := wrap(sty, "under-replicated partitions per broker and per site (count)", sty.Width("under-replicated partitions"), 2); !strings.HasSuffix(got, "…") || strings.Count(got, "\n") != 1 {
		t.Errorf("a long label is not cut after two lines: %q", got)
	}
}

func TestTimelineErrors(t *testing.T) {
	checkErr(t, Timeline{Title: "x"}, `timeline "x": no panels`)
	tl := faultRun()
	tl.Panels[1].Series = nil
	tl.Windows[0].To = 100
	checkErr(t, tl, `panel 2 "partitions": no series`)
	checkErr(t, tl, `window "site-outage dc-c": from 130 to 100 is not an interval`)
	tl = faultRun()
	tl.Panels[0].Y.Log = true
	tl.Panels[1].Y.Log = true
	checkErr(t, tl, `panel 2 "partitions": series "UnderReplicated": y[0] = 0 is not positive`)
}

func TestTimelineRender(t *testing.T) {
	svg := checkSVG(t, faultRun())
	if !strings.Contains(svg, "site-outage dc-c") {
		t.Error("SVG lacks a window label")
	}
	checkPNG(t, faultRun())
}
