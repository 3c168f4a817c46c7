package experiments

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WriteRunReport renders the report of the run whose results are in dir (summary.json,
// series.csv, and scenario.yaml and run.json when there): dir/report.html and the charts in
// dir/charts. It reads everything from disk, so that `stretchsim report DIR` gives what `run
// --out DIR` gave.
func WriteRunReport(dir string, opts ReportOptions) error {
	d, err := LoadRunDir(dir)
	if err != nil {
		return err
	}
	page, charts := runPage(d, opts)
	return writeReport(dir, page, charts)
}

// runPage builds the page and charts of a run's report.
func runPage(d *RunData, opts ReportOptions) (*reportPage, []ReportChart) {
	s := &d.Summary
	page := &reportPage{
		Title:       "Run " + s.Scenario,
		Subtitle:    fmt.Sprintf("seed %d, %s simulated, %s measured after the warm-up", s.Seed, secondsText(s.SimulatedSeconds), secondsText(s.MeasuredSeconds)),
		Headline:    runHeadline(s),
		Tables:      runTables(s),
		SourceTitle: "Scenario",
	}
	if s.Partial {
		page.Subtitle = fmt.Sprintf("PARTIAL: interrupted at %s of %s; ", secondsText(s.SimulatedSeconds), secondsText(s.DurationSeconds)) + page.Subtitle
	}
	switch {
	case d.Scenario != nil:
		page.Lede = describeScenario(d.Scenario)
	case d.ScenarioText != nil:
		page.Lede = "The scenario below could not be decoded here (a sample file it names is missing beside it), so it is not summarised."
	default:
		page.Lede = "This results directory has no scenario.yaml: the scenario is not known to the report."
	}
	page.Source = string(d.ScenarioText)
	if d.ScenarioText == nil {
		page.Source = "(no " + ScenarioFile + " in the results directory)"
	}
	page.Provenance = runProvenance(d, opts)
	tl := RunTimeline(d)
	charts := []ReportChart{{Name: "timeline", Title: "Timeline", Chart: tl, Size: sizeTimeline,
		Caption: "Every metrics interval of the run, the warm-up included (its end is the vertical line). Shaded: the faults. " +
			"Throughput, latency and traffic are per interval; partition and leader counts are sampled at each interval's end."}}
	return page, charts
}

// runHeadline is the headline table of a run: the figures a reader looks for first.
func runHeadline(s *Summary) []keyValue {
	p, a := s.Produce, s.Availability
	h := []keyValue{
		{"produce throughput", rateText(p.ThroughputBytesPerSec)},
		{"produce latency", latencyText(p.LatencyMs)},
		{"records acknowledged / failed", grouped(p.AckedRecords) + " / " + grouped(p.FailedRecords)},
	}
	if sat := s.Saturation; sat != nil && sat.OfferedBytesPerSec > 0 {
		v := FormatRate(sat.OfferedBytesPerSec)
		if sat.Saturated {
			v += ": " + saturatedText(sat, len(s.Faults) > 0)
		}
		h = slices.Insert(h, 1, keyValue{"produce offered", v}) // beside what was acknowledged
	}
	if compressed(p.CompressionCores, p.WireBytesPerSec, p.ThroughputBytesPerSec) {
		h = append(h, keyValue{"produced on the wire (compressed)",
			fmt.Sprintf("%s, %.3f producer cores compressing", rateText(p.WireBytesPerSec), p.CompressionCores)})
	}
	if s.Consume.Consumers > 0 {
		h = append(h, keyValue{"end-to-end latency", latencyText(s.Consume.EndToEndLatencyMs)})
	}
	h = append(h,
		keyValue{"ISR shrinks / expands / removals", fmt.Sprintf("%d / %d / %d", s.ISR.Shrinks, s.ISR.Expands, s.ISR.ControllerRemovals)},
		keyValue{"writable partition-time", fractionText(a.WritableFraction)},
		keyValue{"longest wait for an ack", secondsPtrText(a.MaxUnavailableSeconds)},
	)
	if a.Recovered != nil {
		v := secondsText(*a.RecoverySeconds) + " after the last fault"
		if !*a.Recovered {
			v = "NOT recovered " + v
		}
		h = append(h, keyValue{"every partition writable again", v})
	}
	lost := grouped(s.Durability.AckedRecordsLost)
	if s.Durability.AckedRecordsLostPowerLoss > 0 {
		lost += fmt.Sprintf(" (%s to power loss)", grouped(s.Durability.AckedRecordsLostPowerLoss))
	}
	h = append(h,
		keyValue{"acknowledged records lost", lost},
		keyValue{"controller elections / time without one", fmt.Sprintf("%d / %s", s.Controller.Elections, secondsText(s.Controller.UnavailableSeconds))},
		keyValue{"cross-site traffic", crossSiteText(s)},
		keyValue{"invariants", invariantsText(s.Invariants)},
	)
	return h
}

// runTables are a run's tables: brokers, cross-site traffic per pair, limits, consumers, errors,
// faults.
func runTables(s *Summary) []pageTable {
	brokers := pageTable{ID: "brokers", Title: "Brokers",
		Head: []string{"broker", "site", "leaders", "bytes in/s", "replication in/s", "ISR shrinks", "ISR expands", "produce requests", "failed produce"}}
	for _, b := range s.Brokers {
		brokers.Rows = append(brokers.Rows, []pageCell{intCell(int64(b.ID)), textCell(b.Site), intCell(int64(b.Leaders)),
			rateCell(b.BytesInPerSec), rateCell(b.ReplicationBytesIn), intCell(b.IsrShrinks), intCell(b.IsrExpands),
			intCell(b.ProduceRequests), intCell(b.FailedProduceRequests)})
	}
	pairs := pageTable{ID: "cross-site", Title: "Cross-site traffic", Note: "Bytes sent from one site to another in the measured window, and their mean rate.",
		Head: []string{"from → to", "bytes", "mean rate"}}
	for _, k := range slices.Sorted(mapsKeys(s.Network.CrossSiteBytes.Pairs)) {
		b := s.Network.CrossSiteBytes.Pairs[k]
		r := rate(b, s.MeasuredSeconds)
		pairs.Rows = append(pairs.Rows, []pageCell{textCell(strings.Replace(k, "->", " → ", 1)),
			{Text: bytesText(b), Sort: strconv.FormatInt(b, 10), Num: true}, rateCell(r)})
	}
	tables := []pageTable{brokers, pairs}
	if ls := bindingLimits(s.Limits); len(ls) > 0 {
		limits := pageTable{ID: "limits", Title: "Limits",
			Note: "What made bytes or requests wait, most binding first: the share of the measured window during which something waited for it there (1% or more).",
			Head: []string{"mechanism", "setting", "where", "share"}}
		for _, l := range ls {
			limits.Rows = append(limits.Rows, []pageCell{textCell(l.Mechanism), textCell(l.Setting), textCell(l.Where),
				{Text: fmt.Sprintf("%.0f%%", 100*l.Share), Sort: strconv.FormatFloat(l.Share, 'g', -1, 64), Num: true}})
		}
		tables = append(tables, limits)
	}
	if t := consumerTable(s); t != nil {
		tables = append(tables, *t)
	}
	if len(s.Produce.Errors) > 0 {
		errs := pageTable{ID: "errors", Title: "Produce errors", Note: "Every error response by Kafka name, retried or not.",
			Head: []string{"error", "responses"}}
		for _, k := range slices.Sorted(mapsKeys(s.Produce.Errors)) {
			errs.Rows = append(errs.Rows, []pageCell{textCell(k), intCell(s.Produce.Errors[k])})
		}
		tables = append(tables, errs)
	}
	if len(s.Faults) > 0 {
		faults := pageTable{ID: "faults", Title: "Faults", Note: "As scenario lines (random faults included): the run replays from them.",
			Head: []string{"#", "fault"}}
		for i, f := range s.Faults {
			faults.Rows = append(faults.Rows, []pageCell{intCell(int64(i + 1)), textCell(strings.TrimPrefix(f, "- "))})
		}
		tables = append(tables, faults)
	}
	if len(s.Invariants.Violations) > 0 {
		inv := pageTable{ID: "violations", Title: "Invariant violations", Head: []string{"#", "violation"}}
		for i, v := range s.Invariants.Violations {
			inv.Rows = append(inv.Rows, []pageCell{intCell(int64(i + 1)), textCell(v)})
		}
		tables = append(tables, inv)
	}
	return tables
}

// runProvenance says where the run and the report come from.
func runProvenance(d *RunData, opts ReportOptions) []keyValue {
	s := &d.Summary
	var p []keyValue
	if b := d.Build; b != nil {
		p = append(p, keyValue{"simulated by", buildText(b.Stretchsim)}, keyValue{"simulated on", b.Date})
		src := b.Source
		if src == "" {
			src = "the built-in default scenario"
		}
		if len(b.Sets) > 0 {
			src += " with --set " + strings.Join(b.Sets, " --set ")
		}
		p = append(p, keyValue{"scenario given as", src})
	}
	p = append(p,
		keyValue{"seed", strconv.FormatUint(s.Seed, 10)},
		keyValue{"trace digest", s.TraceDigest},
		keyValue{"events", grouped(int64(s.Events))},
		keyValue{"wall time", fmt.Sprintf("%.2f s", s.WallSeconds)},
		keyValue{"report rendered by", buildText(currentBuild(opts.Version))},
		keyValue{"report rendered on", opts.now().Format(time.RFC3339)},
	)
	return p
}

// buildText names a build: "v1.2.3 (revision 0123456789ab, modified, go1.26.1)".
func buildText(b buildInfo) string {
	s := "stretchsim " + b.Version
	var extra []string
	if b.VCSRevision != "" {
		rev := "revision " + b.VCSRevision
		if b.VCSModified {
			rev += " with uncommitted changes"
		}
		extra = append(extra, rev)
	}
	if b.Go != "" {
		extra = append(extra, b.Go)
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return s
}
