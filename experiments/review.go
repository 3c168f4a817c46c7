package experiments

// A review answers "is this design safe and fast enough, and if not, what do I change?" (issue
// 11): it runs the design without faults (the baseline), then under a fixed failure matrix
// (review_cases.go), judges each case (review_verdict.go), prices the cross-site traffic
// (review_cost.go) and tries the changes the runs call for (review_recommend.go). Every run goes
// through RunSweep, so a review directory is resumable like a sweep's.

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// Review defaults.
const (
	DefaultReviewReplications  = 3
	DefaultReviewFaultDuration = 60 * time.Second
	// DefaultReviewRecovery is how long a failure run goes on after its fault ends.
	DefaultReviewRecovery = 30 * time.Second
	// DefaultReviewLead is the steady time between the warm-up and the fault.
	DefaultReviewLead = 10 * time.Second
	// DefaultPricePerGB is the common cloud inter-zone rate, in US dollars per GB (10^9 bytes)
	// charged in each direction: AWS EC2 data transfer pricing, "data transferred across
	// Availability Zones in the same Region: $0.01/GB in each direction"; GCP and Azure
	// inter-zone rates are similar.
	DefaultPricePerGB = 0.01
)

// ReviewOptions tune Review.
type ReviewOptions struct {
	// Replications is the seeds each failure case runs with (S, S+1, ...); default 3.
	Replications int
	// FaultDuration is how long each fault lasts; default 60 s.
	FaultDuration time.Duration
	// Recovery is how long a failure run goes on after the fault; default 30 s.
	Recovery time.Duration
	// Lead is the time from the warm-up to the fault; default 10 s.
	Lead time.Duration
	// PricePerGB is the price of a GB crossing sites, charged once out and once in.
	PricePerGB float64
	// NoRecommend skips the recommendations' re-runs.
	NoRecommend bool
	// Dir keeps the runs: baseline/, failures/, and one directory per re-run.
	Dir      string
	Parallel int
	Version  string
	Progress func(stage string, p SweepProgress)
	// Simulate runs one scenario; nil means RunContext. Tests replace it.
	Simulate func(context.Context, *scenario.Scenario, RunOptions) (*Result, error)
}

func (o *ReviewOptions) defaults() {
	if o.Replications <= 0 {
		o.Replications = DefaultReviewReplications
	}
	if o.FaultDuration <= 0 {
		o.FaultDuration = DefaultReviewFaultDuration
	}
	if o.Recovery <= 0 {
		o.Recovery = DefaultReviewRecovery
	}
	if o.Lead <= 0 {
		o.Lead = DefaultReviewLead
	}
}

// DesignReview is the review of one design: the JSON of `stretchsim review --format json`.
type DesignReview struct {
	Design     string      `json:"design"`
	Scenario   string      `json:"scenario"`
	Baseline   *Summary    `json:"baseline"`
	Saturation *Saturation `json:"saturation"`
	// Limits are the baseline's ranked limits (Summary.Limits).
	Limits          []LimitSummary   `json:"limits"`
	Failures        []FailureRow     `json:"failures"`
	Recommendations []Recommendation `json:"recommendations"`
	// Path is, for a saturated baseline, the changes that together carry the offered load (then
	// cut p99), and for one that keeps up, those that together cut p99, each re-run on top of the
	// ones before (DesignReview.path); empty when none was found.
	Path []PathStep `json:"path"`
	Cost Cost       `json:"cost"`
	// Interrupted is set when ctx stopped the review: what is missing was not run.
	Interrupted bool `json:"interrupted"`

	sc       *scenario.Scenario
	base     Base // the design without its faults
	baseSer  *seriesData
	failures []*reviewCase
	dir      string
	// recommended and pathed are set once the recommendations' and the path's re-runs ended
	// (not under --no-recommend, nor when the review was interrupted before).
	recommended, pathed bool
	// recommendCut is set when the review was interrupted during the recommendations: those kept
	// so far are listed, the rest were not tried.
	recommendCut bool
	// baseRuns are the baseline's re-runs with overrides so far (the recommendations'), by
	// setsKey: the path reads one again rather than run it twice.
	baseRuns map[string]sweepRef
	// pathNote says why a saturated design's path is empty or ends saturated (PathNote).
	pathNote string
	// ffSummary is the baseline re-run with follower fetching on (ffSets), if it was.
	ffSummary *Summary
	ffSets    []Setting
}

