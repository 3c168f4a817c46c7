package model

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// TestWaitSlotUnion checks the wait accounting against a naive reference: booked intervals
// (starting at or after the current time, in any order) on one slot and overlapping counted
// waits on another, measured after the warm-up, add up to the length of their union, never their
// sum. (A slot is either booked or counted, never both.)
func TestWaitSlotUnion(t *testing.T) {
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 1))
		const horizon = 400
		covered, counted := make([]bool, horizon+200), make([]bool, horizon+200)
		w := &waitSlot{warmup: sim.Time(r.IntN(50))}
		c := &waitSlot{warmup: w.warmup}
		var open []sim.Time // starts of the counted waits not ended
		idle := sim.Time(0) // when the latest counted wait ended with none open
		now := sim.Time(0)
		for now < horizon {
			now += sim.Time(r.IntN(5))
			switch r.IntN(3) {
			case 0, 1: // a booking ahead
				a := now + sim.Time(r.IntN(40))
				b := a + sim.Time(r.IntN(30))
				w.addSpan(now, a, b)
				for x := a; x < b; x++ {
					covered[x] = true
				}
			case 2: // a counted wait begins (maybe found late), or the oldest one ends
				if len(open) < 3 && r.IntN(2) == 0 {
					at := max(idle, now-sim.Time(r.IntN(8)))
					c.begin(at)
					open = append(open, at)
				} else if len(open) > 0 {
					for x := open[0]; x < now; x++ {
						counted[x] = true
					}
					open = open[1:]
					c.end(now)
					if len(open) == 0 {
						idle = now
					}
				}
			}
		}
		for _, at := range []sim.Time{now, now + 17, now + 500} {
			if got, want := w.waited(at), union(covered, w.warmup, at); got != want {
				t.Fatalf("seed %d: booked waited(%d) = %d, want %d (union)", seed, at, got, want)
			}
		}
		for _, start := range open {
			for x := start; x < now; x++ {
				counted[x] = true
			}
		}
		if got, want := c.waited(now), union(counted, c.warmup, now); got != want {
			t.Fatalf("seed %d: counted waited(%d) = %d, want %d (union)", seed, now, got, want)
		}
	}
}

// TestWaitSlotLateBeginCountsOnce checks a wait found late (net.Half begins a tcp-window wait
// at the start its bytes were due, at its next update): the part of it that overlaps a wait
// already counted is not counted twice. [0, 10) then [5, 15) is a union of 15.
func TestWaitSlotLateBeginCountsOnce(t *testing.T) {
	w := &waitSlot{}
	w.begin(0)
	w.end(10)
	w.begin(5) // found at 12
	w.end(15)
	if got := w.waited(20); got != 15 {
		t.Fatalf("waited = %d, want 15", got)
	}
}

// union counts the covered steps in [from, to).
func union(covered []bool, from, to sim.Time) time.Duration {
	var d time.Duration
	for x := from; x < to && int(x) < len(covered); x++ {
		if covered[x] {
			d++
		}
	}
	return d
}
