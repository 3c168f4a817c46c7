package net

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// resetSink is a sink that also records Disconnected calls.
type resetSink struct {
	sink
	resetAt []sim.Time
	resetOn []*Half
}

func (k *resetSink) Disconnected(s *sim.Sim, c *Half) {
	k.resetAt = append(k.resetAt, s.Now())
	k.resetOn = append(k.resetOn, c)
}

// cutBoth cuts (or heals) both directions between sites 0 and 1 at t.
func cutBoth(s *sim.Sim, n *Network, t time.Duration, down bool) {
	runAt(s, t, func(*sim.Sim) { n.SetPathDown(0, 1, down); n.SetPathDown(1, 0, down) })
}

// TestPartitionDeliversAtFirstRetransmissionAfterHeal checks the TCP rule of design §3 faults: a
// chunk sent into (or in flight on) a partitioned path arrives one one-way delay after the first
// retransmission after the heal, retransmissions being at t0 + RTO·(2^k − 1) with RTO =
// max(200 ms, RTT), each interval capped at 120 s.
func TestPartitionDeliversAtFirstRetransmissionAfterHeal(t *testing.T) {
	for _, c := range []struct {
		name            string
		rtt, send, heal time.Duration
		want            time.Duration
	}{
		// RTO 200 ms from 1 s: 1.2, 1.6, 2.4, 4.0, 7.2 s.
		{"sent while down", msDur(100), msDur(1000), msDur(3500), msDur(4050)},
		{"heal on a retransmission", msDur(100), msDur(1000), msDur(4000), msDur(4050)},
		// In flight at the cut (1 s), sent at 0.98 s: 1.18, 1.58, 2.38, 3.98 s.
		{"in flight at the cut", msDur(100), msDur(980), msDur(3500), msDur(4030)},
		// RTT above TCP_RTO_MIN: RTO 300 ms: 1.3, 1.9, 3.1, 5.5 s.
		{"RTO is the RTT", msDur(300), msDur(1000), msDur(3500), msDur(5650)},
		// Capped backoff: 1 + 204.6 = 205.6 s (k=10), then every 120 s: 325.6, 445.6, 565.6.
		{"RTO capped at 120 s", msDur(100), msDur(1000), 500 * time.Second, msDur(565650)},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := sim.New(1)
			n := twoSiteNet(s, c.rtt, 0)
			k := &sink{}
			h := n.Connect(n.AddNode(0, 0, k), n.AddNode(1, 0, k), -1, -1)
			runAt(s, c.send, func(s *sim.Sim) { h.Send(s, 7, 1000) })
			cutBoth(s, n, time.Second, true)
			cutBoth(s, n, c.heal, false)
			s.Run()
			require.Equal(t, []int{7}, k.got)
			assert.Equal(t, sim.Time(c.want), k.at[0])
		})
	}
}

// TestLaterMessageWaitsBehindRetransmission checks in-order delivery at the heal: a message sent
// after the heal that would arrive (4.01 s) before the retransmitted one (4.05 s) waits for it.
func TestLaterMessageWaitsBehindRetransmission(t *testing.T) {
	s := sim.New(1)
	n := twoSiteNet(s, msDur(100), 0)
	k := &sink{}
	h := n.Connect(n.AddNode(0, 0, k), n.AddNode(1, 0, k), -1, -1)
	cutBoth(s, n, time.Second, true)
	runAt(s, time.Second, func(s *sim.Sim) { h.Send(s, 1, 1000) })
	cutBoth(s, n, msDur(3500), false)
	runAt(s, msDur(3960), func(s *sim.Sim) { h.Send(s, 2, 1000) })
	s.Run()
	assert.Equal(t, []int{1, 2}, k.got)
	assert.Equal(t, []sim.Time{sim.Time(msDur(4050)), sim.Time(msDur(4050))}, k.at)
}

