package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validate and run print a scenario's warnings on stderr, up front, and still succeed.
func TestWarningsOnStderr(t *testing.T) {
	const want = "warning: --set network.inter_site.rtt=normal(mean=2ms, sd=2ms): network.inter_site.rtt: " +
		"normal(mean=2ms, sd=2ms) draws below zero 15.9% of the time"
	for _, cmd := range [][]string{
		{"validate", "../../scenarios/default.yaml"},
		{"run", "--set", "duration=2s", "--set", "warmup=1s"},
	} {
		code, out, errOut := runCLI(t, append(cmd, "--set", "network.inter_site.rtt=normal(mean=2ms, sd=2ms)")...)
		require.Equal(t, exitOK, code, errOut)
		assert.Contains(t, errOut, want, "%v", cmd)
		assert.NotContains(t, out, "warning:", "%v: warnings go to stderr", cmd)
	}
}
