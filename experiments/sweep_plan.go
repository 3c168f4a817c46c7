package experiments

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"go.yaml.in/yaml/v3"
)

// Base is a sweep's base scenario as the caller read it: a file relative to the sweep file, or a
// built-in scenario.
type Base struct {
	// File names the scenario in errors and, when it has no key name, gives it its name.
	File string
	// Data is the scenario's text.
	Data []byte
	// Opts carry BaseDir and ReadFile for empirical(...) sample files; their Sets are ignored
	// (a sweep's overrides are Sweep.Sets and its axes).
	Opts scenario.Options
}

// Plan is a sweep expanded into its runs: run k is replication k mod R of point k / R, R the
// sweep's replications.
type Plan struct {
	Sweep *Sweep
	// Version is the stretchsim version the run keys are made with (see RunKey).
	Version string
	Points  []PlannedPoint
	Runs    []PlannedRun
	// Warnings are the distinct warnings of the points' scenarios (Scenario.Warnings).
	Warnings []string
}

// PlannedPoint is one point of the grid.
type PlannedPoint struct {
	// Labels are the point's values, one per axis (Sweep.Axes order), as the tables show them.
	Labels []string
	// Invalid is the validation message of a point whose scenario is invalid; "" otherwise.
	Invalid string
}

// PlannedRun is one run: a point's scenario with a replication's seed.
type PlannedRun struct {
	Point, Replication int
	// Seed is the run's seed, SeedFor(S, Replication) with S the point's scenario seed; HasSeed
	// is false for a point whose scenario is invalid, whose seed is then unknown.
	Seed    uint64
	HasSeed bool
	// Invalid is the validation message when the run's scenario is invalid; such a run does
	// not run.
	Invalid string
	// Scenario is the run's resolved scenario as YAML: the base with the sweep's overrides, the
	// point's values and the seed applied, comments dropped. Key hashes it.
	Scenario string
	// Key names the run's result in a sweep directory (RunKey); "" for an invalid run.
	Key string
}

// FlagError is a command-line flag whose value does not fit: the CLI reports it as a usage
// error.
type FlagError struct {
	Flag  string // "--axis"
	Value string // the flag's value as given
	Err   error
}

func (e *FlagError) Error() string { return fmt.Sprintf("%s %s: %v", e.Flag, e.Value, e.Err) }

func (e *FlagError) Unwrap() error { return e.Err }

