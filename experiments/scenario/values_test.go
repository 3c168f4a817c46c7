package scenario

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model"
)

func TestParseBytes(t *testing.T) {
	tests := []struct {
		in   string
		want model.Bytes
		err  string
	}{
		{"1KiB", 1024, ""},
		{"16384", 16384, ""},
		{"1MB", 1000000, ""},
		{"1MiB", 1 << 20, ""},
		{"64KB", 64000, ""},
		{" 2GiB ", 2 << 30, ""},
		{"0.5KiB", 512, ""},
		{"1 KiB", 1024, ""},
		{"1Kib", 0, `"1Kib": unknown size unit "Kib" (want B, KiB, MiB, GiB, TiB (powers of 1024) or kB, MB, GB, TB (powers of 1000))`},
		{"lots", 0, `"lots" is not a size: want a number of bytes with an optional unit, e.g. "64KiB" or "16384"`},
		{"0.3B", 0, `"0.3B" is not a whole number of bytes`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseBytes(tt.in)
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"10ms", 10 * time.Millisecond, ""},
		{"2m", 2 * time.Minute, ""},
		{"1.5s", 1500 * time.Millisecond, ""},
		{"30s", 30 * time.Second, ""},
		{"1h", time.Hour, ""},
		{"250us", 250 * time.Microsecond, ""},
		{"250µs", 250 * time.Microsecond, ""},
		{"0", 0, ""},
		{"1m30s", 90 * time.Second, ""},
		{"-5ms", -5 * time.Millisecond, ""},
		{"30", 0, `"30" has no unit: write e.g. "30s" or "30ms"`},
		{"2.5", 0, `"2.5" has no unit: write e.g. "2.5s" or "2.5ms"`},
		{"10 ms", 10 * time.Millisecond, ""},
		{"1m30 s", 90 * time.Second, ""},
		{"0 s", 0, ""},
		{"10  ms", 0, `"10  ms": put at most one space between a number and its unit`},
		{"1m 30s", 0, `"1m 30s" is not a duration: want a number and a unit (ns, us, ms, s, m, h), e.g. "250ms" or "1m30s", within ±292 years`},
		{"1 0ms", 0, `"1 0ms" is not a duration: want a number and a unit (ns, us, ms, s, m, h), e.g. "250ms" or "1m30s", within ±292 years`},
		{"10d", 0, `"10d" is not a duration: want a number and a unit (ns, us, ms, s, m, h), e.g. "250ms" or "1m30s", within ±292 years`},
		{"", 0, `"" is not a duration: want a number and a unit (ns, us, ms, s, m, h), e.g. "250ms" or "1m30s", within ±292 years`},
		{"Inf", 0, `"Inf" is not a duration: want a number and a unit (ns, us, ms, s, m, h), e.g. "250ms" or "1m30s", within ±292 years`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseByteRate(t *testing.T) {
	tests := []struct {
		in   string
		want model.ByteRate
		err  string
	}{
		{"20MB/s", 20e6, ""},
		{"1GiB/s", 1 << 30, ""},
		{"1GB/s", 1e9, ""},
		{"500kB/s", 500e3, ""},
		{"500KB/s", 500e3, ""},
		{"1.5MiB/s", 1.5 * (1 << 20), ""},
		{"100B/s", 100, ""},
		{"2.5e7B/s", 25e6, ""},
		{"0", 0, ""},
		{"20MB", 0, `"20MB": unknown byte rate unit "MB" (want e.g. "20MB/s" or "1GiB/s")`},
		{"20", 0, `"20" has no unit: want e.g. "20MB/s" or "1GiB/s"`},
		{"fast", 0, `"fast" is not a byte rate: want a number and a unit, e.g. "20MB/s" or "1GiB/s"`},
		{"10Gbps", 0, `"10Gbps": unknown byte rate unit "Gbps" (want e.g. "20MB/s" or "1GiB/s") (bps is bits per second; a throughput is in bytes: B/s)`},
		{"1e999B/s", 0, `"1e999B/s" is not a byte rate: want a number and a unit, e.g. "20MB/s" or "1GiB/s"`},
		{"1e300TB/s", 0, `"1e300TB/s" is out of range`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseByteRate(tt.in)
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			back, err := ParseByteRate(FormatByteRate(got))
			require.NoError(t, err)
			assert.Equal(t, got, back)
		})
	}
}

func TestParseBitRate(t *testing.T) {
	tests := []struct {
		in   string
		want model.BitRate
		err  string
	}{
		{"10Gbps", 10e9, ""},
		{"100Mbps", 100e6, ""},
		{"1Gbit/s", 1e9, ""},
		{"25Gbps", 25e9, ""},
		{"512kbps", 512e3, ""},
		{"1.5Gbps", 1.5e9, ""},
		{"0", 0, ""},
		{"1GB/s", 0, `"1GB/s": unknown bandwidth unit "GB/s" (want e.g. "10Gbps" or "100Mbit/s") (a bandwidth is in bits per second: 1GB/s is 8Gbps)`},
		{"10Gibps", 0, `"10Gibps": unknown bandwidth unit "Gibps" (want e.g. "10Gbps" or "100Mbit/s")`},
		{"10G", 0, `"10G": unknown bandwidth unit "G" (want e.g. "10Gbps" or "100Mbit/s")`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseBitRate(tt.in)
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.want.String(), FormatBitRate(got), "canonical form is the model's when exact")
		})
	}
}

