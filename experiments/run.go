package experiments

import (
	"context"
	"fmt"
	"time"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/sim"
	"github.com/stretchsim/stretchsim/workloads"
)

// Result is the outcome of one run: the summary, the sampled time series and the cluster for
// callers that want more.
type Result struct {
	Summary Summary
	Columns []string    // time series column names (Cluster.SeriesColumns)
	Series  [][]float64 // one row per metrics interval
	Cluster *model.Cluster
}

// Run simulates sc from time 0 to its duration with its seed and summarizes it. Statistics cover
// the window after the warm-up. The run is deterministic: the same scenario and seed give the
// same Summary (but for WallSeconds) and the same series.
func Run(sc *scenario.Scenario) (*Result, error) {
	return RunContext(context.Background(), sc, RunOptions{})
}

// RunContext is Run, stoppable and watched. When ctx is done, the simulation stops after the
// event that is running and the result covers the virtual time reached: Summary.Partial is set
// and the measured window ends there (it is empty if the warm-up was not over). Stopping does not
// change the events run up to that point, so a partial run is a prefix of the full one.
func RunContext(ctx context.Context, sc *scenario.Scenario, opts RunOptions) (*Result, error) {
	spec, err := sc.Spec()
	if err != nil {
		return nil, err
	}
	s := sim.New(sc.Seed)
	if err := attachArrivals(sc, &spec, s); err != nil {
		return nil, err
	}
	digest := sim.NewDigest()
	ctl := watch(ctx, s, digest, sc.Duration, opts)
	c, err := model.NewCluster(s, spec)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sc.File, err)
	}
	start := time.Now()
	ctl.runUntil(sim.Time(sc.Warmup))
	atWarmup := snapshot(c) // when stopped in the warm-up: now, so that nothing is measured
	interrupted := ctl.runUntil(sim.Time(sc.Duration))
	wall := time.Since(start)
	ctl.finish()
	sum := summarize(sc, s, c, atWarmup)
	sum.Partial = interrupted
	sum.TraceDigest = fmt.Sprintf("%016x", digest.Sum64())
	sum.WallSeconds = wall.Seconds()
	return &Result{Summary: sum, Columns: c.SeriesColumns(), Series: c.Series(), Cluster: c}, nil
}

// attachArrivals builds each producer instance's arrival process from the scenario's workload
// parameters, each on its own stream "producer/<instance>/arrivals".
func attachArrivals(sc *scenario.Scenario, spec *model.ClusterSpec, s *sim.Sim) error {
	i := 0
	for _, p := range sc.Producers {
		ws := p.Workload()
		if err := ws.Validate(); err != nil {
			return fmt.Errorf("producer %s: %w", p.Name, err)
		}
		for _, name := range scenario.InstanceNames(p.Name, p.Count) {
			spec.Producers[i].Arrivals = workloads.New(ws, s.Stream("producer/"+name+"/arrivals"))
			i++
		}
	}
	return nil
}
