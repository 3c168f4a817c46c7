package experiments_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// TestGolden pins the model's behaviour: each file in testdata/golden runs scenarios and prints
// every figure of their summaries, one "path = value" line each, with the number of events and
// the trace digest (a hash of every event's time, kind and handler in order). A change that
// alters what the model does shows up as a diff of these files, reviewed like code; rewrite them
// with
//
//	go test ./experiments -run TestGolden -rewrite
//
// The style is CockroachDB asim's datadriven simulation tests. Commands:
//
//	run scenario=NAME [set=PATH=VALUE ...]   an embedded example scenario
//	run file=PATH [set=PATH=VALUE ...]       a scenario file, relative to testdata
//
// The whole summary is printed but for wall_seconds, the one figure that is not deterministic.
func TestGolden(t *testing.T) {
	if raceEnabled {
		t.Skip("the golden runs take minutes under the race detector; .ci/run runs them without it")
	}
	datadriven.Walk(t, filepath.Join("testdata", "golden"), func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			if d.Cmd != "run" {
				d.Fatalf(t, "unknown command %q", d.Cmd)
			}
			var opts scenario.Options
			var name, file string
			for _, a := range d.CmdArgs {
				switch a.Key {
				case "scenario":
					name = a.Vals[0]
				case "file":
					file = a.Vals[0]
				case "set":
					opts.Sets = append(opts.Sets, a.Vals...)
				default:
					d.Fatalf(t, "unknown argument %q", a.Key)
				}
			}
			var sc *scenario.Scenario
			var err error
			switch {
			case name != "":
				f, ok := scenarios.Lookup(name)
				if !ok {
					d.Fatalf(t, "no embedded scenario %q", name)
				}
				sc, err = scenario.LoadFS(scenarios.FS, f, opts)
			case file != "":
				sc, err = scenario.Load(filepath.Join("testdata", file), opts)
			default:
				d.Fatalf(t, "run needs scenario= or file=")
			}
			require.NoError(t, err)
			res, err := experiments.Run(sc)
			require.NoError(t, err)
			return flatSummary(t, res.Summary)
		})
	})
}

// flatSummary prints s as sorted "path = value" lines, leaving out wall_seconds.
func flatSummary(t *testing.T, s experiments.Summary) string {
	data, err := json.Marshal(s)
	require.NoError(t, err)
	var v any
	require.NoError(t, json.Unmarshal(data, &v))
	var lines []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, e)
			}
			if len(v) == 0 {
				lines = append(lines, prefix+" = {}")
			}
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s[%d]", prefix, i), e)
			}
			if len(v) == 0 {
				lines = append(lines, prefix+" = []")
			}
		default:
			b, err := json.Marshal(v)
			require.NoError(t, err)
			lines = append(lines, prefix+" = "+string(b))
		}
	}
	walk("", v)
	out := lines[:0]
	for _, l := range lines {
		if !strings.HasPrefix(l, "wall_seconds = ") {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n") + "\n"
}
