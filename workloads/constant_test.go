package workloads

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/stretchsim/stretchsim/model"
)

// A constant process at r records/s puts exactly ⌈10·r⌉ records in [Start, Start+10s): one at
// Start, then every 1/r s, with no drift from summing rounded gaps.
func TestConstantExactCountOver10s(t *testing.T) {
	cases := []struct {
		name  string
		rate  Rate
		size  model.Bytes
		start time.Duration
		want  int
	}{
		{"1000 records/s", Rate{RecordsPerSec: 1000}, 100, 0, 10_000},
		{"3 records/s (gap not a whole ns)", Rate{RecordsPerSec: 3}, 100, 0, 30},
		{"7 records/s from 1m", Rate{RecordsPerSec: 7}, 100, time.Minute, 70},
		{"20MB/s of 1KiB", Rate{BytesPerSec: 20e6}, model.KiB, 0, 195_313},
		{"20MB/s of 1KiB from 1.5s", Rate{BytesPerSec: 20e6}, model.KiB, 1500 * time.Millisecond, 195_313},
		{"100k records/s", Rate{RecordsPerSec: 1e5}, 10, 0, 1_000_000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec := Spec{Process: Constant, Rate: c.rate, RecordSize: c.size, Start: c.start}
			recs := until(t, spec, 1, c.start+10*time.Second)
			assert.Len(t, recs, c.want)
			gap := 1e9 / spec.RecordsPerSec()
			for k, r := range recs {
				if want := int64(math.Round(float64(c.start) + float64(k)*gap)); r.At != want {
					t.Fatalf("record %d at %d ns, want %d", k, r.At, want)
				}
				if r.HasKey {
					t.Fatalf("record %d has a key without Keys", k)
				}
			}
		})
	}
}

// A constant process without keys draws nothing: its records do not depend on the seed.
func TestConstantDrawsNothing(t *testing.T) {
	spec := Spec{Process: Constant, Rate: Rate{RecordsPerSec: 333}, RecordSize: 1}
	assert.Equal(t, records(t, spec, 1, 1000), records(t, spec, 2, 1000))
}
