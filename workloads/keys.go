package workloads

import (
	"math/rand/v2"

	"github.com/stretchsim/stretchsim/sim"
)

func newKeyer(spec Spec, rnd *sim.Stream) keyer {
	switch spec.Keys {
	case UniformKeys:
		return &uniformKeys{n: uint64(spec.KeyCount), rnd: rnd}
	case ZipfKeys:
		// v = 1 makes P(k) ∝ (1+k)^-s over k in [0, KeyCount).
		return &zipfKeys{z: rand.NewZipf(rnd.Rand, spec.ZipfS, 1, uint64(spec.KeyCount)-1)}
	}
	return noKeys{}
}

// noKeys leaves every record unkeyed and draws nothing.
type noKeys struct{}

func (noKeys) key() (uint64, bool) { return 0, false }

// uniformKeys draws key ids uniformly from [0, n), one rnd.Uint64N draw per record.
type uniformKeys struct {
	n   uint64
	rnd *sim.Stream
}

func (u *uniformKeys) key() (uint64, bool) { return u.rnd.Uint64N(u.n), true }

// zipfKeys draws Zipf-distributed key ids; z draws from the stream given to New.
type zipfKeys struct {
	z *rand.Zipf
}

func (z *zipfKeys) key() (uint64, bool) { return z.z.Uint64(), true }
