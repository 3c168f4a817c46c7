package net

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stretchsim/stretchsim/model/units"
)

// TestBufferCaps checks how Linux sizes a window from the buffers Kafka sets: a buffer set
// explicitly is cut to the host's net.core.rmem_max (receive) or wmem_max (send); -1 leaves it to
// autotuning, bounded by tcp_rmem (6 MiB of buffer, 3 MiB of window) and tcp_wmem (4 MiB)
// whatever the caps; the smaller side is the window, and Binding names it and says whether the
// cap cut it.
func TestBufferCaps(t *testing.T) {
	def := BufferCaps{RmemMax: DefaultBufferMax, WmemMax: DefaultBufferMax}
	for _, c := range []struct {
		caps             BufferCaps
		send, recv, want units.Bytes
		bySend, capped   bool
	}{
		{def, 102400, 65536, 65536, false, false},                  // Kafka's defaults: the follower's 64 KiB
		{def, 102400, units.MiB, 102400, true, false},              // the leader's 100 KiB send buffer
		{def, units.MiB, units.MiB, DefaultBufferMax, false, true}, // both cut to 212992: the receiver's named
		{def, 4 * units.MiB, 131072, 131072, false, false},         // the receive buffer binds below the cap
		{def, 4 * units.MiB, -1, DefaultBufferMax, true, true},     // the send buffer cut; autotuned receive
		{def, -1, -1, autotunedWindow, false, false},               // autotuning ignores the caps
		{BufferCaps{RmemMax: 16 * units.MiB, WmemMax: 16 * units.MiB}, units.MiB, units.MiB, units.MiB, false, false},
		{BufferCaps{}, 64 * units.MiB, 64 * units.MiB, 64 * units.MiB, false, false}, // no caps
	} {
		assert.Equal(t, c.want, c.caps.Window(c.send, c.recv), "%+v send %v recv %v", c.caps, c.send, c.recv)
		bySend, capped := c.caps.Binding(c.send, c.recv)
		assert.Equal(t, [2]bool{c.bySend, c.capped}, [2]bool{bySend, capped}, "%+v send %v recv %v", c.caps, c.send, c.recv)
	}
}
