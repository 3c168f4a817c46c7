package experiments

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/model/conf"
)

// MaxReplications bounds a sweep's replications: far more than a confidence interval needs, and a
// guard against a typo that would queue millions of runs.
const MaxReplications = 10_000

// LoadSweep reads and decodes the sweep file at name (see Sweep).
func LoadSweep(name string) (*Sweep, error) {
	data, err := scenario.ReadRegularFile(name)
	if err != nil {
		return nil, err
	}
	return ParseSweep(name, data)
}

// ParseSweep decodes a sweep file from data; file names it in errors. The file is decoded
// strictly, as a scenario is: every problem (an unknown key, a malformed value, axes of a zip
// group of different lengths) is a *scenario.Error naming the file, the line and the key, and all
// of them are returned at once. The axis paths and values are checked against the scenario only
// when the sweep is planned (PlanSweep).
func ParseSweep(file string, data []byte) (*Sweep, error) {
	return parseSweepFile(file, data, true)
}

// parseSweepFile is ParseSweep; checkPlots says whether to check the names the key plots gives
// against the file's own axes (`stretchsim report` checks them against the results' instead).
func parseSweepFile(file string, data []byte, checkPlots bool) (*Sweep, error) {
	root, err := scenario.ParseYAML(file, data)
	if err != nil {
		return nil, err
	}
	d := &sweepDecoder{file: file, axisLines: map[string]int{}, skipPlotRefs: !checkPlots}
	sw := d.sweep(root.Content[0])
	if len(d.errs) > 0 {
		return nil, scenario.JoinSorted(d.errs)
	}
	if sw.Name == "" {
		sw.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	return sw, nil
}

// sweepDecoder walks a sweep file's YAML tree, recording every problem with its line.
type sweepDecoder struct {
	file      string
	errs      []error
	axisLines map[string]int // the line of each axis path given so far, for duplicates
	setLines  map[string]int // the line of each path of the key set
	plotRefs  []plotRef      // the axes and figures the key plots names, checked at the end
	// skipPlotRefs leaves plotRefs unchecked.
	skipPlotRefs bool
}

func (d *sweepDecoder) errorf(n *yaml.Node, path, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	d.errs = append(d.errs, &scenario.Error{File: d.file, Line: line, Path: path, Err: fmt.Errorf(format, args...)})
}

var sweepKeys = []string{"axes", "name", "plots", "replications", "scenario", "set", "zip"}

func (d *sweepDecoder) sweep(n *yaml.Node) *Sweep {
	sw := &Sweep{File: d.file, Replications: 1}
	seen := d.pairs(n, "", func(k, v *yaml.Node, key string) {
		switch key {
		case "name":
			sw.Name, _ = d.text(v, key, "a name")
		case "scenario":
			sw.Scenario, _ = d.text(v, key, "a scenario file or built-in scenario name")
			sw.ScenarioLine = v.Line
		case "set":
			sw.Sets = d.sets(v)
		case "axes":
			d.pairs(v, "axes", func(k, v *yaml.Node, path string) {
				if a, ok := d.axis(k, v, path); ok {
					sw.Dims = append(sw.Dims, Dim{Axes: []Axis{a}})
				}
			})
		case "zip":
			sw.Dims = append(sw.Dims, d.zip(v)...)
		case "replications":
			sw.Replications = d.replications(v)
		case "plots":
			sw.Plots = d.plots(v)
		default:
			d.errorf(k, key, "%v", unknownSweepKey(key))
		}
	})
	if seen != nil && seen["scenario"] == nil {
		d.errorf(n, "scenario", "required key is missing (a scenario file, relative to this file, or a built-in scenario name)")
	}
	for _, a := range sw.Axes() {
		if line, ok := d.setLines[a.Path]; ok {
			d.errorf(&yaml.Node{Line: a.Line}, "axes."+a.Path, "also given in set (line %d): an axis takes the place of a fixed value", line)
		}
	}
	if !d.skipPlotRefs {
		d.checkPlotRefs(sw)
	}
	return sw
}

func unknownSweepKey(key string) error {
	if s, ok := conf.ClosestName(key, sweepKeys); ok {
		return fmt.Errorf("unknown key %q (did you mean %q?)", key, s)
	}
	return fmt.Errorf("unknown key %q (want one of %s)", key, strings.Join(sweepKeys, ", "))
}

// pairs calls f for each key of mapping n (at path) in file order, with its key node, value node
// and path; it reports a node that is not a mapping, keys that are not plain names and repeated
// keys. It returns the key nodes given, or nil when n is not a mapping.
func (d *sweepDecoder) pairs(n *yaml.Node, path string, f func(k, v *yaml.Node, path string)) map[string]*yaml.Node {
	n = scenario.ResolveAlias(n)
	if scenario.IsNull(n) {
		return map[string]*yaml.Node{}
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, scenario.OrTop(path), "want a mapping of keys, got %s", scenario.Describe(n))
		return nil
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := scenario.ResolveAlias(n.Content[i]), scenario.ResolveAlias(n.Content[i+1])
		if k.Kind != yaml.ScalarNode || scenario.IsNull(k) || k.Value == "<<" {
			d.errorf(k, scenario.OrTop(path), "a key must be a plain name, got %s", scenario.Describe(k))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.errorf(k, scenario.KeyPath(path, k.Value), "duplicate key (first given at line %d)", first.Line)
			continue
		}
		seen[k.Value] = k
		f(k, v, scenario.KeyPath(path, k.Value))
	}
	return seen
}

