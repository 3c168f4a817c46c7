package workloads

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/stretchsim/stretchsim/model"
)

// Profile is a rate that changes over the run: a list of Phases or a Daily curve, exactly one.
// The zero Profile means "no profile": the producer sends at Spec.Rate throughout.
//
// Every rate in a profile is converted to records per second with Spec.RecordSize, so byte and
// record rates may be mixed; each may be 0 (a pause).
type Profile struct {
	// Phases are consecutive pieces of the run, in time order.
	Phases []Phase
	// Daily is a smooth daily curve; nil without one.
	Daily *Daily
}

// Phase is one piece of a phased Profile. It runs from the previous phase's Until (0 for the
// first) to its own Until.
type Phase struct {
	// Until is when the phase ends, since the start of the run; 0 only on the last phase, which
	// then lasts to the end of the run. When the last phase has an Until, nothing arrives after
	// it.
	// Invariant: strictly increasing over the phases that give it.
	Until time.Duration
	// Rate is the rate held through the phase, or, when Ramp is set, the rate a linear ramp
	// reaches at Until, starting from the rate the previous phase ended at; >= 0.
	Rate Rate
	// Ramp makes the phase a linear ramp to Rate (scenario key ramp_to); it needs a previous
	// phase and an Until.
	Ramp bool
}

// Daily is a cosine-shaped rate between Trough and Peak with period Period: the rate at time t
// since the start of the run is
//
//	mean + amplitude·cos(2π·(t + StartAt' − PeakAt') / Period)
//
// with mean = (Peak+Trough)/2, amplitude = (Peak−Trough)/2, and StartAt', PeakAt' the clock
// times StartAt and PeakAt scaled from a 24-hour day to the period (X' = X·Period/24h). So the
// rate is Peak at clock time PeakAt and Trough twelve (scaled) hours away, and the run begins at
// clock time StartAt; a Period shorter than 24h compresses the day.
type Daily struct {
	// Trough is the lowest rate (>= 0), Peak the highest (>= Trough).
	Trough, Peak Rate
	// PeakAt is the clock time of the peak, in [0, 24h).
	PeakAt time.Duration
	// StartAt is the clock time at which the run begins, in [0, 24h) (scenario default 0h).
	StartAt time.Duration
	// Period is the length of one day of the curve, > 0 (scenario default DefaultDailyPeriod).
	Period time.Duration
}

// DefaultDailyPeriod is a Daily curve's period when the scenario gives none.
const DefaultDailyPeriod = 24 * time.Hour

// clockDay is the day the clock times PeakAt and StartAt are given on.
const clockDay = 24 * time.Hour

// IsZero reports whether p is no profile at all.
func (p Profile) IsZero() bool { return len(p.Phases) == 0 && p.Daily == nil }

// FieldError is a problem with one field of a Profile, which Spec.Validate returns so that a
// caller can locate it: Field is relative to the producer's rate, "[1].until" for the second
// phase's until or ".daily.peak", and "" for the profile as a whole.
type FieldError struct {
	Field string
	Err   error
}

// Error formats the problem as "rate[1].until: message".
func (e *FieldError) Error() string { return "rate" + e.Field + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

// Validate reports every problem with p at once (errors.Join), each a *FieldError, or nil:
// phases out of time order, a phase but the last without Until, a ramp in the first phase or
// without Until, a negative or non-finite rate, a rate with both units, a positive rate below
// MinRecordsPerSec, phases and a daily curve both, and for Daily a peak below the trough, a
// clock time outside [0, 24h) or a period <= 0. Rates are converted with recordSize (a byte rate
// is not checked against MinRecordsPerSec when recordSize <= 0).
func (p Profile) Validate(recordSize model.Bytes) error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Err: fmt.Errorf(format, args...)})
	}
	if len(p.Phases) > 0 && p.Daily != nil {
		add("", "give phases or a daily curve, not both")
	}
	if len(p.Phases) > 0 {
		p.validatePhases(recordSize, add)
	}
	if p.Daily != nil {
		p.Daily.validate(recordSize, add)
	}
	return errors.Join(errs...)
}

func (p Profile) validatePhases(recordSize model.Bytes, add func(field, format string, args ...any)) {
	var prev time.Duration
	for i, ph := range p.Phases {
		f := "[" + strconv.Itoa(i) + "]"
		last := i == len(p.Phases)-1
		key := ".rate"
		if ph.Ramp {
			key = ".ramp_to"
		}
		checkPhaseRate(f+key, ph.Rate, recordSize, add)
		switch {
		case ph.Until < 0:
			add(f+".until", "must be positive, got %s", ph.Until)
		case ph.Until == 0 && !last:
			add(f+".until", "is required on every phase but the last (which may run to the end)")
		case ph.Until != 0 && ph.Until <= prev:
			add(f+".until", "%s is not after the previous phase's end (%s): phases must be in time order", ph.Until, prev)
		}
		if ph.Ramp && i == 0 {
			add(f+".ramp_to", "the first phase cannot ramp: there is no rate before it to ramp from (give rate:)")
		} else if ph.Ramp && ph.Until == 0 && last {
			add(f+".ramp_to", "a ramp needs an until: the time by which it reaches %s", ph.Rate)
		}
		prev = max(prev, ph.Until)
	}
}

func (d *Daily) validate(recordSize model.Bytes, add func(field, format string, args ...any)) {
	checkPhaseRate(".daily.trough", d.Trough, recordSize, add)
	checkPhaseRate(".daily.peak", d.Peak, recordSize, add)
	if tr, pk := d.Trough.RecordRate(recordSize), d.Peak.RecordRate(recordSize); recordSize > 0 && pk < tr {
		add(".daily.peak", "%s is below the trough %s", d.Peak, d.Trough)
	}
	for _, c := range []struct {
		key string
		v   time.Duration
	}{{".daily.peak_at", d.PeakAt}, {".daily.start_at", d.StartAt}} {
		if c.v < 0 || c.v >= clockDay {
			add(c.key, "%s is not a time of day: want 0h to 24h (excluded)", c.v)
		}
	}
	if d.Period <= 0 {
		add(".daily.period", "must be positive, got %s", d.Period)
	}
}

// checkPhaseRate checks a rate of a profile: at most one unit, finite, >= 0, and if positive
// not below MinRecordsPerSec.
func checkPhaseRate(field string, r Rate, recordSize model.Bytes, add func(field, format string, args ...any)) {
	v := r.BytesPerSec + r.RecordsPerSec
	switch {
	case r.BytesPerSec != 0 && r.RecordsPerSec != 0:
		add(field, "both bytes/s (%g) and records/s (%g) are set, want one", r.BytesPerSec, r.RecordsPerSec)
	case math.IsNaN(v) || math.IsInf(v, 0):
		add(field, "must be finite, got %s", r)
	case v < 0:
		add(field, "must not be negative, got %s", r)
	case v > 0 && recordSize > 0 && r.RecordRate(recordSize) < MinRecordsPerSec:
		add(field, "%s is below one record in %.0f days (write 0 for a pause)", r, 1/MinRecordsPerSec/86400)
	}
}
