package experiments

// A sweep runs one base scenario at every point of a grid of overrides, each point several
// times (replications), and tabulates the summaries (design §4–§6). This file holds the sweep
// as a sweep file describes it; sweep_decode.go reads the file, sweep_plan.go expands it into
// runs, sweep_run.go runs them and sweep_results.go writes the tables.

// Sweep is a sweep file, decoded:
//
//	name: rtt-vs-durability
//	scenario: ../scenarios/three-site.yaml   # relative to this file, or a built-in name
//	set:                                     # fixed overrides, --set paths
//	  duration: 2m
//	axes:                                    # full factorial, first axis outermost
//	  network.inter_site.rtt: [1ms, 2ms, 5ms]
//	  faults:                                # a whole section, with labels for the tables
//	    values: [[], [{at: 30s, type: site-outage, site: dc-c}]]
//	    labels: [none, site-outage]
//	zip:                                     # axes that move together, one point per index
//	  - {producers[0].config.batch.size: [16384, 131072], producers[0].config.linger.ms: [0, 5]}
//	replications: 5
//	plots:                                   # the report's charts (sweep_plots.go)
//	  - {y: produce.latency_ms.p99, x: network.inter_site.rtt, lines: faults}
type Sweep struct {
	// File is the sweep file ("" for a sweep given by --axis flags alone).
	File string `json:"file"`
	// Name is the key name; default: the file name without its extension.
	Name string `json:"name"`
	// Scenario is the base scenario as written (key scenario, required): a file relative to
	// the sweep file's directory, or the name of a built-in scenario. The caller resolves it.
	Scenario string `json:"scenario"`
	// ScenarioLine is the line of the key scenario, for errors about the file it names.
	ScenarioLine int `json:"-"`
	// Sets are the fixed overrides applied to every point, in order: the key set, then the
	// command line's --set flags.
	Sets []Setting `json:"set"`
	// Dims are the dimensions of the grid, outermost first: each axis of the key axes in file
	// order, then each group of the key zip (its axes move together).
	Dims []Dim `json:"dims"`
	// Replications is how many times each point runs (key replications, default 1); replication
	// r runs with seed S+r, S the point's scenario seed (see SeedFor).
	Replications int `json:"replications"`
	// Plots are the charts of the sweep's report (key plots); none means the default set
	// (DefaultPlots).
	Plots []PlotSpec `json:"plots,omitempty"`
}

// Setting is one fixed override: PATH=VALUE as --set takes it.
type Setting struct {
	Path  string `json:"path"`
	Value string `json:"value"`
	// Line is the line of the sweep file that gives it; 0 for a --set flag.
	Line int `json:"-"`
}

// Dim is one dimension of the grid: one axis, or a zip group of axes of equal length whose
// i-th values form the dimension's i-th step.
type Dim struct {
	Axes []Axis `json:"axes"`
}

// Len is the number of steps of d.
func (d Dim) Len() int {
	if len(d.Axes) == 0 {
		return 0
	}
	return len(d.Axes[0].Values)
}

// Axis is one scenario value that varies.
type Axis struct {
	// Path is where the value goes, in ApplySet's syntax ("topics[0].replication.factor").
	Path string `json:"path"`
	// Values are the values in order, each as after --set PATH= (a scalar as written, a list
	// or a mapping as YAML flow text).
	Values []string `json:"values"`
	// Labels name the values in the tables (key labels); default: the values themselves.
	Labels []string `json:"labels,omitempty"`
	// Line is the line of the sweep file that gives the axis; 0 for an --axis flag.
	Line int `json:"-"`
}

// Label returns the name of value i in the tables: its label, else the value as written.
func (a Axis) Label(i int) string {
	if i < len(a.Labels) {
		return a.Labels[i]
	}
	return a.Values[i]
}

// Axes returns every axis of the sweep, outermost dimension first: the columns of the tables.
func (sw *Sweep) Axes() []Axis {
	var out []Axis
	for _, d := range sw.Dims {
		out = append(out, d.Axes...)
	}
	return out
}

// PointCount is the number of points: the product of the dimensions' lengths (1 with none).
func (sw *Sweep) PointCount() int {
	n := 1
	for _, d := range sw.Dims {
		n *= d.Len()
	}
	return n
}

// PointSteps returns, for point p (from 0), the step taken in each dimension: the first
// dimension is the outermost, so the last one changes fastest.
func (sw *Sweep) PointSteps(p int) []int {
	steps := make([]int, len(sw.Dims))
	for i := len(sw.Dims) - 1; i >= 0; i-- {
		n := sw.Dims[i].Len()
		steps[i] = p % n
		p /= n
	}
	return steps
}

// PointSets returns the overrides that make point p: for each axis, outermost first,
// PATH=VALUE.
func (sw *Sweep) PointSets(p int) []Setting {
	var out []Setting
	for i, step := range sw.PointSteps(p) {
		for _, a := range sw.Dims[i].Axes {
			out = append(out, Setting{Path: a.Path, Value: a.Values[step], Line: a.Line})
		}
	}
	return out
}

// PointLabels returns, for point p, the label of its value on each axis (Axes order).
func (sw *Sweep) PointLabels(p int) []string {
	var out []string
	for i, step := range sw.PointSteps(p) {
		for _, a := range sw.Dims[i].Axes {
			out = append(out, a.Label(step))
		}
	}
	return out
}

// RunCount is the number of runs: points × replications. Run k is replication k mod
// Replications of point k / Replications.
func (sw *Sweep) RunCount() int { return sw.PointCount() * sw.Replications }

// SeedFor is the seed of replication r of a point whose scenario has seed s: s + r (modulo
// 2^64). Every point's replication r thus runs with the same seed (common random numbers), so
// that a difference between two points is not the noise of different seeds.
func SeedFor(s uint64, r int) uint64 { return s + uint64(r) }

// InShard reports whether run k belongs to shard i of n (0 <= i < n): the runs are dealt out
// round robin, k mod n == i, so every run is in exactly one shard and the shards are as equal
// as they can be, whatever the order of the grid.
func InShard(k, i, n int) bool { return k%n == i }
