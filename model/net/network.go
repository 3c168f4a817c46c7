package net

import (
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// NodeID indexes a network node: a broker, a controller or a client. Ids are dense, in the order
// nodes are added to the Network.
type NodeID int32

// SiteID is the index of a site in scenario file order, starting at 0.
type SiteID int32

// String returns the index, as in "site 2".
func (s SiteID) String() string { return strconv.Itoa(int(s)) }

// Endpoint receives the messages delivered to a node. c is the half-connection the message came
// in on; replies go out on c.Peer().
type Endpoint interface {
	Deliver(s *sim.Sim, c *Half, msg any)
}

// Drainer is an Endpoint that wants to know when a connection it sends on has written everything
// that waited for the window (the selector reporting a completed send, which runs a Kafka
// client's poll loop again).
type Drainer interface {
	Drained(s *sim.Sim, c *Half)
}

// WaitRecorder accounts the time bytes or requests waited at one place of the network for one
// reason: package model's wait accounting (Cluster.Limits) implements it, one per (mechanism,
// setting, place). A connection reports when a wait starts and ends; a NIC or a link, which books
// its bytes ahead of their arrival (timeline), reports the intervals they will wait.
type WaitRecorder interface {
	Begin(at sim.Time)          // a wait starts at at (<= now)
	End(now sim.Time)           // the wait ends now
	AddSpan(now, a, b sim.Time) // bytes booked at now wait over [a, b), a >= now
}

// autotunedWindow is the TCP window a socket gets when its *.buffer.bytes is -1: Linux
// autotuning grows the receive buffer up to net.ipv4.tcp_rmem's maximum, 6 MiB by default, and
// advertises half of a receive buffer's space as window (tcp_win_from_space with
// tcp_adv_win_scale=1; kernels since 6.6 measure the ratio of payload to buffer, starting at
// half). A buffer Kafka sets is doubled first (BufferCaps.Window), an autotuned one is not.
const autotunedWindow = 3 * units.MiB

// autotunedSendBuffer is the send buffer a socket gets when its *.send.buffer.bytes is -1: up to
// net.ipv4.tcp_wmem's maximum, 4 MiB by default.
const autotunedSendBuffer = 4 * units.MiB

// DefaultBufferMax is Linux's default net.core.rmem_max and net.core.wmem_max on a 64-bit
// kernel: 212992 bytes (SK_RMEM_MAX and SK_WMEM_MAX, 256 packets of 832 bytes' truesize).
const DefaultBufferMax = 212992

// BufferCaps are a host's caps on a socket buffer an application sets itself (SO_RCVBUF,
// SO_SNDBUF, which Kafka sets for any *.buffer.bytes but -1): net.core.rmem_max and
// net.core.wmem_max. Linux cuts a larger request down to them without a word
// (sock_setsockopt: __sock_set_rcvbuf(sk, min(val, sysctl_rmem_max))), so a 4 MiB
// replica.socket.receive.buffer.bytes on a host left at the default gets about 208 KiB. A buffer
// left to autotuning (-1) is bounded by net.ipv4.tcp_rmem and tcp_wmem instead. Zero: no cap
// (a spec built in code).
type BufferCaps struct {
	RmemMax, WmemMax units.Bytes
}

// Window is the most one direction of a connection keeps unacknowledged: the receiver's receive
// buffer (the advertised window) and the sender's send buffer (unacknowledged data stays in it)
// both cap it. -1 (or 0) means the OS autotunes that buffer. A buffer Kafka sets holds about
// that many bytes of data, up to the cap: Linux doubles what SO_RCVBUF and SO_SNDBUF ask for, for
// its own bookkeeping ("applications assume that the SO_RCVBUF setting they make will allow that
// much actual data to be received", sock_setsockopt), and advertises half a receive buffer's
// space as window (tcp_adv_win_scale=1; newer kernels measure the ratio, starting at half).
func (c BufferCaps) Window(sendBuf, recvBuf units.Bytes) units.Bytes {
	return min(c.Send(sendBuf), c.Recv(recvBuf))
}

// Binding says which buffer bounds Window(sendBuf, recvBuf): the sender's send buffer (send),
// else the receiver's receive buffer; and whether that buffer is cut by the host's cap (capped:
// raising the Kafka setting alone would not widen the window).
func (c BufferCaps) Binding(sendBuf, recvBuf units.Bytes) (send, capped bool) {
	if s := c.Send(sendBuf); s < c.Recv(recvBuf) {
		return true, sendBuf > 0 && s < sendBuf
	}
	r := c.Recv(recvBuf)
	return false, recvBuf > 0 && r < recvBuf
}

// Send is the send buffer a socket gets for sendBuf: what that side allows unacknowledged.
func (c BufferCaps) Send(sendBuf units.Bytes) units.Bytes {
	return sized(sendBuf, autotunedSendBuffer, c.WmemMax)
}

// Recv is the receive window a socket gets for recvBuf.
func (c BufferCaps) Recv(recvBuf units.Bytes) units.Bytes {
	return sized(recvBuf, autotunedWindow, c.RmemMax)
}

// sized is what a socket gets for a buffer setting buf: autotuned when buf is -1 (or 0), else buf
// cut to the host's cap (0: no cap).
func sized(buf, autotuned, limit units.Bytes) units.Bytes {
	switch {
	case buf <= 0:
		return autotuned
	case limit > 0:
		return min(buf, limit)
	}
	return buf
}

// Network carries messages between nodes over the links of design §3. Every byte goes through
// the sender's NIC, then, between sites, the link of that ordered site pair (shared FIFO by all
// traffic crossing it), then propagation, then the receiver's NIC. Connections (Half) add TCP's
// window: at most window bytes unacknowledged, so one connection moves at most window/RTT.
// Faults (network_fault.go) cut or change a site pair's path and take nodes down.
type Network struct {
	s     *sim.Sim
	nodes []netNode
	sites int
	links []link // [from*sites+to]; the diagonal is the intra-site path
	// Bytes counts the bytes senders put on the path of each ordered site pair, [from*sites+to]:
	// every chunk once when first sent and once more per retransmission, including chunks and
	// retransmissions that a down path then drops (see Half).
	Bytes []int64
}

type netNode struct {
	site     SiteID
	endpoint Endpoint
	tx, rx   timeline // the NIC's two directions, each serving bytes in arrival order
	down     bool     // the host is down (SetNodeDown)
	conns    []*Half  // connections with this node at one end, in creation order (a→b halves)
}

func nsPerByte(r units.BitRate) float64 {
	if r <= 0 {
		return 0
	}
	return 8e9 / float64(r)
}

// link is the path of one ordered site pair.
type link struct {
	bw     timeline // the shared link: bytes in the order they enter it
	rtt    Sampler
	rrnd   *sim.Stream   // the RTT draws, kept so that a latency fault draws from the same stream
	median time.Duration // median of the RTT distribution: the RTO of a connection with no sample
	jitter time.Duration
	jrnd   *sim.Stream
	loss   float64
	lrnd   *sim.Stream
	spec   LinkSpec // the scenario's values, which RestorePath brings back

	// The latest outage is [downAt, upAt); upAt is stale while down. downAt is Never until the
	// first outage. Only the latest outage is kept: see lost.
	down         bool
	downAt, upAt sim.Time
	waiters      []*Half // connections stalled until the path heals, in stall order
}

// lost reports whether an outage of the path overlapped the span (from, to]: a chunk sent at
// from and arriving at to (or an acknowledgement leaving at from) was dropped. Only the latest
// outage is consulted, which is exact for any span that ends after it started.
func (l *link) lost(from, to sim.Time) bool {
	return l.downAt < to && (l.down || l.upAt > from)
}

// setRTT makes the path draw its round-trip times from rtt, which must be valid.
func (l *link) setRTT(rtt DistSpec) {
	l.rtt, l.median = rtt.Sampler(l.rrnd), rtt.MedianValue()
}

// New builds the links of spec between the given site names. Random streams are named
// "net/<from>-><to>" so each link's draws are independent.
func New(s *sim.Sim, spec NetworkSpec, siteNames []string) *Network {
	n := &Network{s: s, sites: len(siteNames)}
	n.links = make([]link, n.sites*n.sites)
	n.Bytes = make([]int64, n.sites*n.sites)
	for from := range n.sites {
		for to := range n.sites {
			ls := spec.between(SiteID(from), SiteID(to))
			name := "net/" + siteNames[from] + "->" + siteNames[to]
			l := &n.links[from*n.sites+to]
			*l = link{
				bw: timeline{nsPerByte: nsPerByte(ls.Bandwidth)}, rrnd: s.Stream(name), spec: ls, downAt: sim.Never,
				jitter: ls.Jitter, jrnd: s.Stream(name + "/jitter"), loss: ls.Loss, lrnd: s.Stream(name + "/loss"),
			}
			l.setRTT(ls.RTT)
		}
	}
	return n
}

// between returns the link spec of the ordered site pair (a, b): the intra-site path for a == b
// (whose bandwidth is the NICs', so the path itself is unlimited), else the inter-site default
// with the pair's overrides.
func (spec *NetworkSpec) between(a, b SiteID) LinkSpec {
	if a == b {
		ls := spec.IntraSite
		ls.Bandwidth = 0
		return ls
	}
	ls := spec.InterSite
	for _, o := range spec.Links {
		if (o.A == a && o.B == b) || (o.A == b && o.B == a) {
			ls = mergeLink(ls, o.LinkSpec)
		}
	}
	return ls
}

// mergeLink returns base with the fields o sets.
func mergeLink(base, o LinkSpec) LinkSpec {
	if o.HasRTT {
		base.RTT, base.HasRTT = o.RTT, true
	}
	if o.Jitter != 0 {
		base.Jitter = o.Jitter
	}
	if o.Bandwidth != 0 {
		base.Bandwidth = o.Bandwidth
	}
	if o.Loss != 0 {
		base.Loss = o.Loss
	}
	return base
}

// AddNode registers a node at site with a full-duplex NIC of the given bandwidth (0: unlimited).
func (n *Network) AddNode(site SiteID, nic units.BitRate, e Endpoint) NodeID {
	ns := nsPerByte(nic)
	n.nodes = append(n.nodes, netNode{site: site, endpoint: e, tx: timeline{nsPerByte: ns}, rx: timeline{nsPerByte: ns}})
	return NodeID(len(n.nodes) - 1)
}

// Site returns the site of node id.
func (n *Network) Site(id NodeID) SiteID { return n.nodes[id].site }

// Sites returns the number of sites.
func (n *Network) Sites() int { return n.sites }

// CrossSiteBytes returns the bytes sent between distinct sites.
func (n *Network) CrossSiteBytes() int64 {
	var t int64
	for from := range n.sites {
		for to := range n.sites {
			if from != to {
				t += n.Bytes[from*n.sites+to]
			}
		}
	}
	return t
}

// SetNICWait makes node id's NIC report the time bytes queue for it, leaving (out) and arriving
// (in) (nic-bandwidth).
func (n *Network) SetNICWait(id NodeID, out, in WaitRecorder) {
	n.nodes[id].tx.wait, n.nodes[id].rx.wait = out, in
}

// SetLinkWait makes the shared link from one site to another report the time bytes queue for it
// (link-bandwidth).
func (n *Network) SetLinkWait(from, to SiteID, w WaitRecorder) { n.link(from, to).bw.wait = w }

func (n *Network) path(from, to NodeID) *link {
	return n.link(n.nodes[from].site, n.nodes[to].site)
}

func (n *Network) link(from, to SiteID) *link { return &n.links[int(from)*n.sites+int(to)] }

// register records a new connection (its a→b half) with both its nodes, for the node faults.
func (n *Network) register(ab *Half) {
	n.nodes[ab.from].conns = append(n.nodes[ab.from].conns, ab)
	if ab.to != ab.from {
		n.nodes[ab.to].conns = append(n.nodes[ab.to].conns, ab)
	}
}

// oneWay draws the one-way delay of a transmission from one node to another: half a round trip
// drawn from the path's RTT distribution, plus jitter.
func (l *link) oneWay() time.Duration {
	d := l.rtt.Sample() / 2
	if l.jitter > 0 {
		d += time.Duration(l.jrnd.Int64N(int64(l.jitter)))
	}
	return d
}

// Connect opens a TCP connection between a and b. windowAB is the window of a→b (BufferCaps.Window
// of a's send buffer and b's receive buffer), windowBA that of b→a; -1 means OS autotuning. It
// returns the a→b half; its Peer is b→a.
func (n *Network) Connect(a, b NodeID, windowAB, windowBA units.Bytes) *Half {
	ab := &Half{net: n, from: a, to: b, window: sized(windowAB, autotunedWindow, 0), fwd: n.path(a, b), rev: n.path(b, a)}
	ba := &Half{net: n, from: b, to: a, window: sized(windowBA, autotunedWindow, 0), fwd: ab.rev, rev: ab.fwd}
	ab.peer, ba.peer = ba, ab
	n.register(ab)
	return ab
}

// connsOf returns the open connections of node id in creation order, forgetting closed ones.
func (n *Network) connsOf(id NodeID) []*Half {
	nd := &n.nodes[id]
	nd.conns = slices.DeleteFunc(nd.conns, func(c *Half) bool { return c.closed })
	return nd.conns
}

// notify tells node id's endpoint, if it is a Disconnecter and its host is up, that c was reset.
func (n *Network) notify(s *sim.Sim, id NodeID, c *Half) {
	if d, ok := n.nodes[id].endpoint.(Disconnecter); ok && !n.nodes[id].down {
		d.Disconnected(s, c)
	}
}

// lossDelay returns the extra delay of a chunk if one of its segments is lost.
func (l *link) lossDelay(chunk units.Bytes, rtt time.Duration) time.Duration {
	if l.loss <= 0 {
		return 0
	}
	segs := int((chunk + mss - 1) / mss)
	if l.lrnd.Float64() >= 1-math.Pow(1-l.loss, float64(segs)) {
		return 0
	}
	if segs >= 4 {
		return rtt // fast retransmit after three duplicate acks
	}
	return max(minRTO, rtt) + rtt
}

// SetPathDown cuts (down) or heals the path from one site to another, at the current virtual
// time; a partition calls it for both directions. Chunks sent into it or in flight on it while
// it is down are lost, and so are acknowledgements; their connections stall and retransmit with
// TCP's backoff (RTO max(200 ms, RTT), doubling up to 120 s), getting through at the first
// retransmission after the heal, or are reset after 15 (see recovery and Disconnecter).
func (n *Network) SetPathDown(from, to SiteID, down bool) {
	l := n.link(from, to)
	switch {
	case down && !l.down:
		l.down, l.downAt = true, n.s.Now()
	case !down && l.down:
		l.down, l.upAt = false, n.s.Now()
		ws := l.waiters
		l.waiters = nil
		for _, h := range ws {
			if h.rec.waitOn == l {
				h.rec.waitOn = nil
				h.schedule(n.s)
			}
		}
	}
}

// PathDown reports whether the path from one site to another is cut (SetPathDown).
func (n *Network) PathDown(from, to SiteID) bool { return n.link(from, to).down }

// PathRTT returns the median of the round-trip times the path from one site to another draws
// now: the scenario's, or a latency fault's (SetPathRTT).
func (n *Network) PathRTT(from, to SiteID) time.Duration { return n.link(from, to).median }

// SetPathRTT makes the path from one site to another draw its round-trip times from rtt (which
// must be valid), for chunks sent from now on; a latency fault between two sites calls it for both
// directions. The draws come from the path's own stream.
func (n *Network) SetPathRTT(from, to SiteID, rtt DistSpec) { n.link(from, to).setRTT(rtt) }

// SetPathBandwidth sets the bandwidth of the path from one site to another (0: unlimited) for
// bytes entering it from now on. The intra-site path has no shared link (its limit is the NICs'),
// so setting it there has no effect.
func (n *Network) SetPathBandwidth(from, to SiteID, bw units.BitRate) {
	n.link(from, to).bw.nsPerByte = nsPerByte(bw)
}

// SetPathLoss sets the packet loss probability, in [0, 1), of the path from one site to another.
func (n *Network) SetPathLoss(from, to SiteID, loss float64) { n.link(from, to).loss = loss }

// RestoreQuality brings the path from one site to another back to the scenario's RTT, jitter,
// bandwidth and loss, leaving it cut or not.
func (n *Network) RestoreQuality(from, to SiteID) {
	l := n.link(from, to)
	l.setRTT(l.spec.RTT)
	l.jitter, l.loss = l.spec.Jitter, l.spec.Loss
	l.bw.nsPerByte = nsPerByte(l.spec.Bandwidth)
}

// RestorePath brings the path from one site to another back to the scenario's RTT, jitter,
// bandwidth and loss, and heals it if it was down.
func (n *Network) RestorePath(from, to SiteID) {
	l := n.link(from, to)
	l.setRTT(l.spec.RTT)
	l.jitter, l.loss = l.spec.Jitter, l.spec.Loss
	l.bw.nsPerByte = nsPerByte(l.spec.Bandwidth)
	n.SetPathDown(from, to, false)
}
