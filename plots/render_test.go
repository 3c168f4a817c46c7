package plots

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"strings"
	"testing"
)

// renderer is a chart as the tests render it.
type renderer interface {
	SVG(w io.Writer, size Size) error
	PNG(w io.Writer, size Size, dpi float64) error
}

// checkSVG renders c as SVG and checks that the output is a well-formed SVG document with
// drawing in it; it returns the document.
func checkSVG(t *testing.T, c renderer) string {
	t.Helper()
	var buf bytes.Buffer
	if err := c.SVG(&buf, Size{Width: 12, Height: 9}); err != nil {
		t.Fatalf("SVG: %v", err)
	}
	dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
	root, elems := "", 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			elems++
		}
	}
	if root != "svg" || elems < 10 {
		t.Fatalf("SVG root %q with %d elements, want svg with drawing", root, elems)
	}
	return buf.String()
}

// checkPNG renders c as a 10 × 5 cm PNG at 127 dpi and checks that it decodes to 500 × 250
// pixels.
func checkPNG(t *testing.T, c renderer) {
	t.Helper()
	var buf bytes.Buffer
	if err := c.PNG(&buf, Size{Width: 10, Height: 5}, 127); err != nil {
		t.Fatalf("PNG: %v", err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 500 || b.Dy() != 250 {
		t.Fatalf("PNG is %d × %d pixels, want 500 × 250", b.Dx(), b.Dy())
	}
}

// checkErr renders c both ways and checks that each fails with an error containing want.
func checkErr(t *testing.T, c renderer, want string) {
	t.Helper()
	var buf bytes.Buffer
	for format, err := range map[string]error{
		"SVG": c.SVG(&buf, Size{}),
		"PNG": c.PNG(&buf, Size{}, 96),
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s error = %v, want one containing %q", format, err, want)
		}
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRenderWriterAndSizeErrors(t *testing.T) {
	l := Lines{Series: []Series{{X: []float64{1, 2}, Y: []float64{1, 2}}}}
	if err := l.SVG(failingWriter{}, Size{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("SVG to a failing writer: %v", err)
	}
	if err := l.PNG(failingWriter{}, Size{}, 96); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("PNG to a failing writer: %v", err)
	}
	if err := l.SVG(io.Discard, Size{Width: -1, Height: 3}); err == nil {
		t.Error("negative size: no error")
	}
	if err := l.PNG(io.Discard, Size{}, 0); err == nil {
		t.Error("0 dpi: no error")
	}
}
