package plots

import (
	"bytes"
	"fmt"
	"io"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// figure is a chart built and ready to draw on a canvas of any size.
type figure interface {
	draw(c draw.Canvas)
}

// builder is what every chart kind is to render: a name for errors, a default size, and a
// build that checks the chart and lays it out.
type builder interface {
	name() string // the kind and title, for errors
	DefaultSize() Size
	build() (figure, error)
}

// cm is one centimetre.
const cm = vg.Inch / 2.54

// length returns size in gonum's lengths; a zero Size is the chart's DefaultSize.
func (s Size) length(def Size) (w, h vg.Length, err error) {
	if s == (Size{}) {
		s = def
	}
	if !(s.Width > 0 && s.Height > 0) || math.IsInf(s.Width, 0) || math.IsInf(s.Height, 0) {
		return 0, 0, fmt.Errorf("size %g×%g cm is not positive", s.Width, s.Height)
	}
	return vg.Length(s.Width) * cm, vg.Length(s.Height) * cm, nil
}

// renderSVG draws b as an SVG document of size to out.
func renderSVG(out io.Writer, b builder, size Size) error {
	return render(b, size, func(w, h vg.Length) (vg.CanvasWriterTo, error) {
		return svgCanvas{vgsvg.New(w, h)}, nil
	}, out)
}

// svgCanvas is gonum's SVG canvas, its text in Liberation Sans or, where a browser lacks it,
// Arial (of the same metrics, so that text keeps the widths it was laid out with) or any
// sans-serif.
type svgCanvas struct{ *vgsvg.Canvas }

func (c svgCanvas) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	if _, err := c.Canvas.WriteTo(&buf); err != nil {
		return 0, err
	}
	doc := bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
	n, err := w.Write(doc)
	return int64(n), err
}

// renderPNG draws b as a PNG image of size at dpi dots per inch to out.
func renderPNG(out io.Writer, b builder, size Size, dpi float64) error {
	return render(b, size, func(w, h vg.Length) (vg.CanvasWriterTo, error) {
		if !(dpi >= 1) || math.IsInf(dpi, 0) {
			return nil, fmt.Errorf("resolution %g dpi is not at least 1", dpi)
		}
		c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(int(math.Round(dpi))))
		return vgimg.PngCanvas{Canvas: c}, nil
	}, out)
}

// render builds b, draws it on the canvas that newCanvas makes and writes that to out. A panic
// inside gonum/plot (a case the checks missed) is returned as an error: a report of many charts
// loses one chart, not the run.
func render(b builder, size Size, newCanvas func(w, h vg.Length) (vg.CanvasWriterTo, error), out io.Writer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plots: %s: drawing failed: %v", b.name(), r)
		}
	}()
	f, err := b.build()
	if err != nil {
		return fmt.Errorf("plots: %s: %w", b.name(), err)
	}
	w, h, err := size.length(b.DefaultSize())
	if err != nil {
		return fmt.Errorf("plots: %s: %w", b.name(), err)
	}
	c, err := newCanvas(w, h)
	if err != nil {
		return fmt.Errorf("plots: %s: %w", b.name(), err)
	}
	f.draw(draw.New(c))
	if _, err := c.WriteTo(out); err != nil {
		return fmt.Errorf("plots: %s: writing: %w", b.name(), err)
	}
	return nil
}
