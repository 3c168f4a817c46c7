package experiments

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math"
	"path/filepath"
	"strconv"
)

// The tables of a sweep directory. They hold no wall-clock time, so that a sweep gives the same
// bytes at any parallelism, resumed or not, and merged from shards (sweep.json holds the times).
const (
	RunsCSV   = "runs.csv"   // one row per run
	RunsJSONL = "runs.jsonl" // one line per run, with the full summary
	PointsCSV = "points.csv" // one row per point: mean, sd and 95 % CI of every figure
	SweepJSON = "sweep.json" // the resolved sweep, the plan of runs, the version and the times
)

// row is one run of the tables: its record, or nil for an invalid run.
type row struct {
	k     int
	run   PlannedRun
	rec   *RunRecord
	cells map[string]string // the summary's figures; nil without a summary
}

// status is the row's status: invalid, or the record's.
func (r row) status() (status, message string) {
	if r.rec == nil {
		return StatusInvalid, r.run.Invalid
	}
	return r.rec.Status, r.rec.Message
}

// eachRow calls f, in run order, for every run of shard i of n that has an outcome in dir: an
// invalid run, or one with a record. Runs without one (not run yet) are left out.
func eachRow(dir string, plan *Plan, i, n int, f func(row) error) error {
	for k, run := range plan.Runs {
		if !InShard(k, i, n) {
			continue
		}
		r := row{k: k, run: run}
		if run.Invalid == "" {
			rec, ok, err := readRecord(dir, run.Key)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			r.rec = rec
			r.cells, _ = flattenSummary(rec.Summary)
		}
		if err := f(r); err != nil {
			return err
		}
	}
	return nil
}

