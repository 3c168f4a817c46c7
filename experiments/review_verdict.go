package experiments

import (
	"fmt"
	"math"
	"time"

	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// Verdicts of a failure case, least severe first. A case gets the most severe verdict of its
// runs (one per seed); a run gets the first rule of judgeRun that applies.
const (
	VerdictOK               = "ok"
	VerdictDegraded         = "degraded"
	VerdictWritesStop       = "writes stop"
	VerdictControlPlaneDown = "control plane down"
	VerdictDataLoss         = "data loss"
	// VerdictRunFailed marks a case none of whose runs produced a summary (a panic, an
	// invariant broken: a bug to report), or some of them.
	VerdictRunFailed = "run failed"
)

// verdictRank orders the verdicts by severity.
var verdictRank = map[string]int{VerdictOK: 0, VerdictDegraded: 1, VerdictWritesStop: 2,
	VerdictControlPlaneDown: 3, VerdictDataLoss: 4, VerdictRunFailed: 5}

// The thresholds of the verdict rules (judgeRun).
const (
	// DegradedWaitSeconds: a producer that waited this long for an acknowledgement was stalled.
	// A healthy stretch cluster acknowledges in milliseconds; a leader election after a hard
	// crash takes a few hundred ms; one second is a stall a user notices.
	DegradedWaitSeconds = 1.0
	// DegradedThroughputRatio: acknowledged bytes over the fault window below this share of the
	// baseline's acknowledged rate (of the producers the fault left running) is "slower".
	DegradedThroughputRatio = 0.9
	// WritesStopWaitShare: a producer that waited this share of the fault's duration or more
	// for an acknowledgement could not write some partition for the fault's duration (a leader
	// it cannot reach that the controller keeps, since the leader still heartbeats).
	WritesStopWaitShare = 0.9
	// DegradedControllerSeconds: this long without an active controller (a KRaft election) is a
	// degraded control plane.
	DegradedControllerSeconds = 1.0
)

// FailureRow is one row of the failure matrix: a fault, its verdict and the figures behind it,
// the worst over the case's runs.
type FailureRow struct {
	Failure string `json:"failure"`
	// Fault is the fault as a scenario faults item: `stretchsim run` replays it.
	Fault   string `json:"fault"`
	Verdict string `json:"verdict"`
	// Why names the rule that gave the verdict and the figure that met it.
	Why              string `json:"why"`
	AckedRecordsLost int64  `json:"acked_records_lost"`
	// MaxUnavailableSeconds is the longest a producer waited for an acknowledgement
	// (availability.max_unavailable_seconds), the largest over the runs; nil with no sample.
	MaxUnavailableSeconds *float64 `json:"max_unavailable_seconds"`
	// WritableFraction is the share of partition-time writable with acks=all during the fault
	// window [start, end), the smallest over the runs (windowStats).
	WritableFraction *float64 `json:"writable_fraction"`
	// ReadsAvailable: every partition had a leader to read from through the second half of
	// the fault window, in every run.
	ReadsAvailable bool `json:"reads_available"`
	// ControllerUnavailableSeconds is the time without an active controller in the measured
	// window (controller.unavailable_seconds), the largest over the runs.
	ControllerUnavailableSeconds float64 `json:"controller_unavailable_seconds"`
	Runs                         int     `json:"runs"`
	FailedRuns                   int     `json:"failed_runs"`
}

// windowStats are the figures of the fault window [start, end) read from a run's time series.
// A sample at time t covers (t - interval, t]: the window holds the samples with
// start < t <= end. "Throughout" means every sample of the second half of the window (those
// with t > start + (end-start)/2; all of the window's when the second half has none): the first
// half leaves the cluster time to see the fault (broker.session.timeout.ms, 9 s, before a
// fencing; replica.lag.time.max.ms, 30 s, before an ISR shrink), the second shows whether it
// then went on working.
type windowStats struct {
	Samples int
	// WritableFraction is 1 - the mean over the window of unwritable/partitions: the series'
	// unwritable_partitions (no live leader, a dark leader included, or a committed ISR below
	// min ISR), or, in a series without it, max(UnderMinIsrPartitionCount,
	// OfflinePartitionsCount) (the two overlap: an offline partition's ISR may be below min ISR).
	WritableFraction float64
	// UnwritableThroughout: some partition could not take acks=all writes at every sample of
	// the second half.
	UnwritableThroughout bool
	// OfflineAny: some partition had no leader at some sample of the second half.
	OfflineAny bool
	// ControllerDownThroughout: ActiveControllerCount was 0 at every sample of the second half.
	ControllerDownThroughout bool
	// ProduceBytesPerSec is the mean acknowledged rate over the window.
	ProduceBytesPerSec float64
}

// windowOf reads the window [start, end) of ser for a cluster of partitions partitions; ok is
// false when the series lacks a column or has no sample in the window.
func windowOf(ser *seriesData, start, end time.Duration, partitions int) (w windowStats, ok bool) {
	ct, cu, co, cc, cp := ser.col("time_s"), ser.col("UnderMinIsrPartitionCount"), ser.col("OfflinePartitionsCount"),
		ser.col("ActiveControllerCount"), ser.col("produce_bytes_per_sec")
	if ct < 0 || cu < 0 || co < 0 || cc < 0 || cp < 0 || partitions <= 0 {
		return w, false
	}
	s, e := start.Seconds(), end.Seconds()
	half := s + (e-s)/2
	var rows, late [][]float64
	for _, row := range ser.Rows {
		if t := row[ct]; t > s && t <= e+1e-9 {
			rows = append(rows, row)
			if t > half {
				late = append(late, row)
			}
		}
	}
	if len(rows) == 0 {
		return w, false
	}
	if len(late) == 0 {
		late = rows
	}
	w.Samples = len(rows)
	cw := ser.col("unwritable_partitions")
	unw := func(row []float64) float64 {
		if cw >= 0 {
			return nz(row[cw])
		}
		return math.Max(nz(row[cu]), nz(row[co]))
	}
	var unwritable, produce float64
	for _, row := range rows {
		unwritable += math.Min(unw(row), float64(partitions)) / float64(partitions)
		produce += nz(row[cp])
	}
	w.WritableFraction = 1 - unwritable/float64(len(rows))
	w.ProduceBytesPerSec = produce / float64(len(rows))
	w.UnwritableThroughout, w.ControllerDownThroughout = true, true
	for _, row := range late {
		w.UnwritableThroughout = w.UnwritableThroughout && unw(row) >= 1
		w.ControllerDownThroughout = w.ControllerDownThroughout && nz(row[cc]) == 0
		w.OfflineAny = w.OfflineAny || nz(row[co]) >= 1
	}
	return w, true
}

// nz reads a missing sample (NaN) as 0.
func nz(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// caseRun is what one run of a failure case showed.
type caseRun struct {
	AckedRecordsLost int64
	MaxWaitSeconds   float64 // longest producer wait for an ack (0 without a sample)
	// FailedRecords are records the producers gave up on, not counting those lost with a
	// producer's own host (a site outage takes the site's clients down).
	FailedRecords           int64
	ControllerUnavailable   float64
	Window                  windowStats
	ExpectedProduceBytesSec float64 // the baseline's acknowledged rate of the producers left running
	FaultSeconds            float64 // the fault's duration
	// ProducersDark is set when the fault took down a producer's own site: its wait for acks
	// is its host's outage, not the cluster's, and the wait rules do not apply.
	ProducersDark bool
}

// judgeRun gives one run's verdict and why, by the first rule that applies:
//
//  1. data loss: an acknowledged record was lost (durability.acked_records_lost > 0).
//  2. control plane down: no active controller at every sample of the second half of the fault
//     window (windowStats): the KRaft quorum was lost, not just re-electing.
//  3. writes stop: some partition was unwritable with acks=all (ISR below min.insync.replicas,
//     or no leader) at every sample of the second half of the fault window: producers get
//     NOT_ENOUGH_REPLICAS (or time out) for as long as the fault lasts. Or a producer waited
//     WritesStopWaitShare of the fault's duration or more for an ack (unless the fault took
//     its own site down): a partition it could not write while the fault lasted.
//  4. degraded: nothing lost and writes went on, but a producer waited DegradedWaitSeconds or
//     more for an ack, or records failed, or some partition-time in the window was unwritable,
//     or the window's acknowledged rate fell below DegradedThroughputRatio of the baseline's
//     (the producers the fault left running), or the controller was away
//     DegradedControllerSeconds or more.
//  5. ok: none of these.
func judgeRun(c caseRun) (verdict, why string) {
	w := c.Window
	switch {
	case c.AckedRecordsLost > 0:
		return VerdictDataLoss, fmt.Sprintf("%d acknowledged records lost", c.AckedRecordsLost)
	case w.ControllerDownThroughout:
		return VerdictControlPlaneDown, "no active controller through the fault"
	case w.UnwritableThroughout:
		return VerdictWritesStop, fmt.Sprintf("a partition below min.insync.replicas or offline through the fault (writable %.2f of partition-time)", w.WritableFraction)
	case !c.ProducersDark && c.FaultSeconds > 0 && c.MaxWaitSeconds >= WritesStopWaitShare*c.FaultSeconds:
		return VerdictWritesStop, fmt.Sprintf("a producer waited %.1f s for an ack, the fault lasted %.0f s", c.MaxWaitSeconds, c.FaultSeconds)
	case !c.ProducersDark && c.MaxWaitSeconds >= DegradedWaitSeconds:
		return VerdictDegraded, fmt.Sprintf("a producer waited %.1f s for an ack", c.MaxWaitSeconds)
	case c.FailedRecords > 0:
		return VerdictDegraded, fmt.Sprintf("%d records failed (not acknowledged, none lost)", c.FailedRecords)
	case w.WritableFraction < 1:
		return VerdictDegraded, fmt.Sprintf("writable %.3f of partition-time during the fault", w.WritableFraction)
	case c.ExpectedProduceBytesSec > 0 && w.ProduceBytesPerSec < DegradedThroughputRatio*c.ExpectedProduceBytesSec:
		return VerdictDegraded, fmt.Sprintf("acknowledged %s during the fault, %.0f%% of the baseline", FormatRate(w.ProduceBytesPerSec),
			100*w.ProduceBytesPerSec/c.ExpectedProduceBytesSec)
	case c.ControllerUnavailable >= DegradedControllerSeconds:
		return VerdictDegraded, fmt.Sprintf("%.1f s without an active controller", c.ControllerUnavailable)
	}
	return VerdictOK, "no stall, nothing lost"
}

// judgeCase judges every run of c and makes its row: the worst verdict and figures.
func judgeCase(r *DesignReview, c *reviewCase, start, end time.Duration) FailureRow {
	row := FailureRow{Failure: c.Name, Fault: c.Fault, Verdict: VerdictOK, Runs: len(c.Sums), ReadsAvailable: true}
	partitions := 0
	for _, t := range r.sc.Topics {
		partitions += t.Partitions
	}
	expected := 0.0
	if r.Baseline.Produce.ThroughputBytesPerSec != nil {
		expected = *r.Baseline.Produce.ThroughputBytesPerSec * aliveShare(r, c.Dark, start, end)
	}
	worst := -1
	for i, s := range c.Sums {
		w, ok := windowStats{}, false
		if s != nil && c.Sers[i] != nil {
			w, ok = windowOf(c.Sers[i], start, end, partitions)
		}
		if !ok {
			row.FailedRuns++
			continue
		}
		cr := caseRun{AckedRecordsLost: s.Durability.AckedRecordsLost, FailedRecords: s.Produce.FailedRecords - s.Produce.ClientCrashedRecords,
			ControllerUnavailable: s.Controller.UnavailableSeconds, Window: w, ExpectedProduceBytesSec: expected,
			FaultSeconds: (end - start).Seconds(), ProducersDark: producersIn(r, c.Dark)}
		if s.Availability.MaxUnavailableSeconds != nil {
			cr.MaxWaitSeconds = *s.Availability.MaxUnavailableSeconds
			row.MaxUnavailableSeconds = maxPtr(row.MaxUnavailableSeconds, cr.MaxWaitSeconds)
		}
		v, why := judgeRun(cr)
		if verdictRank[v] > worst {
			worst, row.Verdict, row.Why = verdictRank[v], v, why
		}
		row.AckedRecordsLost = max(row.AckedRecordsLost, cr.AckedRecordsLost)
		if row.WritableFraction == nil || w.WritableFraction < *row.WritableFraction {
			f := w.WritableFraction
			row.WritableFraction = &f
		}
		row.ReadsAvailable = row.ReadsAvailable && !w.OfflineAny
		row.ControllerUnavailableSeconds = max(row.ControllerUnavailableSeconds, cr.ControllerUnavailable)
	}
	if row.FailedRuns > 0 {
		row.Verdict = VerdictRunFailed
		row.Why = fmt.Sprintf("%d of %d runs failed (see the runs' records: a bug to report)", row.FailedRuns, row.Runs)
		if row.FailedRuns == row.Runs {
			row.ReadsAvailable = false
		}
	}
	return row
}

func maxPtr(p *float64, v float64) *float64 {
	if p != nil && *p >= v {
		return p
	}
	return &v
}

// aliveShare is the acknowledged rate expected during the fault window [start, end) relative to
// the baseline's: what the producers outside the dark sites offer in that window over what all
// of them offer in the baseline's measured window. For single rates that is the share of the
// offered rate from producers outside the dark sites; a rate that changes over the run counts
// at its mean over each window.
func aliveShare(r *DesignReview, dark []string, start, end time.Duration) float64 {
	total := OfferedBytesPerSec(r.sc)
	if total == 0 {
		return 0
	}
	alive := offeredIn(r.sc, start, end, func(p scenario.Producer) bool { return !contains(dark, p.Site) })
	return alive / total
}

// producersIn reports whether some producer runs in one of sites.
func producersIn(r *DesignReview, sites []string) bool {
	for _, p := range r.sc.Producers {
		if contains(sites, p.Site) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
