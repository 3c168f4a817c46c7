package experiments

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes the summary as indented JSON. Map keys are sorted, so equal summaries give
// equal bytes.
func WriteJSON(w io.Writer, s *Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

// WriteSeriesCSV writes the time series with a header row. A NaN, a figure with no samples in
// its interval, is an empty cell.
func WriteSeriesCSV(w io.Writer, columns []string, rows [][]float64) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(columns); err != nil {
		return err
	}
	rec := make([]string, len(columns))
	for _, row := range rows {
		for i, v := range row {
			rec[i] = ""
			if !math.IsNaN(v) {
				rec[i] = strconv.FormatFloat(v, 'g', 10, 64)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteText writes the summary as a report for a person. A figure with no samples (a latency
// when nothing was acknowledged, a rate over no measured time) reads "n/a".
func WriteText(w io.Writer, s *Summary) error {
	var b strings.Builder
	// 60, 0.3: as exact as a configured duration; a time reached by an interrupt to the ms.
	secs := func(v float64) string { return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64) }
	if s.Partial {
		fmt.Fprintf(&b, "PARTIAL: interrupted at %s s of %s s simulated; the figures cover the time reached\n",
			secs(s.SimulatedSeconds), secs(s.DurationSeconds))
	}
	fmt.Fprintf(&b, "scenario %s, seed %d: %s s simulated (%s s measured after warm-up), %d %s, %.2f s wall\n\n",
		s.Scenario, s.Seed, secs(s.SimulatedSeconds), secs(s.MeasuredSeconds), s.Events, plural(int64(s.Events), "event", "events"), s.WallSeconds)
	writeProduce(&b, &s.Produce, s.Saturation, len(s.Faults) > 0)
	writeConsume(&b, &s.Consume)
	writeISR(&b, &s.ISR)
	a, d, k := s.Availability, s.Durability, s.Controller
	fmt.Fprintf(&b, "avail     writable %s of partition-time; offline %.1f partition-s; longest wait for an ack %s\n",
		figureText(a.WritableFraction, 4, ""), a.OfflinePartitionSeconds, figureText(a.MaxUnavailableSeconds, 3, " s"))
	switch {
	case a.Recovered == nil:
	case *a.Recovered:
		fmt.Fprintf(&b, "          every partition writable %s s after the last fault ended\n", secs(*a.RecoverySeconds))
	default:
		fmt.Fprintf(&b, "          NOT RECOVERED: a partition is still unwritable %s s after the last fault ended\n", secs(*a.RecoverySeconds))
	}
	power := ""
	if d.AckedRecordsLostPowerLoss > 0 {
		power = fmt.Sprintf(" (%d to power loss)", d.AckedRecordsLostPowerLoss)
	}
	fmt.Fprintf(&b, "durable   %d acknowledged %s lost%s; ISR=1 %.1f partition-s\n", d.AckedRecordsLost, plural(d.AckedRecordsLost, "record", "records"), power, d.IsrOnePartitionSeconds)
	fmt.Fprintf(&b, "control   %d controller %s, %.2f s without an active controller, %d %s fenced, %d leader %s (%d unclean)\n",
		k.Elections, plural(k.Elections, "election", "elections"), k.UnavailableSeconds,
		k.BrokerFencings, plural(k.BrokerFencings, "broker", "brokers"),
		k.LeaderElections, plural(k.LeaderElections, "election", "elections"), k.UncleanLeaderElections)
	n := s.Network.CrossSiteBytes
	fmt.Fprintf(&b, "network   %s cross-site in the measured window\n", bytesText(n.Total))
	for _, k := range slices.Sorted(mapsKeys(n.Pairs)) {
		fmt.Fprintf(&b, "          %-24s %s\n", k, bytesText(n.Pairs[k]))
	}
	writeLimits(&b, s.Limits)
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if err := writeBrokers(w, s.Brokers); err != nil {
		return err
	}
	if len(s.Faults) > 0 {
		if _, err := fmt.Fprintf(w, "\nfaults:\n  %s\n", strings.Join(s.Faults, "\n  ")); err != nil {
			return err
		}
	}
	return writeInvariants(w, s.Invariants)
}

// topLimits is how many limits the text report names; the JSON has them all.
const topLimits = 3

// writeLimits writes the most binding limits on one line, with the share of the measured window
// each made something wait.
func writeLimits(b *strings.Builder, ls []LimitSummary) {
	if len(ls) == 0 {
		b.WriteString("limits    nothing waited for a limit\n")
		return
	}
	parts := make([]string, 0, topLimits)
	for _, l := range ls[:min(len(ls), topLimits)] {
		parts = append(parts, fmt.Sprintf("%s %s %s %.0f%%", l.Mechanism, l.Setting, l.Where, l.Share*100))
	}
	fmt.Fprintf(b, "limits    %s\n", strings.Join(parts, "; "))
}

// compressed reports whether a run's producers (or consumers) compressed: their cores spent time
// on it, or, with a codec speed given as unlimited, fewer bytes went on the wire than records.
func compressed(cores float64, wire, records *float64) bool {
	return cores > 0 || (wire != nil && records != nil && *wire < *records)
}

func writeProduce(b *strings.Builder, p *ProduceSummary, sat *Saturation, faulted bool) {
	fmt.Fprintf(b, "produce   %s acknowledged (%s), %d failed\n", rateText(p.ThroughputBytesPerSec), records(p.AckedRecords), p.FailedRecords)
	if sat != nil && sat.Saturated {
		fmt.Fprintf(b, "          %s\n", saturatedText(sat, faulted))
	}
	fmt.Fprintf(b, "          latency ms  %s\n", pctText(p.LatencyMs))
	fmt.Fprintf(b, "          broker produce TotalTimeMs  %s\n", pctText(p.BrokerTotalTimeMs))
	if compressed(p.CompressionCores, p.WireBytesPerSec, p.ThroughputBytesPerSec) {
		fmt.Fprintf(b, "          on the wire %s compressed, batch headers included; compression keeps %.3f producer cores busy\n",
			rateText(p.WireBytesPerSec), p.CompressionCores)
	}
	if len(p.Errors) > 0 {
		fmt.Fprintf(b, "          errors      %s\n", countsText(p.Errors))
	}
	if p.ClientCrashedRecords > 0 {
		fmt.Fprintf(b, "          client crash  %s lost with the producer's host (among the failed; not a Kafka error)\n", records(p.ClientCrashedRecords))
	}
}

// writeConsume writes the consumers' lines; a scenario without consumers has none.
func writeConsume(b *strings.Builder, c *ConsumeSummary) {
	if c.Consumers == 0 && c.Records == 0 {
		return
	}
	fmt.Fprintf(b, "consume   %s (%s)\n", rateText(c.ThroughputBytesPerSec), records(c.Records))
	fmt.Fprintf(b, "          end-to-end ms  %s\n", pctText(c.EndToEndLatencyMs))
	if compressed(c.DecompressionCores, c.WireBytesPerSec, c.ThroughputBytesPerSec) {
		fmt.Fprintf(b, "          fetched %s on the wire, compressed; decompression keeps %.3f consumer cores busy\n",
			rateText(c.WireBytesPerSec), c.DecompressionCores)
	}
	for _, k := range c.ByConsumer {
		writeConsumer(b, &k)
	}
}

// writeConsumer writes one consumer's line: its records, records-lag-max and time to catch up,
// and what it delivered twice or skipped.
func writeConsumer(b *strings.Builder, k *ConsumerSummary) {
	secs := func(v float64) string { return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64) }
	lag := notAvailable
	if k.RecordsLagMax != nil {
		lag = strconv.FormatInt(*k.RecordsLagMax, 10)
	}
	var catchUp string
	switch {
	case k.CatchUpSinceSeconds == nil:
		catchUp = "never started"
	case k.CaughtUp:
		catchUp = fmt.Sprintf("caught up in %s s from %s s", secs(*k.CatchUpSeconds), secs(*k.CatchUpSinceSeconds))
	default:
		catchUp = fmt.Sprintf("NEVER caught up from %s s", secs(*k.CatchUpSinceSeconds))
	}
	fmt.Fprintf(b, "          %s (group %s): %s, records-lag-max %s, %s", k.Name, k.Group, records(k.Records), lag, catchUp)
	if k.DuplicateRecords > 0 {
		fmt.Fprintf(b, ", %s delivered twice", records(k.DuplicateRecords))
	}
	if k.SkippedRecords > 0 {
		fmt.Fprintf(b, ", %s skipped (auto.offset.reset=latest)", records(k.SkippedRecords))
	}
	if k.NoOffset {
		b.WriteString(", no committed offset (NoOffsetForPartitionException)")
	}
	b.WriteString("\n")
}

func writeISR(b *strings.Builder, i *ISRSummary) {
	// A fenced broker leaves the ISRs by the controller's hand, not by a leader's shrink: both are
	// shown, or an outage reads as expands that nothing shrank.
	fmt.Fprintf(b, "isr       %d %s (leader), %d %s by the controller (fenced or stopped brokers), %d %s\n",
		i.Shrinks, plural(i.Shrinks, "shrink", "shrinks"), i.ControllerRemovals, plural(i.ControllerRemovals, "removal", "removals"),
		i.Expands, plural(i.Expands, "expand", "expands"))
	fmt.Fprintf(b, "          partition-seconds under-replicated %.1f, under min ISR %.1f, at min ISR %.1f, ISR=1 %.1f\n",
		i.UnderReplicatedPartitionSeconds, i.UnderMinIsrPartitionSeconds, i.AtMinIsrPartitionSeconds, i.IsrOnePartitionSeconds)
}

func writeBrokers(w io.Writer, bs []BrokerSummary) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BROKER\tSITE\tLEADERS\tBYTES IN/S\tREPLICATION IN/S\tISR SHRINKS\tISR EXPANDS\tFAILED PRODUCE")
	for _, b := range bs {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%d\t%d\t%d\n", b.ID, b.Site, b.Leaders, rateText(b.BytesInPerSec),
			rateText(b.ReplicationBytesIn), b.IsrShrinks, b.IsrExpands, b.FailedProduceRequests)
	}
	return tw.Flush()
}

func writeInvariants(w io.Writer, inv InvariantsSummary) error {
	if len(inv.Violations) == 0 {
		_, err := fmt.Fprintln(w, "\ninvariants: all held")
		return err
	}
	n := int64(len(inv.Violations))
	if _, err := fmt.Fprintf(w, "\ninvariants: %d %s\n", n, plural(n, "violation", "violations")); err != nil {
		return err
	}
	for _, v := range inv.Violations {
		if _, err := fmt.Fprintf(w, "  %s\n", v); err != nil {
			return err
		}
	}
	return nil
}

// notAvailable stands for a figure with no samples.
const notAvailable = "n/a"

func pctText(p *Percentiles) string {
	if p == nil {
		return notAvailable
	}
	return fmt.Sprintf("p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f", p.P50, p.P90, p.P99, p.P999, p.Max)
}

// figureText formats v with the given decimals, followed by unit, or "n/a".
func figureText(v *float64, decimals int, unit string) string {
	if v == nil {
		return notAvailable
	}
	return strconv.FormatFloat(*v, 'f', decimals, 64) + unit
}

func countsText(m map[string]int64) string {
	var parts []string
	for _, k := range slices.Sorted(mapsKeys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// rateText formats bytes per second in SI units ("20.0 MB/s"), or "n/a".
func rateText(v *float64) string {
	if v == nil {
		return notAvailable
	}
	return siText(*v) + "B/s"
}

func bytesText(v int64) string { return siText(float64(v)) + "B" }

func siText(v float64) string {
	for _, u := range []struct {
		f float64
		s string
	}{{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if v >= u.f {
			return strconv.FormatFloat(v/u.f, 'f', 1, 64) + " " + u.s
		}
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " "
}

// records is n records, with thousands grouped: "1 record", "975,516 records".
func records(n int64) string { return grouped(n) + " " + plural(n, "record", "records") }

// plural returns one when n is 1, else many.
func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// saturatedText says that a run's producers fell behind, and why. In a run with faults the
// shortfall may be theirs (writes that stopped, retries that expired), not the load's.
func saturatedText(sat *Saturation, faulted bool) string {
	if faulted {
		return "BEHIND: the producers fell behind their offered load, the faults' effects included (" + strings.Join(sat.Reasons, "; ") + ")"
	}
	return "SATURATED: the producers' backlog grows (" + strings.Join(sat.Reasons, "; ") + ")"
}
