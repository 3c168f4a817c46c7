package experiments

import (
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// WriteSweepReport renders the report of the sweep whose results are in dir (sweep.json,
// points.csv, runs.csv, from disk, so that it works after a merge): dir/report.html and the
// charts in dir/charts. The charts are those of the key plots of opts.PlotsFile, else of
// dir/sweep.yaml, else of the sweep as sweep.json holds it, else DefaultPlots.
func WriteSweepReport(dir string, opts ReportOptions) error {
	d, err := LoadSweepDir(dir)
	if err != nil {
		return err
	}
	specs, err := reportPlots(d, opts.PlotsFile)
	if err != nil {
		return err
	}
	page := sweepPage(d, opts)
	if err := addFindings(page, dir); err != nil {
		return err
	}
	if specs == nil {
		specs, page.ChartsNote = defaultCharts(d)
	}
	return writeReport(dir, page, SweepCharts(d, specs))
}

// defaultCharts are DefaultPlots less the charts of a figure that has one value at every point
// (flat lines), said in the note instead; the heatmap shows the p99 latency rather than a
// writable fraction that is the same everywhere.
func defaultCharts(d *SweepData) (specs []PlotSpec, note string) {
	var flat []string
	seen := map[string]bool{}
	for _, p := range DefaultPlots(d.Plan.Sweep) {
		v, same := d.sameEverywhere(p.Figure)
		if p.Heatmap && p.Figure == "availability.writable_fraction" && same {
			p.Figure = "produce.latency_ms.p99"
			v, same = d.sameEverywhere(p.Figure)
		}
		if p.Heatmap && slices.Contains(specs, p) {
			continue
		}
		if same {
			if fig := figureFor(p.Figure); !seen[p.Figure] {
				flat = append(flat, fig.label+" "+fig.text(v*fig.scale))
				seen[p.Figure] = true
			}
			continue
		}
		specs = append(specs, p)
	}
	if len(flat) > 0 {
		note = "Not drawn, as they are the same at every point: " + strings.Join(flat, "; ") + "."
	}
	return specs, note
}

// sameEverywhere returns the mean of figure name if it is the same, to the 3 significant
// digits the charts print, at every point that has one (NaN when none has). A chart of values
// that differ only beyond them would colour or slope by noise the reader cannot see.
func (d *SweepData) sameEverywhere(name string) (float64, bool) {
	v := math.NaN()
	for p := range d.Points {
		m := d.figure(p, name).Mean
		switch {
		case math.IsNaN(m):
		case math.IsNaN(v):
			v = m
		case strconv.FormatFloat(m, 'g', 3, 64) != strconv.FormatFloat(v, 'g', 3, 64):
			return 0, false
		}
	}
	return v, true
}

// reportPlots returns the charts to draw (see WriteSweepReport); nil for the default ones.
func reportPlots(d *SweepData, file string) ([]PlotSpec, error) {
	data := d.SweepText
	if file != "" {
		var err error
		if data, err = scenario.ReadRegularFile(file); err != nil {
			return nil, err
		}
	} else {
		file = filepath.Join(d.Dir, SweepYAML)
	}
	specs := d.Plan.Sweep.Plots
	if data != nil {
		sw, err := parseSweepFile(file, data, false)
		if err != nil {
			return nil, err
		}
		if err := CheckPlots(file, sw.Plots, d.Plan.Sweep); err != nil {
			return nil, err
		}
		specs = sw.Plots
	}
	if len(specs) == 0 {
		return nil, nil
	}
	return specs, nil
}

// sweepPage builds the page of a sweep's report, its charts aside.
func sweepPage(d *SweepData, opts ReportOptions) *reportPage {
	sw, f := d.Plan.Sweep, d.File
	page := &reportPage{
		Title: "Sweep " + sw.Name,
		Subtitle: fmt.Sprintf("%s × %s: %d ok, %d failed, %d invalid runs", countText(sw.PointCount(), "point", "points"),
			countText(sw.Replications, "replication", "replications"), f.Runs.OK, f.Runs.Failed, f.Runs.Invalid),
		Lede:        sweepLede(d),
		Headline:    sweepHeadline(d),
		Tables:      []pageTable{pointsTable(d), runsTable(d)},
		SourceTitle: "Sweep file",
		Source:      string(d.SweepText),
	}
	if f.Runs.Missing > 0 {
		page.Subtitle += fmt.Sprintf(", %d not run", f.Runs.Missing)
	}
	if d.SweepText == nil {
		page.Source = sweepAsText(sw)
	}
	page.Provenance = []keyValue{
		{"simulated by", buildText(f.Stretchsim)},
		{"started", f.Started.Format(time.RFC3339)},
		{"finished", f.Finished.Format(time.RFC3339)},
		{"wall time", fmt.Sprintf("%.1f s (runs: %.1f s of CPU added up)", f.WallSeconds, f.RunWallSeconds)},
		{"seeds", "replication r of every point runs with seed S + r (S: the point's scenario seed); each run's seed and trace digest are in the runs table"},
		{"report rendered by", buildText(currentBuild(opts.Version))},
		{"report rendered on", opts.now().Format(time.RFC3339)},
	}
	if f.Shard.Count > 1 {
		page.Provenance = append(page.Provenance, keyValue{"shard", fmt.Sprintf("%d of %d", f.Shard.Index, f.Shard.Count)})
	}
	return page
}

// sweepLede describes the base scenario (as the first run with a record resolved it) and what
// the sweep varies.
func sweepLede(d *SweepData) string {
	sw := d.Plan.Sweep
	var varies []string
	for _, a := range sw.Axes() {
		var vs []string
		for i := range a.Values {
			vs = append(vs, a.Label(i))
		}
		varies = append(varies, fmt.Sprintf("%s (%s) over %s", axisTitle(a.Path), a.Path, strings.Join(vs, ", ")))
	}
	s := fmt.Sprintf("A sweep of the scenario %s", sw.Scenario)
	if len(varies) > 0 {
		s += " varying " + strings.Join(varies, "; ")
	}
	s += fmt.Sprintf(", each point run %s.", countText(sw.Replications, "time", "times"))
	if sc := d.firstScenario(); sc != nil {
		s += " Its first point: " + describeScenario(sc)
	}
	return s
}

// firstScenario decodes the resolved scenario of the sweep's first run with a record; nil when
// there is none or it cannot be decoded here (a sample file it names is not beside it).
func (d *SweepData) firstScenario() *scenario.Scenario {
	for _, r := range d.Runs {
		if r.key == "" {
			continue
		}
		rec, ok, err := readRecord(d.Dir, r.key)
		if err != nil || !ok {
			continue
		}
		sc, err := scenario.Parse(recordPath(d.Dir, r.key), []byte(rec.Scenario), scenario.Options{BaseDir: d.Dir,
			ReadFile: func(string) ([]byte, error) { return nil, fs.ErrNotExist }})
		if err != nil {
			return nil
		}
		return sc
	}
	return nil
}

// sweepHeadline is the headline of a sweep: its size and the range of the main figures over
// the points.
func sweepHeadline(d *SweepData) []keyValue {
	f := d.File
	h := []keyValue{
		{"points × replications", fmt.Sprintf("%d × %d", len(d.Plan.Points), d.Plan.Sweep.Replications)},
		{"runs ok / failed / invalid", fmt.Sprintf("%d / %d / %d", f.Runs.OK, f.Runs.Failed, f.Runs.Invalid)},
	}
	for _, name := range defaultFigures {
		lo, hi := math.Inf(1), math.Inf(-1)
		for p := range d.Points {
			if v := d.figure(p, name).Mean; !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		fig := figureFor(name)
		v := notAvailable
		if !math.IsInf(lo, 1) {
			v = fig.text(lo*fig.scale) + " to " + fig.text(hi*fig.scale)
			if lo == hi {
				v = fig.text(lo * fig.scale)
			}
		}
		h = append(h, keyValue{fig.label + ", over the points", v})
	}
	return h
}

// pointsTable is one row per point: its axis values, run counts and the main figures' means
// with the half-width of their 95 % interval.
func pointsTable(d *SweepData) pageTable {
	sw := d.Plan.Sweep
	t := pageTable{ID: "points", Title: "Points",
		Note: "Mean over the ok replications, ± the half-width of the 95 % confidence interval (Student t). All figures, with sd and interval bounds: points.csv."}
	t.Head = []string{"point"}
	for _, a := range sw.Axes() {
		t.Head = append(t.Head, axisTitle(a.Path))
	}
	t.Head = append(t.Head, "ok", "failed", "invalid")
	for _, name := range defaultFigures {
		t.Head = append(t.Head, figureFor(name).label)
	}
	for p, pt := range d.Plan.Points {
		row := []pageCell{intCell(int64(p))}
		for _, l := range pt.Labels {
			row = append(row, axisCell(l))
		}
		pd := d.Points[p]
		if pd == nil {
			pd = &pointData{}
		}
		row = append(row, intCell(int64(pd.ok)), intCell(int64(pd.failed)), intCell(int64(pd.invalid)))
		for _, name := range defaultFigures {
			fig := figureFor(name)
			iv := d.figure(p, name)
			row = append(row, numCell(iv.Mean*fig.scale, func(v float64) string {
				s := fig.text(v)
				if !math.IsNaN(iv.High) && iv.High > iv.Low {
					s += " ± " + fig.text((iv.High-iv.Low)/2*fig.scale)
				}
				return s
			}))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// axisCell is an axis value: sorted as a number when it reads as one with a unit ("10ms").
func axisCell(label string) pageCell {
	c := textCell(label)
	if s, ok := axisNumbers(Axis{Values: []string{label}}); ok {
		c.Sort = strconv.FormatFloat(s.values[0], 'g', -1, 64)
	}
	return c
}

// runsTable lists every run with its seed, status and trace digest.
func runsTable(d *SweepData) pageTable {
	t := pageTable{ID: "runs", Title: "Runs", Note: "Each run's seed and the digest of its event trace: the same scenario and seed give the same digest. A failed run's record (runs/KEY.json) holds its scenario.",
		Head: []string{"point", "replication", "seed", "status", "trace digest", "key", "message"}}
	for _, r := range d.Runs {
		msg := r.message
		if len(msg) > 120 {
			msg = msg[:117] + "..."
		}
		t.Rows = append(t.Rows, []pageCell{intCell(int64(r.point)), intCell(int64(r.replication)), axisCell(r.seed),
			textCell(r.status), textCell(r.digest), textCell(r.key), textCell(msg)})
	}
	return t
}

// sweepAsText writes a sweep without a file (made by --axis flags) as the sweep file it stands
// for.
func sweepAsText(sw *Sweep) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# made by stretchsim sweep --axis flags; as a sweep file:\nname: %s\nscenario: %s\n", sw.Name, sw.Scenario)
	if len(sw.Sets) > 0 {
		b.WriteString("set:\n")
		for _, s := range sw.Sets {
			fmt.Fprintf(&b, "  %s: %s\n", s.Path, s.Value)
		}
	}
	b.WriteString("axes:\n")
	for _, a := range sw.Axes() {
		fmt.Fprintf(&b, "  %s: [%s]\n", a.Path, strings.Join(a.Values, ", "))
	}
	fmt.Fprintf(&b, "replications: %d\n", sw.Replications)
	return b.String()
}
