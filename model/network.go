package model

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// NodeID indexes a network node: a broker, a controller or a client. Ids are dense, in the order
// nodes are added to the Network.
type NodeID int32

// Endpoint receives the messages delivered to a node. c is the half-connection the message came
// in on; replies go out on c.Peer().
type Endpoint interface {
	Deliver(s *sim.Sim, c *Half, msg any)
}

// autotunedWindow is the TCP window a socket gets when its *.buffer.bytes is -1: Linux
// autotuning grows the receive buffer up to net.ipv4.tcp_rmem's maximum, 6 MiB by default.
const autotunedWindow = 6 * MiB

// Network carries messages between nodes over the links of design §3. Every byte goes through
// the sender's NIC, then, between sites, the link of that ordered site pair (shared FIFO by all
// traffic crossing it), then propagation, then the receiver's NIC. Connections (Half) add TCP's
// window: at most window bytes unacknowledged, so one connection moves at most window/RTT.
type Network struct {
	nodes []netNode
	sites int
	links []link // [from*sites+to]; the diagonal is the intra-site path
	// Bytes counts the bytes sent per ordered site pair, [from*sites+to].
	Bytes []int64
}

type netNode struct {
	site     SiteID
	endpoint Endpoint
	tx, rx   fifo
}

// fifo is a resource that serves bytes one after another at a fixed rate.
type fifo struct {
	busyUntil sim.Time
	nsPerByte float64 // 0: unlimited
}

// reserve queues bytes arriving at t and returns when the last byte has been served.
func (f *fifo) reserve(t sim.Time, bytes Bytes) sim.Time {
	if f.nsPerByte == 0 {
		return t
	}
	f.busyUntil = max(f.busyUntil, t) + sim.Time(float64(bytes)*f.nsPerByte)
	return f.busyUntil
}

func nsPerByte(r BitRate) float64 {
	if r <= 0 {
		return 0
	}
	return 8e9 / float64(r)
}

// link is the path of one ordered site pair.
type link struct {
	bw     fifo
	rtt    Sampler
	jitter time.Duration
	jrnd   *sim.Stream
	loss   float64
	lrnd   *sim.Stream
}

// NewNetwork builds the links of spec between the given site names. Random streams are named
// "net/<from>-><to>" so each link's draws are independent.
func NewNetwork(s *sim.Sim, spec NetworkSpec, siteNames []string) *Network {
	n := &Network{sites: len(siteNames)}
	n.links = make([]link, n.sites*n.sites)
	n.Bytes = make([]int64, n.sites*n.sites)
	for from := range n.sites {
		for to := range n.sites {
			ls := spec.between(SiteID(from), SiteID(to))
			name := "net/" + siteNames[from] + "->" + siteNames[to]
			n.links[from*n.sites+to] = link{
				bw: fifo{nsPerByte: nsPerByte(ls.Bandwidth)}, rtt: ls.RTT.Sampler(s.Stream(name)),
				jitter: ls.Jitter, jrnd: s.Stream(name + "/jitter"), loss: ls.Loss, lrnd: s.Stream(name + "/loss"),
			}
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
func (n *Network) AddNode(site SiteID, nic BitRate, e Endpoint) NodeID {
	ns := nsPerByte(nic)
	n.nodes = append(n.nodes, netNode{site: site, endpoint: e, tx: fifo{nsPerByte: ns}, rx: fifo{nsPerByte: ns}})
	return NodeID(len(n.nodes) - 1)
}

// Site returns the site of node id.
func (n *Network) Site(id NodeID) SiteID { return n.nodes[id].site }

func (n *Network) path(from, to NodeID) *link {
	return &n.links[int(n.nodes[from].site)*n.sites+int(n.nodes[to].site)]
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
