package experiments

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/plots"
)

// ReportChart is one chart of a report: what the page shows around it, and the chart itself, a
// *plots.Lines, *plots.Facets, *plots.Heatmap or *plots.Timeline.
type ReportChart struct {
	// Name is the chart's file name in charts/, without extension ("timeline").
	Name    string
	Title   string
	Caption string
	Chart   any
	Size    plots.Size
}

// timelinePanel is one panel of a run's timeline: the series.csv columns it draws, each scaled.
type timelinePanel struct {
	label string
	cols  []timelineCol
	// log: a logarithmic y axis. Latency spans milliseconds to the seconds of a failover:
	// only a log scale shows both.
	log bool
}

type timelineCol struct {
	name, label string
	scale       float64
	step        bool // a count that holds until the next sample
}

// runPanels are the panels of a run's timeline; leaders per site is added from the columns.
var runPanels = []timelinePanel{
	{"produce (MB/s)", []timelineCol{{"produce_bytes_per_sec", "acknowledged", 1e-6, false}}, false},
	{"p99 (ms)", []timelineCol{{"produce_p99_ms", "p99 per interval", 1, false}}, true},
	{"ISR changes (/s)", []timelineCol{
		{"IsrShrinksPerSec", "shrinks (leaders)", 1, false},
		{"IsrExpandsPerSec", "expands", 1, false},
		{"controller_isr_removals_per_sec", "removals by the controller", 1, false}}, false},
	{"partitions", []timelineCol{
		{"UnderReplicatedPartitions", "under-replicated", 1, true},
		{"UnderMinIsrPartitionCount", "under min ISR", 1, true},
		{"OfflinePartitionsCount", "offline", 1, true}}, false},
	{"active controllers", []timelineCol{{"ActiveControllerCount", "ActiveControllerCount", 1, true}}, false},
	{"cross-site (MB/s)", []timelineCol{{"cross_site_bytes_per_sec", "all site pairs", 1e-6, false}}, false},
}

// RunTimeline builds the timeline of a run from its series: throughput, p99 latency, ISR
// changes, partition states, the active controller, partition leaders per site, cross-site
// traffic and the consumers' lag, with every fault as a window and the end of the warm-up as a
// mark. A column without a sample (a lag never recorded) is left out.
func RunTimeline(d *RunData) *plots.Timeline {
	t := &plots.Timeline{
		Title: fmt.Sprintf("%s, seed %d", d.Summary.Scenario, d.Summary.Seed),
		X:     plots.Axis{Label: "simulated time (s)"},
	}
	idx := map[string]int{}
	for i, c := range d.Columns {
		idx[c] = i
	}
	x := d.column(idx, "time_s", 1)
	panels := append([]timelinePanel(nil), runPanels[:5]...)
	panels = append(panels, d.leaderPanel())
	panels = append(panels, runPanels[5], d.lagPanel())
	for _, p := range panels {
		panel := plots.Panel{Y: plots.Axis{Label: p.label, Log: p.log}}
		for _, c := range p.cols {
			y := d.column(idx, c.name, c.scale)
			if !slices.ContainsFunc(y, isFinite) {
				continue // no such column, or no sample in it: nothing to draw
			}
			panel.Series = append(panel.Series, plots.Series{Label: c.label, X: x, Y: y, Step: c.step})
		}
		if len(panel.Series) > 0 {
			t.Panels = append(t.Panels, panel)
		}
	}
	t.Windows = faultWindows(d.faults(), d.Summary.SimulatedSeconds)
	if w := d.warmupSeconds(); w > 0 {
		t.Marks = []plots.Mark{{X: w, Label: "end of warm-up"}}
	}
	for _, f := range d.faults() {
		if faultSpan(f, d.Summary.SimulatedSeconds) == 0 {
			t.Marks = append(t.Marks, plots.Mark{X: f.At.Seconds(), Label: faultLabel(f)})
		}
	}
	return t
}

