package plots

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A logarithmic axis reads values at any range: ticks outside it are dropped (their labels
// would take room), and a narrow range with no power of ten in it labels every tick.
func TestLogTicksLabelNarrowRanges(t *testing.T) {
	labels := func(lo, hi float64) []string {
		var out []string
		for _, tk := range (logTicks{}).Ticks(lo, hi) {
			assert.True(t, tk.Value >= lo*(1-1e-9) && tk.Value <= hi*(1+1e-9), "tick %g outside [%g, %g]", tk.Value, lo, hi)
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	assert.Equal(t, []string{"20", "30"}, labels(11, 35))
	assert.Equal(t, []string{"5", "10", "20", "50"}, labels(4, 90))
	assert.Equal(t, []string{"10"}, labels(9.2, 13))
}
