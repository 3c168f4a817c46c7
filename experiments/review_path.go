package experiments

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/model"
)

// PathStep is one step of a design's path to its offered load, or to a lower p99: a change re-run
// on top of the steps before it. Before and After are Figure without and with it: the acknowledged
// bytes/s while the design is saturated, its produce p99 once it keeps up.
type PathStep struct {
	Recommendation
	// Lifted names the limit the step lifted (mechanism and setting, "unread-requests
	// acks=all"), "" when it raised the throughput without lifting one; Next is the most binding
	// limit after the step (with where), "" when none binds.
	Lifted string `json:"lifted"`
	Next   string `json:"next"`
	// Saturated is set when the producers' backlog still grows after the step.
	Saturated bool `json:"saturated"`
}

// maxPathSteps bounds the path: each step re-runs every candidate.
const maxPathSteps = 4

// pathState is the design with the path's changes so far: the review as it would read that
// design's baseline.
type pathState struct {
	view *DesignReview
	sets []Setting
}

// path finds, for a saturated baseline, the changes that together carry the offered load, and
// for one that keeps up, the changes that together cut its p99 (when it takes more than one). One
// change often only moves the bottleneck: over 50 ms, raising batch.size lifts the one request
// per connection a commit time, and the replication window binds at once, so neither change
// alone raises the throughput (and the recommendations, each measured alone, keep neither).
//
// Each step re-runs every throughput rule's candidate (socket buffers, num.replica.fetchers,
// the producers' connection buffers, lz4, batch.size) on top of the steps before. While the
// design is saturated it takes the one with the highest acknowledged rate among those that
// raise it by RecommendGain or lift the most binding limit (its share halves), whatever the
// rate then: the next limit may bind as hard. Once the design keeps up, it takes the one with
// the lowest produce p99 among those that still keep up and cut it by RecommendGain or lift the
// most binding limit. It stops when no candidate qualifies, or after maxPathSteps, and ends at
// its best point (trimPath).
func (r *DesignReview) path(ctx context.Context, opts ReviewOptions) ([]PathStep, string, bool, error) {
	if r.Saturation == nil || r.Baseline == nil {
		return nil, "", false, nil
	}
	cur := pathState{view: r}
	var steps []PathStep
	stopped := fmt.Sprintf("stopped after %d steps", maxPathSteps)
	for step := 1; step <= maxPathSteps; step++ {
		next, s, interrupted, err := r.pathStep(ctx, cur, step, opts)
		if err != nil || interrupted {
			return nil, "", interrupted, err
		}
		if next == nil {
			stopped = cur.view.noStepWhy()
			break
		}
		steps = append(steps, s)
		cur = *next
	}
	kept := trimPath(steps, r.Saturation.Saturated, r.Baseline)
	switch {
	case !r.Saturation.Saturated:
		return kept, "", false, nil
	case len(kept) == 0 && len(steps) > 0:
		return nil, fmt.Sprintf("the changes tried gained less than %.0f%% over the baseline's acknowledged rate", 100*RecommendGain), false, nil
	case len(kept) < len(steps) && kept[len(kept)-1].Saturated:
		return kept, "the steps after these gained nothing", false, nil
	}
	return kept, stopped, false, nil
}

// noStepWhy says why no change qualified as a next step: none raised the figure or lifted the
// most binding limit, named.
func (r *DesignReview) noStepWhy() string {
	what := "the acknowledged rate"
	if !r.Saturation.Saturated {
		what = "p99"
	}
	top, where, _ := topLimit(r.Limits)
	if top == "" {
		return "no change tried bettered " + what
	}
	return fmt.Sprintf("no change tried bettered %s or lifted the most binding limit, %s (%s)", what, top, where)
}

// trimPath ends a path at its best point, or drops it. Steps taken while the design is
// saturated are judged on the acknowledged rate, those after it keeps up on p99, and a step
// that only lifted a limit may have made its figure worse. A path that never keeps up ends at
// its highest rate, which must beat the baseline's by RecommendGain. One that keeps up ends at
// its lowest p99 from there on when that beats the p99 it kept up with by RecommendGain, else at
// the step that kept up. For a design that kept up from the start, the same, over two steps or
// more (one step is that change's recommendation).
func trimPath(steps []PathStep, saturated bool, baseline *Summary) []PathStep {
	up := 0 // steps[up:] were taken while the design kept up
	if saturated {
		up = len(steps)
		for i, s := range steps {
			if !s.Saturated {
				up = i + 1
				break
			}
		}
		if up == len(steps) && (up == 0 || steps[up-1].Saturated) {
			end, best := bestEnd(steps, 0, deref(baseline.Produce.ThroughputBytesPerSec), figThroughput)
			if !figThroughput.better(deref(baseline.Produce.ThroughputBytesPerSec), best) {
				return nil
			}
			return steps[:end]
		}
		if up == len(steps) {
			return steps
		}
	}
	from := figP99.of(baseline, windowStats{})
	if up > 0 {
		from = *steps[up].Before
	}
	end, best := bestEnd(steps, up, from, figP99)
	if !figP99.better(from, best) {
		end = up
	}
	if up == 0 && end < 2 {
		return nil
	}
	return steps[:end]
}

