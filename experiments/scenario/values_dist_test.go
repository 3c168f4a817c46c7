package scenario

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model"
)

// testFiles is a file system for empirical samples: name (under dir "scen") → contents.
var testFiles = map[string]string{
	"scen/rtt.txt":    "# rtt samples\n12ms\n\n14.5ms\n30ms\n",
	"scen/ping.csv":   "time,rtt_ms\n0,12.5\n1,13\n2,40\n",
	"scen/plain.csv":  "rtt\n10\n20.25\n",
	"scen/bad.csv":    "12ms\nslow\n",
	"scen/neg.txt":    "5ms\n-3\n",
	"scen/wide.csv":   "1,2\n3,4\n",
	"scen/empty.txt":  "# nothing\n",
	"data/shared.txt": "7ms\n",
}

func readTestFile(name string) ([]byte, error) {
	if s, ok := testFiles[filepath.ToSlash(name)]; ok {
		return []byte(s), nil
	}
	return nil, fmt.Errorf("open %s: %w", name, fs.ErrNotExist)
}

func TestParseDist(t *testing.T) {
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	tests := []struct {
		in   string
		want model.DistSpec
	}{
		{"2ms", model.Constant(2 * time.Millisecond)},
		{"0", model.Constant(0)},
		{"lognormal(median=12ms, p99=40ms)", model.DistSpec{Kind: model.DistLogNormal, Median: ms(12), P99: ms(40)}},
		{"lognormal( p99=40ms ,median=12ms )", model.DistSpec{Kind: model.DistLogNormal, Median: ms(12), P99: ms(40)}},
		{"normal(mean=5ms, sd=1ms)", model.DistSpec{Kind: model.DistNormal, Mean: ms(5), SD: ms(1)}},
		{"pareto(min=5ms, alpha=2.5)", model.DistSpec{Kind: model.DistPareto, Min: ms(5), Alpha: 2.5}},
		{"empirical(rtt.txt)", model.DistSpec{Kind: model.DistEmpirical, Source: "rtt.txt",
			Samples: []time.Duration{ms(12), ms(14.5), ms(30)}}},
		{"empirical(ping.csv, column=rtt_ms)", model.DistSpec{Kind: model.DistEmpirical, Source: "ping.csv, column=rtt_ms",
			Samples: []time.Duration{ms(12.5), ms(13), ms(40)}}},
		{"empirical(plain.csv)", model.DistSpec{Kind: model.DistEmpirical, Source: "plain.csv",
			Samples: []time.Duration{ms(10), ms(20.25)}}},
		{"empirical(../data/shared.txt)", model.DistSpec{Kind: model.DistEmpirical, Source: "../data/shared.txt",
			Samples: []time.Duration{ms(7)}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDist(tt.in, "scen", readTestFile)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			back, err := ParseDist(got.String(), "scen", readTestFile)
			require.NoError(t, err)
			assert.Equal(t, got, back, "parse(String()) == original")
		})
	}
}

func TestParseDistErrors(t *testing.T) {
	tests := []struct{ in, err string }{
		{"-2ms", `"-2ms" is negative`},
		{"fast", `"fast" is not a duration: want a number and a unit (ns, us, ms, s, m, h), e.g. "250ms" or "1m30s", within ±292 years, or a distribution such as "lognormal(median=12ms, p99=40ms)"`},
		{"12", `"12" has no unit: write e.g. "12s" or "12ms", or a distribution such as "lognormal(median=12ms, p99=40ms)"`},
		{"lognormal(median=12ms)", `"lognormal(median=12ms)": lognormal needs median and p99`},
		{"lognormal(median=40ms, p99=12ms)", `"lognormal(median=40ms, p99=12ms)": p99 (12ms) must be above the median (40ms)`},
		{"lognormal(median=12ms, p99=40ms, p50=1ms)", `"lognormal(median=12ms, p99=40ms, p50=1ms)": lognormal: unknown parameter "p50" (want median, p99)`},
		{"lognormal(median=12ms, median=13ms)", `"lognormal(median=12ms, median=13ms)": lognormal: parameter median given twice`},
		{"lognormal(median=12, p99=40ms)", `"lognormal(median=12, p99=40ms)": lognormal: median: "12" has no unit: write e.g. "12s" or "12ms"`},
		{"lognormal(12ms, 40ms)", `"lognormal(12ms, 40ms)": lognormal: argument "12ms" is not key=value`},
		{"lognormal(median=12ms, p99=40ms", `"lognormal(median=12ms, p99=40ms": want name(param=value, ...)`},
		{"logn(median=12ms, p99=40ms)", `"logn(median=12ms, p99=40ms)": unknown distribution "logn" (did you mean "lognormal"?)`},
		{"weibull(k=1)", `"weibull(k=1)": unknown distribution "weibull" (want normal, lognormal, pareto or empirical)`},
		{"normal(mean=5ms, sd=-1ms)", `"normal(mean=5ms, sd=-1ms)": sd must not be negative, got -1ms`},
		{"pareto(min=5ms, alpha=0)", `"pareto(min=5ms, alpha=0)": alpha must be a finite number above 1, got 0: with alpha <= 1 the Pareto mean is infinite, so the mean RTT would grow without bound with the run (alpha=2.5 is a heavy tail already)`},
		{"pareto(min=5ms, alpha=1)", `"pareto(min=5ms, alpha=1)": alpha must be a finite number above 1, got 1: with alpha <= 1 the Pareto mean is infinite, so the mean RTT would grow without bound with the run (alpha=2.5 is a heavy tail already)`},
		{"pareto(min=5ms, alpha=0.5)", `"pareto(min=5ms, alpha=0.5)": alpha must be a finite number above 1, got 0.5: with alpha <= 1 the Pareto mean is infinite, so the mean RTT would grow without bound with the run (alpha=2.5 is a heavy tail already)`},
		{"pareto(min=5ms, alpha=heavy)", `"pareto(min=5ms, alpha=heavy)": pareto: alpha: "heavy" is not a number`},
		{"pareto(min=0s, alpha=2)", `"pareto(min=0s, alpha=2)": min must be positive, got 0s`},
		{"empirical()", `"empirical()": empirical needs a file: empirical(rtt.csv) or empirical(ping.csv, column=rtt_ms)`},
		{"empirical(missing.txt)", `"empirical(missing.txt)": empirical: open scen/missing.txt: file does not exist`},
		{"empirical(bad.csv)", `"empirical(bad.csv)": empirical: bad.csv:2: "slow" is neither a duration ("12.5ms") nor a number of milliseconds`},
		{"empirical(neg.txt)", `"empirical(neg.txt)": empirical: neg.txt:2: sample "-3" is negative`},
		{"empirical(wide.csv)", `"empirical(wide.csv)": empirical: wide.csv:1: 2 fields: name the column to read, e.g. empirical(wide.csv, column=NAME)`},
		{"empirical(ping.csv, column=latency)", `"empirical(ping.csv, column=latency)": empirical: ping.csv:1: no column "latency" in the header (time, rtt_ms)`},
		{"empirical(empty.txt)", `"empirical(empty.txt)": empirical: empty.txt has no samples`},
		{"2ms)", `"2ms)": unbalanced parenthesis`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseDist(tt.in, "scen", readTestFile)
			assert.EqualError(t, err, tt.err)
		})
	}
}
