package experiments

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// addFindings puts the findings of a search (dir/explore.json, written by Explore) at the head
// of a sweep's report: the count by kind in the headline, and a table of the findings with
// their shrunk fault schedules and the scenario file that replays each. A sweep directory
// without explore.json is left as it is.
func addFindings(page *reportPage, dir string) error {
	data, err := readOptional(filepath.Join(dir, ExploreJSON))
	if err != nil || data == nil {
		return err
	}
	var res ExploreResult
	if err := json.Unmarshal(data, &res); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, ExploreJSON), err)
	}
	page.Title = "Search " + res.Scenario
	page.Subtitle = fmt.Sprintf("%d of %d random fault schedules of %d faults (seeds %d to %d): %d held, %d %s",
		res.Done, res.Runs, res.Faults, res.Seeds[0], res.Seeds[1], res.OK, len(res.Findings),
		plural(int64(len(res.Findings)), "finding", "findings"))
	counts := []string{}
	for _, k := range FindingKinds {
		if n := res.Counts[k]; n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", n, k))
		}
	}
	if len(counts) == 0 {
		counts = append(counts, "none")
	}
	page.Lede = fmt.Sprintf("A search for fault schedules that break the design: each of %d runs draws its own %d faults "+
		"from its seed, and every run that broke the design is in the findings table, its schedule shrunk. "+
		"The design, with the first run's schedule: ", res.Runs, res.Faults) + page.Lede
	page.SourceTitle = "Search, as a sweep file"
	page.Source = strings.Replace(page.Source, "# made by stretchsim sweep --axis flags; as a sweep file:",
		"# made by stretchsim explore: one point, a replication per schedule; as a sweep file:", 1)
	page.Headline = append([]keyValue{{"findings", strings.Join(counts, ", ")}}, page.Headline...)
	page.Tables = append([]pageTable{findingsTable(&res, dir)}, page.Tables...)
	return nil
}

// findingsTable lists the findings, most severe first, each with its shrunk faults.
func findingsTable(res *ExploreResult, dir string) pageTable {
	t := pageTable{ID: "findings", Title: "Findings",
		Note: "Each run that broke the design, with its fault schedule shrunk to what still reproduces it; " +
			"stretchsim run FILE replays it.",
		Head: []string{"run", "seed", "kind", "what", "faults (shrunk)", "drawn", "file"}}
	for _, f := range sortedFindings(res.Findings) {
		what := f.Detail
		if f.Rule != "" {
			what = f.Rule + ": " + f.Detail
		}
		file := f.File
		if rel, err := filepath.Rel(dir, f.File); err == nil {
			file = rel
		}
		t.Rows = append(t.Rows, []pageCell{
			{Text: strconv.Itoa(f.Run), Sort: strconv.Itoa(f.Run), Num: true},
			{Text: strconv.FormatUint(f.Seed, 10), Sort: strconv.FormatUint(f.Seed, 10), Num: true},
			{Text: f.Kind, Sort: f.Kind},
			{Text: what, Sort: what},
			{Text: strings.Join(trimDash(f.Faults), "\n"), Sort: strconv.Itoa(len(f.Faults)), Lines: true},
			{Text: strconv.Itoa(len(f.DrawnFaults)), Sort: strconv.Itoa(len(f.DrawnFaults)), Num: true},
			{Text: file, Sort: file},
		})
	}
	return t
}

// trimDash drops the "- " of scenario list lines.
func trimDash(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimPrefix(l, "- ")
	}
	return out
}
