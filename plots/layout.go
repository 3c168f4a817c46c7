package plots

import (
	"image/color"
	"slices"
	"strings"
	"unicode/utf8"

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

// fitLabels fits labels to width w as fit does, except that labels too wide which share a
// prefix lose the prefix, not their ends: the part that tells them apart. Series named
// "broker.replica.socket.receive.buffer.bytes=65536" and "...=-1" read "…buffer.bytes=65536"
// and "…buffer.bytes=-1", not "broker.replica.socket.recei…" twice. The cut falls after a
// separator (. _ - = space) where one fits.
func fitLabels(sty text.Style, labels []string, w vg.Length) []string {
	out := slices.Clone(labels)
	fits := func(k int) bool {
		for _, s := range labels {
			if sty.Width("…"+string([]rune(s)[k:])) > w {
				return false
			}
		}
		return true
	}
	wide := false
	for _, s := range labels {
		wide = wide || sty.Width(s) > w
	}
	p := commonPrefix(labels)
	for _, s := range labels {
		p = min(p, utf8.RuneCountInString(s)-1) // every label keeps a rune of its own
	}
	if wide && len(labels) > 1 && p > 0 {
		cut := -1
		for k := 1; k <= p; k++ {
			if !fits(k) {
				continue
			}
			if cut < 0 {
				cut = k
			}
			if strings.ContainsRune("._-= ", []rune(labels[0])[k-1]) {
				cut = k
				break
			}
		}
		if cut < 0 {
			cut = p
		}
		for i, s := range labels {
			out[i] = "…" + string([]rune(s)[cut:])
		}
	}
	for i, s := range out {
		out[i] = fit(sty, s, w)
	}
	return out
}

// commonPrefix is the length in runes of the prefix all of labels share.
func commonPrefix(labels []string) int {
	if len(labels) == 0 {
		return 0
	}
	first := []rune(labels[0])
	n := len(first)
	for _, s := range labels[1:] {
		r := []rune(s)
		i := 0
		for i < n && i < len(r) && r[i] == first[i] {
			i++
		}
		n = i
	}
	return n
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
	labels := make([]string, len(l))
	for i, e := range l {
		labels[i] = e.label
	}
	for i, s := range fitLabels(g.TextStyle, labels, room) {
		g.Add(s, l[i].thumbs...)
	}
	g.Draw(draw.Crop(c, vg.Points(8), 0, 0, 0))
}

// splitRight splits c into a left part and a right column of width w.
func splitRight(c draw.Canvas, w vg.Length) (left, right draw.Canvas) {
	left = draw.Crop(c, 0, -w, 0, 0)
	right = draw.Crop(c, c.Max.X-c.Min.X-w, 0, 0, 0)
	return left, right
}
