package workloads

import (
	"math"
	"testing"
	"time"

	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/sim"
)

// records returns the first n records of spec under seed, checking the contract every process
// shares: At non-decreasing and not before Start, Size as specified.
func records(t testing.TB, spec Spec, seed uint64, n int) []model.Record {
	t.Helper()
	a := New(spec, sim.NewStream(seed, "producer/test"))
	out := make([]model.Record, n)
	prev := int64(spec.Start)
	for i := range out {
		r := a.Next()
		if r.At < prev || r.Size != spec.RecordSize {
			t.Fatalf("record %d = %+v after At %d: want At non-decreasing from Start and Size %d",
				i, r, prev, spec.RecordSize)
		}
		out[i] = r
		prev = r.At
	}
	return out
}

// until returns the records of spec under seed with At < end.
func until(t testing.TB, spec Spec, seed uint64, end time.Duration) []model.Record {
	t.Helper()
	a := New(spec, sim.NewStream(seed, "producer/test"))
	var out []model.Record
	for r := a.Next(); r.At < int64(end); r = a.Next() {
		out = append(out, r)
	}
	return out
}

// gapStats returns the mean and coefficient of variation of the gaps between successive At.
func gapStats(recs []model.Record) (mean, cv float64) {
	n := float64(len(recs) - 1)
	var sum, sq float64
	for i := 1; i < len(recs); i++ {
		g := float64(recs[i].At - recs[i-1].At)
		sum += g
		sq += g * g
	}
	mean = sum / n
	variance := sq/n - mean*mean
	return mean, math.Sqrt(variance) / mean
}
