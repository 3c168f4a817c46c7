package experiments

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// The paragraph that says what was simulated names a producer's codec and ratio, a record size
// with its unit, and a consumer's group and the time it runs.
func TestDescribeCompressionSizesAndConsumers(t *testing.T) {
	load := func(name string) string {
		sc, err := scenario.LoadFS(scenarios.FS, name, scenario.Options{})
		require.NoError(t, err)
		return describeScenario(sc)
	}
	assert.Contains(t, load("perf-test-lz4.yaml"), "of 1KiB records to perf, acks=all, compressed with lz4 (ratio 0.45).")
	assert.Contains(t, load("omb-1-topic-16-partitions-1kb.yaml"), "of 1034 B records")
	cc := load("consumer-catch-up.yaml")
	assert.Contains(t, cc, "Consumer analytics in dc-b reads orders until 1 min 3 s.")
	assert.Contains(t, cc, "Consumer analytics-back in dc-b reads orders in group analytics from 2 min 3 s.")
}
