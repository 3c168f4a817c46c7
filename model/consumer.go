package model

import (
	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/stretchsim/stretchsim/sim"
)

// Consumer is a consumer reading every partition of one topic as its group's only member, from
// its start to its stop (consumer_life.go), from where its group committed or auto.offset.reset
// says (consumer_group.go). It keeps one Fetch outstanding per broker it reads from (the
// Fetcher), fetches from the leader, and, with client.rack and a broker replica.selector.class,
// from the replica the leader names (KIP-392) until metadata.max.age.ms passes.
type Consumer struct {
	Name    string
	Site    SiteID
	node    NodeID
	cfg     *ConsumerConfig
	cluster *Cluster

	parts     []*Partition
	pos       []Offset   // next offset per partition
	preferred []BrokerID // preferred read replica per partition, or -1
	prefUntil []sim.Time
	nodes     []*consumerNode // per broker index
	meta      *clientMeta     // leaders per partition
	down      bool            // the consumer's host is down
	state     consumerState
	// startWhenUp: the start came while the host was down; expected: the consumer starts after
	// time 0, counted by its group (groupTopic.expect).
	startWhenUp, expected bool
	group                 *groupTopic // its group's offsets of its topic
	nextCommit            sim.Time    // the next auto.commit.interval.ms deadline
	life                  consumerLife
	closing               int  // closing Fetches unanswered
	holds                 bool // its positions are readers of its partitions' logs (begin to finishClose)
	lag                   consumerLag

	// Where each partition is read (Fetcher.prepareFetchRequests, selectReadReplica), kept up to
	// date as positions, preferred read replicas and leaders change, so that a poll costs what
	// changed: src is the broker index read from (-1: leader unknown); held the broker index whose
	// fetch session holds the partition (-1: none), with sentPos the offset it last sent there;
	// pend the broker index whose next Fetch lists the partition (-1: none).
	src, held, pend []int32
	sentPos         []Offset
	// out holds, for each partition, the offsets its outstanding Fetches list: a reader of the
	// partition's logs (Partition.readers). A Fetch to a node the partition has left may still be
	// on its way when the position moves on. Once a broker reads a Fetch it holds the offsets
	// itself (Broker.holdReads, then its session).
	out        []offsetHold
	unknown    int      // partitions with src -1
	rescan     bool     // leaders or read replicas changed: recompute src at the next poll
	nextExpiry sim.Time // the earliest prefUntil of a preferred read replica in use

	metrics ConsumerMetrics
	core    codecThread // the application's thread decompressing what it fetched
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
	// busyUntil: the node's last records are still being decompressed on the consumer's core;
	// their partitions are fetched again once the application has them (Fetcher.fetchablePartitions
	// skips partitions with buffered data).
	busyUntil sim.Time

	// The client half of the node's incremental fetch session (FetchSessionHandler, KIP-227).
	session bool          // a session is open: the next Fetch is incremental
	members int           // partitions in the session
	pending []int32       // partitions the next Fetch lists: joined, or with a new position
	forget  []*Partition  // partitions the next Fetch forgets
	req     *fetchRequest // reused round after round, until one is given up (giveUp)
	final   *fetchRequest // the Fetch that closes the session, while unanswered (consumer_life.go)
	listed  []int32       // the partitions req lists, while it is outstanding (Consumer.out)
}

// release ends the hold of the node's outstanding Fetch on its partitions' logs: it was answered,
// or the connection was reset, after which only what the broker has read of it is left, and
// the broker holds that.
func (n *consumerNode) release() {
	c := n.c
	for _, i := range n.listed {
		c.out[i].release()
	}
	n.listed = n.listed[:0]
}

// consumerState is where a consumer is in its life.
type consumerState uint8

const (
	consumerNew     consumerState = iota // not started yet
	consumerRunning                      // fetching (unless its host is down)
	consumerFailed                       // started without a position: it reads nothing
	consumerClosing                      // closing its fetch sessions
	consumerClosed
)

