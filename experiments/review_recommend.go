package experiments

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/model"
)

// Recommendation is one change the runs call for, kept only when a re-run with it applied
// measured Figure better than before (RecommendGain).
type Recommendation struct {
	Setting string `json:"setting"`
	Value   string `json:"value"`
	Why     string `json:"why"`
	// Figure names what was measured before and after, and on which run: "baseline" or a
	// failure case.
	Figure string   `json:"figure"`
	Before *float64 `json:"before"`
	After  *float64 `json:"after"`
	// Sets are the scenario overrides (--set PATH=VALUE) the re-run applied.
	Sets []string `json:"sets"`
}

// RecommendGain is the relative improvement a change must bring to be recommended: 5%, above
// the noise between two runs with the same seeds (common random numbers).
const RecommendGain = 0.05

// Figures a recommendation is measured by.
var (
	figThroughput = measureBy{name: "acknowledged bytes/s", higher: true, of: func(s *Summary, _ windowStats) float64 { return deref(s.Produce.ThroughputBytesPerSec) }}
	// A run without a latency measured (nothing acknowledged, nothing read) has the worst p99,
	// not the best.
	figP99 = measureBy{name: "produce p99 latency ms", of: func(s *Summary, _ windowStats) float64 {
		if s.Produce.LatencyMs == nil {
			return math.Inf(1)
		}
		return s.Produce.LatencyMs.P99
	}}
	// figE2E is the consumers' end-to-end p99: it falls when a consumer's reads speed up, whether
	// it kept up (the records wait less for its fetches) or fell behind (they stop piling up).
	figE2E = measureBy{name: "end-to-end p99 latency ms", of: func(s *Summary, _ windowStats) float64 {
		if s.Consume.EndToEndLatencyMs == nil {
			return math.Inf(1)
		}
		return s.Consume.EndToEndLatencyMs.P99
	}}
	figWait     = measureBy{name: "longest producer wait s", of: func(s *Summary, _ windowStats) float64 { return deref(s.Availability.MaxUnavailableSeconds) }}
	figWritable = measureBy{name: "writable fraction during the fault", higher: true, of: func(_ *Summary, w windowStats) float64 { return w.WritableFraction }}
	figLost     = measureBy{name: "acked records lost", of: func(s *Summary, _ windowStats) float64 { return float64(s.Durability.AckedRecordsLost) }}
	figCtrl     = measureBy{name: "seconds without an active controller", of: func(s *Summary, _ windowStats) float64 { return s.Controller.UnavailableSeconds }}
)

// figure is a measured figure and which way is better.
type measureBy struct {
	name   string
	higher bool
	of     func(*Summary, windowStats) float64
}

// better reports whether after improves on before by RecommendGain.
func (f measureBy) better(before, after float64) bool {
	if f.higher {
		return after > before*(1+RecommendGain) && after > before
	}
	return after < before*(1-RecommendGain)
}

// finite is v, or nil (JSON null, "n/a") when a run measured none (an infinite worst).
func finite(v float64) *float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil
	}
	return &v
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// change is a change to try: its overrides, and the run it is measured on.
type change struct {
	rec  Recommendation
	sets []Setting
	on   *reviewCase // nil: the baseline
	fig  measureBy
}

// recommend lists the candidates the runs call for, re-runs each, and keeps those that help.
func (r *DesignReview) recommend(ctx context.Context, opts ReviewOptions) ([]Recommendation, bool, error) {
	out := []Recommendation{}
	if r.Cost.MonthlyUSDWithFollowerFetching != nil && r.ffSummary != nil {
		before, after := r.Cost.MonthlyUSD, *r.Cost.MonthlyUSDWithFollowerFetching
		if after < before*(1-RecommendGain) {
			out = append(out, Recommendation{Setting: "replica.selector.class + consumer client.rack", Value: RackAwareSelector + ", client.rack = the consumer's site",
				Why:    "consumers read from leaders in other sites; fetching from the replica in their own site (KIP-392) keeps those bytes local",
				Figure: "cross-site US$ per month (baseline)", Before: &before, After: &after, Sets: setStrings(r.ffSets)})
		}
	}
	start, end := faultWindow(r.sc, opts)
	for i, c := range r.candidates(opts) {
		before, ok := r.measure(c, nil, start, end)
		if !ok {
			continue
		}
		after, interrupted, err := r.rerun(ctx, c, i, start, end, opts)
		if err != nil || interrupted {
			return out, interrupted, err
		}
		if after == nil || !c.fig.better(before, *after) {
			continue
		}
		c.rec.Before, c.rec.After, c.rec.Sets = finite(before), finite(*after), setStrings(c.sets)
		out = append(out, c.rec)
	}
	return out, false, nil
}

