package experiments

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"

	"github.com/stretchsim/stretchsim/plots"
)

// chartRenderer is what a report needs of a chart of package plots.
type chartRenderer interface {
	SVG(w io.Writer, size plots.Size) error
	PNG(w io.Writer, size plots.Size, dpi float64) error
}

// chartDPI is the resolution of the PNG files: sharp on a screen of twice the usual density.
const chartDPI = 144

// Chart sizes, in centimetres.
var (
	sizeLines    = plots.Size{Width: 16, Height: 10}
	sizeFacets   = plots.Size{Width: 24, Height: 10}
	sizeHeatmap  = plots.Size{Width: 16, Height: 10}
	sizeTimeline = plots.Size{Width: 24, Height: 34}
)

// renderSVG returns the chart as SVG to inline in the page: the XML prolog dropped. A chart
// that cannot be drawn is a placeholder saying why, so that one bad chart does not lose the
// report.
func renderSVG(c ReportChart) []byte {
	r, ok := c.Chart.(chartRenderer)
	if !ok {
		return placeholderSVG(c.Size, "this build of stretchsim cannot draw "+c.Title)
	}
	var b bytes.Buffer
	if err := r.SVG(&b, c.Size); err != nil {
		return placeholderSVG(c.Size, fmt.Sprintf("%s: %v", c.Title, err))
	}
	out := b.Bytes()
	if i := bytes.Index(out, []byte("<svg")); i > 0 {
		out = out[i:]
	}
	return out
}

// placeholderSVG is a box of the chart's size with a message.
func placeholderSVG(size plots.Size, msg string) []byte {
	w, h := size.Width*28.35, size.Height*28.35 // points per centimetre
	return fmt.Appendf(nil, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0fpt" height="%.0fpt" viewBox="0 0 %.0f %.0f">`+
		`<rect x="0.5" y="0.5" width="%.0f" height="%.0f" fill="#f6f6f6" stroke="#999"/>`+
		`<text x="%.0f" y="%.0f" text-anchor="middle" font-family="sans-serif" font-size="12">%s</text></svg>`,
		w, h, w, h, w-1, h-1, w/2, h/2, html.EscapeString(msg))
}

// writeChartFiles writes each chart as charts/NAME.svg and charts/NAME.png under dir, svgs being
// their SVG as renderSVG made it. A chart that cannot be drawn has no PNG.
func writeChartFiles(dir string, charts []ReportChart, svgs [][]byte) error {
	cdir := filepath.Join(dir, ChartsDir)
	if err := os.MkdirAll(cdir, 0o755); err != nil {
		return err
	}
	if err := removeOldCharts(cdir, charts); err != nil {
		return err
	}
	for i, c := range charts {
		if err := os.WriteFile(filepath.Join(cdir, c.Name+".svg"), svgs[i], 0o644); err != nil {
			return err
		}
		r, ok := c.Chart.(chartRenderer)
		if !ok {
			continue
		}
		err := writeFileAtomic(filepath.Join(cdir, c.Name+".png"), func(w io.Writer) error { return r.PNG(w, c.Size, chartDPI) })
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.Join(cdir, c.Name+".png"), err)
		}
	}
	return nil
}

// removeOldCharts removes the SVG and PNG files of cdir that are not of charts: those of an
// earlier rendering with other plots.
func removeOldCharts(cdir string, charts []ReportChart) error {
	keep := map[string]bool{}
	for _, c := range charts {
		keep[c.Name+".svg"], keep[c.Name+".png"] = true, true
	}
	entries, err := os.ReadDir(cdir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.Type().IsRegular() && (ext == ".svg" || ext == ".png") && !keep[e.Name()] {
			if err := os.Remove(filepath.Join(cdir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
