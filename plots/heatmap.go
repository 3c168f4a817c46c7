package plots

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Kind returns "heatmap".
func (h Heatmap) Kind() string { return "heatmap" }

// DefaultSize grows with the cells: about 2.2 × 1.4 cm a cell, plus axes, title and colour bar.
func (h Heatmap) DefaultSize() Size {
	w := 7 + 2.2*float64(len(h.XTicks))
	ht := 3.5 + 1.4*float64(len(h.YTicks))
	return Size{Width: min(max(w, 10), 24), Height: min(max(ht, 7), 20)}
}

// Validate returns every reason the chart cannot be drawn: no cells, Values not of
// len(YTicks) rows of len(XTicks) values, or no finite value at all.
func (h Heatmap) Validate() error {
	if len(h.XTicks) == 0 || len(h.YTicks) == 0 {
		return fmt.Errorf("no cells: %d x ticks and %d y ticks", len(h.XTicks), len(h.YTicks))
	}
	var errs []error
	if len(h.Values) != len(h.YTicks) {
		errs = append(errs, fmt.Errorf("%d rows of values for %d y ticks", len(h.Values), len(h.YTicks)))
	}
	valid := 0
	for j, row := range h.Values {
		if len(row) != len(h.XTicks) {
			errs = append(errs, fmt.Errorf("row %d (y %q): %d values for %d x ticks", j, h.tick(h.YTicks, j), len(row), len(h.XTicks)))
		}
		for _, v := range row {
			if finite(v) {
				valid++
			}
		}
	}
	if len(errs) == 0 && valid == 0 {
		errs = append(errs, errors.New("no value to draw (every cell is NaN)"))
	}
	return errors.Join(errs...)
}

func (h Heatmap) tick(ticks []string, i int) string {
	if i < len(ticks) {
		return ticks[i]
	}
	return "?"
}

// SVG draws the chart as an SVG document of size (zero: DefaultSize) to w.
func (h Heatmap) SVG(w io.Writer, size Size) error { return renderSVG(w, h, size) }

// PNG draws the chart as a PNG image of size (zero: DefaultSize) at dpi dots per inch to w.
func (h Heatmap) PNG(w io.Writer, size Size, dpi float64) error { return renderPNG(w, h, size, dpi) }

func (h Heatmap) name() string { return fmt.Sprintf("%s %q", h.Kind(), h.Title) }

// heatFigure is a Heatmap built.
type heatFigure struct {
	title string
	plot  *plot.Plot
	cells *cells
	bar   *plot.Plot // the colour bar; nil when every valid cell has the same value
}

func (h Heatmap) build() (figure, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	lo, hi := h.valueRange()
	var cm palette.ColorMap
	if lo < hi {
		cm = viridis(lo, hi)
	}
	cs := h.cells(cm)
	p := newPlot()
	setAxis(&p.X, Axis{Label: h.X.Label})
	setAxis(&p.Y, Axis{Label: h.Y.Label})
	p.X.Tick.Marker, p.Y.Tick.Marker = nominal(h.XTicks), nominal(h.YTicks)
	p.X.Padding, p.Y.Padding = 0, 0
	p.Add(cs)
	f := &heatFigure{title: h.Title, plot: p, cells: cs}
	if cm != nil {
		f.bar = colorBar(cm)
	}
	return f, nil
}

// valueRange returns the least and greatest finite value.
func (h Heatmap) valueRange() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range h.Values {
		for _, v := range row {
			if finite(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	return lo, hi
}

// cells returns the cells of h coloured by cm (nil: one value, the palette's middle colour).
func (h Heatmap) cells(cm palette.ColorMap) *cells {
	format, invalid := h.Format, h.InvalidLabel
	if format == nil {
		format = sig3
	}
	if invalid == "" {
		invalid = "invalid"
	}
	cs := &cells{cols: len(h.XTicks), rows: len(h.YTicks)}
	for j, row := range h.Values {
		for i, v := range row {
			c := cell{col: i, row: j, value: v, fill: invalidColor, text: invalid, invalid: !finite(v)}
			if !c.invalid {
				c.fill, c.text = colorAt(cm, v), format(v)
			}
			c.ink = textOn(c.fill)
			if c.invalid {
				c.ink = textGrey
			}
			cs.cells = append(cs.cells, c)
		}
	}
	return cs
}

// colorAt returns the colour of v in cm, or viridis' middle colour when there is no map.
func colorAt(cm palette.ColorMap, v float64) color.Color {
	if cm == nil {
		return must(viridis(0, 1).At(0.5))
	}
	return must(cm.At(min(max(v, cm.Min()), cm.Max())))
}

// sig3 writes v with three significant digits, and integers of more digits whole.
func sig3(v float64) string {
	if v == 0 || !finite(v) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	d := max(2-int(math.Floor(math.Log10(math.Abs(v)))), 0)
	return strconv.FormatFloat(v, 'f', d, 64)
}

// nominal returns ticks labelled names at 0, 1, 2, …: cell i is centred on i.
func nominal(names []string) plot.ConstantTicks {
	ticks := make(plot.ConstantTicks, len(names))
	for i, n := range names {
		ticks[i] = plot.Tick{Value: float64(i), Label: n}
	}
	return ticks
}

// colorBar returns a plot of the colour map as a vertical bar, with its value ticks.
func colorBar(cm palette.ColorMap) *plot.Plot {
	p := newPlot()
	p.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	p.HideX()
	p.Y.Padding = 0
	return p
}

func (f *heatFigure) draw(c draw.Canvas) {
	c = drawTitle(inset(c, margin), f.title)
	c.Max.Y -= vg.Points(6) // the cells start at the top: keep them off the title
	barW := vg.Length(0)
	if f.bar != nil {
		barW = 1.8 * cm
	}
	heatC, barC := splitRight(c, barW)
	f.plot.Draw(heatC)
	if f.bar == nil {
		return
	}
	dc := f.plot.DataCanvas(heatC)
	barC = draw.Crop(barC, 0.5*cm, 0, 0, 0)
	barC.Min.Y, barC.Max.Y = dc.Min.Y, dc.Max.Y
	// Line the bar's data area up with the cells': its own axes take room around it.
	bdc := f.bar.DataCanvas(barC)
	barC.Min.Y -= bdc.Min.Y - barC.Min.Y
	barC.Max.Y += barC.Max.Y - bdc.Max.Y
	barC.Max.X = f.bar.DataCanvas(barC).Min.X + 0.45*cm
	f.bar.Draw(barC)
}