// text returns the text of scalar n, or reports that n is not a non-empty scalar.
func (d *sweepDecoder) text(n *yaml.Node, path, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode || scenario.IsNull(n) || strings.TrimSpace(n.Value) == "" {
		d.errorf(n, path, "want %s, got %s", want, scenario.Describe(n))
		return "", false
	}
	return n.Value, true
}

// sets decodes the key set: PATH: VALUE pairs, each as --set PATH=VALUE.
func (d *sweepDecoder) sets(n *yaml.Node) []Setting {
	var out []Setting
	d.setLines = map[string]int{}
	d.pairs(n, "set", func(k, v *yaml.Node, path string) {
		if text, ok := d.value(v, path); ok {
			out = append(out, Setting{Path: k.Value, Value: text, Line: k.Line})
			d.setLines[k.Value] = k.Line
		}
	})
	return out
}

// value returns the override text of the value node v: a scalar as written, a list or a mapping
// as YAML flow text, which ApplySet turns back into the same list or mapping.
func (d *sweepDecoder) value(v *yaml.Node, path string) (string, bool) {
	if scenario.IsNull(v) {
		d.errorf(v, path, "want a value, got no value")
		return "", false
	}
	if v.Kind == yaml.ScalarNode {
		return v.Value, true
	}
	return flowText(v), true
}

var flowBreak = regexp.MustCompile(`\n\s*`)

// flowText writes the list or mapping n as one line of YAML flow text, without comments.
func flowText(n *yaml.Node) string {
	c := scenario.CloneNode(n)
	var flow func(n *yaml.Node)
	flow = func(n *yaml.Node) {
		n.HeadComment, n.LineComment, n.FootComment = "", "", ""
		if n.Kind == yaml.SequenceNode || n.Kind == yaml.MappingNode {
			n.Style = yaml.FlowStyle
		}
		for _, k := range n.Content {
			flow(k)
		}
	}
	flow(c)
	return flowBreak.ReplaceAllString(strings.TrimSpace(encodeNode(c)), " ")
}

// encodeNode writes a node tree that yaml.v3 parsed (or copied) back as YAML text.
func encodeNode(n *yaml.Node) string {
	out, err := yaml.Marshal(n)
	if err != nil { // a tree yaml.v3 parsed itself always encodes
		panic(fmt.Sprintf("experiments: encoding a parsed YAML node: %v", err))
	}
	return string(out)
}

