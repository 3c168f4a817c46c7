package sim_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/sim"
)

// naiveQueue is the engine's contract written the simple way: every arming queues its own entry,
// and an entry whose timer was re-armed or stopped since is dropped when it comes up.
type naiveQueue struct {
	now     sim.Time
	seq     uint64
	entries []naiveEntry
	gens    []uint32
	armed   []bool
}

type naiveEntry struct {
	at    sim.Time
	seq   uint64
	timer int // -1: a plain event
	gen   uint32
	a     int64
}

func (q *naiveQueue) schedule(at sim.Time, a int64) {
	q.entries = append(q.entries, naiveEntry{at: at, seq: q.seq, timer: -1, a: a})
	q.seq++
}

func (q *naiveQueue) arm(t int, at sim.Time, a int64) {
	q.gens[t]++
	q.armed[t] = true
	q.entries = append(q.entries, naiveEntry{at: at, seq: q.seq, timer: t, gen: q.gens[t], a: a})
	q.seq++
}

func (q *naiveQueue) stop(t int) {
	if q.armed[t] {
		q.gens[t]++
		q.armed[t] = false
	}
}

// next removes and returns the earliest live entry.
func (q *naiveQueue) next() (naiveEntry, bool) {
	for len(q.entries) > 0 {
		m := 0
		for i, e := range q.entries {
			if e.at < q.entries[m].at || (e.at == q.entries[m].at && e.seq < q.entries[m].seq) {
				m = i
			}
		}
		e := q.entries[m]
		q.entries = append(q.entries[:m], q.entries[m+1:]...)
		if e.timer >= 0 {
			if e.gen != q.gens[e.timer] {
				continue
			}
			q.armed[e.timer] = false
		}
		q.now = e.at
		return e, true
	}
	return naiveEntry{}, false
}

// churn handles an event by arming, re-arming (earlier and later), stopping timers and scheduling
// plain events at random, the same draws for the engine and for naiveQueue.
type churn struct {
	rnd    *rand.Rand
	timers []sim.Timer
	got    []int64
	next   int64
	ops    func(op, t int, at sim.Time, a int64)
}

func (c *churn) Handle(s *sim.Sim, ev *sim.Event) {
	c.got = append(c.got, ev.A)
	c.step(s.Now())
}

// step schedules a plain event and draws up to three operations at time now, and hands them
// to ops.
func (c *churn) step(now sim.Time) {
	c.next++
	c.ops(0, 0, now+1+sim.Time(c.rnd.IntN(6)), c.next) // keeps the run going
	for range c.rnd.IntN(4) {
		c.next++
		// Few distinct times, so that ties (equal at, ordered by arming) are common.
		c.ops(c.rnd.IntN(5), c.rnd.IntN(len(c.timers)), now+sim.Time(c.rnd.IntN(6)), c.next)
	}
}

// TestRearmedTimersKeepTheOrderOfFreshEntries checks that moving a re-armed timer's entry (Arm)
// runs the same events in the same order as queueing an entry per arming and dropping the stale
// ones, over random arming, re-arming, stopping and scheduling, ties included.
func TestRearmedTimersKeepTheOrderOfFreshEntries(t *testing.T) {
	for seed := range uint64(40) {
		const timers, events = 6, 3000
		s := sim.New(seed)
		eng := &churn{rnd: rand.New(rand.NewPCG(seed, 1)), timers: make([]sim.Timer, timers)}
		eng.ops = func(op, ti int, at sim.Time, a int64) {
			switch op {
			case 0:
				s.Schedule(sim.Event{At: at, H: eng, A: a})
			case 1:
				eng.timers[ti].Stop()
			default:
				s.Arm(&eng.timers[ti], sim.Event{At: at, H: eng, A: a})
			}
		}
		q := &naiveQueue{gens: make([]uint32, timers), armed: make([]bool, timers)}
		ref := &churn{rnd: rand.New(rand.NewPCG(seed, 1)), timers: make([]sim.Timer, timers)}
		ref.ops = func(op, ti int, at sim.Time, a int64) {
			switch op {
			case 0:
				q.schedule(at, a)
			case 1:
				q.stop(ti)
			default:
				q.arm(ti, at, a)
			}
		}
		for range 3 {
			eng.step(0)
			ref.step(0)
		}
		for len(eng.got) < events && s.Step() {
		}
		for len(ref.got) < len(eng.got) {
			e, ok := q.next()
			if !ok {
				break
			}
			ref.got = append(ref.got, e.a)
			ref.step(q.now)
		}
		require.Equal(t, ref.got, eng.got, "seed %d", seed)
		require.EqualValues(t, len(eng.got), s.Events(), "seed %d: moved entries are not events", seed)
		for i := range eng.timers {
			require.Equal(t, q.armed[i], eng.timers[i].Armed(), "seed %d: timer %d", seed, i)
		}
		require.LessOrEqual(t, s.Pending(), len(q.entries), "seed %d: the engine queues no more than one entry per arming", seed)
	}
}

// TestRearmingLaterKeepsOneEntry checks the point of moving entries: a timer re-armed later at
// every event, as a request timeout is, holds one queue entry, not one per arming.
func TestRearmingLaterKeepsOneEntry(t *testing.T) {
	s := sim.New(1)
	r := &recorder{}
	var tm sim.Timer
	for i := range 1000 {
		s.Arm(&tm, sim.Event{At: sim.Time(1000 + i), H: r, A: int64(i)})
	}
	require.Equal(t, 1, s.Pending())
	s.Run()
	require.Equal(t, []int64{999}, r.got)
	require.EqualValues(t, 0, s.Cancelled())
	require.False(t, tm.Armed())
}

// TestRestoredTimerValueKeepsTimeOrder checks that a Timer value saved and written back over a
// live timer cannot move a queued entry back in time: the entry's time is the slot's, not the
// Timer's.
func TestRestoredTimerValueKeepsTimeOrder(t *testing.T) {
	s := sim.New(1)
	var at []sim.Time
	r := &timeRecorder{recorder: &recorder{}, at: &at}
	var tm sim.Timer
	s.Arm(&tm, sim.Event{At: 10, H: r, A: 1})
	saved := tm
	s.RunUntil(10)
	s.Arm(&tm, sim.Event{At: 100, H: r, A: 2})
	s.Arm(&tm, sim.Event{At: 200, H: r, A: 3})
	tm = saved
	s.Arm(&tm, sim.Event{At: 50, H: r, A: 4})
	s.Schedule(sim.Event{At: 75, H: r, A: 5})
	s.Run()
	require.Equal(t, []int64{1, 4, 5}, r.got)
	require.Equal(t, []sim.Time{10, 50, 75}, at)
}

// timeRecorder is a recorder that also notes when each event ran.
type timeRecorder struct {
	*recorder
	at *[]sim.Time
}

func (r *timeRecorder) Handle(s *sim.Sim, ev *sim.Event) {
	r.recorder.Handle(s, ev)
	*r.at = append(*r.at, s.Now())
}
