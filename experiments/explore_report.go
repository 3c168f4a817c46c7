package experiments

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
)

// ExploreJSON is the name of the search's results in its directory.
const ExploreJSON = "explore.json"

// writeFindings writes each finding's scenario to DIR/findings/NNN-KIND.yaml (NNN the run) and
// the whole result to DIR/explore.json.
func writeFindings(dir string, res *ExploreResult) error {
	for _, f := range res.Findings {
		if f.Scenario == "" {
			continue
		}
		f.File = filepath.Join(dir, "findings", fmt.Sprintf("%03d-%s.yaml", f.Run, f.Kind))
		err := writeFileAtomic(f.File, func(w io.Writer) error {
			_, err := io.WriteString(w, findingHeader(f)+f.Scenario)
			return err
		})
		if err != nil {
			return err
		}
	}
	return writeFileAtomic(filepath.Join(dir, ExploreJSON), func(w io.Writer) error { return WriteExploreJSON(w, res) })
}

// findingHeader is the comment a finding's scenario file starts with.
func findingHeader(f *Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# stretchsim explore: %s", f.Kind)
	if f.Rule != "" {
		fmt.Fprintf(&b, " (%s)", f.Rule)
	}
	fmt.Fprintf(&b, ", run %d, seed %d: %s\n", f.Run, f.Seed, oneLine(f.Detail))
	fmt.Fprintf(&b, "# shrunk from %d to %d faults in %d runs%s; replay: stretchsim run %s\n",
		len(f.DrawnFaults), len(f.Faults), f.ShrinkRuns, map[bool]string{true: "", false: " (cut short)"}[f.Shrunk], f.File)
	return b.String()
}

// WriteExploreJSON writes res as indented JSON.
func WriteExploreJSON(w io.Writer, res *ExploreResult) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// WriteExploreText writes what a search found, for people: the counts, then each finding with
// its shrunk faults and, for the first maxFull findings, its complete scenario.
func WriteExploreText(w io.Writer, res *ExploreResult, maxFull int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "explore %s: %d of %d runs of %d random faults (seeds %d to %d): %d held",
		res.Scenario, res.Done, res.Runs, res.Faults, res.Seeds[0], res.Seeds[1], res.OK)
	if len(res.Findings) == 0 {
		b.WriteString(", no finding\n")
	} else {
		var parts []string
		for _, k := range FindingKinds {
			if n := res.Counts[k]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, k))
			}
		}
		fmt.Fprintf(&b, ", %d %s (%s)\n", len(res.Findings), plural(int64(len(res.Findings)), "finding", "findings"), strings.Join(parts, ", "))
	}
	for i, f := range sortedFindings(res.Findings) {
		fmt.Fprintf(&b, "\n%s", findingHeader(f))
		if i >= maxFull || f.Scenario == "" {
			for _, l := range f.Faults {
				fmt.Fprintf(&b, "  %s\n", l)
			}
			continue
		}
		b.WriteString(f.Scenario)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// sortedFindings orders findings by severity, then run.
func sortedFindings(fs []*Finding) []*Finding {
	out := slices.Clone(fs)
	slices.SortStableFunc(out, func(a, b *Finding) int {
		if d := slices.Index(FindingKinds, a.Kind) - slices.Index(FindingKinds, b.Kind); d != 0 {
			return d
		}
		return a.Run - b.Run
	})
	return out
}
