package scenario

import (
	"math"
	"strconv"

	"github.com/stretchsim/stretchsim/workloads"
)

// MaxProducerCount bounds a producer's count, so that a typo cannot ask for a billion clients.
const MaxProducerCount = 10000

// workload checks a producer's workload keys: rate, record_size, count, arrival and keys.
func (v *validator) workload(p string, pr Producer) {
	if pr.Profile != nil {
		v.rateProfile(p, pr)
	} else {
		v.rate(p+".rate", pr.Rate)
	}
	if pr.RecordSize <= 0 {
		v.errorf(p+".record_size", "must be positive, got %v", pr.RecordSize)
	} else if err := pr.Config.CheckRecordSize(pr.RecordSize); err != nil {
		v.errorf(p+".record_size", "%v", err)
	} else if r := recordsPerSec(pr); pr.Profile == nil && r > 0 && r < workloads.MinRecordsPerSec {
		v.errorf(p+".rate", "%v is below one record in %.0f days", pr.Rate, 1/workloads.MinRecordsPerSec/86400)
	}
	if pr.Count < 1 || pr.Count > MaxProducerCount {
		v.errorf(p+".count", "must be from 1 to %d, got %d", MaxProducerCount, pr.Count)
	}
	if pr.Arrival.Kind == ArrivalOnOff {
		if pr.Arrival.On <= 0 {
			v.errorf(p+".on", "must be positive, got %v", pr.Arrival.On)
		}
		if pr.Arrival.Off <= 0 {
			v.errorf(p+".off", "must be positive, got %v", pr.Arrival.Off)
		}
	}
	if pr.Arrival.Kind > ArrivalOnOff {
		v.errorf(p+".arrival", "unknown arrival process %d", pr.Arrival.Kind)
	}
	v.keys(p, pr.Keys)
}

func (v *validator) rate(path string, r Rate) {
	finitePositive := func(x float64) bool { return x > 0 && !math.IsInf(x, 0) }
	switch {
	case r.BytesPerSec != 0 && r.RecordsPerSec != 0:
		v.errorf(path, "give bytes/s or records/s, not both")
	case r.BytesPerSec == 0 && r.RecordsPerSec == 0:
		v.errorf(path, "must be positive")
	case r.BytesPerSec != 0 && !finitePositive(r.BytesPerSec), r.RecordsPerSec != 0 && !finitePositive(r.RecordsPerSec):
		v.errorf(path, "must be positive and finite, got %v", r)
	}
}

func (v *validator) keys(p string, k Keys) {
	switch k.Kind {
	case KeysNone:
	case KeysUniform, KeysZipf:
		if k.Count < 1 {
			v.errorf(p+".key_count", "must be at least 1, got %d", k.Count)
		}
		// math/rand's Zipf, which package workloads draws from, needs s > 1.
		if k.Kind == KeysZipf && !(k.ZipfS > 1 && !math.IsInf(k.ZipfS, 0)) {
			v.errorf(p+".zipf_s", "must be a finite number above 1, got %g", k.ZipfS)
		}
	default:
		v.errorf(p+".keys", "unknown key distribution %d", k.Kind)
	}
}

// InstanceNames returns the client names of a producer with count instances: its name alone for
// one, else name-1 ... name-count. Counts outside [1, MaxProducerCount] count as one.
func InstanceNames(name string, count int) []string {
	if count <= 1 || count > MaxProducerCount {
		return []string{name}
	}
	out := make([]string, count)
	for i := range out {
		out[i] = name + "-" + strconv.Itoa(i+1)
	}
	return out
}

// recordsPerSec is a producer's rate in records per second, however it was given.
func recordsPerSec(pr Producer) float64 {
	if pr.Rate.RecordsPerSec != 0 {
		return pr.Rate.RecordsPerSec
	}
	return pr.Rate.BytesPerSec / float64(pr.RecordSize)
}
