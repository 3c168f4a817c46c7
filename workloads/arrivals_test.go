package workloads

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/sim"
)

// allKinds is one spec per process × key kind, all valid.
func allKinds() map[string]Spec {
	out := map[string]Spec{}
	for _, p := range []Process{Constant, Poisson, OnOff} {
		for _, k := range []KeyKind{NoKeys, UniformKeys, ZipfKeys} {
			out[fmt.Sprintf("%s/%s", p, k)] = Spec{Process: p, Rate: Rate{BytesPerSec: 20e6},
				RecordSize: model.KiB, On: 50 * time.Millisecond, Off: 150 * time.Millisecond,
				Keys: k, KeyCount: 1000, ZipfS: 1.2, Start: 2 * time.Second}
		}
	}
	return out
}

// Same seed ⇒ identical records; another seed ⇒ different records (style.md 10). A constant
// process without keys draws nothing, so it is the one kind the seed cannot change.
func TestDeterminism(t *testing.T) {
	for name, spec := range allKinds() {
		t.Run(name, func(t *testing.T) {
			a := records(t, spec, 42, 1000)
			assert.Equal(t, a, records(t, spec, 42, 1000), "same seed")
			if spec.Process == Constant && spec.Keys == NoKeys {
				return
			}
			assert.NotEqual(t, a, records(t, spec, 43, 1000), "different seed")
		})
	}
}

// The process draws only from its own stream: another stream of the same run is unaffected, and
// the records depend on the stream name as well as the seed.
func TestOwnStreamOnly(t *testing.T) {
	spec := allKinds()["poisson/zipf"]
	s := sim.New(9)
	other := s.Stream("wan/dc-a->dc-b")
	before := *sim.NewStream(9, "wan/dc-a->dc-b")
	a := New(spec, s.Stream("producer/p1"))
	for range 100 {
		a.Next()
	}
	assert.Equal(t, before.Uint64(), other.Uint64())

	p1 := New(spec, sim.NewStream(9, "producer/p1")).Next()
	p2 := New(spec, sim.NewStream(9, "producer/p2")).Next()
	assert.NotEqual(t, p1, p2)
}

// No record arrives before Start, for every kind.
func TestStart(t *testing.T) {
	for name, spec := range allKinds() {
		t.Run(name, func(t *testing.T) {
			recs := records(t, spec, 3, 10_000) // checks At >= Start and non-decreasing
			assert.GreaterOrEqual(t, recs[0].At, int64(spec.Start))
		})
	}
}

// Next must not allocate: a producer calls it ~50,000 times per simulated second.
func TestNextDoesNotAllocate(t *testing.T) {
	for name, spec := range allKinds() {
		a := New(spec, sim.NewStream(1, "producer/test"))
		assert.Zero(t, testing.AllocsPerRun(1000, func() { a.Next() }), name)
	}
}
