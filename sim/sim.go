package sim

import (
	"fmt"
	"time"
)

// slot holds a scheduled event and, for timer events, the timer and the generation it was armed
// with.
type slot struct {
	ev    Event
	timer *Timer
	gen   uint32
	// seq is the sequence number of the timer's latest arming. When it is newer than the queue
	// entry's, the timer was re-armed for a later time: the entry goes back into the queue with
	// the time and sequence number of that arming, the place a new entry would have taken.
	seq uint64
	// qAt is the time of the slot's queue entry: a re-arming may move the entry only later. It
	// is kept here, not in the Timer, so that a Timer value copied or restored cannot move an
	// entry back in time.
	qAt Time
}

// Sim is one run: a virtual clock, an event queue and the run's random streams. It is not safe for
// concurrent use; parallelism exists only across runs.
type Sim struct {
	now       Time
	seq       uint64
	q         queue
	slots     []slot
	free      []int32
	events    uint64
	cancelled uint64
	stopped   bool
	trace     func(*Event)
	seed      uint64
	streams   map[string]*Stream
}

// New returns a run at time 0 whose random streams derive from seed.
func New(seed uint64) *Sim {
	return &Sim{seed: seed, streams: make(map[string]*Stream)}
}

// Now returns the current virtual time.
func (s *Sim) Now() Time { return s.now }

// Seed returns the run's seed.
func (s *Sim) Seed() uint64 { return s.seed }

// Events returns how many events have run. Stale timer firings are not counted.
func (s *Sim) Events() uint64 { return s.events }

// Cancelled returns how many stale timer firings were dropped.
func (s *Sim) Cancelled() uint64 { return s.cancelled }

// Pending returns how many events are queued, stale timer firings included.
func (s *Sim) Pending() int { return len(s.q) }

// SetTrace installs fn to be called with every event just before it runs; nil removes it. With no
// trace installed the engine pays one nil check per event.
func (s *Sim) SetTrace(fn func(*Event)) { s.trace = fn }

// Schedule queues ev to run at ev.At. Events with equal At run in the order they were scheduled.
// Scheduling in the past or without a handler is a programmer error and panics.
func (s *Sim) Schedule(ev Event) {
	s.enqueue(ev, nil, 0)
}

// After queues ev to run d after now.
func (s *Sim) After(d time.Duration, ev Event) {
	ev.At = s.now.Add(d)
	s.enqueue(ev, nil, 0)
}

// Arm sets t to deliver ev at ev.At, replacing any earlier arming of t.
//
// A timer re-armed for a time no earlier than its queued entry's keeps that one entry: the
// entry is moved to the new time when it reaches the head of the queue (step). Events run in the
// same order as if the old entry had been dropped and a new one queued, so the queue holds one
// entry per timer instead of one per arming (a request timeout re-armed at every request).
func (s *Sim) Arm(t *Timer, ev Event) {
	t.gen++
	t.armed = true
	t.at = ev.At
	if t.queued > 0 && s.slots[t.queued-1].timer == t && ev.At >= s.slots[t.queued-1].qAt { // (not a copy of t)
		if ev.At < s.now || ev.H == nil {
			s.badEvent(&ev)
		}
		if s.seq >= maxSeq {
			panic("sim: too many events for one run")
		}
		sl := &s.slots[t.queued-1]
		sl.ev, sl.gen, sl.seq = ev, t.gen, s.seq
		s.seq++
		return
	}
	t.queued = s.enqueue(ev, t, t.gen) + 1
}

// ArmAfter sets t to deliver ev d after now, replacing any earlier arming of t.
func (s *Sim) ArmAfter(t *Timer, d time.Duration, ev Event) {
	ev.At = s.now.Add(d)
	s.Arm(t, ev)
}

// badEvent panics on an event scheduled in the past or without a handler (programmer errors).
func (s *Sim) badEvent(ev *Event) {
	if ev.H == nil {
		panic("sim: event scheduled without a handler")
	}
	panic(fmt.Sprintf("sim: event scheduled at %v, before now %v", ev.At, s.now))
}

// enqueue queues ev and returns its slot.
func (s *Sim) enqueue(ev Event, t *Timer, gen uint32) int32 {
	if ev.At < s.now || ev.H == nil {
		s.badEvent(&ev)
	}
	var i int32
	if n := len(s.free); n > 0 {
		i = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		i = int32(len(s.slots))
		s.slots = append(s.slots, slot{})
	}
	s.slots[i] = slot{ev: ev, timer: t, gen: gen, seq: s.seq, qAt: ev.At}
	if s.seq >= maxSeq || i >= maxSlots {
		panic("sim: too many events for one run")
	}
	s.q.push(entry{at: ev.At, key: s.seq<<slotBits | uint64(i)})
	s.seq++
	return i
}

// Stop makes Run or RunUntil return after the event that is running now.
func (s *Sim) Stop() { s.stopped = true }

// Run runs events until the queue is empty or Stop is called.
func (s *Sim) Run() { s.RunUntil(Never) }

// RunUntil runs every event with At <= end, then sets the clock to end (unless end is Never or
// Stop was called). It returns early if Stop is called; a later call resumes.
func (s *Sim) RunUntil(end Time) {
	s.stopped = false
	for len(s.q) > 0 && !s.stopped && s.q[0].at <= end {
		s.step()
	}
	if !s.stopped && end != Never && end > s.now {
		s.now = end
	}
}

// Step runs the earliest queued event (or drops it, if it is a stale timer firing) and reports
// whether there was one. It ignores Stop.
func (s *Sim) Step() bool {
	if len(s.q) == 0 {
		return false
	}
	s.step()
	return true
}

// step pops and runs the earliest event. The handler gets a pointer into the slot, which stays
// reserved until the handler returns: if the handler's own scheduling grows s.slots, the pointer
// still refers to the old backing array, whose copy of the event nobody writes.
func (s *Sim) step() {
	e := s.q.pop()
	i := e.slot()
	sl := &s.slots[i]
	if t := sl.timer; t != nil {
		if t.gen != sl.gen {
			if t.queued == i+1 {
				t.queued = 0
			}
			s.release(sl, i)
			s.cancelled++
			return
		}
		if sl.seq != e.key>>slotBits {
			// Re-armed for later (Arm): back into the queue where that arming put it.
			s.q.push(entry{at: sl.ev.At, key: sl.seq<<slotBits | uint64(i)})
			sl.qAt = sl.ev.At
			return
		}
		t.armed, t.queued = false, 0
	}
	s.now = e.at
	s.events++
	if s.trace != nil {
		s.trace(&sl.ev)
	}
	sl.ev.H.Handle(s, &sl.ev)
	s.release(sl, i)
}

// release returns a slot to the free list, dropping its references so it never pins garbage.
func (s *Sim) release(sl *slot, i int32) {
	sl.ev.Data, sl.timer = nil, nil
	s.free = append(s.free, i)
}
