package net

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model/units"
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

func twoSiteNet(s *sim.Sim, rtt time.Duration, bw units.BitRate) *Network {
	return New(s, NetworkSpec{
		IntraSite: LinkSpec{RTT: Constant(200 * time.Microsecond), HasRTT: true},
		InterSite: LinkSpec{RTT: Constant(rtt), HasRTT: true, Bandwidth: bw},
	}, []string{"a", "b"})
}

// TestWindowCapsConnectionThroughput checks the first-principles bound of design §3: one TCP
// connection carries at most window/RTT. 64 KiB over 50 ms is 1.31 MB/s; a 1 MiB buffer lifts it.
func TestWindowCapsConnectionThroughput(t *testing.T) {
	for _, c := range []struct {
		window units.Bytes
		want   float64 // bytes per second
	}{{64 * units.KiB, 65536 / 0.05}, {1 * units.MiB, 1048576 / 0.05}} {
		s := sim.New(1)
		n := twoSiteNet(s, 50*time.Millisecond, 0)
		k := &sink{}
		a, b := n.AddNode(0, 0, k), n.AddNode(1, 0, k)
		h := n.Connect(a, b, c.window, c.window)
		const msgs, size = 50, 1 * units.MiB
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
		h1.Send(s, i, units.MiB)
		h2.Send(s, 100+i, units.MiB)
	}
	s.Run()
	require.Len(t, k.got, 40)
	rate := float64(40*units.MiB) / k.at[len(k.at)-1].Seconds()
	assert.InDelta(t, 12.5e6, rate, 0.2e6)
}

