package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// maxListedSingleSite bounds how many single-site partitions the text format names.
const maxListedSingleSite = 10

// writeAssignReport writes rep to w in format (formatText or formatJSON).
func writeAssignReport(w io.Writer, format string, rep *assignReport) error {
	if format == formatJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fmt.Errorf("writing json: %w", err)
		}
		return nil
	}
	bw := bufio.NewWriter(w)
	writeAssignments(bw, rep)
	writeRandomness(bw, rep)
	writeBrokerTable(bw, rep)
	writeSiteTable(bw, rep)
	writeSpread(bw, rep)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	return nil
}

// writeAssignments prints one "P: [r1 r2 ...]" line per partition, preferred leader first.
func writeAssignments(w io.Writer, rep *assignReport) {
	for _, a := range rep.Assignments {
		ids := make([]string, len(a.Replicas))
		for i, id := range a.Replicas {
			ids[i] = id.String()
		}
		fmt.Fprintf(w, "%d: [%s]\n", a.Partition, strings.Join(ids, " "))
	}
}

// placerNames are the Kafka classes the placers reproduce.
var placerNames = map[string]string{
	placerLegacy:  "AdminUtils.assignReplicasToBrokers",
	placerStriped: "KRaft StripedReplicaPlacer",
}

// writeRandomness says which placer ran and which random numbers it used, so a run can be
// reproduced.
func writeRandomness(w io.Writer, rep *assignReport) {
	fmt.Fprintf(w, "\n%s placer (%s), %d %s, replication factor %d\n", rep.Placer, placerNames[rep.Placer],
		rep.Partitions, plural(rep.Partitions, "partition", "partitions"), rep.ReplicationFactor)
	lr := rep.Legacy
	if lr == nil {
		fmt.Fprintf(w, "seed %d: %s from java.util.Random(%d)\n", rep.Seed, count(rep.RandomDraws, "draw", "draws"), rep.Seed)
		return
	}
	seed := fmt.Sprintf("seed %d", rep.Seed)
	if rep.RandomDraws == 0 {
		seed += " not used"
	}
	fmt.Fprintf(w, "start index %d (%s), shift %d (%s), start partition %d; %s\n",
		lr.StartIndex, origin(lr.StartIndexDrawn, rep.draws, 0),
		lr.Shift, origin(lr.ShiftDrawn, rep.draws, len(rep.draws)-1), lr.StartPartition, seed)
	if lr.StartIndexDrawn || lr.ShiftDrawn {
		fmt.Fprintf(w, "same layout without the seed: --start-index %d --shift %d\n", lr.StartIndex, lr.Shift)
	}
}

// origin describes where a legacy parameter came from: the command line or draw i.
func origin(drawn bool, draws []draw, i int) string {
	if !drawn || i < 0 || i >= len(draws) {
		return "given"
	}
	return fmt.Sprintf("drawn: nextInt(%d) = %d", draws[i].Bound, draws[i].Value)
}

// writeBrokerTable prints replicas and preferred leaders per broker, in id order.
func writeBrokerTable(w io.Writer, rep *assignReport) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BROKER\tSITE\tREPLICAS\tLEADERS")
	for _, b := range rep.Brokers {
		id := b.ID.String()
		if b.Fenced {
			id += " (fenced)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\n", id, siteName(b.Site), b.Replicas, b.Leaders)
	}
	tw.Flush()
}

// writeSiteTable prints the per-site totals, in Kafka's rack order.
func writeSiteTable(w io.Writer, rep *assignReport) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SITE\tBROKERS\tREPLICAS\tLEADERS")
	for _, s := range rep.Sites {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", siteName(s.Site), s.Brokers, s.Replicas, s.Leaders)
	}
	tw.Flush()
}

// writeSpread prints how many sites each partition spans and flags single-site partitions.
func writeSpread(w io.Writer, rep *assignReport) {
	fmt.Fprintln(w)
	if !rep.SiteAware {
		fmt.Fprintln(w, "no broker has a site: placement is rack-unaware, site spread not applicable")
		return
	}
	for _, s := range rep.SiteSpread {
		fmt.Fprintf(w, "partitions spanning %d %s: %d\n", s.Sites, plural(s.Sites, "site", "sites"), s.Partitions)
	}
	if len(rep.SingleSite) == 0 {
		fmt.Fprintln(w, "partitions with every replica in one site: none")
		return
	}
	names := make([]string, 0, maxListedSingleSite+1)
	for i, p := range rep.SingleSite {
		if i == maxListedSingleSite {
			names = append(names, fmt.Sprintf("and %d more", len(rep.SingleSite)-i))
			break
		}
		names = append(names, fmt.Sprintf("%d (%s)", p.Partition, siteName(p.Site)))
	}
	fmt.Fprintf(w, "WARNING: %d %s with every replica in one site, lost with that site: %s\n",
		len(rep.SingleSite), plural(len(rep.SingleSite), "partition", "partitions"), strings.Join(names, ", "))
}

// siteName is the text form of a site: its name, or "-" for no site.
func siteName(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

// count is n and the noun that goes with it: "1 topic", "3 topics".
func count(n int, one, many string) string { return fmt.Sprintf("%d %s", n, plural(n, one, many)) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
