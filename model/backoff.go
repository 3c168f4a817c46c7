package model

import (
	"math"
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// exponentialBackoff is Kafka's ExponentialBackoff(initial, 2, max, jitter).backoff(attempts):
// initial·2^attempts, the exponent capped where the term reaches max, times a random factor in
// [1-jitter, 1+jitter), capped at max. With max <= initial it is initial, without jitter.
// Producers use it for retry.backoff.ms/retry.backoff.max.ms (KIP-580), consumers for
// reconnect.backoff.ms/reconnect.backoff.max.ms, brokers for heartbeat resends.
func exponentialBackoff(initial, maxD time.Duration, jitter float64, attempts int, rnd *sim.Stream) time.Duration {
	if maxD <= initial {
		return initial
	}
	expMax := math.Log2(float64(maxD) / math.Max(float64(initial), 1))
	term := float64(initial) * math.Pow(2, math.Min(float64(attempts), expMax))
	d := term * (1 - jitter + 2*jitter*rnd.Float64())
	return min(time.Duration(d), maxD)
}