// axis decodes one axis: a list of values, or a mapping {values: [...], labels: [...]}.
func (d *sweepDecoder) axis(k, v *yaml.Node, path string) (Axis, bool) {
	a := Axis{Path: k.Value, Line: k.Line}
	if strings.TrimSpace(a.Path) == "" {
		d.errorf(k, path, "an axis needs a scenario path, e.g. network.inter_site.rtt")
		return a, false
	}
	if err := checkAxisPath(a.Path); err != nil {
		d.errorf(k, path, "%v", err)
		return a, false
	}
	if first, dup := d.axisLines[a.Path]; dup {
		d.errorf(k, path, "the same path is already an axis (line %d)", first)
		return a, false
	}
	d.axisLines[a.Path] = k.Line
	values, labels := v, (*yaml.Node)(nil)
	if v.Kind == yaml.MappingNode {
		values = nil
		d.pairs(v, path, func(k, v *yaml.Node, p string) {
			switch k.Value {
			case "values":
				values = v
			case "labels":
				labels = v
			default:
				d.errorf(k, p, "unknown key %q (an axis given as a mapping has values and labels)", k.Value)
			}
		})
		if values == nil {
			d.errorf(v, path+".values", "required key is missing")
			return a, false
		}
	}
	ok := true
	a.Values, ok = d.items(values, path, "a list of values, e.g. [1ms, 2ms]", d.value)
	if labels != nil {
		var okLabels bool
		a.Labels, okLabels = d.items(labels, path+".labels", "a list of labels", func(n *yaml.Node, p string) (string, bool) {
			return d.text(n, p, "a label")
		})
		if okLabels && ok && len(a.Labels) != len(a.Values) {
			d.errorf(labels, path+".labels", "%d labels for %d values", len(a.Labels), len(a.Values))
			return a, false
		}
		ok = ok && okLabels
	}
	return a, ok
}

// items decodes the non-empty list n at path with item.
func (d *sweepDecoder) items(n *yaml.Node, path, want string, item func(*yaml.Node, string) (string, bool)) ([]string, bool) {
	n = scenario.ResolveAlias(n)
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, path, "want %s, got %s", want, scenario.Describe(n))
		return nil, false
	}
	if len(n.Content) == 0 {
		d.errorf(n, path, "want %s, got an empty list", want)
		return nil, false
	}
	out, ok := make([]string, 0, len(n.Content)), true
	for i, v := range n.Content {
		s, good := item(scenario.ResolveAlias(v), scenario.IndexPath(path, i))
		out = append(out, s)
		ok = ok && good
	}
	return out, ok
}

// zip decodes the key zip: a list of groups, each a mapping of axes of equal length.
func (d *sweepDecoder) zip(n *yaml.Node) []Dim {
	n = scenario.ResolveAlias(n)
	if scenario.IsNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "zip", "want a list of groups, each a mapping of axes that move together, got %s", scenario.Describe(n))
		return nil
	}
	var dims []Dim
	for i, g := range n.Content {
		g = scenario.ResolveAlias(g)
		path := scenario.IndexPath("zip", i)
		var dim Dim
		seen := d.pairs(g, path, func(k, v *yaml.Node, p string) {
			if a, ok := d.axis(k, v, p); ok {
				dim.Axes = append(dim.Axes, a)
			}
		})
		if seen != nil && len(seen) == 0 {
			d.errorf(g, path, "a zip group needs at least one axis")
		}
		if len(dim.Axes) == 0 {
			continue
		}
		for _, a := range dim.Axes[1:] {
			if len(a.Values) != dim.Len() {
				d.errorf(&yaml.Node{Line: a.Line}, scenario.KeyPath(path, a.Path), "%d values, but %s has %d: the axes of a zip group move together",
					len(a.Values), dim.Axes[0].Path, dim.Len())
			}
		}
		dims = append(dims, dim)
	}
	return dims
}

func (d *sweepDecoder) replications(n *yaml.Node) int {
	s, ok := d.text(n, "replications", "a whole number of runs per point")
	if !ok {
		return 1
	}
	r, err := strconv.Atoi(s)
	if err != nil || r < 1 || r > MaxReplications {
		d.errorf(n, "replications", "want a whole number from 1 to %d, got %q", MaxReplications, s)
		return 1
	}
	return r
}
