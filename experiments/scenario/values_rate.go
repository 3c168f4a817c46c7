package scenario

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/model/conf"
)

// Rate is a producer's mean send rate, in bytes per second or in records per second. It has the
// fields of workloads.Rate, so one converts to the other.
//
// Invariant (checked by Scenario.Validate): exactly one field is non-zero, and it is finite and
// positive.
type Rate struct {
	BytesPerSec   float64 // payload bytes per second (SI: "20MB/s" is 20e6); 0: unset
	RecordsPerSec float64 // records per second; 0: unset
}

// String returns the canonical form, which ParseRate reads back to r: FormatByteRate's, or
// "5000 records/s".
func (r Rate) String() string {
	if r.RecordsPerSec != 0 {
		return strconv.FormatFloat(r.RecordsPerSec, 'g', -1, 64) + " records/s"
	}
	return FormatByteRate(model.ByteRate(r.BytesPerSec))
}

// ParseRate parses a producer rate: a byte rate as ParseByteRate reads it ("20MB/s") or a record
// rate, "5000 records/s" or "5000/s"; one space at most separates the number from its unit
// (conf.CutUnit).
func ParseRate(s string) (Rate, error) {
	t := strings.TrimSpace(s)
	num, rest := splitFloat(t)
	unit, err := conf.CutUnit(s, rest)
	switch {
	case num == "":
	case err != nil:
		return Rate{}, err
	case unit == "records/s" || unit == "/s":
		v, err := exactFloat(s, num, 1)
		return Rate{RecordsPerSec: v}, err
	case strings.HasSuffix(unit, "B/s"):
		v, err := ParseByteRate(t)
		return Rate{BytesPerSec: float64(v)}, err
	}
	return Rate{}, fmt.Errorf("%q is not a rate: want bytes per second (\"20MB/s\") or records per second (\"5000 records/s\")", s)
}