// running reports whether the consumer fetches now.
func (c *Consumer) running() bool { return c.state == consumerRunning && !c.down }

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
	n.req = n.req.giveUp() // a late response to the lost request is ignored
	n.session = false
	n.conn.Reset()
	n.release()
	c.meta.connReset(n.conn)
	id := c.cluster.brokers[n.bi].ID
	for i := range c.preferred {
		if c.preferred[i] == id {
			c.preferred[i] = -1
			c.rescan = true
		}
	}
	n.failures++
	// reconnect.backoff.ms growing to reconnect.backoff.max.ms (ClusterConnectionStates)
	n.reconnectAt = s.Now().Add(exponentialBackoff(c.cfg.ReconnectBackoff, c.cfg.ReconnectBackoffMax, 0.2, n.failures-1, c.meta.rnd))
	s.Arm(&n.wake, sim.Event{At: n.reconnectAt, H: n, Kind: consumerWake})
	c.meta.request(s)
	c.poll(s)
}

// Consumer node events.
const (
	consumerTimeout sim.Kind = iota // request.timeout.ms for the outstanding Fetch
	consumerWake                    // reconnect backoff over, or the records of a response decompressed
)

// Handle expires an unanswered Fetch: the connection is dropped, metadata refreshed, and the
// consumer fetches again (NetworkClient.handleTimedOutRequests).
func (n *consumerNode) Handle(s *sim.Sim, ev *sim.Event) {
	c := n.c
	if !c.running() {
		return
	}
	if ev.Kind == consumerWake {
		c.poll(s)
		return
	}
	if !n.inflight {
		return
	}
	if deadline := n.sentAt.Add(c.cfg.RequestTimeout); s.Now() < deadline {
		s.Arm(&n.timeout, sim.Event{At: deadline, H: n, Kind: consumerTimeout}) // an earlier request's timer
		return
	}
	n.fail(s)
}

// ConsumerMetrics are a consumer's results after the warm-up.
type ConsumerMetrics struct {
	// Records counts the records delivered, Duplicates those of them delivered before to a
	// consumer of its group (re-read from a commit older than the predecessor's position).
	// Bytes counts the batches read, uncompressed; WireBytes as the Fetch responses carried
	// them (compressed when stored compressed).
	Records, Bytes, Duplicates int64
	WireBytes                  int64
	// Skipped counts the records auto.offset.reset=latest jumped over at the consumer's start,
	// above those delivered to its group before: never delivered (warm-up or not).
	Skipped int64
	// NoOffset: with auto.offset.reset=none a partition had no committed offset at the start
	// (NoOffsetForPartitionException); the consumer read nothing.
	NoOffset bool
	// EndToEnd holds end-to-end latency in microseconds: from a record's intended send time to
	// its arrival at the consumer. Records of one batch are spread evenly between the batch's
	// first and last intended send times.
	EndToEnd *hdrhistogram.Histogram
}

// Metrics returns the consumer's results.
func (c *Consumer) Metrics() *ConsumerMetrics { return &c.metrics }

// source returns the broker index partition i is fetched from: its preferred read replica until
// metadata.max.age.ms after the leader named it (KIP-392), else its leader.
func (c *Consumer) source(i int, now sim.Time) int32 {
	if c.preferred[i] >= 0 && now < c.prefUntil[i] {
		return int32(c.cluster.brokerIndex(c.preferred[i]))
	}
	c.preferred[i] = -1
	if l := c.meta.leaders[i]; l >= 0 {
		return int32(c.cluster.brokerIndex(l))
	}
	return -1
}

// scan recomputes where every partition is read, after leaders or read replicas changed or a
// preferred read replica expired.
func (c *Consumer) scan(now sim.Time) {
	c.rescan = false
	c.nextExpiry = sim.Never
	for i := range c.parts {
		c.setSource(i, c.source(i, now))
		if c.preferred[i] >= 0 {
			c.nextExpiry = min(c.nextExpiry, c.prefUntil[i])
		}
	}
}

