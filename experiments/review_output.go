package experiments

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// WriteReviewJSON writes the reviews: one object for one design, an array for several.
func WriteReviewJSON(w io.Writer, reviews []*DesignReview) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if len(reviews) == 1 {
		return enc.Encode(reviews[0])
	}
	return enc.Encode(reviews)
}

// WriteReviewText writes each review for the terminal, then, for several designs, their verdicts
// side by side.
func WriteReviewText(w io.Writer, reviews []*DesignReview, opts ReviewOptions) error {
	opts.defaults()
	for i, r := range reviews {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := writeOneReview(w, r, opts); err != nil {
			return err
		}
	}
	if len(reviews) > 1 {
		fmt.Fprintln(w)
		return writeSideBySide(w, reviews)
	}
	return nil
}

func writeOneReview(w io.Writer, r *DesignReview, opts ReviewOptions) error {
	fmt.Fprintf(w, "design %s (%s)\n", r.Scenario, r.Design)
	if r.Baseline == nil {
		fmt.Fprintln(w, "  interrupted before the baseline ended")
		return nil
	}
	writeBaselineText(w, r)
	fmt.Fprintf(w, "\nfailures: each fault %v from %v (warm-up + %v), %d seed(s), runs go on %v after it\n",
		opts.FaultDuration, r.sc.Warmup+opts.Lead, opts.Lead, opts.Replications, opts.Recovery)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FAILURE\tVERDICT\tACKED LOST\tLONGEST PRODUCER WAIT\tWRITABLE DURING FAULT\tREADS GO ON\tCONTROL PLANE")
	for _, f := range r.Failures {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", f.Failure, strings.ToUpper(f.Verdict), f.AckedRecordsLost,
			waitText(f.MaxUnavailableSeconds), shareText(f.WritableFraction), yesNo(f.ReadsAvailable), controlText(f.ControllerUnavailableSeconds))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, f := range r.Failures {
		if f.Verdict != VerdictOK {
			fmt.Fprintf(w, "  %s: %s — %s\n", f.Failure, f.Verdict, f.Why)
		}
	}
	writeRecommendationsText(w, r)
	writePathText(w, r)
	writeCostText(w, r)
	if r.Interrupted {
		fmt.Fprintln(w, "\ninterrupted: the same command resumes the review")
	}
	return nil
}