func TestDeliveryIsInOrderAndResetDrops(t *testing.T) {
	s := sim.New(3)
	n := New(s, NetworkSpec{
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

// runAt runs f at virtual time t.
func runAt(s *sim.Sim, t time.Duration, f func(s *sim.Sim)) {
	s.Schedule(sim.Event{At: sim.Time(t), H: sendFn(f)})
}

func msDur(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }

// TestSetPathRTTAndRestore checks that a latency fault applies to messages sent after it and
// RestorePath brings the scenario's RTT back.
func TestSetPathRTTAndRestore(t *testing.T) {
	s := sim.New(1)
	n := twoSiteNet(s, msDur(20), 0)
	k := &sink{}
	h := n.Connect(n.AddNode(0, 0, k), n.AddNode(1, 0, k), -1, -1)
	runAt(s, 0, func(s *sim.Sim) { h.Send(s, 0, 100) })
	runAt(s, time.Second, func(s *sim.Sim) {
		n.SetPathRTT(0, 1, Constant(msDur(200)))
		n.SetPathRTT(1, 0, Constant(msDur(200)))
		h.Send(s, 1, 100)
	})
	runAt(s, 2*time.Second, func(s *sim.Sim) { n.RestorePath(0, 1); n.RestorePath(1, 0); h.Send(s, 2, 100) })
	s.Run()
	assert.Equal(t, []sim.Time{sim.Time(msDur(10)), sim.Time(msDur(1100)), sim.Time(msDur(2010))}, k.at)
}

// transferTime returns how long 20 MiB take from a to b after fault is applied at time 0.
func transferTime(t *testing.T, window units.Bytes, fault func(n *Network)) time.Duration {
	s := sim.New(3)
	n := twoSiteNet(s, msDur(20), 1e9)
	k := &sink{}
	h := n.Connect(n.AddNode(0, 0, k), n.AddNode(1, 0, k), window, window)
	fault(n)
	for i := range 20 {
		h.Send(s, i, units.MiB)
	}
	s.Run()
	require.Len(t, k.got, 20)
	return time.Duration(k.at[19])
}

// TestSetPathBandwidth checks that a bandwidth fault bounds a bandwidth-bound transfer at the
// new rate (20 MiB at 100 Mbit/s: 1.68 s), and RestorePath brings the scenario's 1 Gbit/s back.
func TestSetPathBandwidth(t *testing.T) {
	slow := transferTime(t, -1, func(n *Network) { n.SetPathBandwidth(0, 1, 100e6) })
	assert.InDelta(t, float64(20*units.MiB)*8/100e6, slow.Seconds(), 0.05)
	back := transferTime(t, -1, func(n *Network) { n.SetPathBandwidth(0, 1, 100e6); n.RestorePath(0, 1) })
	assert.InDelta(t, float64(20*units.MiB)*8/1e9, back.Seconds(), 0.05)
}

// TestSetPathLoss checks that loss slows a window-bound transfer: a chunk with a lost segment
// arrives a fast retransmit (one RTT) or an RTO late.
func TestSetPathLoss(t *testing.T) {
	clean := transferTime(t, 64*units.KiB, func(*Network) {})
	lossy := transferTime(t, 64*units.KiB, func(n *Network) { n.SetPathLoss(0, 1, 0.01) })
	// window / (RTT + window/bandwidth): 64 KiB per 20.52 ms.
	assert.InDelta(t, float64(20*units.MiB)/(float64(64*units.KiB)/0.0205243), clean.Seconds(), 0.02, "window/RTT")
	// 1% loss drops a segment of 37% of the 46-segment chunks: about +7.5 ms a round trip.
	assert.Greater(t, lossy.Seconds(), 1.25*clean.Seconds())
}

// TestBackoffSchedule checks the retransmission instants against Linux's: RTO doubling from
// 200 ms, capped at TCP_RTO_MAX = 120 s, giving up after tcp_retries2 = 15 (924.6 s).
func TestBackoffSchedule(t *testing.T) {
	r := recovery{t0: 0, rto: minRTO}
	for _, c := range []struct {
		k    int
		want time.Duration
	}{{1, msDur(200)}, {2, msDur(600)}, {4, msDur(3000)}, {10, msDur(204600)}, {11, msDur(324600)},
		{15, msDur(804600)}, {16, msDur(924600)}} {
		assert.Equal(t, sim.Time(c.want), r.retxAt(c.k), "retransmission %d", c.k)
	}
}

// TestLinkLost checks which spans an outage [1 s, 3 s) of a path drops: any span it overlaps.
func TestLinkLost(t *testing.T) {
	s := sim.New(1)
	n := twoSiteNet(s, msDur(10), 0)
	l := n.link(0, 1)
	assert.False(t, l.lost(0, sim.Never), "no outage yet")
	s.RunUntil(sim.Time(time.Second))
	n.SetPathDown(0, 1, true)
	assert.True(t, l.lost(sim.Time(msDur(990)), sim.Never), "in flight at the cut, still down")
	s.RunUntil(sim.Time(3 * time.Second))
	n.SetPathDown(0, 1, false)
	for _, c := range []struct {
		from, to time.Duration
		want     bool
	}{
		{msDur(900), msDur(999), false},   // arrived before the cut
		{msDur(990), msDur(1010), true},   // in flight at the cut
		{msDur(2000), msDur(2010), true},  // sent while down
		{msDur(2995), msDur(3005), true},  // sent while down, arriving after the heal
		{msDur(3000), msDur(3010), false}, // sent after the heal
	} {
		assert.Equal(t, c.want, l.lost(sim.Time(c.from), sim.Time(c.to)), "(%v, %v]", c.from, c.to)
	}
}

// perHalf records the messages delivered on each half-connection.
type perHalf map[*Half][]int

func (p perHalf) Deliver(_ *sim.Sim, c *Half, msg any) { p[c] = append(p[c], msg.(int)) }

// TestRandomPathFaultsLoseNothing is a property test of TCP's contract under path faults: with
// random traffic on random connections of three sites and random outages, latency and loss
// changes (each restored within 20 s), every message arrives exactly once and in order, and
// every connection keeps inflight = the bytes awaiting acknowledgement <= window.
func TestRandomPathFaultsLoseNothing(t *testing.T) {
	for seed := range uint64(20) {
		s := sim.New(seed)
		r := s.Stream("test")
		n := New(s, NetworkSpec{InterSite: LinkSpec{HasRTT: true, Bandwidth: 1e9, Loss: 0.001,
			RTT: DistSpec{Kind: DistLogNormal, Median: msDur(10), P99: msDur(50)}}}, []string{"a", "b", "c"})
		got := perHalf{}
		var halves []*Half
		for range 6 {
			a, b := n.AddNode(SiteID(r.IntN(3)), 10e9, got), n.AddNode(SiteID(r.IntN(3)), 10e9, got)
			h := n.Connect(a, b, 16*units.KiB*units.Bytes(1+r.IntN(8)), -1)
			halves = append(halves, h, h.Peer())
		}
		sent := make([]int, len(halves))
		for range 3000 {
			i, size := r.IntN(len(halves)), units.Bytes(1+r.IntN(100_000))
			runAt(s, time.Duration(r.Int64N(int64(time.Minute))), func(s *sim.Sim) { halves[i].Send(s, sent[i], size); sent[i]++ })
		}
		for range 30 {
			start, d := time.Duration(r.Int64N(int64(time.Minute))), time.Duration(r.Int64N(int64(20*time.Second)))
			from, to, kind := SiteID(r.IntN(3)), SiteID(r.IntN(3)), r.IntN(3)
			runAt(s, start, func(s *sim.Sim) {
				switch kind {
				case 0:
					n.SetPathDown(from, to, true)
				case 1:
					n.SetPathRTT(from, to, Constant(msDur(300)))
				default:
					n.SetPathLoss(from, to, 0.05)
				}
			})
			runAt(s, start+d, func(*sim.Sim) { n.RestorePath(from, to) })
		}
		s.Run()
		for i, h := range halves {
			var unacked units.Bytes
			for _, f := range h.acks.All() {
				unacked += f.bytes
			}
			require.Equal(t, unacked, h.inflight, "seed %d", seed)
			require.LessOrEqual(t, h.inflight, h.window, "seed %d", seed)
			require.Len(t, got[h], sent[i], "seed %d: everything arrives", seed)
			for j, m := range got[h] {
				require.Equal(t, j, m, "seed %d: in order, once each", seed)
			}
		}
	}
}

// muteSink reads one message, then mutes the connection, as a Kafka broker does after reading a
// request; the test unmutes it by replying.
type muteSink struct {
	sink
	conn  *Half
	epoch int64
}

func (k *muteSink) Deliver(s *sim.Sim, c *Half, msg any) {
	k.sink.Deliver(s, c, msg)
	k.conn, k.epoch = c, c.Mute()
}

// TestMutedConnectionHoldsRequestsUnread checks reference §2.8a at the socket: while the
// receiver is muted, messages that arrive wait unread, in order, and their bytes take room from
// the receive window, so a sender with more to say stalls until the receiver reads. The room
// reaches the sender one one-way delay (25 ms) after the read.
func TestMutedConnectionHoldsRequestsUnread(t *testing.T) {
	s := sim.New(1)
	n := twoSiteNet(s, 50*time.Millisecond, 0)
	k := &muteSink{}
	a, b := n.AddNode(0, 0, &sink{}), n.AddNode(1, 0, k)
	h := n.Connect(a, b, 100*units.KiB, 100*units.KiB)
	for i := range 4 { // 4 × 40 KiB: the third fits only in part, the fourth not at all
		h.Send(s, i, 40*units.KiB)
	}
	s.RunUntil(sim.Time(time.Second))
	require.Equal(t, []int{0}, k.got, "one read, then muted")
	assert.Equal(t, 2, h.unread.Len(), "two more arrived whole and wait unread")
	assert.Equal(t, 100*units.KiB, h.held(), "unread bytes fill the 100 KiB window")
	assert.False(t, h.Idle(), "the rest of message 3 waits for the window")
	k.conn.Reply(s, k.epoch, -1, 100) // written at once: the next request is read now
	require.Equal(t, []int{0, 1}, k.got)
	readAt := s.Now()
	k.conn.Reply(s, k.epoch, -2, 100)
	require.Equal(t, []int{0, 1, 2}, k.got, "message 2 was whole in the buffer")
	// The room reaches the sender with a window update 25 ms after the reads: the rest of
	// message 3 leaves then, not before.
	s.RunUntil(readAt.Add(24 * time.Millisecond))
	assert.False(t, h.Idle(), "the window update is still on its way")
	s.RunUntil(readAt.Add(26 * time.Millisecond))
	assert.True(t, h.Idle(), "the window reopened")
	s.RunUntil(sim.Time(3 * time.Second))
	require.Equal(t, []int{0, 1, 2}, k.got, "still muted after reading message 2")
	k.conn.Reply(s, k.epoch, -3, 100)
	require.Equal(t, []int{0, 1, 2, 3}, k.got)
	assert.Equal(t, units.Bytes(0), h.held(), "everything read")
}
