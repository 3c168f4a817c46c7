package sim_test

import (
	"fmt"
	"testing"

	"github.com/stretchsim/stretchsim/sim"
)

// BenchmarkHold is the classic hold model with P pending events. One op is one event.
// Targets (design §2): >= 10 M events/s at P=1000, >= 2 M events/s at P=100000, 0 allocs/op.
func BenchmarkHold(b *testing.B) {
	for _, p := range []int{10, 1000, 100000} {
		b.Run(fmt.Sprintf("P=%d", p), func(b *testing.B) {
			s := sim.New(1)
			newHold(s, p)
			runEvents(b, s)
		})
	}
}

// BenchmarkMM1 runs an M/M/1 queue with lambda=0.9, mu=1.0. One op is one event.
func BenchmarkMM1(b *testing.B) {
	s := sim.New(1)
	newMM1(s, 0.9, 1.0, nil)
	// Warm the FIFO ring up to its working size so the timed part does not allocate.
	for s.Events() < 1_000_000 {
		s.RunUntil(s.Now() + 1e9)
	}
	runEvents(b, s)
}

// BenchmarkPingPong bounces one event between two processes. One op is one event.
func BenchmarkPingPong(b *testing.B) {
	s := sim.New(1)
	a, c := &pingPong{}, &pingPong{}
	a.peer, c.peer = c, a
	s.Schedule(sim.Event{H: a})
	runEvents(b, s)
}

// runEvents runs b.N events of s and reports the rate.
func runEvents(b *testing.B, s *sim.Sim) {
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s.Step()
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