// PlanSweep expands sw over base: it applies the fixed overrides, then each point's axis values,
// and decodes and validates every run's scenario. A point whose scenario is invalid is recorded
// as such (PlannedPoint.Invalid), not returned as an error; an override whose path does not fit
// the scenario is an error of the sweep (a *scenario.Error at its line of the sweep file, or a
// *scenario.SetError or *FlagError for a command-line flag), and so is a base scenario that is not YAML.
func PlanSweep(sw *Sweep, base Base, version string) (*Plan, error) {
	root, err := scenario.ParseYAML(base.File, base.Data)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, s := range sw.Sets {
		if err := scenario.ApplySet(root, s.Path, s.Value); err != nil {
			errs = append(errs, sweepSetError(sw, s, "set", "--set", err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	p := &Plan{Sweep: sw, Version: version}
	warned := map[string][]int{} // the points each warning is true at
	type planned struct {
		i      int
		labels []string
	}
	firstOf := map[string]planned{} // the point of each first replication's key
	for i := range sw.PointCount() {
		tree, err := pointTree(sw, root, i)
		if err != nil {
			if !slices.ContainsFunc(errs, func(e error) bool { return e.Error() == err.Error() }) {
				errs = append(errs, err)
			}
			continue
		}
		pt, runs := planPoint(sw, base, tree, version, i)
		if k := runs[0].Key; k != "" {
			// Two points labelled differently that resolve to the same scenario: two axes name
			// one value (say producers[0] and producers[checkout]), and one of them has no
			// effect. (A value repeated on an axis gives equal labels: one run serves both.)
			if j, dup := firstOf[k]; dup && !slices.Equal(j.labels, pt.Labels) {
				errs = append(errs, fmt.Errorf("points %d (%s) and %d (%s) are the same scenario: two axes set the same value, and one of them has no effect",
					j.i, strings.Join(j.labels, ", "), i, strings.Join(pt.Labels, ", ")))
				continue
			}
			if _, seen := firstOf[k]; !seen {
				firstOf[k] = planned{i, pt.Labels}
			}
		}
		p.Points = append(p.Points, pt)
		for _, run := range runs {
			p.Runs = append(p.Runs, run.PlannedRun)
			for _, w := range run.warnings {
				at := warned[w]
				if len(at) == 0 {
					p.Warnings = append(p.Warnings, w)
				}
				if len(at) == 0 || at[len(at)-1] != len(p.Points)-1 {
					warned[w] = append(at, len(p.Points)-1)
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for i, w := range p.Warnings {
		p.Warnings[i] = w + warningPoints(sw, p.Points, warned[w])
	}
	return p, nil
}

// warningPoints names the points a warning is true at, when it is not true at every valid point
// (an invalid point has no scenario to warn about): " (at point 0:
// producers[perf-test].config.compression.type=none)", or how many when there are more than three.
func warningPoints(sw *Sweep, points []PlannedPoint, at []int) string {
	valid := 0
	for _, pt := range points {
		if pt.Invalid == "" {
			valid++
		}
	}
	if len(at) == valid {
		return ""
	}
	if len(at) > 3 {
		return fmt.Sprintf(" (at %d of the %d valid points)", len(at), valid)
	}
	var names []string
	for _, i := range at {
		var set []string
		for d, step := range sw.PointSteps(i) {
			for _, a := range sw.Dims[d].Axes {
				set = append(set, a.Path+"="+a.Label(step))
			}
		}
		names = append(names, fmt.Sprintf("point %d: %s", i, strings.Join(set, ", ")))
	}
	return " (at " + strings.Join(names, "; ") + ")"
}

// pointTree returns a copy of root with point i's axis values applied.
func pointTree(sw *Sweep, root *yaml.Node, i int) (*yaml.Node, error) {
	tree := scenario.CloneNode(root)
	for _, s := range sw.PointSets(i) {
		if err := scenario.ApplySet(tree, s.Path, s.Value); err != nil {
			return nil, sweepSetError(sw, s, "axes", "--axis", err)
		}
	}
	return tree, nil
}

// sweepSetError locates the error of applying s: at its line of the sweep file, or on its flag.
func sweepSetError(sw *Sweep, s Setting, key, flag string, err error) error {
	if s.Line > 0 {
		return &scenario.Error{File: sw.File, Line: s.Line, Path: key + "." + s.Path, Err: err}
	}
	if flag == "--set" {
		return &scenario.SetError{Set: s.Path + "=" + s.Value, Err: err}
	}
	return &FlagError{Flag: flag, Value: s.Path + "=...", Err: fmt.Errorf("value %s: %w", s.Value, err)}
}

// plannedRun is a PlannedRun with the warnings of its scenario.
type plannedRun struct {
	PlannedRun
	warnings []string
}

// planPoint decodes point i's scenario (tree) and each replication's.
func planPoint(sw *Sweep, base Base, tree *yaml.Node, version string, i int) (PlannedPoint, []plannedRun) {
	pt := PlannedPoint{Labels: sw.PointLabels(i)}
	runs := make([]plannedRun, sw.Replications)
	sc, err := scenario.DecodeNode(base.File, tree, base.Opts)
	if err != nil {
		pt.Invalid = invalidMessage(err)
	}
	for r := range runs {
		run := &runs[r]
		run.Point, run.Replication = i, r
		if pt.Invalid != "" {
			run.Invalid = pt.Invalid
			continue
		}
		run.Seed, run.HasSeed = SeedFor(sc.Seed, r), true
		t := scenario.CloneNode(tree)
		if err := scenario.ApplySet(t, "seed", strconv.FormatUint(run.Seed, 10)); err != nil {
			run.Invalid = err.Error()
			continue
		}
		run.Scenario = resolvedText(t)
		rsc, err := scenario.DecodeNode(base.File, t, base.Opts)
		if err != nil {
			run.Invalid = invalidMessage(err)
			continue
		}
		for _, w := range rsc.Warnings {
			run.warnings = append(run.warnings, w.Error())
		}
		run.Key = RunKey(version, base.File, run.Scenario)
	}
	return pt, runs
}

// invalidMessage is a validation error on one line. Values from the sweep's overrides are named
// by their path alone: the tables show them.
func invalidMessage(err error) string {
	var parts []string
	var each func(err error)
	each = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				each(e)
			}
			return
		}
		var se *scenario.Error
		if errors.As(err, &se) && se.Set != "" {
			parts = append(parts, (&scenario.Error{Path: se.Path, Err: se.Err}).Error())
			return
		}
		if errors.As(err, &se) && se.File != "" {
			// The base file by its name alone, as RunKey has it: the message must not depend
			// on the directory the sweep was started from (shards merge byte for byte).
			e := *se
			e.File = filepath.Base(se.File)
			parts = append(parts, e.Error())
			return
		}
		parts = append(parts, err.Error())
	}
	each(err)
	return strings.Join(parts, "; ")
}

// resolvedText writes the scenario tree root as YAML without its comments (which hold, among
// others, the --set markers of ApplySet), the overrides written plain: a scenario file of its
// own, and the input of RunKey.
func resolvedText(root *yaml.Node) string {
	c := scenario.CloneNode(root)
	var strip func(n *yaml.Node)
	strip = func(n *yaml.Node) {
		n.HeadComment, n.LineComment, n.FootComment = "", "", ""
		if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && n.Style == 0 && !readsAsNull(n.Value) {
			// A value ApplySet gave, as its text: written plain, 20 and not "20", as a file
			// would have it, so that the same scenario has the same key however it was given.
			n.Tag = ""
		}
		for _, k := range n.Content {
			strip(k)
		}
	}
	strip(c)
	return encodeNode(c)
}

// readsAsNull reports whether text written plain would read back as YAML null (yaml.v3's
// resolve): such a value stays quoted in the resolved scenario.
func readsAsNull(text string) bool {
	switch strings.TrimSpace(text) {
	case "", "~", "null", "Null", "NULL":
		return true
	}
	return false
}

// RunKey names a run's result in a sweep directory (runs/KEY.json): the first 128 bits, in hex,
// of the SHA-256 of the stretchsim version, the base scenario's file name (which names a scenario
// without a key name) and the resolved scenario text, seed included. A run with the same key is
// the same run, whichever sweep, point or shard asks for it. The contents of empirical(...)
// sample files are not part of the key.
func RunKey(version, file, scenario string) string {
	h := sha256.New()
	fmt.Fprintf(h, "stretchsim %s\nfile %s\n%s", version, filepath.Base(file), scenario)
	return hex.EncodeToString(h.Sum(nil)[:16])
}
