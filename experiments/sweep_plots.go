package experiments

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/model/conf"
)

// PlotSpec is one item of a sweep file's key plots: a figure against an axis, or a heatmap of a
// figure over two axes.
//
//	plots:
//	  - {y: produce.latency_ms.p99, x: network.inter_site.rtt, lines: producers[checkout].config.acks, log: y}
//	  - {heatmap: availability.writable_fraction, x: topics[0].replication.factor, y: faults}
//
// Figures are the numeric columns of runs.csv by their JSON path, and the derived figures of
// DerivedFigures; axes are the sweep's axis paths. Axes of the sweep that a plot does not name
// are held at their first value.
type PlotSpec struct {
	// Heatmap is set for a heatmap: Figure over the axes X (columns) and Y (rows).
	Heatmap bool `json:"heatmap,omitempty"`
	// Figure is the figure drawn (key y of a line chart, key heatmap of a heatmap).
	Figure string `json:"figure"`
	// X is the axis along the x axis: a numeric one for a line chart.
	X string `json:"x"`
	// Y is the axis along the y axis of a heatmap (key y, optional: without it, one row).
	Y string `json:"y,omitempty"`
	// Lines is the axis whose values make one line each (key lines, optional).
	Lines string `json:"lines,omitempty"`
	// Facets is the axis whose values make one small chart each (key facets, optional).
	Facets string `json:"facets,omitempty"`
	// LogX and LogY draw an axis on a log scale (key log: x, y or xy).
	LogX bool `json:"log_x,omitempty"`
	LogY bool `json:"log_y,omitempty"`
	// Line is the line of the sweep file that gives the plot; 0 for a default one.
	Line int `json:"-"`
}

var (
	linePlotKeys = []string{"facets", "lines", "log", "x", "y"}
	heatmapKeys  = []string{"heatmap", "x", "y"}
)

// plotRef is a name a plot refers to, with where it is in the file, for checking against the
// sweep's axes and the summary's figures once the whole file is read.
type plotRef struct {
	node       *yaml.Node
	path       string
	name       string
	axis       bool // an axis path, else a figure
	numericDim bool // an axis that must be numeric (a line chart's x)
}

// plots decodes the key plots: a list of line charts and heatmaps.
func (d *sweepDecoder) plots(n *yaml.Node) []PlotSpec {
	n = scenario.ResolveAlias(n)
	if scenario.IsNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "plots", "want a list of charts, e.g. - {y: produce.latency_ms.p99, x: network.inter_site.rtt}, got %s", scenario.Describe(n))
		return nil
	}
	var out []PlotSpec
	for i, item := range n.Content {
		if p, ok := d.plot(scenario.ResolveAlias(item), scenario.IndexPath("plots", i)); ok {
			out = append(out, p)
		}
	}
	return out
}

// plot decodes one chart: a heatmap when it has the key heatmap, else a line chart.
func (d *sweepDecoder) plot(n *yaml.Node, path string) (PlotSpec, bool) {
	p := PlotSpec{Line: n.Line}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "want a mapping such as {y: FIGURE, x: AXIS} or {heatmap: FIGURE, x: AXIS, y: AXIS}, got %s", scenario.Describe(n))
		return p, false
	}
	keys := linePlotKeys
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "heatmap" {
			p.Heatmap, keys = true, heatmapKeys
		}
	}
	before := len(d.errs)
	seen := d.pairs(n, path, func(k, v *yaml.Node, kp string) {
		if !slices.Contains(keys, k.Value) {
			d.errorf(k, kp, "%v", unknownPlotKey(k.Value, keys, p.Heatmap))
			return
		}
		text, ok := d.text(v, kp, "a name")
		if !ok {
			return
		}
		ref := plotRef{node: v, path: kp, name: text, axis: true}
		switch k.Value {
		case "heatmap":
			p.Figure, ref.axis = text, false
		case "y":
			if p.Heatmap {
				p.Y = text
			} else {
				p.Figure, ref.axis = text, false
			}
		case "x":
			p.X, ref.numericDim = text, !p.Heatmap
		case "lines":
			p.Lines = text
		case "facets":
			p.Facets = text
		case "log":
			p.LogX, p.LogY = strings.Contains(text, "x"), strings.Contains(text, "y")
			if strings.Trim(text, "xy") != "" || len(text) > 2 {
				d.errorf(v, kp, "want x, y or xy (the axes drawn on a log scale), got %q", text)
			}
			return
		}
		d.plotRefs = append(d.plotRefs, ref)
	})
	if seen == nil {
		return p, false
	}
	want := []string{"y", "x"}
	if p.Heatmap {
		want = []string{"heatmap", "x"} // without y, one row
	}
	for _, k := range want {
		if seen[k] == nil {
			d.errorf(n, scenario.KeyPath(path, k), "required key is missing")
		}
	}
	return p, len(d.errs) == before
}

