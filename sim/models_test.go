package sim_test

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// hold is the classic hold model: every event reschedules itself an exponential time later, so
// the queue length stays at its initial size.
type hold struct {
	rnd  *sim.Stream
	mean float64 // mean increment, in nanoseconds
}

func (h *hold) Handle(s *sim.Sim, ev *sim.Event) {
	s.After(time.Duration(h.rnd.ExpFloat64()*h.mean), sim.Event{H: h, A: ev.A})
}

func newHold(s *sim.Sim, pending int) *hold {
	h := &hold{rnd: s.Stream("hold"), mean: 1e6}
	for i := range pending {
		s.After(time.Duration(h.rnd.ExpFloat64()*h.mean), sim.Event{H: h, A: int64(i)})
	}
	return h
}

// mm1 is an M/M/1 queue in virtual seconds scaled by unit: Poisson arrivals at rate lambda, one
// server with exponential service at rate mu, FIFO. It records the sojourn time of every departing
// customer.
type mm1 struct {
	lambda, mu float64
	unit       float64 // nanoseconds per model time unit
	arrivals   *sim.Stream
	services   *sim.Stream
	waiting    []sim.Time // arrival times of customers in the system, FIFO ring
	head, n    int
	done       int
	observe    func(sojourn float64)
}

const (
	mm1Arrival sim.Kind = iota
	mm1Departure
)

func newMM1(s *sim.Sim, lambda, mu float64, observe func(float64)) *mm1 {
	m := &mm1{lambda: lambda, mu: mu, unit: 1e6, arrivals: s.Stream("mm1/arrivals"),
		services: s.Stream("mm1/services"), waiting: make([]sim.Time, 1024), observe: observe}
	m.scheduleArrival(s)
	return m
}

func (m *mm1) draw(r *sim.Stream, rate float64) time.Duration {
	return time.Duration(r.ExpFloat64() / rate * m.unit)
}

func (m *mm1) scheduleArrival(s *sim.Sim) {
	s.After(m.draw(m.arrivals, m.lambda), sim.Event{H: m, Kind: mm1Arrival})
}

func (m *mm1) Handle(s *sim.Sim, ev *sim.Event) {
	switch ev.Kind {
	case mm1Arrival:
		m.push(s.Now())
		if m.n == 1 {
			s.After(m.draw(m.services, m.mu), sim.Event{H: m, Kind: mm1Departure})
		}
		m.scheduleArrival(s)
	case mm1Departure:
		arrived := m.pop()
		m.done++
		if m.observe != nil {
			m.observe(float64(s.Now()-arrived) / m.unit)
		}
		if m.n > 0 {
			s.After(m.draw(m.services, m.mu), sim.Event{H: m, Kind: mm1Departure})
		}
	}
}

func (m *mm1) push(t sim.Time) {
	if m.n == len(m.waiting) {
		grown := make([]sim.Time, 2*len(m.waiting))
		for i := range m.n {
			grown[i] = m.waiting[(m.head+i)%len(m.waiting)]
		}
		m.waiting, m.head = grown, 0
	}
	m.waiting[(m.head+m.n)%len(m.waiting)] = t
	m.n++
}

func (m *mm1) pop() sim.Time {
	t := m.waiting[m.head]
	m.head = (m.head + 1) % len(m.waiting)
	m.n--
	return t
}

// pingPong bounces one event between two processes, each answering after a fixed delay.
type pingPong struct {
	peer *pingPong
}

func (p *pingPong) Handle(s *sim.Sim, ev *sim.Event) {
	s.After(time.Microsecond, sim.Event{H: p.peer, A: ev.A + 1})
}
