package plots

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A logarithmic axis reads values at any range: ticks outside it are dropped (their labels
// would take room), and a range of less than a decade labels round values spread over it.
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
	assert.Equal(t, []string{"15", "20", "25", "30", "35"}, labels(11, 35))
	assert.Equal(t, []string{"5", "10", "20", "50"}, labels(4, 90))
	assert.Equal(t, []string{"10", "11", "12", "13"}, labels(9.2, 13))
	assert.Equal(t, []string{"1000", "1200", "1400", "1600", "1800"}, labels(880, 1900))
	assert.Equal(t, []string{"2", "4", "6", "8"}, labels(1, 9.5))
	// Below 1, from the decade lo is in.
	assert.Equal(t, []string{"0.5", "1", "2"}, labels(0.3, 4))
	assert.Equal(t, []string{"0.02", "0.05", "0.1"}, labels(0.013, 0.15))
	assert.Equal(t, []string{"0.001", "0.01", "0.1", "1", "10"}, labels(0.001, 10))
	assert.Empty(t, labels(0, 10))
}
