package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/sim"
)

// sink records what it receives.
type sink struct {
	got []int
	at  []sim.Time
}

func (k *sink) Deliver(s *sim.Sim, _ *Half, msg any) {
	k.got = append(k.got, msg.(int))
	k.at = append(k.at, s.Now())
}

func twoSiteNet(s *sim.Sim, rtt time.Duration, bw BitRate) *Network {
	return NewNetwork(s, NetworkSpec{
		IntraSite: LinkSpec{RTT: Constant(200 * time.Microsecond), HasRTT: true},
		InterSite: LinkSpec{RTT: Constant(rtt), HasRTT: true, Bandwidth: bw},
	}, []string{"a", "b"})
}

// TestWindowCapsConnectionThroughput checks the first-principles bound of design §3: one TCP
// connection carries at most window/RTT. 64 KiB over 50 ms is 1.31 MB/s; a 1 MiB buffer lifts it.
func TestWindowCapsConnectionThroughput(t *testing.T) {
	for _, c := range []struct {
		window Bytes
		want   float64 // bytes per second
	}{{64 * KiB, 65536 / 0.05}, {1 * MiB, 1048576 / 0.05}} {
		s := sim.New(1)
		n := twoSiteNet(s, 50*time.Millisecond, 0)
		k := &sink{}
		a, b := n.AddNode(0, 0, k), n.AddNode(1, 0, k)
		h := n.Connect(a, b, c.window, c.window)
		const msgs, size = 50, 1 * MiB
		for i := range msgs {
			h.Send(s, i, size)
		}
		s.Run()
		require.Len(t, k.got, msgs)
		// Steady-state rate between the first and the last arrival.
		rate := float64((msgs-1)*size) / (k.at[len(k.at)-1] - k.at[0]).Seconds()
		assert.LessOrEqual(t, rate, c.want*1.001, "window %v", c.window)
		assert.Greater(t, rate, c.want*0.95, "window %v", c.window)
		assert.EqualValues(t, msgs*size, n.Bytes[1], "bytes a->b counted")
	}
}

// TestSharedLinkIsFIFOBandwidth checks that the bandwidth of a site pair is shared: two
// connections with open windows together move no more than the link's rate.
func TestSharedLinkIsFIFOBandwidth(t *testing.T) {
	s := sim.New(1)
	n := twoSiteNet(s, 10*time.Millisecond, 100e6) // 12.5 MB/s
	k := &sink{}
	a1, a2, b := n.AddNode(0, 0, k), n.AddNode(0, 0, k), n.AddNode(1, 0, k)
	h1, h2 := n.Connect(a1, b, -1, -1), n.Connect(a2, b, -1, -1)
	for i := range 20 {
		h1.Send(s, i, MiB)
		h2.Send(s, 100+i, MiB)
	}
	s.Run()
	require.Len(t, k.got, 40)
	rate := float64(40*MiB) / k.at[len(k.at)-1].Seconds()
	assert.InDelta(t, 12.5e6, rate, 0.2e6)
}

func TestDeliveryIsInOrderAndResetDrops(t *testing.T) {
	s := sim.New(3)
	n := NewNetwork(s, NetworkSpec{
		IntraSite: LinkSpec{RTT: Constant(time.Millisecond), HasRTT: true},
		InterSite: LinkSpec{RTT: DistSpec{Kind: DistNormal, Mean: 20 * time.Millisecond, SD: 10 * time.Millisecond}, HasRTT: true},
	}, []string{"a", "b"})
	k := &sink{}
	a, b := n.AddNode(0, 0, k), n.AddNode(1, 0, k)
	h := n.Connect(a, b, -1, -1)
	for i := range 200 {
		s.Schedule(sim.Event{At: sim.Time(i) * 100_000, H: sendFn(func(s *sim.Sim) { h.Send(s, i, 100) })})
	}
	s.RunUntil(sim.Time(15 * time.Millisecond))
	h.Reset()
	s.Run()
	for i := 1; i < len(k.got); i++ {
		require.Less(t, k.got[i-1], k.got[i], "in order, nothing duplicated")
	}
	assert.Less(t, len(k.got), 200, "messages in flight at the reset are lost")
}

type sendFn func(s *sim.Sim)

func (f sendFn) Handle(s *sim.Sim, _ *sim.Event) { f(s) }
