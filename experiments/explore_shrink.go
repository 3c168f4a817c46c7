package experiments

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// MinShrunkFault is the shortest a shrunk fault gets.
const MinShrunkFault = time.Second

// shrinker reduces a finding's fault schedule while the finding still reproduces: it drops
// faults one at a time until none can go, then halves each fault's duration, then moves each
// fault later, then ends the run Recovery after the last fault. Every candidate is a run kept
// in the explore directory under its key, so a resumed search does not run it twice.
type shrinker struct {
	dir, version string
	base         Base
	recovery     time.Duration
	end          time.Duration // faults are drawn to end by this time
	budget       int
	simulate     func(context.Context, *scenario.Scenario, RunOptions) (*Result, error)
}

// candidate is a schedule being tried: the faults and the run's duration.
type candidate struct {
	faults   []scenario.Fault
	duration time.Duration
}

// shrinkState is one finding's shrinking: the run it came from and the tries so far.
type shrinkState struct {
	sh      *shrinker
	ctx     context.Context
	f       *Finding
	root    *yaml.Node // the run's scenario
	seed    uint64
	tries   int
	stopped bool // ctx ended or the budget ran out
}

// shrinkAll shrinks each finding, parallel runs at a time, and reports whether ctx stopped it.
func shrinkAll(ctx context.Context, sh *shrinker, plan *Plan, findings []*Finding, parallel int) bool {
	parallel = max(parallel, 1)
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, f := range findings {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			sh.shrink(ctx, f, plan.Runs[f.Run])
		}()
	}
	wg.Wait()
	return ctx.Err() != nil
}

// shrink fills f.Faults, f.Scenario and f.ShrinkRuns from the run it was found in.
func (sh *shrinker) shrink(ctx context.Context, f *Finding, run PlannedRun) {
	root, err := scenario.ParseYAML(sh.base.File, []byte(run.Scenario))
	var sc *scenario.Scenario
	if err == nil {
		sc, err = scenario.DecodeNode(sh.base.File, root, sh.base.Opts)
	}
	if err != nil { // the run ran from this very text
		f.Detail += "; cannot shrink: " + err.Error()
		return
	}
	st := &shrinkState{sh: sh, ctx: ctx, f: f, root: root, seed: run.Seed}
	c := candidate{faults: slices.Clone(sc.Faults), duration: sc.Duration}
	for i := range c.faults {
		c.faults[i].Generated = false
	}
	c = st.drop(c)
	c = st.shorten(c)
	c = st.later(c)
	c = st.endEarlier(c)
	f.Faults = faultLines(c.faults)
	f.Scenario = st.text(c)
	f.ShrinkRuns, f.Shrunk = st.tries, !st.stopped
}

// try runs c and reports whether it reproduces the finding.
func (st *shrinkState) try(c candidate) bool {
	if st.stopped || st.tries >= st.sh.budget {
		st.stopped = true
		return false
	}
	st.tries++
	text := st.text(c)
	key := RunKey(st.sh.version, st.sh.base.File, text)
	rec, ok, err := readRecord(st.sh.dir, key)
	if err != nil || !ok {
		var interrupted bool
		rec, _, interrupted = runOne(st.ctx, st.sh.base, PlannedRun{Key: key, Seed: st.seed, Scenario: text}, st.sh.simulate)
		if interrupted {
			st.stopped = true
			return false
		}
		rec.Version = st.sh.version
		_ = writeRecord(st.sh.dir, rec) // a cache: a record that cannot be kept is run again next time
	}
	return st.f.same(classify(rec, st.sh.recovery))
}

// drop removes faults one at a time, as long as one can go.
func (st *shrinkState) drop(c candidate) candidate {
	for i := 0; i < len(c.faults); {
		next := c
		next.faults = slices.Delete(slices.Clone(c.faults), i, i+1)
		if st.try(next) {
			c = next
			continue // the fault now at i is another one
		}
		i++
	}
	return c
}

// shorten halves each fault's duration while the finding holds, down to MinShrunkFault.
func (st *shrinkState) shorten(c candidate) candidate {
	for i := range c.faults {
		for c.faults[i].Duration > MinShrunkFault {
			next := c.with(i, func(f *scenario.Fault) {
				f.Duration = max((f.Duration / 2).Truncate(time.Millisecond), MinShrunkFault)
			})
			if !st.try(next) {
				break
			}
			c = next
		}
	}
	return c
}

// later moves each fault as late as it can go while the finding holds: to the end of the
// drawn window if it holds there, else to the latest position a bisection between where it is
// and there finds, to within MinShrunkFault.
func (st *shrinkState) later(c candidate) candidate {
	for i := range c.faults {
		lo, hi := c.faults[i].At, st.sh.end-c.faults[i].Duration
		move := func(at time.Duration) candidate { return c.with(i, func(f *scenario.Fault) { f.At = at }) }
		if hi-lo < MinShrunkFault {
			continue
		}
		if next := move(hi); st.try(next) {
			c = next
			continue
		}
		for hi-lo >= 2*MinShrunkFault {
			mid := (lo + (hi-lo)/2).Truncate(time.Millisecond)
			if next := move(mid); st.try(next) {
				c, lo = next, mid
			} else {
				hi = mid
			}
		}
	}
	return c
}

// endEarlier ends the run Recovery after the last fault, if the finding still holds.
func (st *shrinkState) endEarlier(c candidate) candidate {
	end, ok := scenario.FaultsEnd(c.faults)
	if !ok || end+st.sh.recovery >= c.duration {
		return c
	}
	next := c
	next.duration = end + st.sh.recovery
	if st.try(next) {
		return next
	}
	return c
}

// with returns a copy of c with fault i changed by set.
func (c candidate) with(i int, set func(*scenario.Fault)) candidate {
	next := c
	next.faults = slices.Clone(c.faults)
	set(&next.faults[i])
	return next
}

// text is the scenario of c: the run's, with c's faults written out instead of random_faults,
// and c's duration.
func (st *shrinkState) text(c candidate) string {
	root := scenario.CloneNode(st.root)
	dropKeys(root, "faults", "random_faults")
	m := root.Content[0]
	seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	if lines := faultLines(c.faults); len(lines) > 0 {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(strings.Join(lines, "\n")), &doc); err == nil {
			seq = doc.Content[0]
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "faults"}, seq)
	_ = scenario.ApplySet(root, "duration", c.duration.String())
	return resolvedText(root)
}

// faultLines writes faults as scenario lines, in time order.
func faultLines(faults []scenario.Fault) []string {
	sorted := slices.Clone(faults)
	slices.SortStableFunc(sorted, func(a, b scenario.Fault) int { return int(a.At - b.At) })
	out := []string{}
	for _, f := range sorted {
		out = append(out, f.YAML())
	}
	return out
}
