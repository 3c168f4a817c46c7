package model

import (
	"fmt"

	"github.com/stretchsim/stretchsim/sim"
)

// Wiring of the wait accounting (limits.go): each component gets the slots of the places where
// it makes bytes or requests wait, named by the setting a user would change.

// pairName is the ordered site pair "dc-a->dc-b" (sender first).
func (c *Cluster) pairName(from, to SiteID) string {
	return c.topo.Sites[from].Name + "->" + c.topo.Sites[to].Name
}

// limitLinks gives every inter-site link its slot.
func (c *Cluster) limitLinks() {
	n := c.net
	for from := range n.Sites() {
		for to := range n.Sites() {
			if from == to {
				continue
			}
			set := "network.inter_site.bandwidth"
			for _, o := range c.spec.Network.Links {
				if o.Bandwidth != 0 && ((o.A == SiteID(from) && o.B == SiteID(to)) || (o.A == SiteID(to) && o.B == SiteID(from))) {
					set = fmt.Sprintf("network.links[%s, %s].bandwidth", c.topo.Sites[o.A].Name, c.topo.Sites[o.B].Name)
				}
			}
			n.SetLinkWait(SiteID(from), SiteID(to), netWait{c.limits.slot(LimitLinkBandwidth, set, c.pairName(SiteID(from), SiteID(to)))})
		}
	}
}

// limitNIC gives node id's NIC, both directions, its slots; who names the node ("broker 4").
func (c *Cluster) limitNIC(id NodeID, who string) {
	c.net.SetNICWait(id, netWait{c.limits.slot(LimitNICBandwidth, "network.intra_site.bandwidth", who+" (out)")},
		netWait{c.limits.slot(LimitNICBandwidth, "network.intra_site.bandwidth", who+" (in)")})
}

// limitBroker gives broker b its request-threads, disk and NIC slots.
func (c *Cluster) limitBroker(b *Broker) {
	who := fmt.Sprintf("broker %d", b.ID)
	b.io.wait = c.limits.slot(LimitRequestThreads, "num.io.threads", who)
	b.disk.wait = c.limits.slot(LimitDisk, "hardware.disk_write_bandwidth", who)
	c.limitNIC(b.node, who)
}

// limitWindow gives one direction of a connection its tcp-window slot: the site pair it crosses
// and which of the sender's send buffer and the receiver's receive buffer (net.BufferCaps.Window)
// bounds it, or the host's cap on it (net.core.wmem_max, net.core.rmem_max) when that cuts it.
// A client's connections (who: "producer checkout") are told apart from the brokers' own
// (who: ""), which share the setting names: "dc-a->dc-b (producer checkout)".
func (c *Cluster) limitWindow(h *Half, sendBuf, recvBuf Bytes, sendName, recvName, who string) {
	set := recvName
	switch send, capped := c.bufs().Binding(sendBuf, recvBuf); {
	case send && capped:
		set = "net.core.wmem_max"
	case send:
		set = sendName
	case capped:
		set = "net.core.rmem_max"
	}
	where := c.pairName(c.net.Site(h.From()), c.net.Site(h.To()))
	if who != "" {
		where += " (" + who + ")"
	}
	h.SetWindowWait(netWait{c.limits.slot(LimitTCPWindow, set, where)})
}

// limitFetcher gives a replica fetcher's connection (follower→leader requests, leader→follower
// data) its slots.
func (c *Cluster) limitFetcher(f *fetcher) {
	b, l := f.broker, f.leader
	c.limitWindow(f.conn, -1, l.cfg.SocketReceiveBuffer, "net.ipv4.tcp_wmem", "socket.receive.buffer.bytes", "")
	c.limitWindow(f.conn.Peer(), l.cfg.SocketSendBuffer, b.cfg.ReplicaSocketReceiveBuffer,
		"socket.send.buffer.bytes", "replica.socket.receive.buffer.bytes", "")
}

// limitLeaderSession gives a leader's fetch session the slots of its responses' cuts.
func (c *Cluster) limitLeaderSession(ls *leaderSession) {
	pair := c.pairName(ls.b.Site, c.brokers[c.brokerIndex(ls.follower)].Site)
	ls.partCutWait = c.limits.slot(LimitFetchMaxBytes, "replica.fetch.max.bytes", pair)
	ls.respCutWait = c.limits.slot(LimitFetchMaxBytes, "replica.fetch.response.max.bytes", pair)
}

// limitProducer gives producer p its buffer-memory, max-in-flight, compression (if it
// compresses), NIC and connection slots.
func (c *Cluster) limitProducer(p *Producer) {
	who := "producer " + p.Name
	p.bufWait = c.limits.slot(LimitBufferMemory, "buffer.memory", who)
	p.flightWait = c.limits.slot(LimitMaxInFlight, "max.in.flight.requests.per.connection", who)
	if p.codec != CodecNone {
		p.compressWait = c.limits.slot(LimitCompression, compressionSetting(p.codec, p.cfg.CompressionLevels), who)
	}
	c.limitNIC(p.node, who)
	for i, b := range c.brokers {
		h := p.nodes[i].conn
		c.limitWindow(h, p.cfg.SendBuffer, b.cfg.SocketReceiveBuffer, "send.buffer.bytes", "socket.receive.buffer.bytes", who)
		c.limitWindow(h.Peer(), b.cfg.SocketSendBuffer, p.cfg.ReceiveBuffer, "socket.send.buffer.bytes", "receive.buffer.bytes", who)
		// Requests wait unread at the broker, behind the one it is handling on that connection:
		// the broker is the place (a union over producers would count every broker's queue).
		h.SetUnreadWait(netWait{c.limits.slot(LimitUnreadRequests, "acks="+p.cfg.Acks.String(), fmt.Sprintf("broker %d", b.ID))})
	}
}

// limitConsumer gives consumer k its NIC and connection slots.
func (c *Cluster) limitConsumer(k *Consumer) {
	who := "consumer " + k.Name
	c.limitNIC(k.node, who)
	for i, b := range c.brokers {
		h := k.nodes[i].conn
		c.limitWindow(h, k.cfg.SendBuffer, b.cfg.SocketReceiveBuffer, "send.buffer.bytes", "socket.receive.buffer.bytes", who)
		c.limitWindow(h.Peer(), b.cfg.SocketSendBuffer, k.cfg.ReceiveBuffer, "socket.send.buffer.bytes", "receive.buffer.bytes", who)
	}
}

// trackCut updates the fetch-max-bytes accounting of a session's response: bytes the leader had
// but left out for replica.fetch.max.bytes (per partition) or replica.fetch.response.max.bytes
// wait for the session's next round.
func (ls *leaderSession) trackCut(now sim.Time, part, resp bool) {
	ls.partCut = ls.partCutWait.set(ls.partCut, part, now)
	ls.respCut = ls.respCutWait.set(ls.respCut, resp, now)
}

// compressionSetting names what sets a producer's compression work: its compression.type, and
// its compression.<codec>.level when that is not Kafka's default (KIP-390).
func compressionSetting(codec Codec, levels CompressionLevels) string {
	set := "compression.type=" + codec.String()
	if l := levels.level(codec); l != DefaultCompressionLevels().level(codec) {
		set += fmt.Sprintf(" compression.%s.level=%d", codec, l)
	}
	return set
}

// bufs returns the hosts' caps on the socket buffers Kafka sets (hardware.rmem_max, wmem_max).
func (c *Cluster) bufs() BufferCaps {
	return BufferCaps{RmemMax: c.spec.Hardware.RmemMax, WmemMax: c.spec.Hardware.WmemMax}
}