// seriesData is one run's time series.
type seriesData struct {
	Columns []string
	Rows    [][]float64
}

// col returns the index of column name, or -1.
func (s *seriesData) col(name string) int {
	for i, c := range s.Columns {
		if c == name {
			return i
		}
	}
	return -1
}

// Review reviews one design. base is the design as the user gave it; its faults and
// random_faults are dropped. The error is for the design (invalid) or the directory.
func Review(ctx context.Context, base Base, opts ReviewOptions) (*DesignReview, error) {
	opts.defaults()
	sc, err := scenario.Parse(base.File, base.Data, base.Opts)
	if err != nil {
		return nil, err
	}
	eb, err := ExploreBase(base)
	if err != nil {
		return nil, err
	}
	r := &DesignReview{Design: base.File, Scenario: sc.Name, sc: sc, base: eb, dir: opts.Dir,
		Limits: []LimitSummary{}, Failures: []FailureRow{}, Recommendations: []Recommendation{}, Path: []PathStep{}}
	bl, ser, interrupted, err := runReviewOne(ctx, eb, "baseline", nil, filepath.Join(opts.Dir, "baseline"), opts)
	if err != nil {
		return nil, err
	}
	if interrupted {
		r.Interrupted = true
		return r, nil
	}
	r.Baseline, r.baseSer = bl, ser
	if bl.Limits != nil {
		r.Limits = bl.Limits
	}
	r.Saturation = saturation(sc, bl)
	if r.Interrupted, err = r.runFailures(ctx, opts); err != nil || r.Interrupted {
		return r, err
	}
	if r.Cost, r.Interrupted, err = r.cost(ctx, opts); err != nil || r.Interrupted {
		return r, err
	}
	if opts.NoRecommend {
		return r, nil
	}
	if r.Recommendations, r.Interrupted, err = r.recommend(ctx, opts); err != nil || r.Interrupted {
		r.recommendCut = r.Interrupted
		return r, err
	}
	r.recommended = true
	path, note, interrupted, err := r.path(ctx, opts)
	if path != nil {
		r.Path = path
	}
	r.pathNote = note
	r.Interrupted = interrupted
	r.pathed = err == nil && !interrupted
	return r, err
}

// runReviewOne runs base with sets applied, once (seed S), in dir, and returns its summary and
// series. A run that failed (a panic, a broken invariant) is an error that says why.
func runReviewOne(ctx context.Context, base Base, name string, sets []Setting, dir string, opts ReviewOptions) (*Summary, *seriesData, bool, error) {
	sw := &Sweep{Name: "review-" + name, Scenario: base.File, Sets: sets, Replications: 1}
	recs, sers, msgs, interrupted, err := runReviewSweep(ctx, sw, base, dir, name, opts)
	if err != nil || interrupted {
		return nil, nil, interrupted, err
	}
	if recs[0] == nil {
		return nil, nil, false, fmt.Errorf("%s: the %s run failed: %s", base.File, name, msgs[0])
	}
	return recs[0], sers[0], false, nil
}

// runReviewSweep plans and runs sw in dir and reads back every run's summary (nil for a failed
// run, whose record's message is in msgs) and series, in plan order.
func runReviewSweep(ctx context.Context, sw *Sweep, base Base, dir, stage string, opts ReviewOptions) (sums []*Summary, sers []*seriesData, msgs []string, interrupted bool, err error) {
	plan, err := PlanSweep(sw, base, opts.Version)
	if err != nil {
		return nil, nil, nil, false, err
	}
	for _, pt := range plan.Points {
		if pt.Invalid != "" {
			return nil, nil, nil, false, fmt.Errorf("%s: the %s runs are invalid: %s", base.File, stage, pt.Invalid)
		}
	}
	so := SweepOptions{Dir: dir, Parallel: opts.Parallel, Series: true, Simulate: opts.Simulate}
	if opts.Progress != nil {
		so.Progress = func(p SweepProgress) { opts.Progress(stage, p) }
	}
	rep, err := RunSweep(ctx, plan, base, so)
	if err != nil {
		return nil, nil, nil, false, err
	}
	if rep.Interrupted {
		return nil, nil, nil, true, nil
	}
	sums = make([]*Summary, len(plan.Runs))
	sers = make([]*seriesData, len(plan.Runs))
	msgs = make([]string, len(plan.Runs))
	for k, run := range plan.Runs {
		rec, ok, err := readRecord(dir, run.Key)
		if err != nil {
			return nil, nil, nil, false, err
		}
		if !ok || rec.Status != StatusOK {
			if ok {
				msgs[k] = rec.Message
			}
			continue
		}
		var s Summary
		if err := json.Unmarshal(rec.Summary, &s); err != nil {
			return nil, nil, nil, false, fmt.Errorf("%s: %w", recordPath(dir, run.Key), err)
		}
		sums[k] = &s
		cols, rows, err := readSeriesCSV(seriesPath(dir, run.Key))
		if err != nil {
			return nil, nil, nil, false, err
		}
		sers[k] = &seriesData{Columns: cols, Rows: rows}
	}
	return sums, sers, msgs, false, nil
}

