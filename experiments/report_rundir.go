package experiments

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// More files of a run's results directory: what `stretchsim report DIR` re-renders from.
const (
	// ScenarioFile is the scenario that ran, as its file gave it when nothing overrode it, else
	// resolved (the overrides and seed applied).
	ScenarioFile = "scenario.yaml"
	// RunJSON is the run's provenance: the stretchsim build and when it ran.
	RunJSON = "run.json"
	// ReportHTML is the report, in a run's and in a sweep's directory.
	ReportHTML = "report.html"
	// ChartsDir holds each chart of the report as SVG and PNG.
	ChartsDir = "charts"
)

// RunData is a run's results as its directory holds them.
type RunData struct {
	Dir     string
	Summary Summary
	// Columns and Series are series.csv: a header and one row per metrics interval, NaN for an
	// empty cell.
	Columns []string
	Series  [][]float64
	// ScenarioText is scenario.yaml; Scenario its decoded form. Both are nil when the directory
	// has no scenario.yaml (written by a stretchsim before reports).
	ScenarioText []byte
	Scenario     *scenario.Scenario
	// Build is run.json: the stretchsim that ran the simulation, and when; nil without it.
	Build *RunProvenance
}

// RunProvenance is run.json.
type RunProvenance struct {
	Stretchsim buildInfo `json:"stretchsim"`
	Date       string    `json:"date"` // RFC 3339, UTC
	// Source is the scenario as the command line named it (a file, a built-in name, "-"), and
	// Sets the --set overrides (with --seed as seed=N).
	Source string   `json:"source"`
	Sets   []string `json:"sets"`
}

// LoadRunDir reads a run's results directory: summary.json and series.csv (required),
// scenario.yaml and run.json (when there). Errors name the file.
func LoadRunDir(dir string) (*RunData, error) {
	d := &RunData{Dir: dir}
	name := filepath.Join(dir, SummaryFile)
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &d.Summary); err != nil {
		return nil, fmt.Errorf("%s: not a summary.json of stretchsim: %w", name, err)
	}
	if d.Columns, d.Series, err = readSeriesCSV(filepath.Join(dir, SeriesFile)); err != nil {
		return nil, err
	}
	if err := d.loadScenario(); err != nil {
		return nil, err
	}
	name = filepath.Join(dir, RunJSON)
	if data, err = os.ReadFile(name); err == nil {
		d.Build = &RunProvenance{}
		if err := json.Unmarshal(data, d.Build); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return d, nil
}

// loadScenario reads scenario.yaml when there is one. Its empirical(...) sample files are read
// beside it; when one is missing, the scenario is kept as text alone (the report needs it for
// the paragraph that describes it, not to run it).
func (d *RunData) loadScenario() error {
	name := filepath.Join(d.Dir, ScenarioFile)
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	d.ScenarioText = data
	sc, err := scenario.Parse(name, data, scenario.Options{BaseDir: d.Dir})
	if err != nil {
		if _, perr := scenario.ParseYAML(name, data); perr != nil {
			return perr
		}
		return nil
	}
	d.Scenario = sc
	return nil
}

// readSeriesCSV reads a series.csv: its header and rows, an empty cell as NaN.
func readSeriesCSV(name string) ([]string, [][]float64, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	r.FieldsPerRecord = len(head)
	var rows [][]float64
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return head, rows, nil
			}
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		row := make([]float64, len(rec))
		for i, c := range rec {
			row[i] = math.NaN()
			if c == "" {
				continue
			}
			if row[i], err = strconv.ParseFloat(c, 64); err != nil {
				return nil, nil, fmt.Errorf("%s:%d: %s: not a number: %q", name, line, head[i], c)
			}
		}
		rows = append(rows, row)
	}
}
