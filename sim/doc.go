// Package sim is stretchsim's discrete-event engine: virtual time, an event queue, cancellable
// timers, named random streams, run control and a trace hook. It knows nothing of Kafka.
//
// # Walkthrough
//
// A run is a *Sim created from one seed. Components implement Handler and schedule Events for
// themselves or for each other; the engine pops events in (time, scheduling order) and calls
// Handle. Here a producer emits a record every 10 ms of virtual time and a timer fires once:
//
//	type ticker struct{ sent int }
//
//	func (t *ticker) Handle(s *sim.Sim, ev *sim.Event) {
//		t.sent++
//		s.After(10*time.Millisecond, sim.Event{H: t})
//	}
//
//	s := sim.New(42)                      // one seed per run
//	tk := &ticker{}
//	s.Schedule(sim.Event{At: 0, H: tk})   // first tick at t=0
//	var deadline sim.Timer
//	s.ArmAfter(&deadline, time.Second, sim.Event{H: tk, Kind: 1})
//	deadline.Stop()                       // cancelled: the queued firing is dropped when reached
//	s.RunUntil(sim.Time(time.Second))     // ticks at 0, 10ms, ..., 1s: tk.sent == 101
//
// # Contracts
//
//   - Time is int64 nanoseconds since the start of the run (sim.Time); spans are time.Duration.
//     Nothing here reads the wall clock.
//   - Events with equal At run in the order they were scheduled: the queue is keyed by
//     (At, sequence number). Scheduling in the past panics (a programmer error).
//   - Events are value structs copied into a 4-ary heap of 16-byte keys plus a slot array with a
//     free list, so steady-state scheduling allocates nothing. Put pointers, not values, in
//     Event.Data: a pointer in an interface does not allocate.
//   - A Timer is cancelled or re-armed by bumping its generation; the stale firing is dropped when
//     it reaches the head of the queue, never searched for.
//   - Stream(name) is a ChaCha8 generator keyed by SHA-256(seed, name). Each component draws from
//     its own named stream, so adding a component never changes another's draws. A *Stream is a
//     math/rand/v2 Source: give it to gonum distuv values as Src (never leave Src nil).
//   - A run is single-threaded; parallelism exists only across runs. Same seed and same
//     scheduling ⇒ the same events at the same times, which a Digest installed with SetTrace
//     turns into one comparable number.
//
// Benchmarks (go test ./sim -run '^$' -bench .): the hold model with 10, 1,000 and 100,000
// pending events, an M/M/1 queue and a ping-pong, each reporting events/s.
package sim