// Saturation compares what the producers offered with what was acknowledged in the baseline.
type Saturation struct {
	OfferedBytesPerSec float64 `json:"offered_bytes_per_sec"`
	AckedBytesPerSec   float64 `json:"acked_bytes_per_sec"`
	// Saturated is set when the backlog grows: acknowledged below SaturationRatio of offered,
	// or the producers blocked on buffer.memory or expired records (BUFFER_EXHAUSTED,
	// DELIVERY_TIMEOUT).
	Saturated bool     `json:"saturated"`
	Reasons   []string `json:"reasons"`
}

// SaturationRatio is the share of the offered rate below which the acknowledged rate means a
// growing backlog. Poisson arrivals over a measured window of tens of seconds stay within a
// percent or two of their mean; 5% below is not noise.
const SaturationRatio = 0.95

// saturation judges the baseline's producers.
func saturation(sc *scenario.Scenario, s *Summary) *Saturation {
	return saturationOver(sc, s, sc.Warmup, sc.Duration)
}

// saturationOver judges the producers of a run of sc whose measured window is [from, to).
func saturationOver(sc *scenario.Scenario, s *Summary, from, to time.Duration) *Saturation {
	sat := &Saturation{OfferedBytesPerSec: offeredIn(sc, from, to, func(scenario.Producer) bool { return true }), Reasons: []string{}}
	if s.Produce.ThroughputBytesPerSec != nil {
		sat.AckedBytesPerSec = *s.Produce.ThroughputBytesPerSec
	}
	if sat.OfferedBytesPerSec > 0 && sat.AckedBytesPerSec < SaturationRatio*sat.OfferedBytesPerSec {
		sat.Reasons = append(sat.Reasons, fmt.Sprintf("acknowledged %s is %.0f%% of the %s offered",
			FormatRate(sat.AckedBytesPerSec), 100*sat.AckedBytesPerSec/sat.OfferedBytesPerSec, FormatRate(sat.OfferedBytesPerSec)))
	}
	for _, e := range []string{"BUFFER_EXHAUSTED", "DELIVERY_TIMEOUT"} {
		if n := s.Produce.Errors[e]; n > 0 {
			sat.Reasons = append(sat.Reasons, fmt.Sprintf("%d %s", n, e))
		}
	}
	sat.Saturated = len(sat.Reasons) > 0
	return sat
}

// OfferedBytesPerSec is the mean rate the scenario's producers send over its measured window
// (warmup to duration: the window the acknowledged throughput is measured over), all
// instances: a single rate as given, a rate that changes over the run its mean over the window.
func OfferedBytesPerSec(sc *scenario.Scenario) float64 {
	return offeredIn(sc, sc.Warmup, sc.Duration, func(scenario.Producer) bool { return true })
}

// offeredIn is the mean rate, in bytes per second over [from, to), of the producers of sc that
// keep says to count, all instances (the long-run mean for on/off arrivals: workloads.OnOff).
func offeredIn(sc *scenario.Scenario, from, to time.Duration, keep func(scenario.Producer) bool) float64 {
	var total float64
	for _, p := range sc.Producers {
		if keep(p) {
			total += float64(p.Count) * p.MeanBytesPerSec(from, to)
		}
	}
	return total
}

// FormatRate writes bytes per second in SI units, "20.0 MB/s".
func FormatRate(b float64) string { return siText(b) + "B/s" }
