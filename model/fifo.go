package model

import "github.com/stretchsim/stretchsim/sim"

// fifo is a resource that serves bytes one after another at a fixed rate, in booking order: for
// a resource booked at the time the bytes reach it (a broker's disk). The network's NICs and
// links, booked ahead of arrival, serve bytes in arrival order instead (net's timeline).
type fifo struct {
	busyUntil sim.Time
	nsPerByte float64   // 0: unlimited
	wait      *waitSlot // if set, accounts the time bytes waited for the ones before them
}

// reserve queues bytes arriving at t and returns when the last byte has been served.
func (f *fifo) reserve(t sim.Time, bytes Bytes) sim.Time {
	if f.nsPerByte == 0 {
		return t
	}
	if f.wait != nil && f.busyUntil > t {
		f.wait.addSpan(t, t, f.busyUntil)
	}
	f.busyUntil = max(f.busyUntil, t) + sim.Time(float64(bytes)*f.nsPerByte)
	return f.busyUntil
}
