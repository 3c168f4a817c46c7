package model

import (
	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/stretchsim/stretchsim/sim"
)

// Consumer is a consumer reading every partition of one topic from its latest offset. It keeps
// one Fetch outstanding per broker it reads from (the Fetcher), fetches from the leader, and,
// with client.rack and a broker replica.selector.class, from the replica the leader names
// (KIP-392) until metadata.max.age.ms passes.
type Consumer struct {
	Name    string
	Site    SiteID
	node    NodeID
	cfg     *ConsumerConfig
	cluster *Cluster
	reqBuf  []*fetchRequest // poll's per-node requests, reused

	parts     []*Partition
	pos       []Offset   // next offset per partition
	preferred []BrokerID // preferred read replica per partition, or -1
	prefUntil []sim.Time
	nodes     []*consumerNode // per broker index
	meta      *clientMeta     // leaders per partition
	down      bool            // the consumer's host is down

	metrics ConsumerMetrics
}

// consumerNode is the consumer's connection to one broker.
type consumerNode struct {
	c           *Consumer
	bi          int
	conn        *Half
	inflight    bool
	sentAt      sim.Time
	timeout     sim.Timer // request.timeout.ms for the outstanding Fetch
	failures    int       // consecutive connection failures, for the reconnect backoff
	reconnectAt sim.Time
	wake        sim.Timer
}

// nodeLoad ranks broker bi for a metadata request (NetworkClient.leastLoadedNode): brokers by
// their requests in flight (a Fetch, perhaps parked for fetch.max.wait.ms, ahead of which a
// metadata request would wait unread), brokers in reconnect backoff never.
func (c *Consumer) nodeLoad(bi int, now sim.Time) int {
	n := c.nodes[bi]
	if now < n.reconnectAt {
		return -1
	}
	if n.inflight {
		return 1
	}
	return 0
}

// fail handles a lost Fetch (disconnect or timeout): partitions read from this broker as their
// preferred replica go back to the leader (KIP-392: "until the replica becomes unavailable"),
// metadata is refreshed, and the broker is retried after reconnect.backoff.ms, doubling up to
// reconnect.backoff.max.ms with 20% jitter.
func (n *consumerNode) fail(s *sim.Sim) {
	c := n.c
	n.inflight = false
	n.conn.Reset()
	c.meta.connReset(n.conn)
	id := c.cluster.brokers[n.bi].ID
	for i := range c.preferred {
		if c.preferred[i] == id {
			c.preferred[i] = -1
		}
	}
	n.failures++
	// reconnect.backoff.ms growing to reconnect.backoff.max.ms (ClusterConnectionStates)
	n.reconnectAt = s.Now().Add(exponentialBackoff(c.cfg.ReconnectBackoff, c.cfg.ReconnectBackoffMax, 0.2, n.failures-1, c.meta.rnd))
	s.Arm(&n.wake, sim.Event{At: n.reconnectAt, H: n, Kind: 1})
	c.meta.request(s)
	c.poll(s)
}

// Handle expires an unanswered Fetch: the connection is dropped, metadata refreshed, and the
// consumer fetches again (NetworkClient.handleTimedOutRequests).
func (n *consumerNode) Handle(s *sim.Sim, ev *sim.Event) {
	c := n.c
	if c.down {
		return
	}
	if ev.Kind == 1 { // reconnect backoff over
		c.poll(s)
		return
	}
	if !n.inflight {
		return
	}
	if deadline := n.sentAt.Add(c.cfg.RequestTimeout); s.Now() < deadline {
		s.Arm(&n.timeout, sim.Event{At: deadline, H: n}) // an earlier request's timer
		return
	}
	n.fail(s)
}

// ConsumerMetrics are a consumer's results after the warm-up.
type ConsumerMetrics struct {
	Records, Bytes int64
	// EndToEnd holds end-to-end latency in microseconds: from a record's intended send time to
	// its arrival at the consumer. Records of one batch are spread evenly between the batch's
	// first and last intended send times.
	EndToEnd *hdrhistogram.Histogram
}

// Metrics returns the consumer's results.
func (c *Consumer) Metrics() *ConsumerMetrics { return &c.metrics }

// source returns the broker index partition i is fetched from.
func (c *Consumer) source(i int, now sim.Time) int {
	if c.preferred[i] >= 0 && now < c.prefUntil[i] {
		return c.cluster.brokerIndex(c.preferred[i])
	}
	c.preferred[i] = -1
	if l := c.meta.leaders[i]; l >= 0 {
		return c.cluster.brokerIndex(l)
	}
	return -1
}

