package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFIFOKeepsOrderAcrossCompaction pushes and pops past the point where the queue moves its
// items to the front of its storage, and checks the order and the contents against a slice.
func TestFIFOKeepsOrderAcrossCompaction(t *testing.T) {
	var q FIFO[int]
	var want []int
	next := 0
	for round := range 200 {
		for range round%7 + 1 {
			q.Push(next)
			want = append(want, next)
			next++
		}
		for range round % 5 {
			if q.Len() == 0 {
				break
			}
			assert.Equal(t, want[0], *q.Front())
			q.Pop()
			want = want[1:]
		}
		assert.Equal(t, len(want), q.Len())
		assert.Equal(t, want, append([]int{}, q.All()...))
	}
	q.Reset()
	assert.Zero(t, q.Len())
}

type noopHandler struct{}

func (noopHandler) Handle(*Sim, *Event) {}

// TestArmEarlierKeepsTheEarliest checks that ArmEarlier moves a timer only earlier and ignores
// Never.
func TestArmEarlierKeepsTheEarliest(t *testing.T) {
	s := New(1)
	var tm Timer
	h := noopHandler{}
	s.ArmEarlier(&tm, Event{At: Never, H: h})
	assert.False(t, tm.Armed())
	s.ArmEarlier(&tm, Event{At: 20, H: h})
	s.ArmEarlier(&tm, Event{At: 30, H: h})
	assert.Equal(t, Time(20), tm.At())
	s.ArmEarlier(&tm, Event{At: 10, H: h})
	assert.Equal(t, Time(10), tm.At())
}

// TestFIFOInsertKeepsOrder mixes pushes, pops and inserts at random positions (mostly near the
// front, as a producer puts retried batches back) and checks the queue against a slice.
func TestFIFOInsertKeepsOrder(t *testing.T) {
	rnd := NewStream(7, "fifo-insert")
	var q FIFO[int]
	var want []int
	for next := range 5_000 {
		switch op := rnd.IntN(10); {
		case op < 4:
			q.Push(next)
			want = append(want, next)
		case op < 7 && len(want) > 0:
			assert.Equal(t, want[0], *q.Front())
			q.Pop()
			want = want[1:]
		default:
			i := min(rnd.IntN(4), len(want))
			if rnd.IntN(8) == 0 {
				i = rnd.IntN(len(want) + 1)
			}
			q.Insert(i, next)
			want = append(want[:i], append([]int{next}, want[i:]...)...)
		}
		if !assert.Equal(t, want, append([]int{}, q.All()...), "after %d operations", next+1) {
			return
		}
	}
}
