package workloads

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/stretchsim/stretchsim/model"
)

// Process is the kind of arrival process. The zero value is Constant.
type Process int

const (
	// Constant arrivals are exactly 1/rate apart, the first at Spec.Start.
	Constant Process = iota
	// Poisson arrivals have independent exponential gaps of mean 1/rate, from Spec.Start.
	Poisson
	// OnOff arrivals are Poisson at rate·(On+Off)/On during each On window and absent during each
	// Off window; windows alternate from Spec.Start, On first.
	OnOff
)

// String returns "constant", "poisson" or "onoff".
func (p Process) String() string {
	switch p {
	case Constant:
		return "constant"
	case Poisson:
		return "poisson"
	case OnOff:
		return "onoff"
	}
	return fmt.Sprintf("Process(%d)", int(p))
}

// KeyKind is how record keys are drawn. The zero value is NoKeys.
type KeyKind int

const (
	// NoKeys gives unkeyed records (model.Record.HasKey false): the producer's sticky partitioner
	// picks the partition (KIP-480).
	NoKeys KeyKind = iota
	// UniformKeys draws key ids uniformly from [0, KeyCount).
	UniformKeys
	// ZipfKeys draws key ids from [0, KeyCount) with P(k) ∝ (1+k)^-ZipfS: key 0 is the hottest.
	ZipfKeys
)

// String returns "none", "uniform" or "zipf".
func (k KeyKind) String() string {
	switch k {
	case NoKeys:
		return "none"
	case UniformKeys:
		return "uniform"
	case ZipfKeys:
		return "zipf"
	}
	return fmt.Sprintf("KeyKind(%d)", int(k))
}

// Spec describes one producer's workload. It is plain data: experiments fills it from a scenario
// file and New turns it into a model.Arrivals. Fields a kind does not use are ignored.
type Spec struct {
	// Process is the arrival process (default Constant).
	Process Process
	// Rate is the long-run mean arrival rate; exactly one of its fields is set, unless Profile
	// is given, and then neither.
	Rate Rate
	// Profile, when not zero, is a rate that changes over the run instead of Rate. It needs a
	// Constant or Poisson process: OnOff's windows are defined around a single rate.
	Profile Profile
	// RecordSize is every record's serialized size in bytes (key, value and record overhead);
	// must be > 0.
	RecordSize model.Bytes
	// On and Off are the window lengths of an OnOff process; both must be > 0. Ignored otherwise.
	On, Off time.Duration
	// Keys is how keys are drawn (default NoKeys).
	Keys KeyKind
	// KeyCount is the number of distinct key ids for UniformKeys and ZipfKeys; must be >= 1.
	KeyCount int
	// ZipfS is the Zipf exponent s for ZipfKeys; must be > 1 (larger is more skewed).
	ZipfS float64
	// Start is the virtual time since the start of the run before which no record arrives
	// (default 0); must be >= 0.
	Start time.Duration
}

// MinRecordsPerSec is the lowest rate a producer may have: one record in about 11.6 days. Slower
// rates put arrivals beyond what a run can reach, and far enough out the gap between two arrivals
// overflows virtual time.
const MinRecordsPerSec = 1e-6

// RecordsPerSec is the long-run mean arrival rate in records per second (see Rate.RecordRate);
// 0 with a Profile (see MeanRecordsPerSec).
func (s Spec) RecordsPerSec() float64 { return s.Rate.RecordRate(s.RecordSize) }

// Validate reports every problem with s at once (errors.Join), or nil. Messages name the
// scenario key at fault (rate, record_size, on, off, key_count, zipf_s, start); the caller
// prefixes the file, line and producer.
func (s Spec) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if s.Process < Constant || s.Process > OnOff {
		add("process: unknown kind %d", int(s.Process))
	}
	var rateErr error
	if s.Profile.IsZero() {
		rateErr = s.Rate.validate()
	} else {
		rateErr = s.validateProfile()
	}
	if rateErr != nil {
		errs = append(errs, rateErr)
	}
	if s.RecordSize <= 0 {
		add("record_size: must be > 0, got %d", int64(s.RecordSize))
	} else if r := s.RecordsPerSec(); rateErr == nil && s.Profile.IsZero() && r < MinRecordsPerSec {
		add("rate: %g records/s is below one record in %.0f days", r, 1/MinRecordsPerSec/86400)
	}
	if s.Process == OnOff {
		if s.On <= 0 {
			add("on: must be > 0 for an onoff process, got %s", s.On)
		}
		if s.Off <= 0 {
			add("off: must be > 0 for an onoff process, got %s", s.Off)
		}
	}
	if s.Keys < NoKeys || s.Keys > ZipfKeys {
		add("keys: unknown kind %d", int(s.Keys))
	}
	if (s.Keys == UniformKeys || s.Keys == ZipfKeys) && s.KeyCount < 1 {
		add("key_count: must be >= 1 for %s keys, got %d", s.Keys, s.KeyCount)
	}
	if s.Keys == ZipfKeys && (!(s.ZipfS > 1) || math.IsInf(s.ZipfS, 0)) {
		add("zipf_s: must be finite and > 1, got %g", s.ZipfS)
	}
	if s.Start < 0 {
		add("start: must be >= 0, got %s", s.Start)
	}
	return errors.Join(errs...)
}

// validateProfile checks a Spec with a Profile: no scalar Rate besides, a process that can follow
// a changing rate, and the profile itself (each problem a *FieldError).
func (s Spec) validateProfile() error {
	var errs []error
	if s.Rate != (Rate{}) {
		errs = append(errs, &FieldError{Err: fmt.Errorf("a rate (%s) and a profile are both set, want one", s.Rate)})
	}
	if s.Process == OnOff {
		errs = append(errs, errors.New("process: onoff needs a single rate, not a profile: its windows are sized around one rate"))
	}
	return errors.Join(append(errs, s.Profile.Validate(s.RecordSize))...)
}

// Expected returns the expected number of records arriving in [from, to), ∫λ over it: from the
// Profile's cumulative intensity, or for a single rate RecordsPerSec times the part of the span
// from Start on (for OnOff, the long-run mean). 0 when to <= from. s must be valid.
func (s Spec) Expected(from, to time.Duration) float64 {
	if to <= from {
		return 0
	}
	if s.Profile.IsZero() {
		return s.RecordsPerSec() * max(0, to-max(from, s.Start)).Seconds()
	}
	in := s.Profile.compile(s.RecordSize, s.Start.Seconds())
	return in.cum(to.Seconds()) - in.cum(from.Seconds())
}

// MeanRecordsPerSec returns the mean arrival rate over [from, to) in records per second:
// Expected / (to − from), and for a single rate from Start on exactly RecordsPerSec. s must be
// valid and to > from.
func (s Spec) MeanRecordsPerSec(from, to time.Duration) float64 {
	if s.Profile.IsZero() && from >= s.Start {
		return s.RecordsPerSec()
	}
	return s.Expected(from, to) / (to - from).Seconds()
}