// WriteResults writes the tables (runs.csv, runs.jsonl, points.csv) for the runs of shard i of n
// that have an outcome in dir, in run order, and sweep.json with rep's counts and times.
func WriteResults(dir string, plan *Plan, i, n int, rep *SweepReport) error {
	seen := map[string]bool{}
	err := eachRow(dir, plan, i, n, func(r row) error {
		for k := range r.cells {
			seen[k] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The three tables are written as the rows come, straight to their files: a sweep's memory
	// is one run's record and one point's figures, however many runs it has.
	var files [3]*bufio.Writer
	var write func(k int) func(io.Writer) error
	write = func(k int) func(io.Writer) error {
		return func(w io.Writer) error {
			files[k] = bufio.NewWriter(w)
			if k < len(files)-1 {
				// Nest: the innermost call fills all three files, then each flushes on return.
				if err := writeFileAtomic(filepath.Join(dir, tableNames[k+1]), write(k+1)); err != nil {
					return err
				}
			} else {
				t := newTables(plan, columns(summaryFigures(), seen), files[0], files[1], files[2])
				if err := eachRow(dir, plan, i, n, t.add); err != nil {
					return err
				}
				t.flushPoint()
				if err := t.err(); err != nil {
					return err
				}
			}
			return files[k].Flush()
		}
	}
	if err := writeFileAtomic(filepath.Join(dir, tableNames[0]), write(0)); err != nil {
		return err
	}
	return writeSweepJSON(dir, plan, i, n, rep)
}

// tableNames are the files tables writes, in the order WriteResults opens them.
var tableNames = [3]string{RunsCSV, RunsJSONL, PointsCSV}

// tables writes the three tables row by row. The rows of a point are consecutive (run order), so
// a point's aggregates are written when its last row has come.
type tables struct {
	plan              *Plan
	cols              []column
	jsonl             *bufio.Writer
	runsW, pointsW    *csv.Writer
	point             int // the point being gathered; -1 before the first row
	ok, failed, inval int
	values            [][]float64 // per column, the ok runs' values
}

func newTables(plan *Plan, cols []column, runs, jsonl, points *bufio.Writer) *tables {
	t := &tables{plan: plan, cols: cols, point: -1, jsonl: jsonl}
	t.runsW, t.pointsW = csv.NewWriter(runs), csv.NewWriter(points)
	axes := axisPaths(plan.Sweep)
	head := append([]string{"point", "replication", "seed", "key"}, axes...)
	head = append(head, "status", "message")
	phead := append(append([]string{"point"}, axes...), "ok", "failed", "invalid")
	for _, c := range cols {
		head = append(head, c.name)
		if c.numeric {
			phead = append(phead, c.name+".n", c.name+".mean", c.name+".sd", c.name+".ci95_low", c.name+".ci95_high")
		}
	}
	_ = t.runsW.Write(head) // a write error stays in the csv.Writer: see err
	_ = t.pointsW.Write(phead)
	return t
}

// err returns the first error writing the CSV tables.
func (t *tables) err() error {
	t.runsW.Flush()
	t.pointsW.Flush()
	return errors.Join(t.runsW.Error(), t.pointsW.Error())
}

func axisPaths(sw *Sweep) []string {
	var out []string
	for _, a := range sw.Axes() {
		out = append(out, a.Path)
	}
	return out
}

// add writes r into the run tables and gathers it for its point's aggregates.
func (t *tables) add(r row) error {
	if r.run.Point != t.point {
		t.flushPoint()
		t.point = r.run.Point
		t.values = make([][]float64, len(t.cols))
	}
	status, message := r.status()
	seed := ""
	if r.run.HasSeed {
		seed = strconv.FormatUint(r.run.Seed, 10)
	}
	rec := []string{strconv.Itoa(r.run.Point), strconv.Itoa(r.run.Replication), seed, r.run.Key}
	rec = append(rec, t.plan.Points[r.run.Point].Labels...)
	rec = append(rec, status, message)
	for i, c := range t.cols {
		v := cell(c, r.cells)
		rec = append(rec, v)
		if status == StatusOK && c.numeric && v != "" {
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				t.values[i] = append(t.values[i], x)
			}
		}
	}
	switch status {
	case StatusOK:
		t.ok++
	case StatusFailed:
		t.failed++
	default:
		t.inval++
	}
	_ = t.runsW.Write(rec)
	return t.jsonLine(r, status, message, seed)
}

// jsonLine writes r as one line of runs.jsonl: point, replication, seed, key, the axes (path:
// value, in axis order), status, message and summary.
func (t *tables) jsonLine(r row, status, message, seed string) error {
	b := t.jsonl
	str := func(s string) { enc, _ := json.Marshal(s); b.Write(enc) }
	if seed == "" {
		seed = "null"
	}
	b.WriteString(`{"point":` + strconv.Itoa(r.run.Point) + `,"replication":` + strconv.Itoa(r.run.Replication) + `,"seed":` + seed + `,"key":`)
	str(r.run.Key)
	b.WriteString(`,"axes":{`)
	for i, a := range t.plan.Sweep.Axes() {
		if i > 0 {
			b.WriteByte(',')
		}
		str(a.Path)
		b.WriteByte(':')
		str(t.plan.Points[r.run.Point].Labels[i])
	}
	b.WriteString(`},"status":`)
	str(status)
	b.WriteString(`,"message":`)
	str(message)
	b.WriteString(`,"summary":`)
	summary := []byte("null")
	if r.rec != nil {
		var c bytes.Buffer
		if err := json.Compact(&c, r.rec.Summary); err != nil {
			return err
		}
		summary = c.Bytes()
	}
	b.Write(summary)
	b.WriteString("}\n")
	return nil
}

// flushPoint writes the aggregates of the point gathered so far, if any.
func (t *tables) flushPoint() {
	if t.point < 0 {
		return
	}
	rec := append([]string{strconv.Itoa(t.point)}, t.plan.Points[t.point].Labels...)
	rec = append(rec, strconv.Itoa(t.ok), strconv.Itoa(t.failed), strconv.Itoa(t.inval))
	for i, c := range t.cols {
		if !c.numeric {
			continue
		}
		iv := MeanCI(t.values[i])
		rec = append(rec, strconv.Itoa(iv.N), num(iv.Mean), num(iv.SD), num(iv.Low), num(iv.High))
	}
	_ = t.pointsW.Write(rec)
	t.point, t.ok, t.failed, t.inval = -1, 0, 0, 0
}

// num formats v to 12 significant digits, without an exponent and without trailing zeros, so
// that the mean of 7.051, 7.051 and 7.051 reads 7.051 and not 7.050999999999999; NaN (no value)
// is an empty cell.
func num(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return strconv.FormatFloat(v, 'f', -1, 64)
}