// TestRetransmissionsAreCounted checks Network.Bytes: a chunk counts when first sent, each
// retransmission into the down path counts one segment, and the successful one counts the chunk.
func TestRetransmissionsAreCounted(t *testing.T) {
	s := sim.New(1)
	n := twoSiteNet(s, msDur(100), 0)
	k := &sink{}
	h := n.Connect(n.AddNode(0, 0, k), n.AddNode(1, 0, k), -1, -1)
	cutBoth(s, n, time.Second, true)
	runAt(s, time.Second, func(s *sim.Sim) { h.Send(s, 1, 5000) })
	cutBoth(s, n, msDur(3500), false) // retransmissions at 1.2, 1.6, 2.4 s lost, at 4.0 s through
	s.Run()
	assert.EqualValues(t, 5000+3*mss+5000, n.Bytes[1])
}

// TestOrderPreservedAcrossOutage checks in-order delivery: messages sent before, during and after
// a partition all arrive, once each, in order, and none crosses while the path is down.
func TestOrderPreservedAcrossOutage(t *testing.T) {
	s := sim.New(5)
	n := New(s, NetworkSpec{
		InterSite: LinkSpec{RTT: DistSpec{Kind: DistNormal, Mean: msDur(40), SD: msDur(10)}, HasRTT: true},
	}, []string{"a", "b"})
	k := &sink{}
	h := n.Connect(n.AddNode(0, 0, k), n.AddNode(1, 0, k), 64*units.KiB, 64*units.KiB)
	for i := range 600 {
		runAt(s, time.Duration(i)*10*time.Millisecond, func(s *sim.Sim) { h.Send(s, i, 3000) })
	}
	cutBoth(s, n, time.Second, true)
	cutBoth(s, n, 3*time.Second, false)
	s.Run()
	require.Len(t, k.got, 600)
	for i, m := range k.got {
		require.Equal(t, i, m, "in order, once each")
		assert.False(t, k.at[i] > sim.Time(time.Second) && k.at[i] < sim.Time(3*time.Second),
			"message %d delivered at %v, during the outage", i, k.at[i])
	}
}

// TestOneWayCutBlocksOneDirection checks an asymmetric partition: cutting a→b blocks only a→b.
func TestOneWayCutBlocksOneDirection(t *testing.T) {
	s := sim.New(1)
	n := twoSiteNet(s, msDur(20), 0)
	ka, kb := &sink{}, &sink{}
	a, b := n.AddNode(0, 0, ka), n.AddNode(1, 0, kb)
	ab := n.Connect(a, b, 64*units.KiB, 64*units.KiB)
	runAt(s, time.Second, func(*sim.Sim) { n.SetPathDown(0, 1, true) })
	runAt(s, msDur(1100), func(s *sim.Sim) { ab.Send(s, 1, 100); ab.Peer().Send(s, 2, 100) })
	s.RunUntil(sim.Time(2 * time.Second))
	assert.Empty(t, kb.got, "a→b is cut")
	assert.Equal(t, []int{2}, ka.got, "b→a still flows")
	n.RestorePath(0, 1)
	s.Run()
	require.Equal(t, []int{1}, kb.got)
}

// TestLostAcksStallTheWindow checks the other half of a one-way cut: with b→a down, a→b data
// crosses until the window is full, since its acknowledgements cannot return, and resumes after
// the heal at the first retransmission.
func TestLostAcksStallTheWindow(t *testing.T) {
	s := sim.New(1)
	n := twoSiteNet(s, msDur(20), 0)
	kb := &sink{}
	ab := n.Connect(n.AddNode(0, 0, &sink{}), n.AddNode(1, 0, kb), 64*units.KiB, 64*units.KiB)
	for i := range 4000 {
		runAt(s, time.Duration(i)*time.Millisecond, func(s *sim.Sim) { ab.Send(s, i, units.KiB) })
	}
	runAt(s, time.Second, func(*sim.Sim) { n.SetPathDown(1, 0, true) })
	s.RunUntil(sim.Time(2 * time.Second))
	before := len(kb.got)
	// The 981 messages sent by 980 ms are acknowledged before the cut (one RTT), then exactly
	// one window (64 messages) crosses: their acknowledgements are lost.
	assert.InDelta(t, 981+64, before, 1, "a window's worth crosses after the cut")
	s.RunUntil(sim.Time(3 * time.Second))
	assert.Equal(t, before, len(kb.got), "then the window stays full")
	assert.Positive(t, ab.Backlog())
	runAt(s, msDur(3500), func(*sim.Sim) { n.SetPathDown(1, 0, false) })
	s.Run()
	require.Len(t, kb.got, 4000)
	// The first lost acknowledgement was for the message sent at 981 ms: RTO 200 ms from there,
	// retransmitted at 3.981 s, acknowledged at 4.001 s; the next message arrives at 4.011 s.
	assert.Equal(t, sim.Time(msDur(4011)), kb.at[before], "resumes at the first retransmission after the heal")
}

