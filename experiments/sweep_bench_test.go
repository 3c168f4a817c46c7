package experiments

import (
	"context"
	"fmt"
	"io/fs"
	"runtime/debug"
	"testing"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// BenchmarkSweepParallel runs one sweep of eight runs of the built-in default scenario (20 s
// simulated each, eight seeds) with --parallel 1 and 2, at the CLI's garbage-collector target
// (GOGC=400), and reports runs per wall second. On 2 cores the second should be at least 1.6
// times the first: runs share no mutable state, and allocate too little to make the collector
// the bottleneck.
func BenchmarkSweepParallel(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	data, err := fs.ReadFile(scenarios.FS, scenarios.Default)
	if err != nil {
		b.Fatal(err)
	}
	base := Base{File: scenarios.Default, Data: data,
		Opts: scenario.Options{ReadFile: func(n string) ([]byte, error) { return fs.ReadFile(scenarios.FS, n) }}}
	sw, err := ParseSweep("bench.yaml", []byte("name: bench\nscenario: default\nset: {duration: 20s, warmup: 5s}\nreplications: 8\n"))
	if err != nil {
		b.Fatal(err)
	}
	plan, err := PlanSweep(sw, base, "bench")
	if err != nil {
		b.Fatal(err)
	}
	for _, parallel := range []int{1, 2} {
		b.Run(fmt.Sprintf("parallel=%d", parallel), func(b *testing.B) {
			runs := 0
			for range b.N {
				rep, err := RunSweep(context.Background(), plan, base, SweepOptions{Dir: b.TempDir(), Parallel: parallel})
				if err != nil {
					b.Fatal(err)
				}
				runs += rep.Ran
			}
			b.ReportMetric(float64(runs)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}
