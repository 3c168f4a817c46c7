package scenario

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The lines a summary prints decode back to the faults they came from.
func TestParseFaultLinesRoundTrip(t *testing.T) {
	lines := []string{
		"- {at: 30s, type: broker-crash, broker: 4, mode: hard, duration: 40s}",
		"- {at: 2m10s, type: site-outage, site: dc-c, power_loss: true, duration: 1m0s}",
		"- {at: 3m30s, type: latency, between: [dc-a, dc-b], rtt: 40ms, duration: 20s}",
		"- {at: 1m30s, type: controller-crash}",
	}
	fs, err := ParseFaultLines(lines)
	require.NoError(t, err)
	require.Len(t, fs, 4)
	assert.Equal(t, FaultBrokerCrash, fs[0].Type)
	assert.Equal(t, 30*time.Second, fs[0].At)
	assert.Equal(t, 40*time.Second, fs[0].Duration)
	assert.Equal(t, "dc-c", fs[1].Site)
	assert.True(t, fs[1].PowerLoss)
	assert.Equal(t, [2]string{"dc-a", "dc-b"}, fs[2].Between)
	for i, f := range fs {
		assert.Equal(t, lines[i], f.YAML())
	}
	_, err = ParseFaultLines([]string{"- {at: 1s, type: broker-crsh}"})
	assert.ErrorContains(t, err, "<faults>:2: faults[0].type")
}
