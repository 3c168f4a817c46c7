package experiments

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/stretchsim/stretchsim/plots"
)

// defaultFigures are the figures of a sweep's default charts.
var defaultFigures = []string{
	"produce.throughput_bytes_per_sec",
	"produce.latency_ms.p99",
	"isr.changes_per_minute",
	"availability.writable_fraction",
	"durability.acked_records_lost",
	"network.cross_site_bytes_per_sec",
}

// DefaultPlots are the charts of a sweep without a plots key: each default figure against each
// numeric axis (the first of each dimension), one line per value of the next dimension and one
// small chart per value of the one after. A sweep without a numeric axis gets heatmaps over its
// first two dimensions (or a one-row heatmap over its only one); a sweep of two dimensions or
// more also gets a heatmap of the writable fraction over the first two.
func DefaultPlots(sw *Sweep) []PlotSpec {
	var out []PlotSpec
	first := func(d int) string {
		if d < len(sw.Dims) {
			return sw.Dims[d].Axes[0].Path
		}
		return ""
	}
	numeric := false
	for d, dim := range sw.Dims {
		if _, ok := axisNumbers(dim.Axes[0]); !ok {
			continue
		}
		numeric = true
		for _, f := range defaultFigures {
			out = append(out, PlotSpec{Figure: f, X: first(d), Lines: first(d + 1), Facets: first(d + 2)})
		}
	}
	if len(sw.Dims) == 0 {
		return out
	}
	if !numeric {
		for _, f := range defaultFigures {
			out = append(out, PlotSpec{Heatmap: true, Figure: f, X: first(0), Y: first(1)})
		}
	} else if len(sw.Dims) >= 2 {
		out = append(out, PlotSpec{Heatmap: true, Figure: "availability.writable_fraction", X: first(0), Y: first(1)})
	}
	return out
}

// SweepCharts builds the charts of specs from a sweep's results.
func SweepCharts(d *SweepData, specs []PlotSpec) []ReportChart {
	var out []ReportChart
	names := map[string]int{}
	for _, p := range specs {
		var c ReportChart
		if p.Heatmap {
			c = heatmapChart(d, p)
		} else {
			c = linesChart(d, p)
		}
		base := c.Name
		names[base]++
		if n := names[base]; n > 1 {
			c.Name = fmt.Sprintf("%s-%d", base, n)
		}
		out = append(out, c)
	}
	return out
}

// grid locates points by their step in each dimension of the sweep.
type grid struct {
	sw *Sweep
}

// point is the number of the point at steps (one per dimension; PointSteps inverted).
func (g grid) point(steps []int) int {
	p := 0
	for i, d := range g.sw.Dims {
		p = p*d.Len() + steps[i]
	}
	return p
}

// dimLabel is "acks=all": the axis title and the label of step s of the dimension of axis path.
func dimLabel(sw *Sweep, path string, step int) string {
	a, _ := findAxis(sw, path)
	return axisTitle(path) + "=" + a.Label(step)
}

// fixedNote lists the dimensions a chart holds at their first value, for its caption.
func fixedNote(sw *Sweep, used ...string) string {
	var fixed []string
	for i, dim := range sw.Dims {
		skip := false
		for _, u := range used {
			if j, ok := dimOf(sw, u); ok && j == i {
				skip = true
			}
		}
		if !skip && dim.Len() > 1 {
			fixed = append(fixed, dimLabel(sw, dim.Axes[0].Path, 0))
		}
	}
	if len(fixed) == 0 {
		return ""
	}
	return " Other axes held at their first value: " + strings.Join(fixed, ", ") + "."
}