func unknownPlotKey(key string, keys []string, heatmap bool) error {
	kind := "a line chart takes"
	if heatmap {
		kind = "a heatmap takes"
	}
	if s, ok := conf.ClosestName(key, keys); ok {
		return fmt.Errorf("unknown key %q (did you mean %q? %s %s)", key, s, kind, strings.Join(keys, ", "))
	}
	return fmt.Errorf("unknown key %q (%s %s)", key, kind, strings.Join(keys, ", "))
}

// checkPlotRefs checks the names the plots gave against the sweep's axes and the summary's
// figures, and that a plot's axes are distinct dimensions.
func (d *sweepDecoder) checkPlotRefs(sw *Sweep) {
	for _, r := range d.plotRefs {
		if err := checkPlotName(sw, r); err != nil {
			d.errorf(r.node, r.path, "%v", err)
		}
	}
	for i, p := range sw.Plots {
		if err := checkPlotDims(sw, p); err != nil {
			d.errorf(&yaml.Node{Line: p.Line}, scenario.IndexPath("plots", i), "%v", err)
		}
	}
}

// CheckPlots checks plots (from file) against the axes of sw, as ParseSweep does against the
// file's own: `stretchsim report` reads the plots of one file and draws them over the results of
// a sweep.
func CheckPlots(file string, plots []PlotSpec, sw *Sweep) error {
	var errs []error
	for i, p := range plots {
		path := scenario.IndexPath("plots", i)
		fail := func(key string, err error) {
			errs = append(errs, &scenario.Error{File: file, Line: p.Line, Path: scenario.KeyPath(path, key), Err: err})
		}
		figKey, yKey := "y", "y"
		if p.Heatmap {
			figKey = "heatmap"
		}
		refs := []plotRef{{path: figKey, name: p.Figure}, {path: "x", name: p.X, axis: true, numericDim: !p.Heatmap}}
		for _, a := range []plotRef{{path: yKey, name: p.Y}, {path: "lines", name: p.Lines}, {path: "facets", name: p.Facets}} {
			if a.name != "" {
				a.axis = true
				refs = append(refs, a)
			}
		}
		for _, r := range refs {
			if err := checkPlotName(sw, r); err != nil {
				fail(r.path, err)
			}
		}
		if err := checkPlotDims(sw, p); err != nil {
			errs = append(errs, &scenario.Error{File: file, Line: p.Line, Path: path, Err: err})
		}
	}
	return scenario.JoinSorted(errs)
}

// checkPlotName checks that a figure is one of the summary's numeric figures, and an axis one
// of the sweep's (numeric when it must be), suggesting a close name.
func checkPlotName(sw *Sweep, r plotRef) error {
	if !r.axis {
		if isPlotFigure(r.name) {
			return nil
		}
		return unknownName("figure", r.name, plotFigureNames(), "a numeric column of runs.csv, such as produce.latency_ms.p99")
	}
	a, ok := findAxis(sw, r.name)
	if !ok {
		return unknownName("axis", r.name, axisPaths(sw), "one of the sweep's axes")
	}
	if r.numericDim {
		if _, ok := axisNumbers(a); !ok {
			return fmt.Errorf("the x axis of a line chart must have numeric values (numbers, durations, sizes or rates), and %s has %s: draw a heatmap, or use it as lines or facets",
				a.Path, strings.Join(a.Values, ", "))
		}
	}
	return nil
}

// checkPlotDims checks that the axes a plot names vary independently: one per dimension.
func checkPlotDims(sw *Sweep, p PlotSpec) error {
	seen := map[int]string{}
	for _, name := range []string{p.X, p.Y, p.Lines, p.Facets} {
		dim, ok := dimOf(sw, name)
		if name == "" || !ok {
			continue
		}
		if other, dup := seen[dim]; dup {
			if other == name {
				return fmt.Errorf("%s is given twice: each of x, y, lines and facets needs its own axis", name)
			}
			return fmt.Errorf("%s and %s move together (a zip group): one of them is enough", other, name)
		}
		seen[dim] = name
	}
	return nil
}

func unknownName(kind, name string, known []string, want string) error {
	if s, ok := conf.ClosestName(name, known); ok {
		return fmt.Errorf("no %s %q (did you mean %q?)", kind, name, s)
	}
	return fmt.Errorf("no %s %q: want %s", kind, name, want)
}

// findAxis returns the axis of sw at path.
func findAxis(sw *Sweep, path string) (Axis, bool) {
	for _, a := range sw.Axes() {
		if a.Path == path {
			return a, true
		}
	}
	return Axis{}, false
}

// dimOf returns the index of the dimension of sw that holds the axis path.
func dimOf(sw *Sweep, path string) (int, bool) {
	for i, d := range sw.Dims {
		for _, a := range d.Axes {
			if a.Path == path {
				return i, true
			}
		}
	}
	return 0, false
}
