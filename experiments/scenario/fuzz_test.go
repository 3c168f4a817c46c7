package scenario

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/scenarios"
)

// scenarioSeeds are the scenario files of testdata and scenarios/, the fuzzers' starting corpus.
func scenarioSeeds(f *testing.F) [][]byte {
	var out [][]byte
	files, err := filepath.Glob("testdata/*.yaml")
	require.NoError(f, err)
	bad, err := filepath.Glob("testdata/bad/*.yaml")
	require.NoError(f, err)
	for _, name := range append(files, bad...) {
		data, err := os.ReadFile(name)
		require.NoError(f, err)
		out = append(out, data)
	}
	embedded, err := fs.Glob(scenarios.FS, "*.yaml")
	require.NoError(f, err)
	for _, name := range embedded {
		data, err := scenarios.FS.ReadFile(name)
		require.NoError(f, err)
		out = append(out, data)
	}
	return out
}

// Any input decodes without panicking; every error it gives is a located *Error; a
// scenario that decodes builds a spec.
func FuzzParseScenario(f *testing.F) {
	for _, data := range scenarioSeeds(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("f.yaml", data, Options{BaseDir: "scen", ReadFile: readTestFile})
		if err != nil {
			assertLocated(t, err)
			return
		}
		_, err = s.Spec()
		assert.NoError(t, err)
	})
}

// assertLocated checks that err is, or joins, *Error values of file f.yaml.
func assertLocated(t *testing.T, err error) {
	t.Helper()
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			assertLocated(t, e)
		}
		return
	}
	var se *Error
	if assert.True(t, errors.As(err, &se), "not an *Error: %v", err) {
		assert.Equal(t, "f.yaml", se.File)
	}
}

func FuzzParseBytes(f *testing.F) {
	for _, s := range []string{"1KiB", "16384", "1MB", "1MiB", "64KB", "-1", "1.5KiB", "2 GiB", "2  GiB", "0", "9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseBytes(s)
		if err != nil {
			return
		}
		back, err := ParseBytes(v.String())
		require.NoError(t, err, "canonical %q of %q", v.String(), s)
		assert.Equal(t, v, back)
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"10ms", "2m", "1.5s", "30s", "1h", "250us", "0", "30", "-1m30s", "2562047h47m16.854775807s", "5 ms", "1m30 s", "10  ms"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		back, err := ParseDuration(d.String())
		require.NoError(t, err, "canonical %q of %q", d.String(), s)
		assert.Equal(t, d, back)
	})
}

// Every parsed distribution reads back from its String to an equal spec.
func FuzzParseDist(f *testing.F) {
	for _, s := range []string{"2ms", "lognormal(median=12ms, p99=40ms)", "normal(mean=5ms, sd=1ms)",
		"pareto(min=5ms, alpha=2.5)", "empirical(rtt.txt)", "empirical(ping.csv, column=rtt_ms)", "0", "pareto(min=1ns, alpha=1e-300)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDist(s, "scen", readTestFile)
		if err != nil {
			return
		}
		back, err := ParseDist(d.String(), "scen", readTestFile)
		require.NoError(t, err, "canonical %q of %q", d.String(), s)
		assert.Equal(t, d, back)
	})
}

// Rates of all three kinds read back from their canonical forms to the same value.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"20MB/s", "1GiB/s", "5000 records/s", "5000/s", "10Gbps", "100Mbps", "1Gbit/s", "2.5e7B/s", "0", "unlimited", "20 MB/s", "10 Gbps", "5000  records/s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if r, err := ParseRate(s); err == nil {
			back, err := ParseRate(r.String())
			require.NoError(t, err, "canonical %q of %q", r.String(), s)
			assert.Equal(t, r, back)
		}
		if r, err := ParseByteRate(s); err == nil {
			back, err := ParseByteRate(FormatByteRate(r))
			require.NoError(t, err, "canonical %q of %q", FormatByteRate(r), s)
			assert.Equal(t, r, back)
		}
		if r, err := ParseBitRate(s); err == nil {
			back, err := ParseBitRate(FormatBitRate(r))
			require.NoError(t, err, "canonical %q of %q", FormatBitRate(r), s)
			assert.Equal(t, r, back)
		}
	})
}

// ApplySet never panics; its result decodes without panicking; and setting the same value twice
// gives the same scenario as setting it once.
func FuzzApplySet(f *testing.F) {
	for _, s := range [][2]string{{"seed", "7"}, {"network.inter_site.rtt", "20ms"}, {"topics[0].replication.factor", "4"},
		{"topics[orders].config.min.insync.replicas", "2"}, {"producers[checkout].config.acks", "1"},
		{"broker.replica.lag.time.max.ms", "10000"}, {"sites[dc-c].brokers", "0"}, {"faults", "[{at: 1s, type: controller-crash}]"},
		{"sites[1].racks[0]", "x"}, {"topics[orders].replica_assignment", "[[1,2,3]]"}} {
		f.Add(s[0], s[1])
	}
	data, err := scenarios.FS.ReadFile(scenarios.Default)
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, path, value string) {
		root, err := ParseYAML("f.yaml", data)
		require.NoError(t, err)
		if ApplySet(root, path, value) != nil {
			return
		}
		once, err1 := DecodeNode("f.yaml", CloneNode(root), Options{})
		if err1 != nil {
			assertLocated(t, err1)
		}
		if ApplySet(root, path, value) != nil {
			return
		}
		twice, err2 := DecodeNode("f.yaml", root, Options{})
		assert.Equal(t, once, twice)
		assert.Equal(t, err1, err2)
	})
}