func setStrings(sets []Setting) []string {
	out := []string{}
	for _, s := range sets {
		out = append(out, s.Path+"="+s.Value)
	}
	return out
}

// measure reads c's figure off the runs given (nil: the review's own runs of c.on, or its
// baseline): the worst over the seeds.
func (r *DesignReview) measure(c change, sums []*Summary, start, end time.Duration) (float64, bool) {
	var sers []*seriesData
	switch {
	case sums != nil:
	case c.on == nil:
		sums = []*Summary{r.Baseline}
	default:
		sums, sers = c.on.Sums, c.on.Sers
	}
	return worstFigure(r, c, sums, sers, start, end)
}

func worstFigure(r *DesignReview, c change, sums []*Summary, sers []*seriesData, start, end time.Duration) (float64, bool) {
	partitions := 0
	for _, t := range r.sc.Topics {
		partitions += t.Partitions
	}
	worst, any := 0.0, false
	for i, s := range sums {
		if s == nil {
			return 0, false
		}
		var w windowStats
		if c.on != nil && i < len(sers) && sers[i] != nil {
			w, _ = windowOf(sers[i], start, end, partitions)
		}
		v := c.fig.of(s, w)
		if !any || (c.fig.higher && v < worst) || (!c.fig.higher && v > worst) {
			worst = v
		}
		any = true
	}
	return worst, any
}

// rerun runs c's run again with c.sets applied and measures the figure.
func (r *DesignReview) rerun(ctx context.Context, c change, i int, start, end time.Duration, opts ReviewOptions) (*float64, bool, error) {
	dir := filepath.Join(opts.Dir, fmt.Sprintf("recommend-%d", i+1))
	sw := &Sweep{Name: fmt.Sprintf("review-recommend-%d", i+1), Scenario: r.base.File, Sets: c.sets, Replications: 1}
	if c.on != nil {
		sw.Replications = opts.Replications
		sw.Sets = append([]Setting{{Path: "faults", Value: "[" + c.on.Fault + "]"},
			{Path: "duration", Value: (end + opts.Recovery).String()}}, c.sets...)
	}
	if plan, err := PlanSweep(sw, r.base, opts.Version); err != nil || plan.Points[0].Invalid != "" {
		return nil, false, nil // the change does not fit this design (say, a fixed replica_assignment)
	}
	sums, sers, _, interrupted, err := runReviewSweep(ctx, sw, r.base, dir, "recommend", opts)
	if err != nil || interrupted {
		return nil, interrupted, err
	}
	if c.on == nil {
		r.baselineRuns()[setsKey(c.sets)] = sweepRef{dir: dir, name: sw.Name}
	}
	v, ok := worstFigure(r, c, sums, sers, start, end)
	if !ok {
		return nil, false, nil
	}
	return &v, false, nil
}

// candidates are the changes the baseline and the failure matrix call for (the rules of the
// README's "Recommendations"), in a fixed order.
func (r *DesignReview) candidates(opts ReviewOptions) []change {
	var out []change
	out = append(out, r.bufferCandidates()...)
	out = append(out, r.clientBufferCandidates()...)
	out = append(out, r.batchCandidates()...)
	out = append(out, r.compressionCandidates()...)
	out = append(out, r.timeoutCandidates(opts)...)
	out = append(out, r.minISRCandidates()...)
	out = append(out, r.controllerCandidates()...)
	return out
}

