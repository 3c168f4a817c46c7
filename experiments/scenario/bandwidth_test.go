package scenario

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model"
)

// Zero is not a bandwidth: "unlimited" says "no limit", wherever a bandwidth is read, and reads
// as +Inf, which the model treats as no limit. Leaving the key out inherits (links) or is
// unlimited (intra_site, inter_site).
func TestBandwidthUnlimited(t *testing.T) {
	const file = `duration: 1m
sites: [{name: a, brokers: 1, controllers: 1}, {name: b, brokers: 1}]
network:
  intra_site: {bandwidth: unlimited}
  inter_site: {rtt: 2ms, bandwidth: 1Gbps}
  links: [{between: [a, b], bandwidth: unlimited}]
hardware: {cpu_bytes_per_second: unlimited, disk_write_bandwidth: unlimited}
`
	s, err := Parse("f.yaml", []byte(file), Options{})
	require.NoError(t, err)
	inf := math.Inf(1)
	assert.Equal(t, inf, float64(s.Network.IntraSite.Bandwidth))
	assert.Equal(t, 1e9, float64(s.Network.InterSite.Bandwidth))
	assert.Equal(t, inf, float64(s.Network.Links[0].Bandwidth), "unlimited overrides the inter-site default")
	assert.Equal(t, inf, float64(s.Hardware.CPUBytesPerSecond))
	assert.Equal(t, inf, float64(s.Hardware.DiskWriteBandwidth))
	assert.Equal(t, Unlimited, FormatBitRate(s.Network.IntraSite.Bandwidth))
	assert.Equal(t, Unlimited, FormatByteRate(s.Hardware.DiskWriteBandwidth))
	br, err := ParseBitRate(" unlimited ")
	require.NoError(t, err)
	assert.Equal(t, inf, float64(br))
	yr, err := ParseByteRate("unlimited")
	require.NoError(t, err)
	assert.Equal(t, inf, float64(yr))
}

func TestBandwidthNotPositive(t *testing.T) {
	base := "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}, {name: b, brokers: 1}]\nnetwork: {inter_site: {rtt: 2ms}}\n"
	tests := []struct{ set, err string }{
		{"network.inter_site.bandwidth=0Gbps", `"0Gbps" must be positive (for no limit write "unlimited")`},
		{"network.inter_site.bandwidth=0", `"0" must be positive (for no limit write "unlimited")`},
		{"network.intra_site.bandwidth=-1Gbps", `"-1Gbps" must be positive (for no limit write "unlimited")`},
		{"network.links=[{between: [a, b], bandwidth: 0bps}]", `"0bps" must be positive (for no limit write "unlimited")`},
		{"hardware.cpu_bytes_per_second=0", `"0" must be positive (for no limit write "unlimited")`},
		{"hardware.disk_write_bandwidth=-5MB/s", `"-5MB/s" must be positive (for no limit write "unlimited")`},
		{"faults=[{at: 1s, type: bandwidth, between: [a, b], bandwidth: 0Gbps}]", `"0Gbps" must be positive (to cut the link, use a partition fault)`},
		{"faults=[{at: 1s, type: bandwidth, between: [a, b], bandwidth: unlimited}]", `"unlimited": a bandwidth fault sets a finite bandwidth, e.g. "100Mbps"`},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(base), Options{Sets: []string{tt.set}})
			assert.ErrorContains(t, err, tt.err)
		})
	}
}

// A scenario built in code keeps the model's convention: a zero bandwidth is "not given".
func TestBandwidthZeroInCode(t *testing.T) {
	s, err := Parse("f.yaml", []byte("duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}]\n"), Options{})
	require.NoError(t, err)
	s.Hardware.DiskWriteBandwidth = 0
	assert.NoError(t, s.Validate())
	s.Network.IntraSite.Bandwidth = model.BitRate(-1)
	assert.ErrorContains(t, s.Validate(), "network.intra_site.bandwidth: must be positive or unlimited, got -1bps")
}
