package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/stretchsim/stretchsim/sim"
)

// TestExponentialBackoff checks Kafka's ExponentialBackoff: initial·2^attempts within ±jitter,
// the exponent capped at log2(max/initial), the result capped at max; max <= initial gives
// initial exactly.
func TestExponentialBackoff(t *testing.T) {
	rnd := sim.NewStream(1, "backoff")
	ms := time.Millisecond
	for range 1000 {
		d := exponentialBackoff(100*ms, time.Second, 0.2, 0, rnd)
		assert.True(t, d >= 80*ms && d < 120*ms, "attempt 0: %v", d)
		d = exponentialBackoff(100*ms, time.Second, 0.2, 3, rnd)
		assert.True(t, d >= 640*ms && d < 960*ms, "attempt 3: %v", d)
		d = exponentialBackoff(100*ms, time.Second, 0.2, 30, rnd)
		assert.True(t, d >= 800*ms && d <= time.Second, "attempt 30: %v", d)
	}
	assert.Equal(t, 500*ms, exponentialBackoff(500*ms, 100*ms, 0.2, 4, rnd))
}