// linesChart is a figure against axis p.X, one line per value of p.Lines, one panel per value of
// p.Facets, each point the mean over the replications with its 95 % confidence interval.
func linesChart(d *SweepData, p PlotSpec) ReportChart {
	sw := d.Plan.Sweep
	fig := figureFor(p.Figure)
	xa, _ := findAxis(sw, p.X)
	xs, _ := axisNumbers(xa)
	dx, _ := dimOf(sw, p.X)
	title := fmt.Sprintf("%s vs %s", fig.short, axisTitle(p.X))
	c := ReportChart{Name: slug(fig.short + "-vs-" + axisTitle(p.X)), Title: capitalize(title)}
	c.Caption = "Mean over the replications of each point, with its 95 % confidence interval (Student t; none with one replication; cut at 0, and a fraction at 1)." +
		fixedNote(sw, p.X, p.Lines, p.Facets)
	facetSteps, facetDim := []int{0}, -1
	if fd, ok := dimOf(sw, p.Facets); ok {
		facetDim, facetSteps = fd, stepsOf(sw.Dims[fd].Len())
	}
	lineSteps, lineDim := []int{0}, -1
	if ld, ok := dimOf(sw, p.Lines); ok {
		lineDim, lineSteps = ld, stepsOf(sw.Dims[ld].Len())
	}
	var panels []plots.Lines
	for _, fs := range facetSteps {
		panel := plots.Lines{X: plots.Axis{Label: axisLabel(p.X, xs.unit), Log: p.LogX}, Y: plots.Axis{Label: fig.label, Log: p.LogY}, Bands: true}
		if facetDim >= 0 {
			panel.Title = dimLabel(sw, p.Facets, fs)
		}
		for _, ls := range lineSteps {
			steps := make([]int, len(sw.Dims))
			if facetDim >= 0 {
				steps[facetDim] = fs
			}
			s := plots.Series{Label: fig.short}
			if lineDim >= 0 {
				steps[lineDim] = ls
				s.Label = dimLabel(sw, p.Lines, ls)
			}
			for i, x := range xs.values {
				steps[dx] = i
				iv := d.figure(grid{sw}.point(steps), p.Figure)
				// Every figure is at least 0, and a fraction at most 1; the interval of a few
				// replications can reach beyond.
				y, lo, hi := iv.Mean*fig.scale, math.Max(iv.Low, 0)*fig.scale, iv.High*fig.scale
				if strings.HasSuffix(p.Figure, "_fraction") {
					hi = math.Min(hi, 1)
				}
				if p.LogY && !(y > 0) {
					y, lo, hi = math.NaN(), math.NaN(), math.NaN()
				}
				if p.LogY && !(lo > 0) {
					lo = math.NaN()
				}
				s.X, s.Y, s.Lo, s.Hi = append(s.X, x), append(s.Y, y), append(s.Lo, lo), append(s.Hi, hi)
			}
			panel.Series = append(panel.Series, s)
		}
		panels = append(panels, panel)
	}
	if facetDim < 0 {
		panels[0].Title = c.Title
		c.Chart, c.Size = &panels[0], sizeLines
		return c
	}
	c.Chart, c.Size = &plots.Facets{Title: c.Title, Panels: panels}, sizeFacets
	c.Caption += " One chart per value of " + axisTitle(p.Facets) + ", sharing the y axis."
	return c
}

// heatmapChart is a figure over the axes p.X and p.Y; an invalid point, or one without a value,
// is NaN.
func heatmapChart(d *SweepData, p PlotSpec) ReportChart {
	sw := d.Plan.Sweep
	fig := figureFor(p.Figure)
	xa, _ := findAxis(sw, p.X)
	dx, _ := dimOf(sw, p.X)
	h := &plots.Heatmap{X: plots.Axis{Label: axisTitle(p.X)}, InvalidLabel: "invalid", Format: fig.text}
	title := fmt.Sprintf("%s by %s", fig.short, axisTitle(p.X))
	for i := range xa.Values {
		h.XTicks = append(h.XTicks, xa.Label(i))
	}
	ySteps, dy := []int{0}, -1
	if yd, ok := dimOf(sw, p.Y); ok {
		ya, _ := findAxis(sw, p.Y)
		dy, ySteps = yd, stepsOf(sw.Dims[yd].Len())
		h.Y = plots.Axis{Label: axisTitle(p.Y)}
		for j := range ya.Values {
			h.YTicks = append(h.YTicks, ya.Label(j))
		}
		title += " and " + axisTitle(p.Y)
	} else {
		h.YTicks = []string{""}
	}
	for _, ys := range ySteps {
		row := make([]float64, len(xa.Values))
		steps := make([]int, len(sw.Dims))
		if dy >= 0 {
			steps[dy] = ys
		}
		for i := range xa.Values {
			steps[dx] = i
			row[i] = d.figure(grid{sw}.point(steps), p.Figure).Mean * fig.scale
		}
		h.Values = append(h.Values, row)
	}
	h.Title = capitalize(fig.label)
	name := "heatmap-" + fig.short + "-" + axisTitle(p.X)
	if dy >= 0 {
		name += "-" + axisTitle(p.Y)
	}
	return ReportChart{Name: slug(name), Title: capitalize(title), Chart: h, Size: sizeHeatmap,
		Caption: "Mean over the replications of each point (" + fig.label + "); \"invalid\": a point whose scenario is invalid, or without a value." +
			fixedNote(sw, p.X, p.Y)}
}

func stepsOf(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes a file name of s: "p99 latency-vs-inter-site RTT" → "p99-latency-vs-inter-site-rtt".
func slug(s string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
