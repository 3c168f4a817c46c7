package workloads

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// OnOff keeps the long-run mean rate and puts nothing in an Off window: with windows starting at
// Start, On first, an arrival at t has (t-Start) mod (On+Off) < On.
func TestOnOffRateAndSilence(t *testing.T) {
	cases := []struct {
		rate       float64 // records/s
		on, off    time.Duration
		start      time.Duration
		periods    int
		wantPeriod float64 // records per On window, = rate·(On+Off)
	}{
		{10_000, time.Second, time.Second, 0, 100, 20_000},
		{5_000, 100 * time.Millisecond, 900 * time.Millisecond, 0, 200, 5_000},
		{20_000, 900 * time.Millisecond, 100 * time.Millisecond, 3 * time.Second, 100, 20_000},
		{1_000, 10 * time.Millisecond, 40 * time.Millisecond, 0, 2_000, 50},
		{1_000, time.Millisecond, time.Millisecond, 0, 50_000, 2},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%g/s on=%s off=%s", c.rate, c.on, c.off), func(t *testing.T) {
			spec := Spec{Process: OnOff, Rate: Rate{RecordsPerSec: c.rate}, RecordSize: 100,
				On: c.on, Off: c.off, Start: c.start}
			period := c.on + c.off
			span := time.Duration(c.periods) * period
			recs := until(t, spec, 7, c.start+span)
			got := float64(len(recs)) / span.Seconds()
			assert.InEpsilon(t, c.rate, got, 0.03, "long-run rate")
			assert.InEpsilon(t, c.wantPeriod, float64(len(recs))/float64(c.periods), 0.03, "records per cycle")
			prev := int64(c.start)
			for i, r := range recs {
				if off := (r.At - int64(c.start)) % int64(period); r.At < int64(c.start) || off >= int64(c.on) {
					t.Fatalf("record %d at %s is inside an Off window", i, time.Duration(r.At))
				}
				if r.At < prev {
					t.Fatalf("record %d goes back in time", i)
				}
				prev = r.At
			}
		})
	}
}

// During On the process is Poisson at the peak rate: gaps inside one On window have CV ≈ 1.
func TestOnOffIsPoissonWithinOn(t *testing.T) {
	spec := Spec{Process: OnOff, Rate: Rate{RecordsPerSec: 10_000}, RecordSize: 100,
		On: time.Second, Off: 3 * time.Second}
	recs := until(t, spec, 11, time.Second) // the first On window only
	mean, cv := gapStats(recs)
	assert.InEpsilon(t, 1e9/40_000, mean, 0.02, "mean gap at the peak rate rate·(On+Off)/On")
	assert.InDelta(t, 1, cv, 0.05)
}
