package plots

import (
	"image/color"
	"math"
	"slices"
	"strings"
	"testing"
)

// isrByRF is the writable fraction over replication factor × min.insync.replicas; NaN where
// min ISR exceeds RF.
func isrByRF() Heatmap {
	return Heatmap{
		Title:  "writable fraction",
		X:      Axis{Label: "replication factor"},
		Y:      Axis{Label: "min.insync.replicas"},
		XTicks: []string{"3", "4", "5"},
		YTicks: []string{"1", "2", "3", "4"},
		Values: [][]float64{
			{1, 1, 1},
			{0.98765, 1, 1},
			{0.5, 0.75, 0.9},
			{nan, 0.25, 0.6},
		},
	}
}

func buildHeat(t *testing.T, h Heatmap) *heatFigure {
	t.Helper()
	f, err := h.build()
	if err != nil {
		t.Fatal(err)
	}
	return f.(*heatFigure)
}

func TestHeatmapCellsShowTheirValue(t *testing.T) {
	f := buildHeat(t, isrByRF())
	var texts []string
	for _, c := range f.cells.cells {
		texts = append(texts, c.text)
	}
	want := []string{"1.00", "1.00", "1.00", "0.988", "1.00", "1.00", "0.500", "0.750", "0.900", "invalid", "0.250", "0.600"}
	if !slices.Equal(texts, want) {
		t.Errorf("cell texts %q, want %q", texts, want)
	}
	c := f.cells.cells[9]
	if !c.invalid || c.fill != invalidColor || c.col != 0 || c.row != 3 {
		t.Errorf("NaN cell %+v, want invalid and grey at column 0, row 3", c)
	}
	if f.cells.cells[10].invalid {
		t.Error("a valid cell is invalid")
	}
}

func TestHeatmapFormatAndInvalidLabel(t *testing.T) {
	h := isrByRF()
	h.Format = func(v float64) string { return strings.TrimSuffix(sig3(100*v), ".0") + " %" }
	h.InvalidLabel = "n/a"
	f := buildHeat(t, h)
	if got := f.cells.cells[3].text; got != "98.8 %" {
		t.Errorf("formatted cell %q, want 98.8 %%", got)
	}
	if got := f.cells.cells[9].text; got != "n/a" {
		t.Errorf("invalid cell %q, want n/a", got)
	}
}

func TestHeatmapTextContrastsWithItsCell(t *testing.T) {
	f := buildHeat(t, isrByRF())
	low, high := f.cells.cells[10], f.cells.cells[0] // 0.25 (dark) and 1 (light)
	if low.ink != color.White || high.ink != color.Black {
		t.Errorf("ink on the lowest value %v, on the highest %v; want white on dark, black on light", low.ink, high.ink)
	}
	if luminance(low.fill) >= luminance(high.fill) {
		t.Error("the palette is not sequential: the low value is lighter")
	}
	for _, c := range f.cells.cells {
		if l := luminance(c.fill); (c.ink == color.White) != (l <= 0.179) && !c.invalid {
			t.Errorf("cell %q: ink %v on luminance %.2f", c.text, c.ink, l)
		}
	}
}

func TestHeatmapTicksAreCentredOnCells(t *testing.T) {
	f := buildHeat(t, isrByRF())
	p := f.plot
	xt, yt := p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max), p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)
	if len(xt) != 3 || xt[1].Value != 1 || xt[1].Label != "4" || len(yt) != 4 || yt[3].Value != 3 || yt[3].Label != "4" {
		t.Errorf("x ticks %v, y ticks %v", xt, yt)
	}
	if p.X.Min != -0.5 || p.X.Max != 2.5 || p.Y.Min != -0.5 || p.Y.Max != 3.5 {
		t.Errorf("ranges x %g–%g, y %g–%g; want cells ±0.5 around their ticks", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	if f.bar == nil || f.bar.Y.Min != 0.25 || f.bar.Y.Max != 1 {
		t.Errorf("colour bar %v, want one from 0.25 to 1", f.bar)
	}
}

func TestHeatmapDrawsEveryCellAndLabel(t *testing.T) {
	h := isrByRF()
	d := record(t, h, 400, 300)
	if n := len(d.rects(invalidColor)); n != 1 {
		t.Errorf("%d grey cells, want 1", n)
	}
	for _, s := range []string{"invalid", "0.988", "min.insync.replicas", "replication factor", "writable fraction", "5"} {
		if d.count(s) == 0 {
			t.Errorf("%q is not written", s)
		}
	}
}

func TestHeatmapOfOneValueHasNoBar(t *testing.T) {
	h := Heatmap{XTicks: []string{"a", "b"}, YTicks: []string{"c"}, Values: [][]float64{{2, math.NaN()}}}
	if f := buildHeat(t, h); f.bar != nil || f.cells.cells[0].text != "2.00" {
		t.Errorf("bar %v, cell %q", f.bar, f.cells.cells[0].text)
	}
	checkSVG(t, h)
}

func TestHeatmapErrors(t *testing.T) {
	checkErr(t, Heatmap{Title: "h"}, `heatmap "h": no cells`)
	h := isrByRF()
	h.Values = h.Values[:3]
	checkErr(t, h, "3 rows of values for 4 y ticks")
	h = isrByRF()
	h.Values[1] = h.Values[1][:2]
	checkErr(t, h, `row 1 (y "2"): 2 values for 3 x ticks`)
	checkErr(t, Heatmap{XTicks: []string{"a"}, YTicks: []string{"b"}, Values: [][]float64{{nan}}}, "every cell is NaN")
}

func TestHeatmapRender(t *testing.T) {
	if svg := checkSVG(t, isrByRF()); !strings.Contains(svg, "invalid") {
		t.Error("SVG lacks the invalid label")
	}
	checkPNG(t, isrByRF())
}

func TestSig3(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 1: "1.00", 0.98765: "0.988", 12.345: "12.3", 1234.5: "1234", -0.5: "-0.500", 0.000123456: "0.000123"} {
		if got := sig3(v); got != want {
			t.Errorf("sig3(%g) = %q, want %q", v, got, want)
		}
	}
}