func writeBaselineText(w io.Writer, r *DesignReview) {
	b, sat := r.Baseline, r.Saturation
	state := "keeps up"
	if sat.Saturated {
		state = saturatedText(sat, false)
	}
	fmt.Fprintf(w, "baseline  no faults, %.0f s measured: offered %s, acknowledged %s — %s\n", b.MeasuredSeconds,
		FormatRate(sat.OfferedBytesPerSec), FormatRate(sat.AckedBytesPerSec), state)
	if l := b.Produce.LatencyMs; l != nil {
		fmt.Fprintf(w, "          produce latency ms p50 %.2f p99 %.2f max %.2f", l.P50, l.P99, l.Max)
		if e := b.Consume.EndToEndLatencyMs; e != nil {
			fmt.Fprintf(w, "; end-to-end p99 %.2f", e.P99)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "          ISR churn: %d shrinks, %d expands; %d records failed\n", b.ISR.Shrinks, b.ISR.Expands, b.Produce.FailedRecords)
	if len(r.Limits) == 0 {
		fmt.Fprintln(w, "limits    none reported")
		return
	}
	fmt.Fprintln(w, "limits    (what made bytes or requests wait, most binding first; share of the window, 1% or more)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, l := range bindingLimits(r.Limits) {
		fmt.Fprintf(tw, "          %s\t%s\t%s\t%.0f%%\n", l.Mechanism, l.Setting, l.Where, 100*l.Share)
	}
	tw.Flush()
}

func writeRecommendationsText(w io.Writer, r *DesignReview) {
	fmt.Fprintln(w, "\nrecommendations (each measured by a re-run with the change)")
	if !r.recommended && !r.recommendCut {
		fmt.Fprintln(w, "  not run (--no-recommend, or the review was interrupted before them)")
		return
	}
	switch {
	case r.recommendCut:
		defer fmt.Fprintln(w, "  interrupted: the changes after these were not tried")
	case len(r.Recommendations) == 0:
		fmt.Fprintln(w, "  none: no change tried helped, or none was called for")
	}
	for i, c := range r.Recommendations {
		fmt.Fprintf(w, "  %d. %s = %s\n     why: %s\n     %s: %s -> %s\n", i+1, c.Setting, c.Value, c.Why, c.Figure, numText(c.Before), numText(c.After))
	}
}

// writePathText writes a design's path (to its offered load, or to a lower p99), and the
// overrides that reproduce it; for a saturated design without one, why.
func writePathText(w io.Writer, r *DesignReview) {
	if r.Saturation == nil || !r.pathed || (!r.Saturation.Saturated && len(r.Path) == 0) {
		return
	}
	fmt.Fprintf(w, "\n%s (each step re-run on top of the steps before it)\n", r.pathTitle())
	if len(r.Path) == 0 {
		fmt.Fprintf(w, "  none found: %s\n", r.pathNote)
		return
	}
	for i, s := range r.Path {
		fmt.Fprintf(w, "  %d. %s = %s\n     %s", i+1, s.Setting, s.Value, s.Change())
		if s.Lifted != "" {
			fmt.Fprintf(w, "; lifts %s", s.Lifted)
		}
		switch {
		case !s.Saturated:
			fmt.Fprint(w, "; keeps up")
		case s.Next != "":
			fmt.Fprintf(w, "; next binds %s", s.Next)
		}
		fmt.Fprintln(w)
	}
	if last := r.Path[len(r.Path)-1]; last.Saturated {
		fmt.Fprintf(w, "  still saturated: %s\n", r.pathNote)
	}
	fmt.Fprintf(w, "  all together: %s\n", setFlags(pathSets(r.Path)))
}

// setFlags writes overrides as the command line takes them: --set 'PATH=VALUE' ...
func setFlags(sets []string) string {
	var b strings.Builder
	for i, s := range sets {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("--set '" + s + "'")
	}
	return b.String()
}

func writeCostText(w io.Writer, r *DesignReview) {
	c := r.Cost
	fmt.Fprintf(w, "\ncost      cross-site traffic US$%s a month at $%.3g/GB each way", moneyText(c.MonthlyUSD), c.PricePerGB)
	if c.MonthlyUSDWithFollowerFetching != nil {
		fmt.Fprintf(w, "; with follower fetching US$%s", moneyText(*c.MonthlyUSDWithFollowerFetching))
	}
	fmt.Fprintln(w)
	for _, p := range c.Pairs {
		fmt.Fprintf(w, "          %-24s %10.0f GB/month  US$%s\n", p.Pair, p.GBPerMonth, moneyText(p.MonthlyUSD))
	}
}

// writeSideBySide writes one column per design: the verdict of each failure.
func writeSideBySide(w io.Writer, reviews []*DesignReview) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"FAILURE"}
	for _, r := range reviews {
		head = append(head, strings.ToUpper(r.Scenario))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, name := range failureNames(reviews) {
		cells := []string{name}
		for _, r := range reviews {
			cells = append(cells, verdictOf(r, name))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	cost := []string{"cost US$/month"}
	for _, r := range reviews {
		cost = append(cost, moneyText(r.Cost.MonthlyUSD))
	}
	fmt.Fprintln(tw, strings.Join(cost, "\t"))
	return tw.Flush()
}

// failureNames lists every failure of the reviews once, in first-seen order.
func failureNames(reviews []*DesignReview) []string {
	var names []string
	seen := map[string]bool{}
	for _, r := range reviews {
		for _, f := range r.Failures {
			if !seen[f.Failure] {
				seen[f.Failure] = true
				names = append(names, f.Failure)
			}
		}
	}
	return names
}

func verdictOf(r *DesignReview, failure string) string {
	for _, f := range r.Failures {
		if f.Failure == failure {
			return f.Verdict
		}
	}
	return "-"
}

func waitText(v *float64) string {
	if v == nil {
		return notAvailable
	}
	return fmt.Sprintf("%.2f s", *v)
}

func shareText(v *float64) string {
	if v == nil {
		return notAvailable
	}
	return fmt.Sprintf("%.3f", *v)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "NO"
}

func controlText(s float64) string {
	if s == 0 {
		return "up"
	}
	return fmt.Sprintf("%.1f s without controller", s)
}

func numText(v *float64) string {
	if v == nil {
		return notAvailable
	}
	if math.Abs(*v) >= 1000 {
		return moneyText(*v)
	}
	return fmt.Sprintf("%.4g", *v)
}

// moneyText writes dollars with thousands separators, no cents.
func moneyText(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ReviewFindings summarises on one line what makes the reviews fail (a saturated baseline, a
// verdict of writes stop, control plane down, data loss or run failed), or "" when nothing does.
func ReviewFindings(reviews []*DesignReview) string {
	var bad []string
	for _, r := range reviews {
		if r.Saturation != nil && r.Saturation.Saturated {
			bad = append(bad, r.Scenario+": saturated")
		}
		for _, f := range r.Failures {
			if verdictRank[f.Verdict] >= verdictRank[VerdictWritesStop] {
				bad = append(bad, r.Scenario+": "+f.Failure+": "+f.Verdict)
			}
		}
	}
	if len(bad) == 0 {
		return ""
	}
	if len(bad) > 3 {
		bad = append(bad[:3], fmt.Sprintf("and %d more", len(bad)-3))
	}
	return strings.Join(bad, "; ")
}

// bindingLimits are the limits with a share of 1% or more, at most 8.
func bindingLimits(ls []LimitSummary) []LimitSummary {
	var out []LimitSummary
	for _, l := range ls {
		if l.Share >= 0.01 && len(out) < 8 {
			out = append(out, l)
		}
	}
	return out
}
