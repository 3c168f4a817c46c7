package experiments

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// SweepYAML is the copy of the sweep file that `stretchsim sweep` keeps in its directory: the
// report reads its key plots.
const SweepYAML = "sweep.yaml"

// SweepData is a sweep's results as its directory holds them.
type SweepData struct {
	Dir  string
	File *sweepFile // sweep.json
	Plan *Plan
	// Points are the rows of points.csv by point number; nil for a point without a row.
	Points []*pointData
	// Runs are the rows of runs.csv, in run order.
	Runs []runData
	// SweepText is sweep.yaml; nil without it.
	SweepText []byte
}

// pointData is one row of points.csv: the counts, and per figure its aggregates.
type pointData struct {
	ok, failed, invalid int
	figures             map[string]Interval
	runs                []int // indexes into SweepData.Runs of the point's ok runs
}

// runData is one row of runs.csv: what the report shows of a run, and its numeric figures.
type runData struct {
	point, replication int
	seed, key, status  string
	digest, message    string
	figures            map[string]float64
}

// LoadSweepDir reads a sweep's directory: sweep.json, points.csv and runs.csv, and sweep.yaml
// when there. Errors name the file.
func LoadSweepDir(dir string) (*SweepData, error) {
	f, plan, err := readSweepJSON(dir)
	if err != nil {
		return nil, err
	}
	d := &SweepData{Dir: dir, File: f, Plan: plan, Points: make([]*pointData, len(plan.Points))}
	if err := d.readPoints(filepath.Join(dir, PointsCSV)); err != nil {
		return nil, err
	}
	if err := d.readRuns(filepath.Join(dir, RunsCSV)); err != nil {
		return nil, err
	}
	if d.SweepText, err = readOptional(filepath.Join(dir, SweepYAML)); err != nil {
		return nil, err
	}
	return d, nil
}

// readCSVRows calls row for every record of the CSV file name after its header, with the header's
// column indexes and the record's line.
func readCSVRows(name string, row func(col map[string]int, rec []string, line int) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := row(col, rec, line); err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
}

// cellInt reads column c of rec as a whole number.
func cellInt(col map[string]int, rec []string, c string) (int, error) {
	i, ok := col[c]
	if !ok {
		return 0, fmt.Errorf("no column %s", c)
	}
	n, err := strconv.Atoi(rec[i])
	if err != nil {
		return 0, fmt.Errorf("%s: not a whole number: %q", c, rec[i])
	}
	return n, nil
}

// cellFloat reads a number, NaN for an empty cell.
func cellFloat(rec []string, i int) (float64, error) {
	if rec[i] == "" {
		return math.NaN(), nil
	}
	return strconv.ParseFloat(rec[i], 64)
}

func (d *SweepData) readPoints(name string) error {
	const mean = ".mean"
	return readCSVRows(name, func(col map[string]int, rec []string, _ int) error {
		p, err := cellInt(col, rec, "point")
		if err != nil {
			return err
		}
		if p < 0 || p >= len(d.Points) {
			return fmt.Errorf("point %d: the sweep has %d points", p, len(d.Points))
		}
		pd := &pointData{figures: map[string]Interval{}}
		for c, dst := range map[string]*int{"ok": &pd.ok, "failed": &pd.failed, "invalid": &pd.invalid} {
			if *dst, err = cellInt(col, rec, c); err != nil {
				return err
			}
		}
		for h := range col {
			if len(h) <= len(mean) || h[len(h)-len(mean):] != mean {
				continue
			}
			fig := h[:len(h)-len(mean)]
			iv := Interval{Mean: math.NaN(), SD: math.NaN(), Low: math.NaN(), High: math.NaN()}
			for suffix, dst := range map[string]*float64{".mean": &iv.Mean, ".sd": &iv.SD, ".ci95_low": &iv.Low, ".ci95_high": &iv.High} {
				if j, ok := col[fig+suffix]; ok {
					if *dst, err = cellFloat(rec, j); err != nil {
						return fmt.Errorf("%s%s: not a number: %q", fig, suffix, rec[j])
					}
				}
			}
			if j, ok := col[fig+".n"]; ok {
				iv.N, _ = strconv.Atoi(rec[j])
			}
			pd.figures[fig] = iv
		}
		d.Points[p] = pd
		return nil
	})
}

// runFigures are the columns of runs.csv the report reads per run: those the derived figures
// need.
var runFigures = []string{"measured_seconds", "isr.shrinks", "isr.expands", "network.cross_site_bytes.total"}

func (d *SweepData) readRuns(name string) error {
	return readCSVRows(name, func(col map[string]int, rec []string, _ int) error {
		r := runData{figures: map[string]float64{}}
		var err error
		if r.point, err = cellInt(col, rec, "point"); err != nil {
			return err
		}
		if r.replication, err = cellInt(col, rec, "replication"); err != nil {
			return err
		}
		get := func(c string) string {
			if i, ok := col[c]; ok {
				return rec[i]
			}
			return ""
		}
		r.seed, r.key, r.status, r.digest, r.message = get("seed"), get("key"), get("status"), get("trace_digest"), get("message")
		for _, c := range runFigures {
			if i, ok := col[c]; ok && rec[i] != "" {
				if v, err := strconv.ParseFloat(rec[i], 64); err == nil {
					r.figures[c] = v
				}
			}
		}
		if r.point < 0 || r.point >= len(d.Points) {
			return fmt.Errorf("point %d: the sweep has %d points", r.point, len(d.Points))
		}
		if pd := d.Points[r.point]; pd != nil && r.status == StatusOK {
			pd.runs = append(pd.runs, len(d.Runs))
		}
		d.Runs = append(d.Runs, r)
		return nil
	})
}

// figure returns the aggregates of figure name at point p: from points.csv, or for a derived
// figure from its ok runs. N is 0 when there is no value.
func (d *SweepData) figure(p int, name string) Interval {
	pd := d.Points[p]
	if pd == nil {
		return MeanCI(nil)
	}
	if _, derived := DerivedFigures[name]; derived {
		var xs []float64
		for _, i := range pd.runs {
			if v, ok := derive(name, d.Runs[i].figures); ok {
				xs = append(xs, v)
			}
		}
		return MeanCI(xs)
	}
	if iv, ok := pd.figures[name]; ok {
		return iv
	}
	return MeanCI(nil)
}
