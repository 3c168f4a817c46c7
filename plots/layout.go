package plots

import (
	"image/color"
	"strings"

	stdfnt "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// margin is the white space around a figure.
const margin = vg.Length(6)

// inset returns c shrunk by d on every side.
func inset(c draw.Canvas, d vg.Length) draw.Canvas {
	return draw.Crop(c, d, -d, d, -d)
}

// titleStyle is the style of a figure's title.
func titleStyle() text.Style {
	s := textStyle(titleSize, color.Black, draw.XCenter, draw.YTop)
	s.Font = font.From(font.Font{Typeface: sans.Typeface, Variant: sans.Variant, Weight: stdfnt.WeightBold}, vg.Points(titleSize))
	return s
}

// drawTitle writes title centred at the top of c and returns the rest of c below it.
func drawTitle(c draw.Canvas, title string) draw.Canvas {
	if title == "" {
		return c
	}
	sty := titleStyle()
	title = fit(sty, title, c.Max.X-c.Min.X)
	c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y}, title)
	return draw.Crop(c, 0, 0, 0, -(sty.Height(title) + vg.Points(3)))
}

// fit returns s, cut short with an ellipsis if it is wider than w in style sty.
func fit(sty text.Style, s string, w vg.Length) string {
	if sty.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && sty.Width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// legendEntry is one line of a legend: a label and the thumbnails that show its style.
type legendEntry struct {
	label  string
	thumbs []plot.Thumbnailer
}

// legend is a list of entries drawn in a column beside the data, never over it.
type legend []legendEntry

// maxLegendShare is the widest a legend column may be, as a share of the figure's width;
// longer labels are cut short.
const maxLegendShare = 0.3

func (l legend) style() plot.Legend {
	g := plot.NewLegend()
	g.TextStyle = textStyle(legendSize, color.Black, draw.XLeft, draw.YBottom)
	g.Top, g.Left = true, true
	g.ThumbnailWidth = vg.Points(22)
	g.Padding = vg.Points(3)
	return g
}

// width returns the width of the legend's column within a figure of width total, gaps included.
func (l legend) width(total vg.Length) vg.Length {
	if len(l) == 0 {
		return 0
	}
	g := l.style()
	w := vg.Length(0)
	for _, e := range l {
		w = max(w, g.TextStyle.Width(" "+e.label))
	}
	return min(g.ThumbnailWidth+w+vg.Points(10), total*maxLegendShare)
}

// draw draws the legend in c from its top-left corner.
func (l legend) draw(c draw.Canvas) {
	g := l.style()
	room := c.Max.X - c.Min.X - g.ThumbnailWidth - g.TextStyle.Width(" ")
	for _, e := range l {
		g.Add(fit(g.TextStyle, e.label, room), e.thumbs...)
	}
	g.Draw(draw.Crop(c, vg.Points(8), 0, 0, 0))
}

// splitRight splits c into a left part and a right column of width w.
func splitRight(c draw.Canvas, w vg.Length) (left, right draw.Canvas) {
	left = draw.Crop(c, 0, -w, 0, 0)
	right = draw.Crop(c, c.Max.X-c.Min.X-w, 0, 0, 0)
	return left, right
}