// setSource makes broker index bi the one partition i is read from: it leaves the session of
// the broker it was read from and joins the next Fetch to bi.
func (c *Consumer) setSource(i int, bi int32) {
	old := c.src[i]
	if bi == old {
		return
	}
	if old < 0 {
		c.unknown--
	}
	if bi < 0 {
		c.unknown++
	}
	if h := c.held[i]; h >= 0 {
		n := c.nodes[h]
		n.forget = append(n.forget, c.parts[i])
		n.members--
		c.held[i] = -1
	}
	c.src[i] = bi
	c.touch(i)
}

// touch lists partition i in the next Fetch to the broker it is read from.
func (c *Consumer) touch(i int) {
	if bi := c.src[i]; bi >= 0 && c.pend[i] != bi {
		c.pend[i] = bi
		c.nodes[bi].pending = append(c.nodes[bi].pending, int32(i))
	}
}

// poll sends a Fetch to every broker that serves some partition and has none outstanding.
func (c *Consumer) poll(s *sim.Sim) {
	if !c.running() {
		return
	}
	now := s.Now()
	// Fetcher.prepareFetchRequests: each partition goes to its read replica's node, unless that
	// node has a Fetch pending or is in reconnect backoff; a partition without a known leader asks
	// for a metadata update.
	if c.rescan || now >= c.nextExpiry {
		c.scan(now)
	}
	if c.unknown > 0 {
		c.meta.request(s)
	}
	for _, n := range c.nodes {
		if !n.inflight && now >= n.reconnectAt && now >= n.busyUntil {
			n.send(s, now)
		}
	}
}

// send builds and sends the node's next Fetch (FetchSessionHandler.Builder): a full one listing
// every partition read from the node when no session is open, else an incremental one listing
// the partitions that joined or moved on and those that left. A node with no partition in its
// session and none to forget is not fetched from.
func (n *consumerNode) send(s *sim.Sim, now sim.Time) {
	c := n.c
	cfg := c.cfg
	req := n.req
	req.replica, req.client, req.maxWait, req.minBytes = false, c.node, cfg.FetchMaxWait, cfg.FetchMinBytes
	req.maxBytes, req.partMax, req.rack, req.sentAt = cfg.FetchMaxBytes, cfg.MaxPartitionFetchBytes, cfg.ClientRack, now
	req.parts, req.forget = reuse(req.parts), reuse(req.forget)
	bi := int32(n.bi)
	list := func(i int) {
		if c.held[i] != bi {
			c.held[i] = bi
			n.members++
		}
		c.sentPos[i] = c.pos[i]
		c.out[i].hold(c.pos[i])
		n.listed = append(n.listed, int32(i))
		req.parts = append(req.parts, fetchPart{p: c.parts[i], offset: c.pos[i], leaderEpoch: -1, lastFetchedEpoch: -1})
	}
	req.full = !n.session
	if req.full {
		n.members = 0
		for i := range c.parts {
			if c.held[i] == bi {
				c.held[i] = -1
			}
			if c.src[i] == bi {
				list(i)
			}
		}
	} else {
		for _, i := range n.pending {
			if c.pend[i] != bi {
				continue // moved to another broker's Fetch since
			}
			if c.src[i] == bi && (c.held[i] != bi || c.sentPos[i] != c.pos[i]) {
				list(int(i))
			}
		}
		req.forget = append(req.forget, n.forget...)
	}
	if len(req.parts) == 0 && len(req.forget) == 0 && n.members == 0 {
		return // nothing to fetch, nothing to tell; pending stays for the next poll
	}
	for _, i := range n.pending {
		if c.pend[i] == bi {
			c.pend[i] = -1
		}
	}
	n.pending = n.pending[:0]
	clear(n.forget)
	n.forget = n.forget[:0]
	n.session = true
	req.gen++
	n.inflight = true
	n.conn.Send(s, req, fetchOverhead+fetchPartOverhead*Bytes(len(req.parts)+len(req.forget)))
	n.sentAt = now
	s.ArmEarlier(&n.timeout, sim.Event{At: now.Add(cfg.RequestTimeout), H: n, Kind: consumerTimeout})
}