// bestEnd is where steps[from:] reach their best figure, starting from start (from itself when
// none betters it), and that figure; a step counts only when it betters the best before it by
// RecommendGain.
func bestEnd(steps []PathStep, from int, start float64, fig measureBy) (int, float64) {
	end, best := from, start
	for i := from; i < len(steps); i++ {
		if a := *steps[i].After; fig.better(best, a) {
			end, best = i+1, a
		}
	}
	return end, best
}

// pathStep tries every candidate on top of cur and returns the best qualifying one (path), or
// nil.
func (r *DesignReview) pathStep(ctx context.Context, cur pathState, step int, opts ReviewOptions) (*pathState, PathStep, bool, error) {
	saturated := cur.view.Saturation.Saturated
	fig := figThroughput
	if !saturated {
		fig = figP99
	}
	before := fig.of(cur.view.Baseline, windowStats{})
	if math.IsInf(before, 0) {
		return nil, PathStep{}, false, nil // nothing measured to better
	}
	top, _, topShare := topLimit(cur.view.Limits)
	var best *pathState
	var bestStep PathStep
	for i, c := range cur.view.throughputCandidates() {
		if applied(cur.sets, c.sets) {
			continue
		}
		next, interrupted, err := r.tryPath(ctx, append(slices.Clone(cur.sets), c.sets...), step, i, opts)
		if err != nil || interrupted {
			return nil, PathStep{}, interrupted, err
		}
		if next == nil {
			continue
		}
		after := fig.of(next.view.Baseline, windowStats{})
		if math.IsInf(after, 0) {
			continue
		}
		lifted := top != "" && limitShare(next.view.Limits, top) < topShare/2
		switch {
		case saturated && !lifted && !fig.better(before, after):
			continue
		case !saturated && (next.view.Saturation.Saturated || (!lifted && !fig.better(before, after))):
			continue
		}
		if best != nil && (fig.higher && after <= *bestStep.After || !fig.higher && after >= *bestStep.After) {
			continue
		}
		best = next
		b, a := before, after
		bestStep = PathStep{Recommendation: c.rec, Saturated: next.view.Saturation.Saturated}
		bestStep.Figure, bestStep.Before, bestStep.After, bestStep.Sets = fig.name, &b, &a, setStrings(c.sets)
		if lifted {
			bestStep.Lifted = top
		}
		if n, where, _ := topLimit(next.view.Limits); n != "" {
			bestStep.Next = n + " " + where
		}
	}
	return best, bestStep, false, nil
}

// throughputCandidates are the candidates of the rules measured on the acknowledged rate of a
// saturated baseline.
func (r *DesignReview) throughputCandidates() []change {
	var out []change
	out = append(out, r.bufferCandidates()...)
	if c, ok := r.clientWindows("producer", figThroughput); ok {
		out = append(out, c)
	}
	out = append(out, r.compressionCandidates()...)
	out = append(out, r.batchCandidates()...)
	return out
}

// tryPath runs the design with sets applied (one seed, like the baseline) in the review's
// directory and reads it as the review reads a baseline; nil when the sets do not fit the design
// or the run failed.
func (r *DesignReview) tryPath(ctx context.Context, sets []Setting, step, i int, opts ReviewOptions) (*pathState, bool, error) {
	name := fmt.Sprintf("path-%d-%d", step, i+1)
	ref := sweepRef{dir: filepath.Join(opts.Dir, name), name: "review-" + name}
	if done, ok := r.baselineRuns()[setsKey(sets)]; ok {
		ref = done // a recommendation's re-run, the same run
	}
	sw := &Sweep{Name: ref.name, Scenario: r.base.File, Sets: sets, Replications: 1}
	plan, err := PlanSweep(sw, r.base, opts.Version)
	if err != nil || plan.Points[0].Invalid != "" {
		return nil, false, nil
	}
	sc, err := scenario.Parse(r.base.File, []byte(plan.Runs[0].Scenario), r.base.Opts)
	if err != nil {
		return nil, false, nil
	}
	sums, _, _, interrupted, err := runReviewSweep(ctx, sw, r.base, ref.dir, "path", opts)
	if err != nil || interrupted || sums[0] == nil {
		return nil, interrupted, err
	}
	v := *r
	v.sc, v.Baseline, v.Limits, v.Saturation = sc, sums[0], sums[0].Limits, saturation(sc, sums[0])
	return &pathState{view: &v, sets: sets}, false, nil
}

