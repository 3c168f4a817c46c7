package plots

import (
	"fmt"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Kind returns "lines".
func (l Lines) Kind() string { return "lines" }

// DefaultSize is 16 × 10 cm, a page-wide figure.
func (l Lines) DefaultSize() Size { return Size{Width: 16, Height: 10} }

// Validate returns every reason the chart cannot be drawn: no series, no drawable point,
// X and Y (or Lo and Hi) of different lengths, a value that is not positive on a logarithmic
// axis. Each error names its series.
func (l Lines) Validate() error { return checkSeries(l.Series, l.X, l.Y) }

// SVG draws the chart as an SVG document of size (zero: DefaultSize) to w.
func (l Lines) SVG(w io.Writer, size Size) error { return renderSVG(w, l, size) }

// PNG draws the chart as a PNG image of size (zero: DefaultSize) at dpi dots per inch to w.
func (l Lines) PNG(w io.Writer, size Size, dpi float64) error { return renderPNG(w, l, size, dpi) }

func (l Lines) name() string { return fmt.Sprintf("%s %q", l.Kind(), l.Title) }

// seriesArt is what a Series became: kept so that tests check what is drawn.
type seriesArt struct {
	label  string
	lines  []*plotter.Line // one per run of points between gaps
	points *plotter.Scatter
	band   *plotter.Polygon    // the intervals as bands, or nil
	bars   *plotter.YErrorBars // the intervals as error bars, or nil
}

// thumbs returns the legend thumbnails of the series: its band, line and glyph.
func (a seriesArt) thumbs() []plot.Thumbnailer {
	var t []plot.Thumbnailer
	if a.band != nil {
		t = append(t, a.band)
	}
	if len(a.lines) > 0 {
		t = append(t, a.lines[0])
	}
	if a.points != nil {
		t = append(t, a.points)
	}
	return t
}

// linesFigure is a Lines chart built.
type linesFigure struct {
	title  string
	plot   *plot.Plot
	art    []seriesArt
	legend legend
}

func (l Lines) build() (figure, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	p, art := l.plot(func(i int, _ string) style { return seriesStyle(i) }, true)
	p.Title.Text = ""
	return &linesFigure{title: l.Title, plot: p, art: art, legend: legendOf(art)}, nil
}

// plot returns the chart as one gonum plot (with l.Title as the plot's title) and the art of
// each series; styleOf gives series i, labelled label, its style; glyphs marks the points;
// under are drawn first, under the grid and the series.
func (l Lines) plot(styleOf func(i int, label string) style, glyphs bool, under ...plot.Plotter) (*plot.Plot, []seriesArt) {
	p := newPlot()
	p.Title.Text = l.Title
	setAxis(&p.X, l.X)
	setAxis(&p.Y, l.Y)
	p.Add(under...)
	p.Add(grid())
	art := make([]seriesArt, len(l.Series))
	for i, s := range l.Series {
		art[i] = drawSeries(p, s, styleOf(i, s.Label), l.Bands, glyphs)
	}
	widen(&p.X, l.X.Log)
	widen(&p.Y, l.Y.Log)
	return p, art
}

// drawSeries adds s to p in style st: the interval (a band or error bars), the line split at
// gaps, and a glyph on every point when glyphs is set.
func drawSeries(p *plot.Plot, s Series, st style, bands, glyphs bool) seriesArt {
	a := seriesArt{label: s.Label}
	if polys := s.bands(); bands && len(polys) > 0 {
		a.band = must(plotter.NewPolygon(xyers(polys)...))
		a.band.Color = translucent(st.color, 0.2)
		a.band.LineStyle.Width = 0
		p.Add(a.band)
	} else if iv := s.errorBars(); !bands && len(iv.XYs) > 0 {
		a.bars = must(plotter.NewYErrorBars(iv))
		a.bars.LineStyle = draw.LineStyle{Color: st.color, Width: vg.Points(1)}
		a.bars.CapWidth = vg.Points(6)
		p.Add(a.bars)
	}
	var all plotter.XYs
	for _, r := range s.runs() {
		ln := must(plotter.NewLine(r))
		ln.LineStyle = st.line(!glyphs)
		if s.Step {
			ln.StepStyle = plotter.PostStep
		}
		a.lines = append(a.lines, ln)
		p.Add(ln)
		all = append(all, r...)
	}
	if glyphs && len(all) > 0 {
		a.points = must(plotter.NewScatter(all))
		a.points.GlyphStyle = st.glyphs()
		p.Add(a.points)
	}
	return a
}

// legendOf returns the legend of the labelled series; a figure of one series needs none.
func legendOf(art []seriesArt) legend {
	var l legend
	for _, a := range art {
		if a.label != "" {
			l = append(l, legendEntry{label: a.label, thumbs: a.thumbs()})
		}
	}
	if len(art) < 2 {
		return nil
	}
	return l
}

func (f *linesFigure) draw(c draw.Canvas) {
	c = drawTitle(inset(c, margin), f.title)
	plotC, legC := splitRight(c, f.legend.width(c.Max.X-c.Min.X))
	f.plot.Draw(plotC)
	legC.Max.Y = f.plot.DataCanvas(plotC).Max.Y
	f.legend.draw(legC)
}

func xyers(rs []plotter.XYs) []plotter.XYer {
	out := make([]plotter.XYer, len(rs))
	for i, r := range rs {
		out[i] = r
	}
	return out
}

// must returns v, panicking on err: gonum's constructors fail only on NaN or mismatched data,
// which the checks before them rule out (a programmer error, turned into an error by render).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
