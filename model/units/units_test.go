package units

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestStrings: sizes print exactly in the largest binary unit that divides them, rates in SI
// units (the forms golden summaries and scenario files use).
func TestStrings(t *testing.T) {
	for b, want := range map[Bytes]string{0: "0", 1000: "1000", 16 * KiB: "16KiB", 1536 * KiB: "1536KiB",
		6 * MiB: "6MiB", GiB: "1GiB", -KiB: "-1KiB"} {
		assert.Equal(t, want, b.String(), int64(b))
	}
	assert.Equal(t, "20MB/s", ByteRate(20e6).String())
	assert.Equal(t, "1.5kB/s", ByteRate(1500).String())
	assert.Equal(t, "10Gbps", BitRate(10e9).String())
	assert.Equal(t, "800bps", BitRate(800).String())
	assert.Equal(t, 1.25e9, BitRate(10e9).BytesPerSecond())
}
