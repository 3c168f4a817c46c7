package plots

import (
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// demoDir is where TestDemo writes one chart of each kind with realistic data, to look at:
//
//	go test ./plots/ -run TestDemo -demo /tmp/plots
var demoDir = flag.String("demo", "", "directory to write the demo charts to (PNG and SVG)")

var demoRTT = []float64{1, 2, 5, 10, 20, 50}

// demoP99 is a made-up p99 produce latency (ms) against RTT for acks and replication factor rf.
func demoP99(acks string, rf int) Series {
	s := Series{Label: "acks=" + acks}
	for i, rtt := range demoRTT {
		y := 3 + 0.4*float64(rf) + 0.08*rtt
		if acks == "all" {
			y = 4 + 2.1*rtt*(1+0.05*float64(rf-3)) + 0.3*float64(i)
		}
		ci := 0.06*y + 0.3
		s.X = append(s.X, rtt)
		s.Y = append(s.Y, y)
		s.Lo = append(s.Lo, y-ci)
		s.Hi = append(s.Hi, y+ci)
	}
	return s
}

func demoLines() Lines {
	return Lines{
		Title: "p99 produce latency against inter-site RTT (RF 3, min.insync.replicas 2)",
		X:     Axis{Label: "inter-site RTT (ms)", Log: true},
		Y:     Axis{Label: "p99 produce latency (ms)", Log: true},
		Series: []Series{
			demoP99("1", 3), demoP99("all", 3),
		},
		Bands: true,
	}
}

func demoFacets() Facets {
	f := Facets{Title: "p99 produce latency against inter-site RTT, by replication factor"}
	for _, rf := range []int{3, 4, 5} {
		l := demoLines()
		l.Title = "replication factor " + string(rune('0'+rf))
		l.Series = []Series{demoP99("1", rf), demoP99("all", rf)}
		f.Panels = append(f.Panels, l)
	}
	return f
}

func demoHeatmap() Heatmap {
	h := Heatmap{
		Title:  "writable fraction of partition-time during a site outage (acks=all)",
		X:      Axis{Label: "replication factor"},
		Y:      Axis{Label: "min.insync.replicas"},
		XTicks: []string{"3", "4", "5"},
		YTicks: []string{"1", "2", "3", "4"},
	}
	for isr := 1; isr <= 4; isr++ {
		row := []float64{}
		for rf := 3; rf <= 5; rf++ {
			v := math.NaN()
			if isr <= rf {
				v = 1 - 0.3*math.Max(0, float64(isr-(rf-rf/3)))/2 - 0.011*float64(isr)
			}
			row = append(row, v)
		}
		h.Values = append(h.Values, row)
	}
	return h
}

func demoTimeline() Timeline {
	n := 241
	t := make([]float64, n)
	for i := range t {
		t[i] = float64(i)
	}
	gen := func(label string, step bool, f func(s float64) float64) Series {
		s := Series{Label: label, X: t, Y: make([]float64, n), Step: step}
		for i, x := range t {
			s.Y[i] = f(x)
		}
		return s
	}
	crash := func(s float64) bool { return s >= 30 && s < 70 }
	outage := func(s float64) bool { return s >= 130 && s < 190 }
	wave := func(s float64) float64 { return math.Sin(s*0.7) + 0.5*math.Sin(s*2.3) }
	return Timeline{
		Title: "site outage of dc-c with a broker crash (seed 7)",
		X:     Axis{Label: "simulated time (s)"},
		Panels: []Panel{
			{Y: Axis{Label: "throughput (MB/s)"}, Series: []Series{gen("produced", false, func(s float64) float64 {
				v := 20 + 0.6*wave(s)
				if outage(s) {
					v = 12 + 0.5*wave(s)
				}
				return v
			})}},
			{Y: Axis{Label: "p99 produce (ms)"}, Series: []Series{gen("p99", false, func(s float64) float64 {
				v := 12 + wave(s)
				if crash(s) {
					v = 40 + 3*wave(s)
				}
				if outage(s) {
					v = 90 + 6*wave(s)
				}
				if s >= 180 && s < 200 {
					v += 60
				}
				return v
			})}},
			{Y: Axis{Label: "ISR changes per s"}, Series: []Series{
				gen("IsrShrinksPerSec", true, func(s float64) float64 { return spike(s, 36, 6) + spike(s, 136, 20) }),
				gen("IsrExpandsPerSec", true, func(s float64) float64 { return spike(s, 75, 6) + spike(s, 196, 20) }),
			}},
			{Y: Axis{Label: "partitions"}, Series: []Series{
				gen("UnderReplicated", true, func(s float64) float64 { return b2f(crash(s))*18 + b2f(outage(s))*60 }),
				gen("UnderMinIsr", true, func(s float64) float64 { return b2f(outage(s)) * 12 }),
				gen("Offline", true, func(s float64) float64 { return b2f(s >= 130 && s < 134) * 4 }),
			}},
			{Y: Axis{Label: "leaders per site"}, Series: []Series{
				gen("dc-a", true, func(s float64) float64 { return 20 + b2f(crash(s))*2 + b2f(outage(s))*10 }),
				gen("dc-b", true, func(s float64) float64 { return 20 - b2f(crash(s))*2 + b2f(outage(s))*10 }),
				gen("dc-c", true, func(s float64) float64 { return 20 - b2f(outage(s))*20 }),
			}},
			{Y: Axis{Label: "cross-site traffic (MB/s)"}, Series: []Series{gen("cross-site", false, func(s float64) float64 {
				v := 40 + wave(s)
				if outage(s) {
					v = 14 + wave(s)
				}
				return v
			})}},
		},
		Windows: []Window{
			{From: 30, To: 70, Label: "broker-crash 4"},
			{From: 130, To: 190, Label: "site-outage dc-c"},
			{From: 180, To: 200, Label: "latency dc-a–dc-b"},
		},
		Marks: []Mark{{X: 10, Label: "end of warm-up"}},
	}
}

func spike(s, at, height float64) float64 {
	if s < at || s >= at+4 {
		return 0
	}
	return height / (1 + s - at)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// chart is what the demo renders.
type chart interface {
	Kind() string
	SVG(w io.Writer, size Size) error
	PNG(w io.Writer, size Size, dpi float64) error
}

func TestDemo(t *testing.T) {
	if *demoDir == "" {
		t.Skip("no -demo directory")
	}
	for _, c := range []chart{demoLines(), demoFacets(), demoHeatmap(), demoTimeline()} {
		for _, ext := range []string{"png", "svg"} {
			f, err := os.Create(filepath.Join(*demoDir, c.Kind()+"."+ext))
			if err != nil {
				t.Fatal(err)
			}
			if ext == "png" {
				err = c.PNG(f, Size{}, 110)
			} else {
				err = c.SVG(f, Size{})
			}
			if err != nil {
				t.Error(err)
			}
			f.Close()
		}
	}
}
