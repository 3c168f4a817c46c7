package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Font sizes in points, for a chart of about 16 cm printed at its size.
const (
	titleSize  = 11
	labelSize  = 9.5
	tickSize   = 8.5
	legendSize = 8.5
	noteSize   = 8
)

// sans is the typeface of every text: Liberation Sans (metric-compatible with Arial) reads better
// than gonum's default serif at small sizes.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// seriesColors is the Okabe–Ito palette, distinguishable with the common colour-vision
// deficiencies; its yellow is left out as unreadable on white.
var seriesColors = []color.Color{
	rgb(0x0072B2), rgb(0xD55E00), rgb(0x009E73), rgb(0xCC79A7),
	rgb(0xE69F00), rgb(0x56B4E9), rgb(0x000000), rgb(0x8C8C8C),
}

// seriesGlyphs alternate filled and open shapes so that lines stay apart in greyscale print.
var seriesGlyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{},
	draw.RingGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PlusGlyph{},
}

// seriesDashes are the line patterns of series drawn without glyphs (timelines).
var seriesDashes = [][]vg.Length{
	nil,
	{vg.Points(5), vg.Points(2.5)},
	{vg.Points(1.5), vg.Points(1.5)},
	{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)},
}

// style is how one series is drawn; series i of a figure gets style i, wrapping around.
type style struct {
	color  color.Color
	glyph  draw.GlyphDrawer
	dashes []vg.Length
}

func seriesStyle(i int) style {
	return style{
		color:  seriesColors[i%len(seriesColors)],
		glyph:  seriesGlyphs[i%len(seriesGlyphs)],
		dashes: seriesDashes[i%len(seriesDashes)],
	}
}

func (s style) line(dashed bool) draw.LineStyle {
	ls := draw.LineStyle{Color: s.color, Width: vg.Points(1.4)}
	if dashed {
		ls.Dashes = s.dashes
	}
	return ls
}

func (s style) glyphs() draw.GlyphStyle {
	return draw.GlyphStyle{Color: s.color, Radius: vg.Points(2.8), Shape: s.glyph}
}

// translucent returns c with alpha a (0–1), premultiplied as color.RGBA requires.
func translucent(c color.Color, a float64) color.Color {
	r, g, b, _ := c.RGBA()
	f := func(v uint32) uint8 { return uint8(float64(v>>8) * a) }
	return color.RGBA{R: f(r), G: f(g), B: f(b), A: uint8(255 * a)}
}

func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}
}

var (
	gridColor    = rgb(0xE3E3E3)
	invalidColor = rgb(0xD0D0D0)
	textGrey     = rgb(0x404040)
)

// textStyle is a plain text style of the house typeface.
func textStyle(size float64, c color.Color, x draw.XAlignment, y draw.YAlignment) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.From(sans, vg.Points(size)),
		XAlign:  x,
		YAlign:  y,
		Handler: plot.DefaultTextHandler,
	}
}

// newPlot returns a plot in the house style: sans-serif text, light axes, no title.
func newPlot() *plot.Plot {
	p := plot.New()
	p.Title.TextStyle = textStyle(labelSize, color.Black, draw.XCenter, draw.YTop)
	p.Title.Padding = vg.Points(4)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, vg.Points(labelSize))
		a.Tick.Label.Font = font.From(sans, vg.Points(tickSize))
		a.Tick.Length = vg.Points(4)
		a.Padding = vg.Points(3)
		a.Label.Padding = vg.Points(2)
	}
	p.Legend.TextStyle.Font = font.From(sans, vg.Points(legendSize))
	return p
}
