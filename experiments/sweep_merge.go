package experiments

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// MergeSweep combines the directories of a sweep's shards (RunSweep with Shard i of n) into dir:
// it copies their run records (and series) into dir and writes the tables and sweep.json of the
// whole sweep from them, byte for byte what one machine running every run writes (but for
// sweep.json's times: Started is the earliest shard's, Finished the latest's). The shards must be
// of the same sweep and stretchsim version. Runs that no shard has are Missing in the report.
func MergeSweep(dir string, shards []string) (*SweepReport, error) {
	if len(shards) == 0 {
		return nil, errors.New("no shard directories to merge")
	}
	var plan *Plan
	var first []byte
	rep := &SweepReport{}
	for i, sd := range shards {
		f, p, err := readSweepJSON(sd)
		if err != nil {
			return nil, err
		}
		id, err := planIdentity(p)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			plan, first = p, id
			rep.Started, rep.Finished = f.Started, f.Finished
		} else if !bytes.Equal(id, first) {
			return nil, fmt.Errorf("%s: not a shard of the same sweep as %s (the sweep, its points, seeds or stretchsim version differ)", sd, shards[0])
		}
		if f.Started.Before(rep.Started) {
			rep.Started = f.Started
		}
		if f.Finished.After(rep.Finished) {
			rep.Finished = f.Finished
		}
		rep.RunWallSeconds += f.RunWallSeconds
	}
	for _, sd := range shards {
		if err := copyRuns(sd, dir, plan); err != nil {
			return nil, err
		}
		// The sweep file's copy, for `stretchsim report`: the first shard's that has one.
		if err := copyFile(filepath.Join(sd, SweepYAML), filepath.Join(dir, SweepYAML)); err != nil {
			return nil, err
		}
	}
	for _, run := range plan.Runs {
		rep.Total++
		if run.Invalid != "" {
			rep.Done++
			rep.Invalid++
			continue
		}
		rec, ok, err := readRecord(dir, run.Key)
		if err != nil {
			return nil, err
		}
		if ok {
			rep.Done++
			rep.Reused++
			if rec.Status == StatusFailed {
				rep.Failed++
			}
		}
	}
	rep.Missing = rep.Total - rep.Done
	return rep, WriteResults(dir, plan, 0, 1, rep)
}

// planIdentity is what two shards of one sweep have in common: the sweep, its points and runs,
// and the version that keyed them.
func planIdentity(p *Plan) ([]byte, error) {
	sw := *p.Sweep
	sw.File = ""   // where each machine found the sweep file does not matter
	sw.Plots = nil // nor what its report draws
	return json.Marshal(struct {
		Sweep   *Sweep
		Version string
		Points  []PlannedPoint
		Runs    []PlannedRun
	}{&sw, p.Version, p.Points, p.Runs})
}

// copyRuns copies the records and series of plan's runs found in shard dir from into dir to,
// leaving those dir has already.
func copyRuns(from, to string, plan *Plan) error {
	for _, run := range plan.Runs {
		if run.Invalid != "" {
			continue
		}
		if _, ok, err := readRecord(from, run.Key); err != nil || !ok {
			if err != nil {
				return err
			}
			continue
		}
		for _, path := range []func(string, string) string{seriesPath, recordPath} { // the record last
			if err := copyFile(path(from, run.Key), path(to, run.Key)); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyFile copies from to to atomically, unless to exists or from does not.
func copyFile(from, to string) error {
	if _, err := os.Stat(to); err == nil {
		return nil
	}
	data, err := os.ReadFile(from)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return writeFileAtomic(to, func(w io.Writer) error { _, err := w.Write(data); return err })
}
