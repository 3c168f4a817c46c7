package scenario

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model"
)

const buffersScenario = `duration: 1m
sites: [{name: a, brokers: 1, controllers: 1}, {name: b, brokers: 1}]
network: {inter_site: {rtt: 20ms}}
broker:
  replica.socket.receive.buffer.bytes: 4MiB
  socket.send.buffer.bytes: 102400
topics: [{name: t, partitions: 2, replication.factor: 2}]
producers:
  - {name: p, site: a, topic: t, rate: 1MB/s, record_size: 1KiB, config: {send.buffer.bytes: 1MiB}}
consumers:
  - {name: c, site: b, topic: t, config: {receive.buffer.bytes: -1}}
`

// A socket buffer set above the hosts' cap (hardware.rmem_max, wmem_max; Linux's 212992 by
// default) is a warning at its line: Linux gives the socket the cap. Autotuned buffers (-1) and
// buffers within the caps are not; raising the caps silences it.
func TestBufferAboveTheHostsCapWarns(t *testing.T) {
	s, err := Parse("f.yaml", []byte(buffersScenario), Options{})
	require.NoError(t, err)
	assert.Equal(t, model.Bytes(212992), s.Hardware.RmemMax, "Linux's default")
	var got []string
	for _, w := range s.Warnings {
		got = append(got, w.Error())
	}
	assert.Equal(t, []string{
		"f.yaml:5: broker.replica.socket.receive.buffer.bytes: 4MiB is above the hosts' net.core.rmem_max (hardware.rmem_max, 208KiB): " +
			"Linux gives the socket 208KiB; raise hardware.rmem_max if your hosts allow more",
		"f.yaml:9: producers[0].config.send.buffer.bytes: 1MiB is above the hosts' net.core.wmem_max (hardware.wmem_max, 208KiB): " +
			"Linux gives the socket 208KiB; raise hardware.wmem_max if your hosts allow more",
	}, got)

	s, err = Parse("f.yaml", []byte(buffersScenario), Options{Sets: []string{"hardware.rmem_max=4MiB", "hardware.wmem_max=1MiB"}})
	require.NoError(t, err)
	assert.Empty(t, s.Warnings)
}