func TestFormatRateIsExact(t *testing.T) {
	for _, v := range []float64{20e6, 1 << 30, 1.2345678901234567e7, math.SmallestNonzeroFloat64, math.MaxFloat64, 0.1 + 0.2, -3} {
		br, err := ParseByteRate(FormatByteRate(model.ByteRate(v)))
		require.NoError(t, err, FormatByteRate(model.ByteRate(v)))
		assert.Equal(t, v, float64(br), FormatByteRate(model.ByteRate(v)))
		bb, err := ParseBitRate(FormatBitRate(model.BitRate(v)))
		require.NoError(t, err, FormatBitRate(model.BitRate(v)))
		assert.Equal(t, v, float64(bb), FormatBitRate(model.BitRate(v)))
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want Rate
		err  string
	}{
		{"20MB/s", Rate{BytesPerSec: 20e6}, ""},
		{"1GiB/s", Rate{BytesPerSec: 1 << 30}, ""},
		{"5000 records/s", Rate{RecordsPerSec: 5000}, ""},
		{"5000records/s", Rate{RecordsPerSec: 5000}, ""},
		{"5000/s", Rate{RecordsPerSec: 5000}, ""},
		{"0.5/s", Rate{RecordsPerSec: 0.5}, ""},
		{"5000", Rate{}, `"5000" is not a rate: want bytes per second ("20MB/s") or records per second ("5000 records/s")`},
		{"5k/s", Rate{}, `"5k/s" is not a rate: want bytes per second ("20MB/s") or records per second ("5000 records/s")`},
		{"20MBps", Rate{}, `"20MBps" is not a rate: want bytes per second ("20MB/s") or records per second ("5000 records/s")`},
		{"20Mb/s", Rate{}, `"20Mb/s" is not a rate: want bytes per second ("20MB/s") or records per second ("5000 records/s")`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRate(tt.in)
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			back, err := ParseRate(got.String())
			require.NoError(t, err)
			assert.Equal(t, got, back)
		})
	}
}

// One rule for every quantity with a unit: the unit follows the number directly or after exactly
// one space; two spaces or a tab are an error naming the rule.
func TestUnitSpaceRule(t *testing.T) {
	parsers := map[string]func(string) (any, error){
		"duration":  func(s string) (any, error) { return ParseDuration(s) },
		"size":      func(s string) (any, error) { return ParseBytes(s) },
		"byte rate": func(s string) (any, error) { return ParseByteRate(s) },
		"bandwidth": func(s string) (any, error) { return ParseBitRate(s) },
		"rate":      func(s string) (any, error) { return ParseRate(s) },
		"dist": func(s string) (any, error) {
			return ParseDist(s, "", nil)
		},
		"sample": func(s string) (any, error) { return parseSample(s) },
	}
	tests := []struct{ parser, num, unit string }{
		{"duration", "5", "ms"},
		{"duration", "1.5", "s"},
		{"duration", "250", "µs"},
		{"size", "64", "KiB"},
		{"size", "100", "B"},
		{"byte rate", "30", "MB/s"},
		{"bandwidth", "10", "Gbps"},
		{"bandwidth", "100", "Mbit/s"},
		{"rate", "30", "MB/s"},
		{"rate", "5000", "records/s"},
		{"dist", "5", "ms"},
		{"sample", "12.5", "ms"},
	}
	for _, tt := range tests {
		t.Run(tt.parser+" "+tt.num+tt.unit, func(t *testing.T) {
			parse := parsers[tt.parser]
			want, err := parse(tt.num + tt.unit)
			require.NoError(t, err)
			got, err := parse(tt.num + " " + tt.unit)
			require.NoError(t, err)
			assert.Equal(t, want, got)
			for _, sep := range []string{"  ", "\t", " \t"} {
				s := tt.num + sep + tt.unit
				_, err := parse(s)
				assert.ErrorContains(t, err, fmt.Sprintf("%q: put at most one space between a number and its unit", s))
			}
		})
	}
	d, err := ParseDist("normal(mean=5 ms, sd=1 ms)", "", nil)
	require.NoError(t, err)
	assert.Equal(t, model.DistSpec{Kind: model.DistNormal, Mean: 5 * time.Millisecond, SD: time.Millisecond}, d)
}
