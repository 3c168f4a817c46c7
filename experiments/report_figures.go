package experiments

import (
	"math"
	"strconv"
	"strings"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/model/conf"
)

// A figure of a sweep's charts is a numeric column of runs.csv, by its JSON path, or a derived
// figure computed from those of each run.

// DerivedFigures are the figures a sweep's charts can draw besides the summary's own: each is
// computed from a run's figures, then averaged over the replications like any other.
var DerivedFigures = map[string]string{
	"isr.changes_per_minute":           "(isr.shrinks + isr.expands) per minute of measured time",
	"network.cross_site_bytes_per_sec": "network.cross_site_bytes.total per second of measured time",
}

// derive computes the derived figure name from a run's figures; false when it has no value.
func derive(name string, v map[string]float64) (float64, bool) {
	m, ok := v["measured_seconds"]
	if !ok || m <= 0 {
		return 0, false
	}
	switch name {
	case "isr.changes_per_minute":
		s, ok1 := v["isr.shrinks"]
		e, ok2 := v["isr.expands"]
		return (s + e) * 60 / m, ok1 && ok2
	case "network.cross_site_bytes_per_sec":
		b, ok := v["network.cross_site_bytes.total"]
		return b / m, ok
	}
	return 0, false
}

// isPlotFigure reports whether name is a figure a chart can draw.
func isPlotFigure(name string) bool {
	if _, ok := DerivedFigures[name]; ok {
		return true
	}
	for _, c := range summaryFigures() {
		if !c.numeric {
			continue
		}
		if c.name == name || c.mapOf && strings.HasPrefix(name, c.name+".") && len(name) > len(c.name)+1 {
			return true
		}
	}
	return false
}

// plotFigureNames lists the figures for suggestions.
func plotFigureNames() []string {
	var out []string
	for _, c := range summaryFigures() {
		if c.numeric && !c.mapOf {
			out = append(out, c.name)
		}
	}
	for k := range DerivedFigures {
		out = append(out, k)
	}
	return out
}

// figureInfo is how a figure is labelled and scaled in a chart.
type figureInfo struct {
	label string // with the unit: "produce latency p99 (ms)"
	short string // for file names and titles: "p99 latency"
	scale float64
	text  func(float64) string // a value, scaled, for a heatmap cell or a table
}

var knownFigures = map[string]figureInfo{
	"produce.latency_ms.p99":               {"produce latency p99 (ms)", "produce p99 latency", 1, sig(3)},
	"produce.throughput_bytes_per_sec":     {"produce throughput (MB/s)", "produce throughput", 1e-6, sig(3)},
	"produce.wire_bytes_per_sec":           {"produce bytes on the wire, compressed (MB/s)", "produce wire bytes", 1e-6, sig(3)},
	"produce.compression_cores":            {"producer cores busy compressing", "compression cores", 1, sig(3)},
	"consume.throughput_bytes_per_sec":     {"consume throughput (MB/s)", "consume throughput", 1e-6, fixed(1)},
	"availability.writable_fraction":       {"writable fraction of partition-time", "writable fraction", 1, fixed(4)},
	"durability.acked_records_lost":        {"acknowledged records lost", "acknowledged records lost", 1, fixed(0)},
	"isr.changes_per_minute":               {"ISR shrinks + expands per minute", "ISR changes", 1, sig(3)},
	"network.cross_site_bytes_per_sec":     {"cross-site traffic (MB/s)", "cross-site traffic", 1e-6, sig(3)},
	"network.cross_site_bytes.total":       {"cross-site traffic (GB)", "cross-site bytes", 1e-9, sig(3)},
	"availability.max_unavailable_seconds": {"longest wait for an ack (s)", "longest wait", 1, sig(3)},
}

// figureFor describes figure name: a known one, else by its path's unit.
func figureFor(name string) figureInfo {
	if f, ok := knownFigures[name]; ok {
		return f
	}
	short := name
	if i := strings.LastIndex(name, "."); i >= 0 && !strings.Contains(name, "_ms.") {
		short = name[i+1:]
	}
	switch {
	case strings.Contains(name, "latency_ms.") || strings.Contains(name, "time_ms."):
		parent, p, _ := strings.Cut(name, "_ms.")
		parent = strings.ReplaceAll(parent, "_", " ")
		parent = strings.ReplaceAll(parent, ".", " ")
		return figureInfo{parent + " " + p + " (ms)", p + " " + lastWord(parent), 1, sig(3)}
	case strings.HasSuffix(name, "_bytes_per_sec"):
		return figureInfo{name + " (MB/s)", short, 1e-6, fixed(1)}
	case strings.HasSuffix(name, "_seconds"):
		return figureInfo{name + " (s)", short, 1, sig(3)}
	case strings.Contains(name, "bytes"):
		return figureInfo{name + " (MB)", short, 1e-6, sig(3)}
	}
	return figureInfo{name, short, 1, sig(3)}
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return s
	}
	return f[len(f)-1]
}