// compressionCandidates: a producer's compression binds (a compression limit of 1% or more)
// with gzip or zstd, the slow codecs: lz4, which compresses several times faster per core
// (measured on the baseline's throughput when it is saturated, or p99). The re-run needs the
// records' compression ratio for lz4 (compression_ratio); without it the change does not fit
// and is not tried.
func (r *DesignReview) compressionCandidates() []change {
	fig := figP99
	if r.Saturation != nil && r.Saturation.Saturated {
		fig = figThroughput
	}
	var out []change
	for _, l := range bindingLimits(r.Limits) {
		if l.Mechanism != model.LimitCompression {
			continue
		}
		name := strings.TrimPrefix(l.Where, "producer ")
		i := slices.IndexFunc(r.sc.Producers, func(p scenario.Producer) bool { return p.Name == name })
		if i < 0 {
			continue
		}
		codec := r.sc.Producers[i].Config.CompressionType
		if codec != model.CodecGzip && codec != model.CodecZstd {
			continue
		}
		out = append(out, change{fig: fig, sets: []Setting{{Path: "producers[" + name + "].config.compression.type", Value: "lz4"}},
			rec: Recommendation{Setting: "compression.type (producer " + name + ")", Value: "lz4",
				Why: fmt.Sprintf("the producer's threads compressing with %s held its batches back %.0f%% of the time; lz4 compresses several times faster per core, at a lower ratio",
					codec, 100*l.Share), Figure: fig.name + " (baseline)"}})
	}
	return out
}

// timeoutCandidates: a silent failure (a site going dark) stalled producers for about
// request.timeout.ms (at least 80% of it): a request in flight to a dark broker waits that long
// before the producer retries elsewhere. Lower it to 10 s on every producer.
func (r *DesignReview) timeoutCandidates(opts ReviewOptions) []change {
	var worst *reviewCase
	for _, c := range r.failures {
		if len(c.Dark) == 0 || c.Row.MaxUnavailableSeconds == nil || producersIn(r, c.Dark) {
			continue
		}
		if worst == nil || *c.Row.MaxUnavailableSeconds > *worst.Row.MaxUnavailableSeconds {
			worst = c
		}
	}
	const lowered = 10 * time.Second
	var sets []Setting
	var timeout time.Duration
	for i, p := range r.sc.Producers {
		timeout = max(timeout, p.Config.RequestTimeout)
		if p.Config.RequestTimeout > lowered {
			sets = append(sets, Setting{Path: fmt.Sprintf("producers[%d].config.request.timeout.ms", i), Value: strconv.FormatInt(lowered.Milliseconds(), 10)})
		}
	}
	if worst == nil || len(sets) == 0 || *worst.Row.MaxUnavailableSeconds < 0.8*timeout.Seconds() {
		return nil
	}
	return []change{{on: worst, fig: figWait, sets: sets, rec: Recommendation{Setting: "request.timeout.ms (producer)", Value: strconv.FormatInt(lowered.Milliseconds(), 10),
		Why: fmt.Sprintf("when %s goes dark, requests in flight to its brokers hang until request.timeout.ms (%v) before the producer retries on the new leader",
			strings.Join(worst.Dark, ", "), timeout), Figure: figWait.name + " (" + worst.Name + ")"}}}
}

