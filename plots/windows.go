package plots

import (
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// windowFills are the shades of windows in turn (ColorBrewer RdBu and PuOr, light), and
// windowInks the darker colours of their labels: overlapping windows stay apart.
var (
	windowFills = []color.Color{rgb(0xF4A582), rgb(0xB2ABD2), rgb(0xFDB863), rgb(0x92C5DE)}
	windowInks  = []color.Color{rgb(0xB2182B), rgb(0x542788), rgb(0xB35806), rgb(0x2166AC)}
	markInk     = rgb(0x333333)
)

func windowFill(i int) color.Color { return translucent(windowFills[i%len(windowFills)], 0.4) }
func windowInk(i int) color.Color  { return windowInks[i%len(windowInks)] }

func markLine() draw.LineStyle {
	return draw.LineStyle{Color: markInk, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
}

// shading draws windows as translucent rectangles over the full height of a panel and marks
// as dashed vertical lines; it is a plot.Plotter added under the series.
type shading struct {
	windows []Window
	marks   []Mark
}

// Plot implements plot.Plotter.
func (s shading) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for i, w := range s.windows {
		x0, x1 := trX(max(w.From, p.X.Min)), trX(min(w.To, p.X.Max))
		if x1 <= x0 {
			continue
		}
		c.SetColor(windowFill(i))
		c.Fill(vg.Rectangle{Min: vg.Point{X: x0, Y: c.Min.Y}, Max: vg.Point{X: x1, Y: c.Max.Y}}.Path())
	}
	for _, m := range s.marks {
		if x := trX(m.X); x >= c.Min.X && x <= c.Max.X {
			dashedLine(c, x, c.Min.Y, c.Max.Y)
		}
	}
}

// dashedLine draws a vertical dashed line at x from y0 up to y1 as short solid strokes: the PNG
// canvas carries the dash phase of the previous dashed path over to the next one, which could
// leave a short mark entirely in a gap.
func dashedLine(c draw.Canvas, x, y0, y1 vg.Length) {
	ls := markLine()
	on, off := ls.Dashes[0], ls.Dashes[1]
	ls.Dashes = nil
	for y := y0; y < y1; y += on + off {
		c.StrokeLine2(ls, x, y, x, min(y+on, y1))
	}
}

// markLines draws marks as dashed vertical lines; it is added over the grid and the series, so
// that no grid line at the same x hides it.
type markLines []Mark

// Plot implements plot.Plotter.
func (ms markLines) Plot(c draw.Canvas, p *plot.Plot) {
	shading{marks: ms}.Plot(c, p)
}

// tag is the label of a window or mark above a timeline's top panel: the text, where it
// starts, and the extent of the window drawn as a bar under it (x0 == x1 for a mark).
type tag struct {
	text     string
	x        vg.Length // where the text starts
	x0, x1   vg.Length // the window's extent, clipped to the data area
	ink      color.Color
	lane     int // 0 is the lane nearest the panel
	isMark   bool
	textWide vg.Length
}

// maxLanes is the most rows of labels above a timeline; more overlapping windows than that
// share rows, their labels cut to their window's width.
const maxLanes = 4

func tagStyle(ink color.Color) text.Style {
	return textStyle(noteSize, ink, draw.XLeft, draw.YBottom)
}

// laneHeight is the height of one row of labels: the text and the bar under it.
func laneHeight() vg.Length { return tagStyle(color.Black).Height("Ag") + vg.Points(5) }

// tags lays the labels of windows and marks out in lanes, over the data area from lo to hi
// (x transformed by trX): in order of start, each in the lowest lane where it overlaps no
// other label; a label that would run past hi is moved left.
func tags(windows []Window, marks []Mark, trX func(float64) vg.Length, lo, hi vg.Length) []tag {
	var ts []tag
	for i, w := range windows {
		x0, x1 := max(trX(w.From), lo), min(trX(w.To), hi)
		if w.Label == "" || x1 < x0 {
			continue
		}
		ts = append(ts, tag{text: w.Label, x: x0, x0: x0, x1: x1, ink: windowInk(i)})
	}
	for _, m := range marks {
		if x := trX(m.X); m.Label != "" && x >= lo && x <= hi {
			ts = append(ts, tag{text: m.Label, x: x + vg.Points(2), x0: x, x1: x, ink: markInk, isMark: true})
		}
	}
	slices.SortStableFunc(ts, func(a, b tag) int { return cmpLength(a.x0, b.x0) })
	var ends []vg.Length // the right end of the last label of each lane
	for k := range ts {
		ends = ts[k].place(ends, lo, hi)
	}
	return ts
}

// place puts t in the lowest free lane of ends (the right end of each lane's last label),
// cutting its text when every lane is taken, and returns the lanes' new ends.
func (t *tag) place(ends []vg.Length, lo, hi vg.Length) []vg.Length {
	sty := tagStyle(t.ink)
	t.text = fit(sty, t.text, hi-lo)
	t.textWide = sty.Width(t.text)
	t.x = max(min(t.x, hi-t.textWide), lo)
	gap := vg.Points(6)
	for lane, end := range ends {
		if end+gap <= t.x && end+gap <= t.x0 {
			t.lane = lane
			ends[lane] = max(t.x+t.textWide, t.x1)
			return ends
		}
	}
	if len(ends) < maxLanes {
		t.lane = len(ends)
		return append(ends, max(t.x+t.textWide, t.x1))
	}
	// Every lane is taken: the lane that frees first, the label cut to the room left in it (or,
	// when that is too little, to the window's width).
	t.lane = slices.Index(ends, slices.Min(ends))
	t.x = max(ends[t.lane]+gap, lo)
	if hi-t.x < vg.Points(40) {
		t.x = t.x0
	}
	t.text = fit(sty, t.text, max(hi-t.x, t.x1-t.x0, vg.Points(12)))
	t.textWide = sty.Width(t.text)
	ends[t.lane] = max(t.x+t.textWide, t.x1)
	return ends
}

// lanes returns the number of lanes that ts use.
func lanes(ts []tag) int {
	n := 0
	for _, t := range ts {
		n = max(n, t.lane+1)
	}
	return n
}

// drawTags draws ts in lanes upwards from the top of the data area, top.
func drawTags(c draw.Canvas, ts []tag, top vg.Length) {
	lh := laneHeight()
	for _, t := range ts {
		y := top + vg.Length(t.lane)*lh + vg.Points(2)
		if t.isMark {
			dashedLine(c, t.x0, top, y+lh-vg.Points(3))
		} else {
			bar := vg.Rectangle{Min: vg.Point{X: t.x0, Y: y}, Max: vg.Point{X: max(t.x1, t.x0+1), Y: y + vg.Points(2)}}
			c.SetColor(t.ink)
			c.Fill(bar.Path())
		}
		c.FillText(tagStyle(t.ink), vg.Point{X: t.x, Y: y + vg.Points(3)}, t.text)
	}
}

func cmpLength(a, b vg.Length) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
