package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// cell is one cell of a heatmap as drawn.
type cell struct {
	col, row int // cell (col, row) is centred on (col, row) in data coordinates
	value    float64
	invalid  bool        // a NaN (or infinite) value, drawn grey with the invalid label
	fill     color.Color // the background
	text     string      // the value as written, or the invalid label
	ink      color.Color // the text's colour, contrasting with fill
}

// cells are a heatmap's cells: coloured rectangles with their value written in them. It is a
// plot.Plotter and plot.DataRanger.
type cells struct {
	cols, rows int
	cells      []cell
}

// DataRange is the grid: a unit square around each cell's centre.
func (cs *cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(cs.cols) - 0.5, -0.5, float64(cs.rows) - 0.5
}

// Plot fills every cell, separated by thin white lines, and writes its text centred in it, in
// a smaller font when the cell is too narrow.
func (cs *cells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	gap := vg.Points(0.75)
	for _, k := range cs.cells {
		x0, x1 := trX(float64(k.col)-0.5), trX(float64(k.col)+0.5)
		y0, y1 := trY(float64(k.row)-0.5), trY(float64(k.row)+0.5)
		rect := vg.Rectangle{Min: vg.Point{X: x0 + gap, Y: y0 + gap}, Max: vg.Point{X: x1 - gap, Y: y1 - gap}}
		c.SetColor(k.fill)
		c.Fill(rect.Path())
		sty := textStyle(tickSize+1, k.ink, draw.XCenter, draw.YCenter)
		for size := tickSize + 1.0; size > 5 && sty.Width(k.text) > rect.Size().X-vg.Points(4); size-- {
			sty = textStyle(size-1, k.ink, draw.XCenter, draw.YCenter)
		}
		c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, fit(sty, k.text, rect.Size().X))
	}
}
