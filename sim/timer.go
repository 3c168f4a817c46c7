package sim

// Timer is a cancellable, re-armable event. Arming or stopping it bumps its generation; a fired
// event whose generation is stale is dropped when it reaches the head of the queue, so
// cancellation never searches the heap. The zero Timer is disarmed and ready to use.
type Timer struct {
	gen   uint32
	armed bool
	at    Time
	// queued is 1 + the slot of this timer's queue entry that a re-arming may move, 0 if none.
	// Arming the timer for that entry's time or later moves the entry (Sim.Arm) instead of
	// queueing another and leaving a stale one behind.
	queued int32
}

// Armed reports whether the timer will fire.
func (t *Timer) Armed() bool { return t.armed }

// At returns when an armed timer fires, or Never.
func (t *Timer) At() Time {
	if !t.armed {
		return Never
	}
	return t.at
}

// Stop disarms the timer. Stopping a disarmed timer does nothing.
func (t *Timer) Stop() {
	if t.armed {
		t.gen++
		t.armed = false
	}
}

// ArmEarlier arms t with ev unless t is already armed for ev.At or earlier, or ev.At is Never:
// a timer that must fire by the earliest of several deadlines.
func (s *Sim) ArmEarlier(t *Timer, ev Event) {
	if ev.At == Never || (t.armed && t.At() <= ev.At) {
		return
	}
	s.Arm(t, ev)
}
