package experiments

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// The files of a run's results directory (stretchsim run --out DIR).
const (
	SummaryFile = "summary.json" // the Summary, as WriteJSON writes it
	SeriesFile  = "series.csv"   // the time series, as WriteSeriesCSV writes it
)

// CheckOutDir creates the results directory dir if needed and proves it writable by creating
// and removing a file in it, so that a run that cannot keep its results fails before it starts.
// Its errors do not name dir, which the caller names as its user gave it.
func CheckOutDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create the directory: %w", pathErrCause(err))
	}
	f, err := os.CreateTemp(dir, ".stretchsim-probe-*")
	if err != nil {
		return fmt.Errorf("cannot write into the directory: %w", pathErrCause(err))
	}
	name := f.Name()
	err = f.Close()
	if rmErr := os.Remove(name); err == nil {
		err = rmErr
	}
	return err
}

// pathErrCause drops the *fs.PathError's own operation and path, which repeat (for a probe file,
// with a random name) what the message around it says.
func pathErrCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// WriteOutDir writes res into the results directory dir: SummaryFile and SeriesFile. It creates
// dir again if it went away during the run, and replaces files of an earlier run.
func WriteOutDir(dir string, res *Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, SummaryFile), func(w io.Writer) error { return WriteJSON(w, &res.Summary) }); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, SeriesFile), func(w io.Writer) error { return WriteSeriesCSV(w, res.Columns, res.Series) })
}

// writeFile creates the file name and writes it with fn.
func writeFile(name string, fn func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WriteRunSource writes what a report of the run needs besides its results into dir:
// scenario.yaml (scenarioText, the scenario that ran) and run.json (prov).
func WriteRunSource(dir string, scenarioText []byte, prov *RunProvenance) error {
	if err := os.WriteFile(filepath.Join(dir, ScenarioFile), scenarioText, 0o644); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, RunJSON), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(prov)
	})
}

// NewRunProvenance is the provenance of a run made now by stretchsim version, of the scenario
// source with the overrides sets.
func NewRunProvenance(version, source string, sets []string) *RunProvenance {
	return &RunProvenance{Stretchsim: currentBuild(version), Date: time.Now().UTC().Format(time.RFC3339),
		Source: source, Sets: append([]string{}, sets...)}
}

// ResolvedScenarioText is the text of the scenario file data (named file) with the overrides
// sets (PATH=VALUE) applied: data itself without any, else the YAML tree re-encoded after a
// comment naming the overrides.
func ResolvedScenarioText(file string, data []byte, sets []string) ([]byte, error) {
	if len(sets) == 0 {
		return data, nil
	}
	root, err := scenario.ParseYAML(file, data)
	if err != nil {
		return nil, err
	}
	for _, s := range sets {
		p, v, _ := strings.Cut(s, "=")
		if err := scenario.ApplySet(root, p, v); err != nil {
			return nil, &scenario.SetError{Set: s, Err: err}
		}
	}
	unmarkSets(root)
	head := fmt.Sprintf("# %s with --set %s\n", file, strings.Join(sets, " --set "))
	return []byte(head + encodeNode(root)), nil
}

// unmarkSets removes the comments by which ApplySet marks the nodes it adds (for the errors of
// the decoder), which would repeat the override on every line of the text.
func unmarkSets(n *yaml.Node) {
	if n.Line == 0 && strings.HasPrefix(n.LineComment, "# --set ") {
		n.LineComment = ""
	}
	for _, c := range n.Content {
		unmarkSets(c)
	}
}
