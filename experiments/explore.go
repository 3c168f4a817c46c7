package experiments

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// Explore searches a design for fault schedules that break it (Jepsen's nemesis search,
// TigerBeetle's VOPR, for a design on paper): it runs the base scenario under Runs random fault
// schedules (random_faults, seeds Seed, Seed+1, ...) on the sweep runner, so it is parallel,
// resumable and deterministic; classifies every run (classify); and shrinks each finding to a
// minimal fault list that still reproduces it (shrink).

// ExploreOptions tune Explore.
type ExploreOptions struct {
	// Dir keeps every run (runs/KEY.json, the sweep tables) and the findings (findings/*.yaml,
	// explore.json). Required.
	Dir string
	// Runs is the number of schedules; run r has seed Seed+r.
	Runs int
	// Seed is the first run's seed; SeedSet false means the scenario's.
	Seed    uint64
	SeedSet bool
	// Sets are overrides of the base scenario (--set), applied before the search's own.
	Sets []Setting
	// Faults is the number of faults per schedule.
	Faults int
	// Kinds are the fault types to draw from (random_faults.kinds); nil means its default.
	Kinds []string
	// FaultDuration is each fault's length (random_faults.duration); 0 means its default, 30s.
	FaultDuration time.Duration
	// Recovery is how long after the last fault every partition must be writable again: the run
	// goes on this long after the base scenario's duration (faults are drawn within that), and
	// a run still unrecovered then is a finding.
	Recovery time.Duration
	// ShrinkRuns bounds the runs spent shrinking one finding.
	ShrinkRuns int
	// Parallel is the number of runs at a time (runs, then findings being shrunk).
	Parallel int
	// Version makes the run keys (RunKey).
	Version string
	// Progress is called as the runs end (SweepOptions.Progress).
	Progress func(SweepProgress)
	// WatchdogEvents is the watchdog's limit (WatchedRun); 0 means WatchdogEvents.
	WatchdogEvents uint64
	// Simulate runs one scenario; nil means WatchedRun with WatchdogEvents. Tests replace it.
	Simulate func(context.Context, *scenario.Scenario, RunOptions) (*Result, error)
}

// ExploreResult is what Explore found.
type ExploreResult struct {
	Scenario string         `json:"scenario"`
	Runs     int            `json:"runs"`
	Done     int            `json:"done"` // runs with an outcome (fewer when interrupted)
	OK       int            `json:"ok"`
	Seeds    [2]uint64      `json:"seeds"` // first and last
	Faults   int            `json:"faults_per_run"`
	Kinds    []string       `json:"kinds"`
	Counts   map[string]int `json:"counts"` // findings by kind
	Findings []*Finding     `json:"findings"`
	// Interrupted is set when ctx stopped the search: Findings holds those found so far, some
	// perhaps not fully shrunk.
	Interrupted bool         `json:"interrupted"`
	Report      *SweepReport `json:"-"`
}

// Finding kinds, most severe first: a run has the first that applies.
const (
	FindingPanic       = "panic"       // the simulator panicked: a bug
	FindingHang        = "hang"        // the watchdog stopped the run: a bug
	FindingError       = "error"       // the run could not be built
	FindingInvariant   = "invariant"   // an invariant broke
	FindingAckedLoss   = "acked-loss"  // acknowledged records lost (an unsafe design)
	FindingUnrecovered = "unrecovered" // a partition still unwritable Recovery after the faults
)

// FindingKinds lists the kinds in severity order.
var FindingKinds = []string{FindingPanic, FindingHang, FindingError, FindingInvariant, FindingAckedLoss, FindingUnrecovered}

// Finding is one run that broke the design, and its shrunk schedule.
type Finding struct {
	Kind string `json:"kind"`
	// Rule is the broken invariant's name, for an invariant finding.
	Rule string `json:"rule,omitempty"`
	// Detail is the first violation, the records lost, the recovery time or the error.
	Detail string `json:"detail"`
	Run    int    `json:"run"`
	Seed   uint64 `json:"seed"`
	// DrawnFaults is the schedule drawn, Faults the shrunk one, each a scenario faults line.
	DrawnFaults []string `json:"drawn_faults"`
	Faults      []string `json:"faults"`
	// Scenario is the shrunk schedule as a complete scenario, which `stretchsim run` replays;
	// File is where it was written.
	Scenario   string `json:"scenario"`
	File       string `json:"file"`
	ShrinkRuns int    `json:"shrink_runs"`
	Shrunk     bool   `json:"shrunk"` // shrinking ran to its end (not cut by ShrinkRuns or ctx)
}