// TestSetNodeDown checks a silent host crash: messages in flight to the node are dropped at
// delivery, its own sends are dropped, its peers' windows fill and stall, and its old connections
// stay dead after it comes back until they are reset.
func TestSetNodeDown(t *testing.T) {
	s := sim.New(1)
	n := twoSiteNet(s, msDur(20), 0)
	ka, kb := &resetSink{}, &resetSink{}
	a, b := n.AddNode(0, 0, ka), n.AddNode(1, 0, kb)
	ab := n.Connect(a, b, 64*units.KiB, 64*units.KiB)
	runAt(s, msDur(995), func(s *sim.Sim) { ab.Send(s, 1, 100) }) // arrives at 1.005 s
	runAt(s, time.Second, func(s *sim.Sim) {
		n.SetNodeDown(b, true)
		ab.Peer().Send(s, 2, 100)
		for i := range 200 {
			ab.Send(s, 10+i, units.KiB)
		}
	})
	runAt(s, 5*time.Second, func(s *sim.Sim) { n.SetNodeDown(b, false); ab.Send(s, 3, 100) })
	s.RunUntil(sim.Time(10 * time.Second))
	assert.Empty(t, kb.got, "nothing reaches the down node, nor the old connection after it is back")
	assert.Empty(t, ka.got, "the down node's sends are dropped")
	// Message 1 (100 bytes) holds its share of the window, never acknowledged. 63 messages of
	// 1 KiB fill the rest but for 924 bytes, where neither a segment nor the next message fits:
	// they stay unused (the sender's silly-window avoidance). Message 3 queues behind them.
	assert.EqualValues(t, 200*units.KiB-63*units.KiB+100, ab.Backlog(), "the window is full and stays so")
	assert.Empty(t, ka.resetAt, "nobody is told")
	ab.Reset()
	ab.Send(s, 4, 100)
	s.Run()
	assert.Equal(t, []int{4}, kb.got, "a reset connection works again")
}

// TestResetNode checks a process crash on a live host: the peer learns through Disconnected one
// one-way delay later, on its own outgoing half; queued and in-flight data is dropped.
func TestResetNode(t *testing.T) {
	s := sim.New(1)
	n := twoSiteNet(s, msDur(40), 0)
	ka, kb := &resetSink{}, &resetSink{}
	a, b := n.AddNode(0, 0, ka), n.AddNode(1, 0, kb)
	ab := n.Connect(a, b, 64*units.KiB, 64*units.KiB)
	other := n.Connect(a, a, -1, -1) // not b's: untouched
	runAt(s, msDur(990), func(s *sim.Sim) {
		for i := range 100 {
			ab.Send(s, i, units.KiB) // 64 in flight, 36 queued; arrivals from 1.01 s
		}
		ab.Peer().Send(s, 1000, 100)
	})
	runAt(s, time.Second, func(s *sim.Sim) {
		n.ResetNode(s, b)
		assert.Zero(t, ab.Backlog(), "queued data dropped")
	})
	s.Run()
	assert.Empty(t, kb.got, "in-flight data to the node dropped")
	assert.Empty(t, ka.got, "in-flight data from the node dropped")
	require.Equal(t, []sim.Time{sim.Time(msDur(1020))}, ka.resetAt, "the RST takes one one-way delay")
	assert.Same(t, ab, ka.resetOn[0], "the peer's outgoing half")
	assert.Empty(t, kb.resetAt, "the crashed process is not told")
	assert.False(t, other.Closed())
}

