package experiments

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// A bad sweep file is an error naming the file, the line and the key, every problem at once.
func TestParseSweepErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"unknown key", "scenario: a.yaml\nrepilcations: 3\n",
			`sweep.yaml:2: repilcations: unknown key "repilcations" (did you mean "replications"?)`},
		{"no scenario", "axes: {duration: [1, 2]}\n", "sweep.yaml:1: scenario: required key is missing (a scenario file, relative to this file, or a built-in scenario name)"},
		{"replications", "scenario: a.yaml\nreplications: 0\n",
			`sweep.yaml:2: replications: want a whole number from 1 to 10000, got "0"`},
		{"replications text", "scenario: a.yaml\nreplications: many\n",
			`sweep.yaml:2: replications: want a whole number from 1 to 10000, got "many"`},
		{"axis not a list", "scenario: a.yaml\naxes:\n  duration: 3\n",
			`sweep.yaml:3: axes.duration: want a list of values, e.g. [1ms, 2ms], got "3"`},
		{"empty axis", "scenario: a.yaml\naxes:\n  duration: []\n",
			"sweep.yaml:3: axes.duration: want a list of values, e.g. [1ms, 2ms], got an empty list"},
		{"null value", "scenario: a.yaml\naxes:\n  duration: [1, ~]\n", "sweep.yaml:3: axes.duration[1]: want a value, got no value"},
		{"labels", "scenario: a.yaml\naxes:\n  faults:\n    values: [[], []]\n    labels: [none]\n",
			"sweep.yaml:5: axes.faults.labels: 1 labels for 2 values"},
		{"axis mapping key", "scenario: a.yaml\naxes:\n  faults:\n    vals: [[]]\n",
			"sweep.yaml:4: axes.faults.vals: unknown key \"vals\" (an axis given as a mapping has values and labels)\nsweep.yaml:4: axes.faults.values: required key is missing"},
		{"seed axis", "scenario: a.yaml\naxes:\n  seed: [1, 2]\n",
			"sweep.yaml:3: axes.seed: seed cannot be an axis: replication r runs with seed S + r, so more seeds are more replications (or set seed: N for another S)"},
		{"duplicate axis", "scenario: a.yaml\naxes:\n  duration: [1]\nzip:\n  - duration: [2]\n",
			"sweep.yaml:5: zip[0].duration: the same path is already an axis (line 3)"},
		{"zip lengths", "scenario: a.yaml\nzip:\n  - a: [1, 2]\n    b: [1, 2, 3]\n",
			"sweep.yaml:4: zip[0].b: 3 values, but a has 2: the axes of a zip group move together"},
		{"empty zip group", "scenario: a.yaml\nzip:\n  - {}\n", "sweep.yaml:3: zip[0]: a zip group needs at least one axis"},
		{"zip not a list", "scenario: a.yaml\nzip: {a: [1]}\n",
			"sweep.yaml:2: zip: want a list of groups, each a mapping of axes that move together, got a mapping"},
		{"set and axis", "scenario: a.yaml\nset: {duration: 5s}\naxes:\n  duration: [1s, 2s]\n",
			"sweep.yaml:4: axes.duration: also given in set (line 2): an axis takes the place of a fixed value"},
		{"set value", "scenario: a.yaml\nset:\n  duration:\n", "sweep.yaml:3: set.duration: want a value, got no value"},
		{"duplicate key", "scenario: a.yaml\nscenario: b.yaml\n", "sweep.yaml:2: scenario: duplicate key (first given at line 1)"},
		{"yaml", "scenario: a.yaml\naxes: {duration: [1, 2}\n", "sweep.yaml:2: invalid YAML: did not find expected ',' or ']'"},
		{"not a mapping", "- a\n", "sweep.yaml:1: (top level): want a mapping of keys, got a list"},
		{"two problems", "scenario: [a]\nreplications: -1\n",
			"sweep.yaml:1: scenario: want a scenario file or built-in scenario name, got a list\nsweep.yaml:2: replications: want a whole number from 1 to 10000, got \"-1\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSweep("sweep.yaml", []byte(tc.text))
			assert.EqualError(t, err, tc.want)
		})
	}
}

