package plots

import (
	"image/color"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// drawing is what a figure drew, recorded: its texts and the rectangles it filled by colour.
type drawing struct {
	texts []string
	fills []filled
}

type filled struct {
	color color.Color
	rect  vg.Rectangle
}

// record draws the figure that c builds on a w × h point canvas and returns what it drew.
func record(t *testing.T, c builder, w, h vg.Length) drawing {
	t.Helper()
	fig, err := c.build()
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder.Canvas{}
	fig.draw(draw.NewCanvas(rec, w, h))
	var d drawing
	var cur color.Color
	for _, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.SetColor:
			cur = a.Color
		case *recorder.FillString:
			d.texts = append(d.texts, a.String)
		case *recorder.Fill:
			d.fills = append(d.fills, filled{cur, bounds(a.Path)})
		}
	}
	return d
}

// rects returns the rectangles filled in colour c.
func (d drawing) rects(c color.Color) []vg.Rectangle {
	var out []vg.Rectangle
	for _, f := range d.fills {
		if f.color == c {
			out = append(out, f.rect)
		}
	}
	return out
}

// count returns how many times s was written.
func (d drawing) count(s string) int {
	n := 0
	for _, t := range d.texts {
		if t == s {
			n++
		}
	}
	return n
}

func bounds(p vg.Path) vg.Rectangle {
	r := vg.Rectangle{Min: vg.Point{X: 1e9, Y: 1e9}, Max: vg.Point{X: -1e9, Y: -1e9}}
	for _, c := range p {
		if c.Type == vg.MoveComp || c.Type == vg.LineComp {
			r.Min.X, r.Min.Y = min(r.Min.X, c.Pos.X), min(r.Min.Y, c.Pos.Y)
			r.Max.X, r.Max.Y = max(r.Max.X, c.Pos.X), max(r.Max.Y, c.Pos.Y)
		}
	}
	return r
}
