package scenario

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A normal RTT drawing below zero more than MaxNegativeFraction of the time is a warning naming
// the clamped share, located as errors are; a narrow one is not.
func TestNormalRTTClampWarning(t *testing.T) {
	const file = `duration: 1m
sites: [{name: a, brokers: 1, controllers: 1}, {name: b, brokers: 1}]
network:
  intra_site: {rtt: "normal(mean=0.2ms, sd=0.05ms)"}
  inter_site: {rtt: "normal(mean=5ms, sd=10ms)"}
faults:
  - {at: 10s, type: latency, between: [a, b], rtt: "normal(mean=1ms, sd=1ms)", duration: 5s}
`
	s, err := Parse("f.yaml", []byte(file), Options{})
	require.NoError(t, err)
	var out bytes.Buffer
	s.PrintWarnings(&out)
	assert.Equal(t, `warning: f.yaml:5: network.inter_site.rtt: normal(mean=5ms, sd=10ms) draws below zero 30.9% of the time, and those draws are clamped to a zero RTT; for a skewed RTT that stays positive use lognormal(median=..., p99=...)
warning: f.yaml:7: faults[0].rtt: normal(mean=1ms, sd=1ms) draws below zero 15.9% of the time, and those draws are clamped to a zero RTT; for a skewed RTT that stays positive use lognormal(median=..., p99=...)
`, out.String())

	s, err = Parse("f.yaml", []byte(file), Options{Sets: []string{"network.inter_site.rtt=normal(mean=5ms, sd=1.7ms)",
		"faults[0].rtt=normal(mean=1ms, sd=0.3ms)"}})
	require.NoError(t, err)
	require.Len(t, s.Warnings, 1, "2.94 sd above zero is 0.16%: a warning; 3.33 sd is 0.04%: none")
	assert.Equal(t, "--set network.inter_site.rtt=normal(mean=5ms, sd=1.7ms): network.inter_site.rtt: normal(mean=5ms, sd=1.7ms) "+
		"draws below zero 0.163% of the time, and those draws are clamped to a zero RTT; for a skewed RTT that stays positive use lognormal(median=..., p99=...)",
		s.Warnings[0].Error())
	s, err = Parse("f.yaml", []byte(file), Options{Sets: []string{"network.inter_site.rtt=2ms", "faults[0].rtt=1ms"}})
	require.NoError(t, err)
	assert.Empty(t, s.Warnings)
}