// poll sends a Fetch to every broker that serves some partition and has none outstanding.
func (c *Consumer) poll(s *sim.Sim) {
	if c.down {
		return
	}
	now := s.Now()
	// Fetcher.prepareFetchRequests: each partition goes to its read replica's node, unless that
	// node has a Fetch pending or is in reconnect backoff; a partition without a known leader asks
	// for a metadata update.
	var reqs []*fetchRequest
	unknown := false
	for i, p := range c.parts {
		bi := c.source(i, now)
		if bi < 0 {
			unknown = true
			continue
		}
		n := c.nodes[bi]
		if n.inflight || now < n.reconnectAt {
			continue
		}
		if reqs == nil {
			reqs = c.reqBuf[:len(c.nodes)]
			clear(reqs)
		}
		if reqs[bi] == nil {
			reqs[bi] = &fetchRequest{consumer: n, maxWait: c.cfg.FetchMaxWait, minBytes: c.cfg.FetchMinBytes,
				maxBytes: c.cfg.FetchMaxBytes, partMax: c.cfg.MaxPartitionFetchBytes, rack: c.cfg.ClientRack, sentAt: now}
		}
		reqs[bi].parts = append(reqs[bi].parts, fetchPart{p: p, rep: c.replicaOn(p, bi), offset: c.pos[i], leaderEpoch: -1, lastFetchedEpoch: -1})
	}
	if unknown {
		c.meta.request(s)
	}
	for _, req := range reqs {
		if req == nil {
			continue
		}
		n := req.consumer
		n.inflight = true
		n.conn.Send(s, req, fetchOverhead+fetchPartOverhead*Bytes(len(req.parts)))
		n.sentAt = now
		armEarlier(s, &n.timeout, sim.Event{At: now.Add(c.cfg.RequestTimeout), H: n})
	}
}

// Deliver handles a Fetch response: records count toward end-to-end latency, positions advance,
// preferred read replicas are remembered; then the consumer fetches again.
func (c *Consumer) Deliver(s *sim.Sim, _ *Half, msg any) {
	if c.down {
		return
	}
	if m, ok := msg.(*metadataResponse); ok {
		c.meta.onResponse(s, m)
		return
	}
	resp, ok := msg.(*fetchResponse)
	if !ok {
		return
	}
	resp.req.consumer.inflight = false
	resp.req.consumer.failures = 0
	resp.req.consumer.timeout.Stop()
	for k := range resp.parts {
		c.apply(s, resp.req.parts[k].p, &resp.parts[k])
	}
	c.poll(s)
}

func (c *Consumer) apply(s *sim.Sim, p *Partition, d *fetchData) {
	now := s.Now()
	i := c.indexOf(p)
	if d.preferred >= 0 {
		c.preferred[i], c.prefUntil[i] = d.preferred, now.Add(c.cfg.MetadataMaxAge)
		return
	}
	if d.err != ErrNone {
		c.preferred[i] = -1
		c.meta.request(s)
		return
	}
	prev := d.prevCum
	start := c.pos[i]
	for _, b := range d.batches {
		if b.end <= start {
			prev = b.cum
			continue
		}
		n := int64(b.end - max(start, c.pos[i]))
		c.pos[i] = b.end
		c.metrics.observe(now, b, n, b.cum-prev, c.cluster.warmup)
		prev = b.cum
	}
}

func (m *ConsumerMetrics) observe(now sim.Time, b batchRef, n, bytes int64, warmup sim.Time) {
	if now < warmup || n <= 0 {
		return
	}
	m.Records += n
	m.Bytes += bytes
	span := b.lastAt - b.firstAt
	for k := int64(0); k < n; k++ {
		at := b.firstAt
		if n > 1 {
			at += sim.Time(int64(span) * k / (n - 1))
		}
		_ = m.EndToEnd.RecordValue(max(int64(now-at)/1000, 1))
	}
}

func (c *Consumer) indexOf(p *Partition) int {
	if i := int(p.ID); i < len(c.parts) && c.parts[i] == p {
		return i // a topic's partitions are in id order
	}
	for i, x := range c.parts {
		if x == p {
			return i
		}
	}
	return -1
}

// replicaOn returns p's replica on broker index bi, or nil.
func (c *Consumer) replicaOn(p *Partition, bi int) *Replica {
	return c.cluster.brokers[bi].replicaOf(p)
}

// Disconnected handles a broker's connection reset: the Fetch is lost, metadata refreshed.
func (c *Consumer) Disconnected(s *sim.Sim, h *Half) {
	if c.down {
		return
	}
	if h == c.meta.inflightConn {
		c.meta.inflight = nil
	}
	for _, n := range c.nodes {
		if n.conn == h {
			n.fail(s)
			return
		}
	}
	c.meta.request(s)
}
