package workloads

import (
	"fmt"

	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/sim"
)

// clock yields the intended send times of successive arrivals, in virtual nanoseconds since the
// start of the run, non-decreasing.
type clock interface {
	next() int64
}

// keyer draws the key of one record; ok false means an unkeyed record.
type keyer interface {
	key() (id uint64, ok bool)
}

// arrivals is the model.Arrivals New returns: a clock for times, a keyer for keys, a fixed size.
type arrivals struct {
	clock clock
	keys  keyer
	size  model.Bytes
	// last is the previous record's At.
	// Invariant: the next record's At >= last.
	last int64
}

// New returns the arrival process spec describes, drawing every random number from rnd (for
// example the run's stream "producer/<name>"). Each Next draws the time first, then the key, so
// the same seed and spec always give the same records. Next does not allocate.
//
// New panics if spec.Validate() reports an error or rnd is nil: validating user input is the
// caller's job (experiments does it when it loads a scenario).
func New(spec Spec, rnd *sim.Stream) model.Arrivals {
	if err := spec.Validate(); err != nil {
		panic(fmt.Sprintf("workloads.New: invalid spec: %v", err))
	}
	if rnd == nil {
		panic("workloads.New: nil random stream")
	}
	return &arrivals{clock: newClock(spec, rnd), keys: newKeyer(spec, rnd), size: spec.RecordSize}
}

func newClock(spec Spec, rnd *sim.Stream) clock {
	start := int64(spec.Start)
	if !spec.Profile.IsZero() {
		in := spec.Profile.compile(spec.RecordSize, spec.Start.Seconds())
		if spec.Process == Poisson {
			return newProfileClock(in, rnd)
		}
		return newProfileClock(in, nil)
	}
	rate := spec.RecordsPerSec()
	switch spec.Process {
	case Poisson:
		return newPoissonClock(start, rate, rnd)
	case OnOff:
		return newOnOffClock(start, rate, spec.On, spec.Off, rnd)
	}
	return newConstantClock(start, rate)
}

// Next returns the next record: At non-decreasing, Size = Spec.RecordSize, and a key as
// Spec.Keys says.
func (a *arrivals) Next() model.Record {
	at := a.clock.next()
	// Float-to-integer rounding must never make time go backwards.
	at = max(at, a.last)
	a.last = at
	id, ok := a.keys.key()
	return model.Record{At: at, Size: a.size, Key: id, HasKey: ok}
}
