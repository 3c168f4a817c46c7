package plots

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Kind returns "timeline".
func (t Timeline) Kind() string { return "timeline" }

// DefaultSize is 18 cm wide and about 3.3 cm high a panel.
func (t Timeline) DefaultSize() Size {
	return Size{Width: 18, Height: 3 + 3.3*float64(max(len(t.Panels), 1))}
}

// Validate returns every reason the chart cannot be drawn: no panel, a panel whose series
// Lines' Validate would refuse (named by its number and y label), a window that does not
// end after it starts, a mark that is not a number.
func (t Timeline) Validate() error {
	if len(t.Panels) == 0 {
		return errors.New("no panels")
	}
	var errs []error
	for i, p := range t.Panels {
		if err := checkSeries(p.Series, t.X, p.Y); err != nil {
			errs = append(errs, fmt.Errorf("panel %d %q: %w", i+1, p.Y.Label, err))
		}
	}
	for _, w := range t.Windows {
		if !finite(w.From) || !finite(w.To) || w.To <= w.From {
			errs = append(errs, fmt.Errorf("window %q: from %g to %g is not an interval", w.Label, w.From, w.To))
		}
	}
	for _, m := range t.Marks {
		if !finite(m.X) {
			errs = append(errs, fmt.Errorf("mark %q: at %g", m.Label, m.X))
		}
	}
	return errors.Join(errs...)
}

// SVG draws the chart as an SVG document of size (zero: DefaultSize) to w.
func (t Timeline) SVG(w io.Writer, size Size) error { return renderSVG(w, t, size) }

// PNG draws the chart as a PNG image of size (zero: DefaultSize) at dpi dots per inch to w.
func (t Timeline) PNG(w io.Writer, size Size, dpi float64) error { return renderPNG(w, t, size, dpi) }

func (t Timeline) name() string { return fmt.Sprintf("%s %q", t.Kind(), t.Title) }

// timelineFigure is a Timeline built: one plot per panel, top to bottom, on the same x range.
type timelineFigure struct {
	title   string
	plots   []*plot.Plot
	art     [][]seriesArt // by panel
	legends []legend      // by panel; nil for a panel of one series
	windows []Window
	marks   []Mark
	ylabels []string       // the panels' y labels as given, before draw wraps them to fit
	drawn   []vg.Rectangle // the panels' data areas where draw last drew them
}

func (t Timeline) build() (figure, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	f := &timelineFigure{title: t.Title, windows: t.Windows, marks: t.Marks}
	xmin, xmax := t.xRange()
	for i, panel := range t.Panels {
		p, art := Lines{X: t.X, Y: panel.Y, Series: panel.Series, Bands: true}.plot(
			func(i int, _ string) style { return seriesStyle(i) }, false, shading{windows: t.Windows})
		p.Add(markLines(t.Marks))
		p.X.Min, p.X.Max = xmin, xmax
		p.X.Padding = 0
		widen(&p.X, t.X.Log)
		if !t.X.Log {
			p.X.Tick.Marker = roundTicks{n: 10}
		}
		if !panel.Y.Log {
			p.Y.Tick.Marker = roundTicks{n: 4}
			if p.Y.Min >= 0 {
				p.Y.Min = 0 // counts and rates read against zero
				widen(&p.Y, false)
			}
			p.Y.Max += 0.06 * (p.Y.Max - p.Y.Min) // a line at the maximum stays off the frame
		}
		if i < len(t.Panels)-1 {
			p.X.Label.Text = ""
			p.X.Tick.Marker = unlabelled{p.X.Tick.Marker}
		}
		f.plots = append(f.plots, p)
		f.art = append(f.art, art)
		f.legends = append(f.legends, legendOf(art))
		f.ylabels = append(f.ylabels, panel.Y.Label)
	}
	return f, nil
}

// xRange returns the x range shared by every panel: all points, windows and marks.
func (t Timeline) xRange() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range t.Panels {
		lo, hi = xExtent(lo, hi, p.Series...)
	}
	for _, w := range t.Windows {
		lo, hi = min(lo, w.From), max(hi, w.To)
	}
	for _, m := range t.Marks {
		lo, hi = min(lo, m.X), max(hi, m.X)
	}
	return lo, hi
}

// unlabelled keeps a ticker's ticks and drops their labels: the panels above the bottom one
// show where the ticks are, the bottom one what they are.
type unlabelled struct{ plot.Ticker }

