package workloads

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/stretchsim/stretchsim/model"
)

// Poisson gaps are exponential: mean 1/rate, coefficient of variation 1 (standard deviation equal
// to the mean).
func TestPoissonRateAndCV(t *testing.T) {
	const n = 100_000
	cases := []struct {
		rate  Rate
		size  model.Bytes
		start time.Duration
	}{
		{Rate{RecordsPerSec: 1000}, 100, 0},
		{Rate{RecordsPerSec: 50_000}, 100, time.Second},
		{Rate{BytesPerSec: 20e6}, model.KiB, 0},
		{Rate{RecordsPerSec: 0.5}, 100, 0},
	}
	for _, c := range cases {
		for _, seed := range []uint64{1, 2, 3} {
			t.Run(fmt.Sprintf("%s/seed=%d", c.rate, seed), func(t *testing.T) {
				spec := Spec{Process: Poisson, Rate: c.rate, RecordSize: c.size, Start: c.start}
				recs := records(t, spec, seed, n)
				want := spec.RecordsPerSec()
				got := float64(n) / (float64(recs[n-1].At-int64(c.start)) / 1e9)
				assert.InEpsilon(t, want, got, 0.02, "mean rate")
				_, cv := gapStats(recs)
				assert.InDelta(t, 1, cv, 0.05, "coefficient of variation of gaps")
				assert.Greater(t, recs[0].At, int64(c.start), "the first gap is random too")
			})
		}
	}
}