// An axis or a fixed override whose path does not fit the scenario is an error of the sweep
// file, at its line.
func TestPlanSweepPathErrors(t *testing.T) {
	sw := parseSweep(t, "scenario: base.yaml\nset:\n  topics[9].partitions: 3\n")
	_, err := PlanSweep(sw, testBase(t), "test")
	assert.EqualError(t, err, "sweep.yaml:3: set.topics[9].partitions: topics: no item 9 (the list has 1)")
	sw = parseSweep(t, "scenario: base.yaml\naxes:\n  network.inter_site.rt: [1ms, 2ms]\n")
	_, err = PlanSweep(sw, testBase(t), "test")
	assert.ErrorContains(t, err, "sweep.yaml:3: axes.network.inter_site.rt: network.inter_site: unknown key \"rt\"")
}

// --axis values split at the commas outside brackets; a backslash escapes.
func TestSplitAxisValues(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  string
	}{
		{in: "1ms,2ms, 5ms", want: []string{"1ms", "2ms", "5ms"}},
		{in: "2ms,lognormal(median=12ms, p99=40ms)", want: []string{"2ms", "lognormal(median=12ms, p99=40ms)"}},
		{in: "[],[{at: 5s, type: site-outage, site: dc-c}]", want: []string{"[]", "[{at: 5s, type: site-outage, site: dc-c}]"}},
		{in: `[{name: "a)b"}],x`, want: []string{`[{name: "a)b"}]`, "x"}},
		{in: `a\,b,c\\`, want: []string{"a,b", `c\`}},
		{in: "1,,2", err: "value 2 is empty (a comma too many?)"},
		{in: "", err: "value 1 is empty (a comma too many?)"},
		{in: "normal(mean=5ms, sd=1ms", err: `unclosed '(' in value 1`},
		{in: "1],2", err: `unbalanced ']' in value 1`},
		{in: `1\`, err: `a backslash at the end: write \\ for a backslash, \, for a comma`},
	} {
		got, err := SplitAxisValues(tc.in)
		if tc.err != "" {
			assert.EqualError(t, err, tc.err, tc.in)
			continue
		}
		assert.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	a, err := ParseAxisFlag("network.inter_site.rtt=1ms,2ms")
	assert.NoError(t, err)
	assert.Equal(t, Axis{Path: "network.inter_site.rtt", Values: []string{"1ms", "2ms"}}, a)
	_, err = ParseAxisFlag("=1ms")
	assert.EqualError(t, err, "want PATH=V1,V2 (values separated by commas)")
}

// A scenario warning true at only some points names them; one true at every point does not.
func TestPlanSweepWarningNamesItsPoints(t *testing.T) {
	data, err := fs.ReadFile(scenarios.FS, "perf-test-lz4.yaml")
	require.NoError(t, err)
	base := Base{File: "perf-test-lz4.yaml", Data: data,
		Opts: scenario.Options{ReadFile: func(n string) ([]byte, error) { return fs.ReadFile(scenarios.FS, n) }}}
	sw := parseSweep(t, "scenario: perf-test-lz4\nset:\n  producers[perf-test].compression_ratio: \"{gzip: 0.32, lz4: 0.45}\"\n"+
		"axes:\n  producers[perf-test].config.compression.type: [none, lz4, gzip]\n")
	plan, err := PlanSweep(sw, base, "test")
	require.NoError(t, err)
	require.Len(t, plan.Warnings, 1)
	assert.True(t, strings.HasSuffix(plan.Warnings[0], "is not used: the producer's compression.type is none and topic perf keeps it"+
		" (at point 0: producers[perf-test].config.compression.type=none)"), plan.Warnings[0])

	// linger.ms -1 is invalid: the warning is true at every point that runs.
	sw = parseSweep(t, "scenario: perf-test-lz4\nset:\n  producers[perf-test].config.compression.type: none\n"+
		"axes:\n  producers[perf-test].config.linger.ms: [5, 10, -1]\n")
	plan, err = PlanSweep(sw, base, "test")
	require.NoError(t, err)
	require.NotEmpty(t, plan.Points[2].Invalid)
	require.Len(t, plan.Warnings, 1)
	assert.True(t, strings.HasSuffix(plan.Warnings[0], "topic perf keeps it"), plan.Warnings[0])
}