// ExploreBase returns base without its faults and random_faults: the design Explore puts under
// random schedules.
func ExploreBase(base Base) (Base, error) {
	root, err := scenario.ParseYAML(base.File, base.Data)
	if err != nil {
		return Base{}, err
	}
	dropKeys(root, "faults", "random_faults")
	out := base
	out.Data = []byte(encodeNode(root))
	return out, nil
}

// dropKeys removes keys from the top-level mapping of the document root.
func dropKeys(root *yaml.Node, keys ...string) {
	m := root
	if m.Kind == yaml.DocumentNode && len(m.Content) == 1 {
		m = m.Content[0]
	}
	if m.Kind != yaml.MappingNode {
		return
	}
	var kept []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		drop := false
		for _, k := range keys {
			drop = drop || m.Content[i].Value == k
		}
		if !drop {
			kept = append(kept, m.Content[i], m.Content[i+1])
		}
	}
	m.Content = kept
}

// ExploreSweep is the sweep Explore runs over base (from ExploreBase) of the given duration:
// one point, opts.Runs replications, each drawing opts.Faults faults from its own seed within
// the base duration, and running opts.Recovery longer.
func ExploreSweep(base Base, duration time.Duration, opts ExploreOptions) *Sweep {
	name := strings.TrimSuffix(filepath.Base(base.File), filepath.Ext(base.File))
	sets := append(slices.Clone(opts.Sets), []Setting{
		{Path: "random_faults.count", Value: strconv.Itoa(opts.Faults)},
		{Path: "random_faults.end", Value: duration.String()},
		{Path: "duration", Value: (duration + opts.Recovery).String()},
	}...)
	if len(opts.Kinds) > 0 {
		sets = append(sets, Setting{Path: "random_faults.kinds", Value: "[" + strings.Join(opts.Kinds, ", ") + "]"})
	}
	if opts.FaultDuration > 0 {
		sets = append(sets, Setting{Path: "random_faults.duration", Value: opts.FaultDuration.String()})
	}
	if opts.SeedSet {
		sets = append(sets, Setting{Path: "seed", Value: strconv.FormatUint(opts.Seed, 10)})
	}
	return &Sweep{File: "", Name: "explore-" + name, Scenario: base.File, Sets: sets, Replications: opts.Runs}
}

// Explore runs the search over base (the scenario as the user gave it; its own faults are
// replaced by the random schedules) and shrinks what it finds. The error is for the base (an
// invalid design or options) or the directory.
func Explore(ctx context.Context, base Base, opts ExploreOptions) (*ExploreResult, error) {
	vopts := base.Opts
	for _, s := range opts.Sets {
		vopts.Sets = append(vopts.Sets, s.Path+"="+s.Value)
	}
	sc, err := scenario.Parse(base.File, base.Data, vopts)
	if err != nil {
		return nil, err
	}
	eb, err := ExploreBase(base)
	if err != nil {
		return nil, err
	}
	plan, err := PlanSweep(ExploreSweep(eb, sc.Duration, opts), eb, opts.Version)
	if err != nil {
		return nil, err
	}
	if msg := plan.Points[0].Invalid; msg != "" {
		return nil, fmt.Errorf("the random schedules are invalid for %s: %s", base.File, msg)
	}
	simulate := opts.Simulate
	if simulate == nil {
		simulate = func(ctx context.Context, sc *scenario.Scenario, _ RunOptions) (*Result, error) {
			return WatchedRun(ctx, sc, opts.WatchdogEvents)
		}
	}
	rep, err := RunSweep(ctx, plan, eb, SweepOptions{Dir: opts.Dir, Parallel: opts.Parallel, Progress: opts.Progress, Simulate: simulate})
	if err != nil {
		return nil, err
	}
	res := &ExploreResult{Scenario: sc.Name, Runs: opts.Runs, Faults: opts.Faults, Kinds: opts.Kinds,
		Counts: map[string]int{}, Findings: []*Finding{}, Report: rep, Done: rep.Done}
	if len(plan.Runs) > 0 {
		res.Seeds = [2]uint64{plan.Runs[0].Seed, plan.Runs[len(plan.Runs)-1].Seed}
	}
	sh := &shrinker{dir: opts.Dir, base: eb, version: opts.Version, recovery: opts.Recovery,
		budget: opts.ShrinkRuns, end: sc.Duration, simulate: simulate}
	for r, run := range plan.Runs {
		rec, ok, err := readRecord(opts.Dir, run.Key)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		f := classify(rec, opts.Recovery)
		if f == nil {
			res.OK++
			continue
		}
		f.Run, f.Seed = r, run.Seed
		res.Counts[f.Kind]++
		res.Findings = append(res.Findings, f)
	}
	res.Interrupted = rep.Interrupted
	if !res.Interrupted {
		res.Interrupted = shrinkAll(ctx, sh, plan, res.Findings, opts.Parallel)
	}
	return res, writeFindings(opts.Dir, res)
}