func fixed(decimals int) func(float64) string {
	return func(v float64) string {
		if math.IsNaN(v) {
			return notAvailable
		}
		return strconv.FormatFloat(v, 'f', decimals, 64)
	}
}

func sig(n int) func(float64) string { return func(v float64) string { return sigText(v, n) } }

// axisScale is how an axis's values become numbers: parsed as written, in unit.
type axisScale struct {
	values []float64
	unit   string // "ms", "KiB", "MB/s", "Mbps", "records/s", or "" for plain numbers
}

// axisNumbers returns the axis's values as numbers when all of them are numbers of one kind:
// plain numbers, durations (in ms), sizes (in bytes, KiB or MiB), byte rates (MB/s), bit rates
// (Mbps or Gbps) or record rates.
func axisNumbers(a Axis) (axisScale, bool) {
	if out, ok := parseAll(a.Values, func(s string) (float64, error) { return strconv.ParseFloat(strings.TrimSpace(s), 64) }); ok {
		return axisScale{values: out}, true
	}
	if out, ok := parseAll(a.Values, func(s string) (float64, error) {
		d, err := scenario.ParseDuration(s)
		return durationMs(d), err
	}); ok {
		return axisScale{out, "ms"}, true
	}
	if out, ok := parseAll(a.Values, func(s string) (float64, error) { b, err := conf.ParseBytes(s); return float64(b), err }); ok {
		return scaleBy(out, []unitStep{{1 << 20, "MiB"}, {1 << 10, "KiB"}, {1, "bytes"}}), true
	}
	if out, ok := parseAll(a.Values, func(s string) (float64, error) { r, err := scenario.ParseByteRate(s); return float64(r), err }); ok {
		return scaleBy(out, []unitStep{{1e9, "GB/s"}, {1e6, "MB/s"}, {1e3, "kB/s"}, {1, "B/s"}}), true
	}
	if out, ok := parseAll(a.Values, func(s string) (float64, error) { r, err := scenario.ParseBitRate(s); return float64(r), err }); ok {
		return scaleBy(out, []unitStep{{1e9, "Gbps"}, {1e6, "Mbps"}, {1e3, "kbps"}, {1, "bps"}}), true
	}
	if out, ok := parseAll(a.Values, func(s string) (float64, error) {
		r, err := scenario.ParseRate(s)
		if err == nil && r.RecordsPerSec == 0 {
			return r.BytesPerSec, strconv.ErrSyntax // byte rates are above
		}
		return r.RecordsPerSec, err
	}); ok {
		return axisScale{out, "records/s"}, true
	}
	return axisScale{}, false
}

type unitStep struct {
	f    float64
	name string
}

// scaleBy divides vs by the largest unit the smallest non-zero value reaches.
func scaleBy(vs []float64, units []unitStep) axisScale {
	least := math.Inf(1)
	for _, v := range vs {
		if v > 0 {
			least = math.Min(least, v)
		}
	}
	u := units[len(units)-1]
	for _, c := range units {
		if least >= c.f {
			u = c
			break
		}
	}
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = v / u.f
	}
	return axisScale{out, u.name}
}

func parseAll(ss []string, parse func(string) (float64, error)) ([]float64, bool) {
	out := make([]float64, len(ss))
	for i, s := range ss {
		v, err := parse(s)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

// axisTitle is a short name for an axis path: "inter-site RTT", "acks", "replication factor".
func axisTitle(path string) string {
	switch path {
	case "network.inter_site.rtt":
		return "inter-site RTT"
	case "network.intra_site.rtt":
		return "intra-site RTT"
	case "network.inter_site.bandwidth":
		return "inter-site bandwidth"
	}
	if _, prop, ok := strings.Cut(path, ".config."); ok {
		return prop
	}
	if i := strings.LastIndex(path, "]."); i >= 0 {
		rest := path[i+2:]
		switch rest {
		case "replication.factor":
			return "replication factor"
		case "rtt":
			return path[:i+1] + " RTT"
		}
		return rest
	}
	return path
}

// axisLabel is the axis's title with its unit: "inter-site RTT (ms)".
func axisLabel(path, unit string) string {
	if unit == "" {
		return axisTitle(path)
	}
	return axisTitle(path) + " (" + unit + ")"
}
