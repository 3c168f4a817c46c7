package experiments_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// TestDefaultScenarioAppendsInSequence checks that the default scenario's idempotent acks=all
// producer, which pipelines up to five requests per broker connection, has its batches appended
// to every partition in sequence order: the broker reads one request per connection at a time
// (reference §2.8a), and a batch out of sequence would be refused with
// OUT_OF_ORDER_SEQUENCE_NUMBER (ProducerAppendInfo.checkSequence). When one connection's
// requests went to several I/O threads at once, 58 batches were refused in these 90 s.
func TestDefaultScenarioAppendsInSequence(t *testing.T) {
	sc, err := scenario.LoadFS(scenarios.FS, scenarios.Default, scenario.Options{Sets: []string{"duration=90s"}})
	require.NoError(t, err)
	res, err := experiments.Run(sc)
	require.NoError(t, err)
	require.Positive(t, res.Summary.Produce.AckedRecords)
	assert.Zero(t, res.Summary.Produce.Errors["OUT_OF_ORDER_SEQUENCE_NUMBER"])
	assert.Empty(t, res.Summary.Invariants.Violations)
}
