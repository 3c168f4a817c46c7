package model

import (
	"errors"
	"fmt"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/stretchsim/stretchsim/sim"
)

// addClients creates the producers and consumers, each a network node at its site.
func (c *Cluster) addClients(s *sim.Sim) error {
	var errs []error
	for _, ps := range c.spec.Producers {
		p, err := c.newProducer(s, ps)
		if err != nil {
			errs = append(errs, fmt.Errorf("producer %s: %w", ps.Name, err))
			continue
		}
		c.producers = append(c.producers, p)
	}
	for _, cs := range c.spec.Consumers {
		k, err := c.newConsumer(s, cs)
		if err != nil {
			errs = append(errs, fmt.Errorf("consumer %s: %w", cs.Name, err))
			continue
		}
		c.consumers = append(c.consumers, k)
	}
	return errors.Join(errs...)
}

func (c *Cluster) topicPartitions(name string) ([]*Partition, error) {
	parts := c.topics[name]
	if len(parts) == 0 {
		return nil, fmt.Errorf("unknown topic %q", name)
	}
	return parts, nil
}

func (c *Cluster) newProducer(s *sim.Sim, ps ProducerSpec) (*Producer, error) {
	parts, err := c.topicPartitions(ps.Topic)
	if err != nil {
		return nil, err
	}
	if ps.Arrivals == nil {
		return nil, errors.New("no arrival process")
	}
	cfg := ps.Config
	p := &Producer{Name: ps.Name, Site: ps.Site, cfg: &cfg, cluster: c, rnd: s.Stream("producer/" + ps.Name),
		arrivals: ps.Arrivals, parts: parts, free: cfg.BufferMemory, avgRecord: 1024, metrics: newProducerMetrics(len(parts))}
	p.node = c.net.AddNode(ps.Site, c.spec.Network.IntraSite.Bandwidth, p)
	p.deques = make([]sim.FIFO[*producerBatch], len(parts))
	p.pid, p.nextSeq, p.ackedSeq = c.newProducerID(), make([]int32, len(parts)), make([]int32, len(parts))
	p.epochs, p.bumpWanted = make([]int32, len(parts)), make([]bool, len(parts))
	p.nodes = make([]producerNode, len(c.brokers))
	p.readyBuf, p.closedBuf = make([]bool, len(c.brokers)), make([]bool, len(c.brokers))
	conns := make([]*Half, len(c.brokers))
	for i, b := range c.brokers {
		// Requests: the producer's send.buffer.bytes and the broker's socket.receive.buffer.bytes;
		// responses: the broker's socket.send.buffer.bytes and the producer's receive.buffer.bytes.
		p.nodes[i].conn = c.net.Connect(p.node, b.node, c.bufs().Window(cfg.SendBuffer, b.cfg.SocketReceiveBuffer),
			c.bufs().Window(b.cfg.SocketSendBuffer, cfg.ReceiveBuffer))
		conns[i] = p.nodes[i].conn
	}
	p.meta = newClientMeta(c, p.node, parts, s.Stream("producer/"+ps.Name+"/metadata"), cfg.MetadataMaxAge,
		cfg.RequestTimeout, cfg.RetryBackoff, conns)
	p.meta.updated = func(s *sim.Sim) { p.catchUp(s, s.Now()); p.runSender(s); p.armTrigger(s) }
	p.meta.load = p.nodeLoad
	p.sticky = p.nextStickyPartition()
	if err := c.setCompression(p, ps); err != nil {
		return nil, err
	}
	c.limitProducer(p)
	return p, nil
}

func (c *Cluster) newConsumer(s *sim.Sim, cs ConsumerSpec) (*Consumer, error) {
	parts, err := c.topicPartitions(cs.Topic)
	if err != nil {
		return nil, err
	}
	cfg := cs.Config
	k := &Consumer{Name: cs.Name, Site: cs.Site, cfg: &cfg, cluster: c, parts: parts,
		pos: make([]Offset, len(parts)), preferred: make([]BrokerID, len(parts)), prefUntil: make([]sim.Time, len(parts)),
		src: make([]int32, len(parts)), held: make([]int32, len(parts)), pend: make([]int32, len(parts)),
		sentPos: make([]Offset, len(parts)), out: make([]offsetHold, len(parts)),
		unknown: len(parts), rescan: true}
	for i := range k.out {
		k.out[i] = noHold
	}
	k.metrics.EndToEnd = hdrhistogram.New(1, 3_600_000_000, 3)
	k.life = consumerLife{c: k, start: cs.Start, stop: cs.Stop}
	k.lag.init(len(parts))
	k.group = c.groupTopic(cs.Group(), parts)
	if cs.Start > 0 {
		k.expected = true
		k.group.expect()
	}
	for i := range k.preferred {
		k.preferred[i], k.src[i], k.held[i], k.pend[i] = -1, -1, -1, -1
	}
	k.node = c.net.AddNode(cs.Site, c.spec.Network.IntraSite.Bandwidth, k)
	conns := make([]*Half, len(c.brokers))
	for i, b := range c.brokers {
		n := &consumerNode{c: k, bi: i, req: &fetchRequest{}}
		n.conn = c.net.Connect(k.node, b.node, c.bufs().Window(cfg.SendBuffer, b.cfg.SocketReceiveBuffer),
			c.bufs().Window(b.cfg.SocketSendBuffer, cfg.ReceiveBuffer))
		conns[i] = n.conn
		k.nodes = append(k.nodes, n)
	}
	k.meta = newClientMeta(c, k.node, parts, s.Stream("consumer/"+cs.Name+"/metadata"), cfg.MetadataMaxAge,
		cfg.RequestTimeout, cfg.RetryBackoff, conns)
	k.meta.updated = func(s *sim.Sim) {
		k.rescan = true // leaders may have moved
		k.poll(s)
	}
	k.meta.load = k.nodeLoad
	c.limitConsumer(k)
	return k, nil
}

// newProducerID hands out a producer id (InitProducerId). Ids fit in 16 bits: pidKey puts the
// epoch above them.
func (c *Cluster) newProducerID() int32 {
	c.lastPID = c.lastPID%0xFFFF + 1
	return c.lastPID
}

// Producers returns the producers in scenario order.
func (c *Cluster) Producers() []*Producer { return c.producers }

// Consumers returns the consumers in scenario order.
func (c *Cluster) Consumers() []*Consumer { return c.consumers }

// Brokers returns the brokers in id order.
func (c *Cluster) Brokers() []*Broker { return c.brokers }

// Partitions returns every partition, topic by topic in scenario order.
func (c *Cluster) Partitions() []*Partition { return c.partitions }

// Network returns the network, for its byte counts.
func (c *Cluster) Network() *Network { return c.net }

// Topology returns the sites, brokers and controllers.
func (c *Cluster) Topology() *Topology { return c.topo }