func (u unlabelled) Ticks(lo, hi float64) []plot.Tick {
	ts := u.Ticker.Ticks(lo, hi)
	for i := range ts {
		ts[i].Label = ""
	}
	return ts
}

func (f *timelineFigure) draw(c draw.Canvas) {
	c = drawTitle(inset(c, margin), f.title)
	legW := vg.Length(0)
	for _, l := range f.legends {
		legW = max(legW, l.width(c.Max.X-c.Min.X))
	}
	plotsC, legC := splitRight(c, legW)
	canvases := f.align(draw.Crop(plotsC, 0, 0, 0, -laneHeight()))
	f.fitYLabels(canvases)
	canvases = f.align(draw.Crop(plotsC, 0, 0, 0, -laneHeight()))
	top := f.plots[0].DataCanvas(canvases[0])
	trX, _ := f.plots[0].Transforms(&top)
	ts := tags(f.windows, f.marks, trX, top.Min.X, top.Max.X)
	canvases = f.align(draw.Crop(plotsC, 0, 0, 0, -vg.Length(lanes(ts))*laneHeight()))
	f.drawn = f.drawn[:0]
	for i, p := range f.plots {
		p.Draw(canvases[i])
		dc := p.DataCanvas(canvases[i])
		f.drawn = append(f.drawn, dc.Rectangle)
		lc := legC
		lc.Max.Y = dc.Max.Y
		f.legends[i].draw(lc)
	}
	drawTags(c, ts, f.plots[0].DataCanvas(canvases[0]).Max.Y)
}

// align returns the canvases of the panels stacked in c, their data areas lined up on the
// same x extent and of the same height. (plot.Align gives the panel with the x tick labels a
// taller data area.)
func (f *timelineFigure) align(c draw.Canvas) []draw.Canvas {
	probes := make([]draw.Canvas, len(f.plots))
	for i := range probes {
		probes[i] = c
	}
	// A data area's margins hardly depend on its size: measure them once on the whole
	// canvas, once more on the panel's first cut.
	return stack(f.plots, c, stack(f.plots, c, probes))
}

// stack returns canvases for plots stacked top to bottom in c with data areas of equal height
// and x extent, from the margins each plot's data area takes in its probe canvas.
func stack(plots []*plot.Plot, c draw.Canvas, probes []draw.Canvas) []draw.Canvas {
	pad := vg.Points(5)
	type room struct{ left, right, bottom, top vg.Length }
	rooms := make([]room, len(plots))
	var left, right, used vg.Length
	for i, p := range plots {
		pc := probes[i]
		dc := p.DataCanvas(pc)
		rooms[i] = room{dc.Min.X - pc.Min.X, pc.Max.X - dc.Max.X, dc.Min.Y - pc.Min.Y, pc.Max.Y - dc.Max.Y}
		left, right = max(left, rooms[i].left), max(right, rooms[i].right)
		used += rooms[i].bottom + rooms[i].top + pad
	}
	h := max((c.Max.Y-c.Min.Y-used+pad)/vg.Length(len(plots)), 0)
	out := make([]draw.Canvas, len(plots))
	y := c.Max.Y
	for i, r := range rooms {
		out[i] = c
		out[i].Min.X, out[i].Max.X = c.Min.X+left-r.left, c.Max.X-right+r.right
		out[i].Max.Y, out[i].Min.Y = y, y-r.top-h-r.bottom
		y = out[i].Min.Y - pad
	}
	return out
}

// fitYLabels wraps each panel's y label onto as many lines as it takes to fit the height of
// the panel's data area, at most two, then cuts it short.
func (f *timelineFigure) fitYLabels(canvases []draw.Canvas) {
	for i, p := range f.plots {
		dc := p.DataCanvas(canvases[i])
		p.Y.Label.Text = wrap(p.Y.Label.TextStyle, f.ylabels[i], dc.Max.Y-dc.Min.Y, 2)
	}
}

// wrap breaks s at spaces into at most n lines no wider than w, cutting the last one short.
func wrap(sty text.Style, s string, w vg.Length, n int) string {
	if sty.Width(s) <= w || n <= 1 {
		return fit(sty, s, w)
	}
	words := strings.Fields(s)
	for k := len(words) - 1; k > 0; k-- {
		if first := strings.Join(words[:k], " "); sty.Width(first) <= w {
			return first + "\n" + wrap(sty, strings.Join(words[k:], " "), w, n-1)
		}
	}
	return fit(sty, s, w)
}