// leaderPanel draws the leaders_<site> columns, one line per site.
func (d *RunData) leaderPanel() timelinePanel {
	p := timelinePanel{label: "leaders per site"}
	for _, c := range d.Columns {
		if site, ok := strings.CutPrefix(c, "leaders_"); ok {
			p.cols = append(p.cols, timelineCol{c, site, 1, true})
		}
	}
	return p
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// column returns column name of the series, scaled; nil when there is no such column.
func (d *RunData) column(idx map[string]int, name string, scale float64) []float64 {
	i, ok := idx[name]
	if !ok {
		return nil
	}
	out := make([]float64, len(d.Series))
	for r, row := range d.Series {
		out[r] = row[i] * scale
	}
	return out
}

// warmupSeconds is the scenario's warm-up: from scenario.yaml, else what the summary implies
// (the duration less the measured window, for a run that was not interrupted).
func (d *RunData) warmupSeconds() float64 {
	if d.Scenario != nil {
		return d.Scenario.Warmup.Seconds()
	}
	if !d.Summary.Partial {
		return d.Summary.DurationSeconds - d.Summary.MeasuredSeconds
	}
	return 0
}

// faults returns the run's faults: the summary's lines (random faults included), decoded by the
// scenario package.
func (d *RunData) faults() []scenario.Fault {
	if d.Scenario != nil && len(d.Scenario.Faults) == len(d.Summary.Faults) {
		return d.Scenario.Faults
	}
	fs, err := scenario.ParseFaultLines(d.Summary.Faults)
	if err != nil {
		return nil
	}
	return fs
}

// faultWindows returns a window per fault with a duration, or lasting to the end of the run.
func faultWindows(faults []scenario.Fault, end float64) []plots.Window {
	var out []plots.Window
	for _, f := range faults {
		if span := faultSpan(f, end); span > 0 {
			from := f.At.Seconds()
			out = append(out, plots.Window{From: from, To: from + span, Label: faultLabel(f)})
		}
	}
	return out
}

// faultSpan is how long fault f lasts within a run ending at end seconds: its duration, or to
// the end of the run without one; 0 for an instant (a broker restart).
func faultSpan(f scenario.Fault, end float64) float64 {
	if f.Type == scenario.FaultBrokerRestart {
		return 0
	}
	if f.Duration > 0 {
		return math.Min(f.Duration.Seconds(), math.Max(end-f.At.Seconds(), 0))
	}
	return math.Max(end-f.At.Seconds(), 0)
}

// faultLabel names a fault in a few words: "site-outage dc-c", "broker-crash 4 (hard)".
func faultLabel(f scenario.Fault) string {
	s := string(f.Type)
	switch f.Type {
	case scenario.FaultBrokerCrash:
		s += fmt.Sprintf(" %d (%s)", f.Broker, f.Mode)
	case scenario.FaultBrokerRestart:
		s += fmt.Sprintf(" %d", f.Broker)
	case scenario.FaultSiteOutage:
		s += " " + f.Site
		if f.PowerLoss {
			s += " (power loss)"
		}
	case scenario.FaultPartition:
		var gs []string
		for _, g := range f.Groups {
			gs = append(gs, strings.Join(g, "+"))
		}
		sep := " | "
		if f.OneWay {
			sep = " → "
		}
		s += " " + strings.Join(gs, sep)
	case scenario.FaultLatency:
		s += fmt.Sprintf(" %s–%s %s", f.Between[0], f.Between[1], f.RTT)
	case scenario.FaultBandwidth:
		s += fmt.Sprintf(" %s–%s %s", f.Between[0], f.Between[1], scenario.FormatBitRate(f.Bandwidth))
	case scenario.FaultLoss:
		s += fmt.Sprintf(" %s–%s %g%%", f.Between[0], f.Between[1], f.Loss*100)
	}
	return s
}

// durationMs is d in milliseconds.
func durationMs(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