// TestConnectionResetAfterRetries checks tcp_retries2: with the path down for good, the connection
// is reset 924.6 s after the lost chunk was sent (RTO 200 ms doubling, capped at 120 s), and both
// endpoints are told, even if the path heals after the 15th retransmission (804.6 s).
func TestConnectionResetAfterRetries(t *testing.T) {
	for _, heal := range []time.Duration{0, 900 * time.Second} {
		s := sim.New(1)
		n := twoSiteNet(s, msDur(100), 0)
		ka, kb := &resetSink{}, &resetSink{}
		a, b := n.AddNode(0, 0, ka), n.AddNode(1, 0, kb)
		ab := n.Connect(a, b, -1, -1)
		cutBoth(s, n, time.Second, true)
		runAt(s, time.Second, func(s *sim.Sim) { ab.Send(s, 1, 100) })
		if heal > 0 {
			cutBoth(s, n, heal, false)
		}
		s.Run()
		want := sim.Time(time.Second + msDur(924600))
		assert.Equal(t, []sim.Time{want}, ka.resetAt, "heal %v", heal)
		assert.Equal(t, []sim.Time{want}, kb.resetAt)
		assert.Same(t, ab, ka.resetOn[0])
		assert.Same(t, ab.Peer(), kb.resetOn[0])
		assert.Empty(t, kb.got)
		assert.EqualValues(t, 100+15*mss, n.Bytes[1], "first send and 15 retransmissions")
	}
}

// TestFaultDeterminism checks that faults keep runs reproducible: the same seed gives the same
// delivery times, another seed different ones.
func TestFaultDeterminism(t *testing.T) {
	run := func(seed uint64) []sim.Time {
		s := sim.New(seed)
		n := New(s, NetworkSpec{
			InterSite: LinkSpec{RTT: DistSpec{Kind: DistLogNormal, Median: msDur(10), P99: msDur(40)}, HasRTT: true, Loss: 0.001},
		}, []string{"a", "b"})
		k := &sink{}
		h := n.Connect(n.AddNode(0, 0, k), n.AddNode(1, 0, k), 64*units.KiB, 64*units.KiB)
		for i := range 500 {
			runAt(s, time.Duration(i)*5*time.Millisecond, func(s *sim.Sim) { h.Send(s, i, 4*units.KiB) })
		}
		cutBoth(s, n, time.Second, true)
		cutBoth(s, n, msDur(1700), false)
		runAt(s, 2*time.Second, func(*sim.Sim) { n.SetPathRTT(0, 1, Constant(msDur(50))) })
		s.Run()
		require.Len(t, k.got, 500)
		return k.at
	}
	assert.Equal(t, run(7), run(7))
	assert.NotEqual(t, run(7), run(8))
}

// TestDownPathCostsOneEventPerConnection checks the cost model: a down path with nothing sent
// schedules nothing, and any number of messages sent into it schedule one timer per connection.
func TestDownPathCostsOneEventPerConnection(t *testing.T) {
	s := sim.New(1)
	n := twoSiteNet(s, msDur(20), 0)
	k := &sink{}
	a, b := n.AddNode(0, 0, k), n.AddNode(1, 0, k)
	conns := []*Half{n.Connect(a, b, -1, -1), n.Connect(a, b, -1, -1), n.Connect(a, b, -1, -1)}
	n.SetPathDown(0, 1, true)
	assert.Zero(t, s.Pending(), "an idle down path costs nothing")
	for i := range 3000 {
		conns[i%3].Send(s, i, 100)
	}
	assert.Equal(t, 3, s.Pending(), "one give-up timer per connection")
	s.RunUntil(sim.Time(60 * time.Second))
	assert.Equal(t, 3, s.Pending())
	assert.Zero(t, s.Events(), "no retransmission events while down")
	n.SetPathDown(0, 1, false)
	s.Run()
	assert.Len(t, k.got, 3000)
}
