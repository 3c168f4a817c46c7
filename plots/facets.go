package plots

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Kind returns "facets".
func (f Facets) Kind() string { return "facets" }

// DefaultSize is about 6.5 cm per column and 6 cm per row of panels, plus room for the title
// and the shared legend.
func (f Facets) DefaultSize() Size {
	cols, rows := f.grid()
	return Size{Width: min(6.5*float64(cols)+5, 30), Height: 6*float64(rows) + 2}
}

// Validate returns every reason the chart cannot be drawn: no panel, or a panel that Lines'
// Validate refuses (each error names the panel and the series).
func (f Facets) Validate() error {
	if len(f.Panels) == 0 {
		return errors.New("no panels")
	}
	var errs []error
	for i, p := range f.Panels {
		if err := p.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("panel %d %q: %w", i+1, p.Title, err))
		}
	}
	return errors.Join(errs...)
}

// SVG draws the chart as an SVG document of size (zero: DefaultSize) to w.
func (f Facets) SVG(w io.Writer, size Size) error { return renderSVG(w, f, size) }

// PNG draws the chart as a PNG image of size (zero: DefaultSize) at dpi dots per inch to w.
func (f Facets) PNG(w io.Writer, size Size, dpi float64) error { return renderPNG(w, f, size, dpi) }

func (f Facets) name() string { return fmt.Sprintf("%s %q", f.Kind(), f.Title) }

// grid returns the columns and rows of the panels: about √n columns, three in a row.
func (f Facets) grid() (cols, rows int) {
	n := max(len(f.Panels), 1)
	cols = int(math.Ceil(math.Sqrt(float64(n))))
	if n == 3 {
		cols = 3
	}
	return cols, (n + cols - 1) / cols
}

// facetsFigure is a Facets chart built: plots row by row (nil for an empty tile).
type facetsFigure struct {
	title  string
	titles []string // of the panels
	plots  [][]*plot.Plot
	art    [][]seriesArt // by panel
	legend legend
}

func (f Facets) build() (figure, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	styles := map[string]style{}
	var leg legend
	styleOf := func(_ int, label string) style {
		if _, ok := styles[label]; !ok {
			styles[label] = seriesStyle(len(styles))
		}
		return styles[label]
	}
	cols, rows := f.grid()
	fig := &facetsFigure{title: f.Title, plots: make([][]*plot.Plot, rows)}
	for r := range fig.plots {
		fig.plots[r] = make([]*plot.Plot, cols)
	}
	for i, panel := range f.Panels {
		p, art := panel.plot(styleOf, true)
		p.Title.Text = "" // drawn by draw, above the aligned data areas
		fig.titles = append(fig.titles, panel.Title)
		fig.plots[i/cols][i%cols] = p
		fig.art = append(fig.art, art)
		leg = appendNew(leg, art)
	}
	fig.shareRanges()
	fig.labelOuterAxes(len(f.Panels))
	if len(leg) > 1 {
		fig.legend = leg
	}
	return fig, nil
}

// appendNew appends to l the labelled series of art that it does not have yet.
func appendNew(l legend, art []seriesArt) legend {
	for _, a := range art {
		seen := a.label == ""
		for _, e := range l {
			seen = seen || e.label == a.label
		}
		if !seen {
			l = append(l, legendEntry{label: a.label, thumbs: a.thumbs()})
		}
	}
	return l
}

// shareRanges gives every panel the union of the panels' ranges, so that panels compare.
func (f *facetsFigure) shareRanges() {
	x, y := plot.Axis{Min: math.Inf(1), Max: math.Inf(-1)}, plot.Axis{Min: math.Inf(1), Max: math.Inf(-1)}
	for _, p := range f.panels() {
		x.Min, x.Max = min(x.Min, p.X.Min), max(x.Max, p.X.Max)
		y.Min, y.Max = min(y.Min, p.Y.Min), max(y.Max, p.Y.Max)
	}
	for _, p := range f.panels() {
		p.X.Min, p.X.Max = x.Min, x.Max
		p.Y.Min, p.Y.Max = y.Min, y.Max
	}
}

// labelOuterAxes keeps the y label on the first column and the x label on the lowest panel of
// each column only: the others repeat them.
func (f *facetsFigure) labelOuterAxes(n int) {
	cols := len(f.plots[0])
	for i, p := range f.panels() {
		if i%cols != 0 {
			p.Y.Label.Text = ""
		}
		if i+cols < n {
			p.X.Label.Text = ""
		}
	}
}

// panels returns the plots in panel order.
func (f *facetsFigure) panels() []*plot.Plot {
	var ps []*plot.Plot
	for _, row := range f.plots {
		for _, p := range row {
			if p != nil {
				ps = append(ps, p)
			}
		}
	}
	return ps
}

func (f *facetsFigure) draw(c draw.Canvas) {
	c = drawTitle(inset(c, margin), f.title)
	gridC, legC := splitRight(c, f.legend.width(c.Max.X-c.Min.X))
	sty := textStyle(labelSize, color.Black, draw.XCenter, draw.YBottom)
	th := sty.Height("Ag") + vg.Points(4)
	tiles := draw.Tiles{Rows: len(f.plots), Cols: len(f.plots[0]), PadX: vg.Points(10), PadY: th + vg.Points(6)}
	canvases := plot.Align(f.plots, tiles, gridC)
	// The space above the data areas (for tick labels) may hold the first row's titles.
	if need := th - (gridC.Max.Y - f.plots[0][0].DataCanvas(canvases[0][0]).Max.Y); need > 0 {
		canvases = plot.Align(f.plots, tiles, draw.Crop(gridC, 0, 0, 0, -need))
	}
	for r, row := range f.plots {
		for k, p := range row {
			if p == nil {
				continue
			}
			p.Draw(canvases[r][k])
			dc := p.DataCanvas(canvases[r][k])
			title := fit(sty, f.titles[r*len(row)+k], dc.Max.X-dc.Min.X)
			dc.FillText(sty, vg.Point{X: dc.Center().X, Y: dc.Max.Y + vg.Points(4)}, title)
		}
	}
	legC.Max.Y = f.plots[0][0].DataCanvas(canvases[0][0]).Max.Y
	f.legend.draw(legC)
}