// topLimit is the most binding limit's mechanism and setting, with where, and the largest share
// of a limit with both (the same limit at several places: "unread-requests acks=all" at each
// broker); "" when none binds. Only the limits the review shows count (1% or more,
// bindingLimits), and a producer's full buffer.memory is left out: while the design is saturated
// the backlog fills it whatever holds the records back.
func topLimit(ls []LimitSummary) (name, where string, share float64) {
	for _, l := range bindingLimits(ls) {
		if l.Mechanism == model.LimitBufferMemory {
			continue
		}
		name = l.Mechanism + " " + l.Setting
		return name, l.Where, limitShare(ls, name)
	}
	return "", "", 0
}

// limitShare is the largest share of the limits named name (mechanism and setting).
func limitShare(ls []LimitSummary, name string) float64 {
	share := 0.0
	for _, l := range ls {
		if l.Mechanism+" "+l.Setting == name {
			share = max(share, l.Share)
		}
	}
	return share
}

// applied reports whether every override of sets is already among have, with the same value.
func applied(have, sets []Setting) bool {
	for _, s := range sets {
		if !slices.Contains(have, s) {
			return false
		}
	}
	return true
}

// pathSets are every override of the path's steps, in order, as --set takes them.
func pathSets(steps []PathStep) []string {
	var out []string
	last := map[string]int{} // a path set again by a later step: only its last value is kept
	for _, s := range steps {
		for _, set := range s.Sets {
			path, _, _ := strings.Cut(set, "=")
			last[path] = len(out)
			out = append(out, set)
		}
	}
	kept := out[:0]
	for i, set := range out {
		path, _, _ := strings.Cut(set, "=")
		if last[path] == i {
			kept = append(kept, set)
		}
	}
	return kept
}

// Change says what the step changed: "acknowledged 7.3 MB/s -> 20.0 MB/s", or "produce p99
// 3,961 ms -> 415 ms".
func (s PathStep) Change() string {
	if s.Figure == figP99.name {
		return fmt.Sprintf("produce p99 %s ms -> %s ms", numText(s.Before), numText(s.After))
	}
	return fmt.Sprintf("acknowledged %s -> %s", FormatRate(deref(s.Before)), FormatRate(deref(s.After)))
}

// pathTitle names the path: "path to the offered 20.0 MB/s", with ", then a lower p99" when
// steps after it kept up cut the latency; "path to a lower p99" for a design that kept up.
func (r *DesignReview) pathTitle() string {
	if !r.Saturation.Saturated {
		if l := r.Baseline.Produce.LatencyMs; l != nil {
			return fmt.Sprintf("path to a lower p99 (%s ms now)", numText(&l.P99))
		}
		return "path to a lower p99"
	}
	t := "path to the offered " + FormatRate(r.Saturation.OfferedBytesPerSec)
	if r.PathEndsSaturated() {
		t = "path toward the offered " + FormatRate(r.Saturation.OfferedBytesPerSec)
	}
	for _, s := range r.Path {
		if s.Figure == figP99.name {
			return t + ", then a lower p99"
		}
	}
	return t
}

// PathSetFlags are the path's overrides as the command line takes them.
func (r *DesignReview) PathSetFlags() string { return setFlags(pathSets(r.Path)) }

// PathTitleCap is pathTitle for a heading.
func (r *DesignReview) PathTitleCap() string {
	return capitalize(r.pathTitle())
}

// PathNote says why a saturated design's path is empty, or ends still saturated.
func (r *DesignReview) PathNote() string { return r.pathNote }

// PathEndsSaturated reports whether the design is still saturated after the path's last step.
func (r *DesignReview) PathEndsSaturated() bool {
	return len(r.Path) > 0 && r.Path[len(r.Path)-1].Saturated
}

// Recommended reports whether the recommendations' re-runs ran to the end; RecommendCut whether
// the review was interrupted during them.
func (r *DesignReview) Recommended() bool { return r.recommended }

// RecommendCut reports whether the review was interrupted during the recommendations.
func (r *DesignReview) RecommendCut() bool { return r.recommendCut }

// Pathed reports whether the path's re-runs ran to the end.
func (r *DesignReview) Pathed() bool { return r.pathed }

// sweepRef names a review's sweep: its directory and its name.
type sweepRef struct{ dir, name string }

// baselineRuns returns r.baseRuns, made on first use.
func (r *DesignReview) baselineRuns() map[string]sweepRef {
	if r.baseRuns == nil {
		r.baseRuns = map[string]sweepRef{}
	}
	return r.baseRuns
}

// setsKey identifies a list of overrides.
func setsKey(sets []Setting) string { return strings.Join(setStrings(sets), "\x00") }
