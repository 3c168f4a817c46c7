package experiments

import (
	"math"
	"strings"
)

// consumerTable is the run report's table of consumers: when each ran, what it read, its
// records-lag-max and how long it took to catch up; nil without consumers (or from a summary
// written before consumers had their own figures).
func consumerTable(s *Summary) *pageTable {
	if len(s.Consume.ByConsumer) == 0 {
		return nil
	}
	t := &pageTable{ID: "consumers", Title: "Consumers",
		Note: "records-lag-max: the largest lag of a partition in a Fetch response the consumer consumed, in the measured window. " +
			"Caught up: from its start (or its host's return after a site outage) until every partition had reported a lag of 0.",
		Head: []string{"consumer", "group", "site", "runs", "records", "delivered twice", "skipped (latest)", "records-lag-max", "caught up in"}}
	for _, k := range s.Consume.ByConsumer {
		runs := "from " + secondsText(k.StartSeconds)
		if k.StopSeconds != nil {
			runs += " to " + secondsText(*k.StopSeconds)
		}
		lag := math.NaN()
		if k.RecordsLagMax != nil {
			lag = float64(*k.RecordsLagMax)
		}
		t.Rows = append(t.Rows, []pageCell{textCell(k.Name), textCell(k.Group), textCell(k.Site), textCell(runs),
			intCell(k.Records), intCell(k.DuplicateRecords), intCell(k.SkippedRecords),
			numCell(lag, func(v float64) string { return grouped(int64(v)) }), catchUpCell(&k)})
	}
	return t
}

// catchUpCell is a consumer's time to catch up, "never" (sorting last) when it did not.
func catchUpCell(k *ConsumerSummary) pageCell {
	switch {
	case k.CatchUpSinceSeconds == nil:
		return pageCell{Text: "never started", Num: true}
	case !k.CaughtUp:
		return pageCell{Text: "NEVER", Num: true}
	}
	return numCell(*k.CatchUpSeconds, secondsText)
}

// lagPanel draws the consumers' records-lag-max and the groups' lag (series columns
// records_lag_max_<consumer> and group_lag_<group>), one line each.
func (d *RunData) lagPanel() timelinePanel {
	p := timelinePanel{label: "consumer lag (records)"}
	for _, c := range d.Columns {
		if name, ok := strings.CutPrefix(c, "records_lag_max_"); ok {
			p.cols = append(p.cols, timelineCol{c, name + " records-lag-max", 1, false})
		}
	}
	for _, c := range d.Columns {
		if group, ok := strings.CutPrefix(c, "group_lag_"); ok {
			p.cols = append(p.cols, timelineCol{c, "group " + group + ": log end − committed", 1, true})
		}
	}
	return p
}
