package experiments

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"
)

// sweepFile is sweep.json: the resolved sweep, the plan of runs (what merge needs to write the
// tables without the scenario), the build, the shard, the counts and the times.
type sweepFile struct {
	Sweep      *Sweep    `json:"sweep"`
	Stretchsim buildInfo `json:"stretchsim"`
	Shard      struct {
		Index int `json:"index"`
		Count int `json:"count"`
	} `json:"shard"`
	Started        time.Time  `json:"started"`
	Finished       time.Time  `json:"finished"`
	WallSeconds    float64    `json:"wall_seconds"`     // of this invocation, Started to Finished
	RunWallSeconds float64    `json:"run_wall_seconds"` // the runs of this invocation, added up
	Runs           runCounts  `json:"runs"`
	Interrupted    bool       `json:"interrupted"`
	Warnings       []string   `json:"warnings"`
	Points         []pointRow `json:"points"`
	Plan           []runRow   `json:"runs_planned"`
}

type buildInfo struct {
	Version     string `json:"version"`
	VCSRevision string `json:"vcs_revision"`
	VCSModified bool   `json:"vcs_modified"`
	Go          string `json:"go"`
}

type runCounts struct {
	Total   int `json:"total"` // runs of the shard
	OK      int `json:"ok"`
	Failed  int `json:"failed"`
	Invalid int `json:"invalid"`
	Missing int `json:"missing"` // not run yet
	Ran     int `json:"ran"`     // by this invocation
	Reused  int `json:"reused"`  // kept from an earlier one
}

type pointRow struct {
	Point   int      `json:"point"`
	Labels  []string `json:"labels"`
	Invalid string   `json:"invalid,omitempty"`
}

type runRow struct {
	Run         int     `json:"run"`
	Point       int     `json:"point"`
	Replication int     `json:"replication"`
	Seed        *uint64 `json:"seed"`
	Key         string  `json:"key,omitempty"`
	Invalid     string  `json:"invalid,omitempty"`
}

func currentBuild(version string) buildInfo {
	b := buildInfo{Version: version, Go: runtime.Version()}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				b.VCSRevision = s.Value
			case "vcs.modified":
				b.VCSModified = s.Value == "true"
			}
		}
	}
	return b
}

func writeSweepJSON(dir string, plan *Plan, i, n int, rep *SweepReport) error {
	f := sweepFile{Sweep: plan.Sweep, Stretchsim: currentBuild(plan.Version), Warnings: plan.Warnings}
	f.Shard.Index, f.Shard.Count = i, n
	f.Started, f.Finished = rep.Started.UTC().Round(time.Millisecond), rep.Finished.UTC().Round(time.Millisecond)
	f.WallSeconds = rep.Finished.Sub(rep.Started).Seconds()
	f.RunWallSeconds = rep.RunWallSeconds
	f.Runs = runCounts{Total: rep.Total, OK: rep.Done - rep.Failed - rep.Invalid, Failed: rep.Failed, Invalid: rep.Invalid,
		Missing: rep.Total - rep.Done, Ran: rep.Ran, Reused: rep.Reused}
	f.Interrupted = rep.Interrupted
	if f.Warnings == nil {
		f.Warnings = []string{}
	}
	for p, pt := range plan.Points {
		f.Points = append(f.Points, pointRow{Point: p, Labels: pt.Labels, Invalid: pt.Invalid})
	}
	for k, r := range plan.Runs {
		row := runRow{Run: k, Point: r.Point, Replication: r.Replication, Key: r.Key, Invalid: r.Invalid}
		if r.HasSeed {
			row.Seed = &r.Seed
		}
		f.Plan = append(f.Plan, row)
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, SweepJSON), func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}

// readSweepJSON reads the sweep.json of dir back into the plan it was written from (without the
// runs' scenario texts, which the records hold).
func readSweepJSON(dir string) (*sweepFile, *Plan, error) {
	name := filepath.Join(dir, SweepJSON)
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, err
	}
	var f sweepFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, nil, fmt.Errorf("%s: not a sweep.json of stretchsim: %w", name, err)
	}
	if f.Sweep == nil || f.Sweep.Replications < 1 || len(f.Plan) != len(f.Points)*f.Sweep.Replications {
		return nil, nil, fmt.Errorf("%s: not a sweep.json of stretchsim (no sweep or plan in it)", name)
	}
	plan := &Plan{Sweep: f.Sweep, Version: f.Stretchsim.Version, Warnings: f.Warnings}
	axes := len(f.Sweep.Axes())
	for i, p := range f.Points {
		if len(p.Labels) != axes {
			return nil, nil, fmt.Errorf("%s: point %d has %d values for %d axes: the file was changed", name, i, len(p.Labels), axes)
		}
		plan.Points = append(plan.Points, PlannedPoint{Labels: p.Labels, Invalid: p.Invalid})
	}
	for k, r := range f.Plan {
		// Run k is replication k mod R of point k / R (Plan): a file that says otherwise was
		// changed by hand, and would make the tables index points that are not there.
		if r.Point != k/f.Sweep.Replications || r.Replication != k%f.Sweep.Replications {
			return nil, nil, fmt.Errorf("%s: run %d is not replication %d of point %d: the file was changed",
				name, k, k%f.Sweep.Replications, k/f.Sweep.Replications)
		}
		run := PlannedRun{Point: r.Point, Replication: r.Replication, Key: r.Key, Invalid: r.Invalid}
		if r.Seed != nil {
			run.Seed, run.HasSeed = *r.Seed, true
		}
		plan.Runs = append(plan.Runs, run)
	}
	return &f, plan, nil
}
