package conf

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseBytes(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  string
	}{
		{"16384", 16384, ""},
		{"-1", -1, ""},
		{"1KiB", 1024, ""},
		{"64KiB", 65536, ""},
		{"1MB", 1000000, ""},
		{"64KB", 64000, ""},
		{"64kB", 64000, ""},
		{"1MiB", 1 << 20, ""},
		{"1.5KiB", 1536, ""},
		{"2 GiB", 2 << 30, ""},
		{"2 B", 2, ""},
		{"2  GiB", 0, `"2  GiB": put at most one space between a number and its unit`},
		{"2\tGiB", 0, `"2\tGiB": put at most one space between a number and its unit`},
		{"100B", 100, ""},
		{"-8589934592GiB", -1 << 63, ""},
		{"", 0, `"" is not a size: want a number of bytes with an optional unit, e.g. "64KiB" or "16384"`},
		{"KiB", 0, `"KiB" is not a size: want a number of bytes with an optional unit, e.g. "64KiB" or "16384"`},
		{"1.KiB", 0, `"1.KiB" is not a size: want a number of bytes with an optional unit, e.g. "64KiB" or "16384"`},
		{"1.0001KiB", 0, `"1.0001KiB" is not a whole number of bytes`},
		{"8EiB", 0, `"8EiB": unknown size unit "EiB" (want B, KiB, MiB, GiB, TiB (powers of 1024) or kB, MB, GB, TB (powers of 1000))`},
		{"9000000TiB", 0, `"9000000TiB" is out of range`},
		{"1e3", 0, `"1e3": unknown size unit "e3" (want B, KiB, MiB, GiB, TiB (powers of 1024) or kB, MB, GB, TB (powers of 1000))`},
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
