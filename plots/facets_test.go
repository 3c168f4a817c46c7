package plots

import (
	"slices"
	"testing"
)

// threePanels are facets whose panels have different y ranges and list their series in
// different orders.
func threePanels() Facets {
	return Facets{
		Title: "p99 by RF",
		Panels: []Lines{
			{Title: "RF 3", X: Axis{Label: "RTT (ms)"}, Y: Axis{Label: "p99 (ms)"}, Series: []Series{
				{Label: "acks=1", X: []float64{1, 2}, Y: []float64{2, 3}},
				{Label: "acks=all", X: []float64{1, 2}, Y: []float64{5, 9}},
			}},
			{Title: "RF 4", X: Axis{Label: "RTT (ms)"}, Y: Axis{Label: "p99 (ms)"}, Series: []Series{
				{Label: "acks=all", X: []float64{1, 2}, Y: []float64{6, 12}, Lo: []float64{5, 11}, Hi: []float64{7, 30}},
			}},
			{Title: "RF 5", X: Axis{Label: "RTT (ms)"}, Y: Axis{Label: "p99 (ms)"}, Series: []Series{
				{Label: "acks=1", X: []float64{1, 2, 4}, Y: []float64{1, 3, 4}},
			}},
		},
	}
}

func buildFacets(t *testing.T, f Facets) *facetsFigure {
	t.Helper()
	fig, err := f.build()
	if err != nil {
		t.Fatal(err)
	}
	return fig.(*facetsFigure)
}

func TestFacetsShareTheUnionOfTheRanges(t *testing.T) {
	fig := buildFacets(t, threePanels())
	for i, p := range fig.panels() {
		if p.Y.Min != 1 || p.Y.Max != 30 || p.X.Min != 1 || p.X.Max != 4 {
			t.Errorf("panel %d: x %g–%g, y %g–%g; want x 1–4, y 1–30 (the union, intervals included)",
				i+1, p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
		}
	}
}

func TestFacetsHaveOneLegendAndOneStylePerLabel(t *testing.T) {
	fig := buildFacets(t, threePanels())
	var labels []string
	for _, e := range fig.legend {
		labels = append(labels, e.label)
	}
	if !slices.Equal(labels, []string{"acks=1", "acks=all"}) {
		t.Errorf("legend %v, want [acks=1 acks=all]", labels)
	}
	all3, all4 := fig.art[0][1].points.GlyphStyle, fig.art[1][0].points.GlyphStyle
	one3, one5 := fig.art[0][0].points.GlyphStyle, fig.art[2][0].points.GlyphStyle
	if all3.Color != all4.Color || all3.Shape != all4.Shape || one3.Color != one5.Color || all3.Color == one3.Color {
		t.Error("a label is not drawn alike in every panel")
	}
}

func TestFacetsGridAndTitles(t *testing.T) {
	fig := buildFacets(t, threePanels())
	if !slices.Equal(fig.titles, []string{"RF 3", "RF 4", "RF 5"}) {
		t.Errorf("panel titles %v", fig.titles)
	}
	for n, want := range map[int][2]int{1: {1, 1}, 2: {2, 1}, 3: {3, 1}, 4: {2, 2}, 5: {3, 2}, 9: {3, 3}, 10: {4, 3}} {
		cols, rows := Facets{Panels: make([]Lines, n)}.grid()
		if cols != want[0] || rows != want[1] {
			t.Errorf("%d panels in %d × %d, want %d × %d", n, cols, rows, want[0], want[1])
		}
	}
	f := threePanels()
	f.Panels = append(f.Panels, f.Panels[0], f.Panels[1])
	fig = buildFacets(t, f) // 3 columns: panels 1–3 above 4 and 5
	var xl, yl []string
	for _, p := range fig.panels() {
		xl, yl = append(xl, p.X.Label.Text), append(yl, p.Y.Label.Text)
	}
	if !slices.Equal(xl, []string{"", "", "RTT (ms)", "RTT (ms)", "RTT (ms)"}) ||
		!slices.Equal(yl, []string{"p99 (ms)", "", "", "p99 (ms)", ""}) {
		t.Errorf("x labels %q, y labels %q: want them on the outer panels only", xl, yl)
	}
	checkSVG(t, f)
}

func TestFacetsErrors(t *testing.T) {
	checkErr(t, Facets{Title: "f"}, `facets "f": no panels`)
	f := threePanels()
	f.Panels[1].Y.Log = true
	f.Panels[1].Series[0].Lo[0] = -1
	checkErr(t, f, `panel 2 "RF 4": series "acks=all": Lo[0] = -1 is not positive`)
}

func TestFacetsRender(t *testing.T) {
	checkSVG(t, threePanels())
	checkPNG(t, threePanels())
}