// minISRCandidates: for each topic, against the sites that hold brokers (B of them). With RF a
// multiple of B and the replicas striped over the sites, a site holds RF/B replicas; a site
// outage leaves RF - RF/B. min.insync.replicas = RF/B + 1 means an acknowledged record is in
// two sites at least (no site outage loses it), and writes go on through one site outage when
// RF/B + 1 <= RF - RF/B. Recommended, when a site outage stopped writes or lost data, is the
// smallest RF (a multiple of B, at least the current RF) for which both hold, with that min ISR.
func (r *DesignReview) minISRCandidates() []change {
	sites := 0
	for _, s := range r.sc.Sites {
		if s.Brokers > 0 {
			sites++
		}
	}
	var hit *reviewCase
	for _, c := range r.failures {
		if len(c.Dark) > 0 && (c.Row.Verdict == VerdictWritesStop || c.Row.Verdict == VerdictDataLoss) {
			hit = c
			break
		}
	}
	if sites < 2 || hit == nil {
		return nil
	}
	var out []change
	for i, t := range r.sc.Topics {
		rf, isr := ReplicationFor(t.ReplicationFactor, sites)
		if rf == 0 || (len(t.Assignment) > 0 && rf != t.ReplicationFactor) {
			continue
		}
		cur := r.sc.Broker.MinInsyncReplicas
		if t.Config.MinInsyncReplicas != nil {
			cur = *t.Config.MinInsyncReplicas
		}
		if rf == t.ReplicationFactor && isr == cur {
			continue
		}
		fig := figWritable
		if hit.Row.Verdict == VerdictDataLoss {
			fig = figLost
		}
		brokers := 0
		for _, s := range r.sc.Sites {
			brokers += s.Brokers
		}
		if rf > brokers {
			continue
		}
		sets := []Setting{{Path: fmt.Sprintf("topics[%d].config.min.insync.replicas", i), Value: strconv.Itoa(isr)}}
		setting := "min.insync.replicas"
		value := strconv.Itoa(isr)
		if rf != t.ReplicationFactor {
			sets = append([]Setting{{Path: fmt.Sprintf("topics[%d].replication.factor", i), Value: strconv.Itoa(rf)}}, sets...)
			setting, value = "replication.factor, min.insync.replicas", fmt.Sprintf("%d, %d", rf, isr)
		}
		out = append(out, change{on: hit, fig: fig, sets: sets, rec: Recommendation{Setting: setting + " (topic " + t.Name + ")", Value: value,
			Why: fmt.Sprintf("over %d broker sites, RF %d puts %d replicas in each: min ISR %d keeps every acknowledged record in two sites and leaves %d in-sync replicas when a site is lost",
				sites, rf, rf/sites, isr, rf-rf/sites), Figure: fig.name + " (" + hit.Name + ")"}})
	}
	return out
}

// ReplicationFor returns the smallest replication factor, a multiple of sites and at least rf,
// and the min.insync.replicas, with which an acknowledged record is in two sites and writes go
// on through the loss of one site (minISRCandidates); 0, 0 when there is none (two sites: RF/2
// + 1 > RF/2 always, so no min ISR does both, whatever the RF).
func ReplicationFor(rf, sites int) (int, int) {
	if sites < 3 {
		return 0, 0
	}
	n := max(rf, sites)
	n = (n + sites - 1) / sites * sites
	per := n / sites
	if per+1 <= n-per {
		return n, per + 1
	}
	return 0, 0
}

// controllerCandidates: two sites hold the cluster (client-only sites aside) and one of them has
// the voter majority: losing it loses the quorum (a "control plane down" verdict). A third,
// tie-breaker site with one voter, the others spread one per broker site, keeps a majority
// through any one site's loss.
func (r *DesignReview) controllerCandidates() []change {
	var down *reviewCase
	for _, c := range r.failures {
		if len(c.Dark) > 0 && c.Row.Verdict == VerdictControlPlaneDown {
			down = c
			break
		}
	}
	withCtl, cluster := 0, 0
	for _, s := range r.sc.Sites {
		if s.Controllers > 0 {
			withCtl++
		}
		if s.Brokers > 0 || s.Controllers > 0 {
			cluster++
		}
	}
	if down == nil || cluster != 2 || withCtl == 0 {
		return nil
	}
	var items []string
	for _, s := range r.sc.Sites {
		voters := 1
		if s.Brokers == 0 && s.Controllers == 0 {
			voters = 0 // a client-only site stays one
		}
		items = append(items, fmt.Sprintf("{name: %s, brokers: %d, controllers: %d%s}", s.Name, s.Brokers, voters, racksFlow(s.Racks)))
	}
	items = append(items, "{name: tie-breaker, brokers: 0, controllers: 1}")
	sites := "[" + strings.Join(items, ", ") + "]"
	return []change{{on: down, fig: figCtrl, sets: []Setting{{Path: "sites", Value: sites}}, rec: Recommendation{
		Setting: "controller placement (sites[].controllers)", Value: "one voter in each broker site and one in a third, tie-breaker site",
		Why:    fmt.Sprintf("the KRaft quorum needs a majority of voters: with the majority in %s, losing it stops the control plane (no fencing, elections or ISR changes)", strings.Join(down.Dark, ", ")),
		Figure: figCtrl.name + " (" + down.Name + ")"}}}
}

func racksFlow(racks []string) string {
	if len(racks) == 0 {
		return ""
	}
	return ", racks: [" + strings.Join(racks, ", ") + "]"
}
