package workloads

import (
	"fmt"
	"math"

	"github.com/stretchsim/stretchsim/model"
)

// Rate is a mean arrival rate, given either in bytes per second or in records per second, as a
// scenario's producer `rate: 20MB/s` or `rate: 5000 records/s`.
//
// Invariant (checked by Spec.Validate): exactly one field is set, and it is finite and > 0.
type Rate struct {
	// BytesPerSec is the payload rate in bytes per second (SI: 20 MB/s is 20e6); 0: unset.
	BytesPerSec float64
	// RecordsPerSec is the record rate in records per second; 0: unset.
	RecordsPerSec float64
}

// RecordRate returns the rate in records per second for records of recordSize bytes:
// RecordsPerSec when it is set, BytesPerSec / recordSize otherwise (20 MB/s of 1 KiB records is
// 19531.25 records/s). It returns 0 when neither is set or recordSize <= 0 with a byte rate.
//
// It is not called RecordsPerSec because Go forbids a method and a field of the same name.
func (r Rate) RecordRate(recordSize model.Bytes) float64 {
	if r.RecordsPerSec != 0 {
		return r.RecordsPerSec
	}
	if recordSize <= 0 {
		return 0
	}
	return r.BytesPerSec / float64(recordSize)
}

// String formats the rate as given: "20MB/s" or "5000 records/s".
func (r Rate) String() string {
	if r.RecordsPerSec != 0 {
		return fmt.Sprintf("%g records/s", r.RecordsPerSec)
	}
	return model.ByteRate(r.BytesPerSec).String()
}

// validate reports why r cannot be used, or nil.
func (r Rate) validate() error {
	switch {
	case r.BytesPerSec != 0 && r.RecordsPerSec != 0:
		return fmt.Errorf("rate: both bytes/s (%g) and records/s (%g) are set, want exactly one",
			r.BytesPerSec, r.RecordsPerSec)
	case r.BytesPerSec == 0 && r.RecordsPerSec == 0:
		return fmt.Errorf("rate: must be > 0, neither bytes/s nor records/s is set")
	}
	v := r.BytesPerSec + r.RecordsPerSec // exactly one is non-zero here
	if !(v > 0) || math.IsInf(v, 0) {
		return fmt.Errorf("rate: must be finite and > 0, got %s", r)
	}
	return nil
}