// nodeOn returns the node whose connection's answers arrive on h, or nil.
func (c *Consumer) nodeOn(h *Half) *consumerNode {
	for _, n := range c.nodes {
		if n.conn.Peer() == h {
			return n
		}
	}
	return nil
}

// Deliver handles a Fetch response: records count toward end-to-end latency, positions advance,
// preferred read replicas are remembered; then the consumer fetches again.
func (c *Consumer) Deliver(s *sim.Sim, h *Half, msg any) {
	if c.down {
		return
	}
	if c.state == consumerClosing {
		if resp, ok := msg.(*fetchResponse); ok && resp.final {
			if n := c.nodeOn(h); n != nil {
				n.onSessionClosed(s)
			}
		}
		return
	}
	if c.state != consumerRunning {
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
	n := c.nodeOn(h)
	if n == nil || resp.gen != n.req.gen || !n.inflight {
		return // the answer to a request given up on
	}
	n.inflight = false
	n.failures = 0
	n.timeout.Stop()
	n.release()
	if resp.err == ErrFetchSessionIDNotFound {
		n.session = false // FetchSessionHandler.handleResponse: a full Fetch next
	}
	c.autoCommit(s.Now())
	for k := range resp.parts {
		c.apply(s, &resp.parts[k])
	}
	if now := s.Now(); c.core.free > now {
		n.busyUntil = c.core.free
		s.Arm(&n.wake, sim.Event{At: c.core.free, H: n, Kind: consumerWake})
	}
	c.poll(s)
}

func (c *Consumer) apply(s *sim.Sim, d *fetchData) {
	now := s.Now()
	i := c.indexOf(d.p)
	if d.preferred >= 0 {
		c.preferred[i], c.prefUntil[i] = d.preferred, now.Add(c.cfg.MetadataMaxAge)
		c.nextExpiry = min(c.nextExpiry, c.prefUntil[i])
		c.setSource(i, c.source(i, now))
		return
	}
	if d.err != ErrNone {
		c.preferred[i] = -1
		c.setSource(i, c.source(i, now))
		c.meta.request(s)
		return
	}
	prev := d.prevCum
	start := c.pos[i]
	warmup := c.cluster.warmup
	for _, b := range d.batches {
		if b.end <= start {
			prev = b.cum
			continue
		}
		from := max(start, c.pos[i])
		n := int64(b.end - from)
		c.pos[i] = b.end
		if dup := c.countDuplicates(i, from, b.end); dup > 0 && now >= warmup {
			c.metrics.Duplicates += dup
		}
		c.metrics.observe(now, c.decompress(now, b), b, n, b.cum-prev, warmup)
		prev = b.cum
	}
	if c.pos[i] > start {
		c.touch(i) // the next Fetch to its node lists the new position
	}
	c.lag.record(now, i, d.hw-c.pos[i], warmup)
}

// observe counts n records of batch b, which took wire bytes of the Fetch response, fetched at
// now and handed to the application at ready (after decompression).
func (m *ConsumerMetrics) observe(now, ready sim.Time, b batchRef, n, wire int64, warmup sim.Time) {
	if now < warmup || n <= 0 {
		return
	}
	m.Records += n
	m.Bytes += int64(b.raw)
	m.WireBytes += wire
	span := b.lastAt - b.firstAt
	for k := int64(0); k < n; k++ {
		at := b.firstAt
		if n > 1 {
			at += sim.Time(int64(span) * k / (n - 1))
		}
		_ = m.EndToEnd.RecordValue(max(int64(ready-at)/1000, 1))
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

// Disconnected handles a broker's connection reset: the Fetch is lost, metadata refreshed.
func (c *Consumer) Disconnected(s *sim.Sim, h *Half) {
	if c.down {
		return
	}
	if c.state == consumerClosing {
		for _, n := range c.nodes {
			if n.conn == h {
				n.onSessionClosed(s) // the closing Fetch is lost: the session stays on the broker
			}
		}
		return
	}
	if c.state != consumerRunning {
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
