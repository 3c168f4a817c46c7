package net

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// waits is a WaitRecorder for one half: the counted waits, as closed intervals.
type waits struct {
	t     *testing.T
	open  bool
	since sim.Time
	got   [][2]sim.Time
}

func (w *waits) Begin(at sim.Time) { w.open, w.since = true, at }

func (w *waits) End(now sim.Time) {
	require.True(w.t, w.open, "End without Begin")
	w.open = false
	if now > w.since {
		w.got = append(w.got, [2]sim.Time{w.since, now})
	}
}

func (w *waits) AddSpan(_, _, _ sim.Time) { w.t.Fatal("a connection counts its waits") }

func (w *waits) total() time.Duration {
	var d time.Duration
	for _, s := range w.got {
		d += s[1].Sub(s[0])
	}
	return d
}

const ms = sim.Time(time.Millisecond)

// windowedLink is a connection across a 50 ms round trip with 64 KiB windows, its receiver, and
// its tcp-window waits.
func windowedLink(t *testing.T) (*sim.Sim, *Half, *sink, *waits) {
	s := sim.New(1)
	n := twoSiteNet(s, 50*time.Millisecond, 0)
	k := &sink{}
	a, b := n.AddNode(0, 0, &sink{}), n.AddNode(1, 0, k)
	h := n.Connect(a, b, 64*units.KiB, 64*units.KiB)
	w := &waits{t: t}
	h.SetWindowWait(w)
	return s, h, k, w
}

// TestSendAtLeavesAtItsStart checks that a message sent for a later start (SendAt: the sender's
// thread still at work on it, a compressing producer's core) leaves no earlier than that start,
// even when it queued behind a full window that reopened before it: 50 ms round trips, a 64 KiB
// window filled at 0 and acknowledged at 50 ms, the next message due at 200 ms arrives 25 ms after
// it (not at 75 ms). It waited for its start, not for the window: no tcp-window wait.
func TestSendAtLeavesAtItsStart(t *testing.T) {
	s, h, k, w := windowedLink(t)
	h.Send(s, 0, 64*units.KiB)
	h.SendAt(s, 200*ms, 1, 64*units.KiB)
	s.Run()
	require.Equal(t, []int{0, 1}, k.got)
	assert.Equal(t, 25*ms, k.at[0])
	assert.Equal(t, 225*ms, k.at[1], "sent at its start, 200 ms, not when the window reopened at 50 ms")
	assert.Zero(t, w.total(), "it waited for its start, with the window open by then: %v", w.got)
}

// TestWindowWaitStartsAtTheStart checks the tcp-window accounting of a message due later: 128 KiB
// due at 200 ms on a 64 KiB window. Its first 64 KiB leave at 200 ms and the rest waits for their
// acknowledgement, at 250 ms, filling the window again; a 100-byte message sent at 10 ms behind
// it waits for that second half's acknowledgement, at 300 ms. The window was the wait over
// [200 ms, 300 ms), not from when the messages were queued: before 200 ms they waited for the
// first one's start.
func TestWindowWaitStartsAtTheStart(t *testing.T) {
	s, h, k, w := windowedLink(t)
	h.SendAt(s, 200*ms, 0, 128*units.KiB)
	s.RunUntil(10 * ms)
	h.Send(s, 1, 100)
	s.Run()
	require.Equal(t, []int{0, 1}, k.got)
	assert.Equal(t, 275*ms, k.at[0], "its second half left at 250 ms")
	assert.Equal(t, 325*ms, k.at[1], "one window later")
	assert.Equal(t, [][2]sim.Time{{200 * ms, 300 * ms}}, w.got)
}
