package model

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// Producer is a KafkaProducer (reference §5): an application thread hands it records at their
// intended send times (open loop); the RecordAccumulator batches them per partition; the Sender
// drains ready batches into Produce requests, at most max.in.flight.requests.per.connection per
// broker, retries with exponential backoff and fails batches after delivery.timeout.ms.
//
// Arrivals are evaluated lazily and exactly: between two of the producer's events nothing but
// arrivals changes its state, so records are appended, at their own arrival times, when the
// next event runs; the producer schedules an event only for the arrivals that wake the Sender
// (a new or a full batch) or block on buffer.memory.
type Producer struct {
	Name    string
	Site    SiteID
	node    NodeID
	cfg     *ProducerConfig
	cluster *Cluster
	rnd     *sim.Stream

	// Application side.
	arrivals Arrivals
	ahead    sim.FIFO[Record] // drawn from arrivals, not yet appended, in time order
	blocked  bool             // send() waits for buffer.memory since blockedAt
	blockAt  sim.Time
	bufWait  *waitSlot // buffer-memory: blocked (limits.go)
	trigger  sim.Timer

	// RecordAccumulator.
	parts         []*Partition
	meta          *clientMeta // the client's metadata: leader per partition, -1 unknown
	down          bool        // the producer's host is down
	deques        []sim.FIFO[*producerBatch]
	free          Bytes // buffer.memory not held by batches
	sticky        int
	stickyBytes   Bytes
	shadow        []shadowPart     // armTrigger's scratch space
	lookRnd       sim.Stream       // armTrigger's copy of rnd, for the sticky switches it looks past
	shadowAt      []int32          // armTrigger's scratch space: per partition, 1 + its index in shadow, or 0
	spare         []*producerBatch // finished batches, reused by newBatch
	trigStale     bool             // the armed trigger may be wrong: a batch was created, filled or drained
	skipUntil     sim.Time         // the look-ahead let arrivals up to this time start batches with no event (quietStart)
	skipped       []sim.Time       // the times of those arrivals, in order
	unknownLeader bool             // a queued batch's partition has no known leader
	pid           int32            // producer id for idempotence (InitProducerId), > 0
	nextSeq       []int32          // next sequence number per partition
	ackedSeq      []int32          // per partition, the sequence after the last acknowledged batch
	epochs        []int32          // per partition, the producer epoch its sequences run under
	bumpWanted    []bool           // per partition, an epoch bump is due (producer_epoch.go)
	bumps         []int            // the partitions with bumpWanted
	bumpBuf       []*producerBatch
	avgRecord     Bytes // running estimate of the record size, to size batches' arrival lists

	nonEmpty []int        // partitions with queued batches
	front    []frontState // per partition, when its first queued batch becomes sendable (accumulator.go)

	// Sender.
	nodes       []producerNode // per broker index
	readyBuf    []bool
	closedBuf   []bool    // readyNodes: the nodes that cannot take a request now
	flightWait  *waitSlot // max-in-flight: a node at its limit with a batch ready for it (limits.go)
	limited     int       // the nodes with atLimit set
	drainIndex  int
	correlation int32 // the latest Produce request's correlation id
	// spareReqs are answered requests, to serve as new ones: a broker reads a request until it
	// answers it, never after.
	spareReqs []*sentRequest
	drainBuf  []*producerBatch // drain's scratch space
	passBuf   []drained        // the requests of one sender pass (runSender)
	wake      sim.Timer        // linger and retry backoff
	expiry    sim.Timer        // delivery.timeout.ms of the oldest queued batch

	// Compression (compression.go): the codec and its speed on one core, how compressible the
	// records are, the CompressionRatioEstimator's estimate for the topic and codec, the
	// application's thread (compressing as records are appended) and the sender thread (flushing
	// a batch's stream when it closes), and the wait for them (compression, limits.go).
	codec        Codec
	rates        CodecRates
	ratios       *CompressionRatios
	ratioEst     float32
	app, sender  codecThread
	compressWait *waitSlot

	metrics ProducerMetrics
}

// producerNode is the producer's connection to one broker and its in-flight requests.
type producerNode struct {
	conn        *Half
	connected   bool           // a request went out since the last reset (the client holds a connection)
	inflight    []*sentRequest // oldest first
	timeout     sim.Timer
	reconnectAt sim.Time
	failures    int  // connection failures since the last response (reconnect backoff)
	atLimit     bool // max-in-flight accounting: at the limit with a batch ready for it
}

// sentRequest is a Produce request as the producer keeps it while it is in flight: the batches
// it carried and the request as sent, which nobody writes once it is. Kafka's NetworkClient
// takes a response's request as the oldest in flight on its connection (InFlightRequests
// completeNext) and checks its correlation id; a broker answers a connection's requests in order,
// so the model's lookup by correlation id finds the same request.
type sentRequest struct {
	correlation int32
	sentAt      sim.Time
	batches     []*producerBatch
	batchBuf    [4]*producerBatch
	req         produceRequest
}

// Producer events.
const (
	producerTrigger        sim.Kind = iota // an arrival that wakes the Sender or needs memory
	producerWake                           // linger or retry backoff elapsed
	producerBlockTimeout                   // max.block.ms elapsed for a blocked send()
	producerRequestTimeout                 // request.timeout.ms elapsed on a node (A = broker index)
	producerWritten                        // an acks=0 request left after its batches' compression (Data = request)
)

// Handle runs the producer's events. Every event first appends the arrivals due by now.
func (p *Producer) Handle(s *sim.Sim, ev *sim.Event) {
	if p.down {
		return
	}
	now := s.Now()
	switch ev.Kind {
	case producerBlockTimeout:
		p.failBlocked(now)
	case producerRequestTimeout:
		p.settle(s, false)
		p.onRequestTimeout(s, int(ev.A))
	case producerWritten:
		for _, b := range ev.Data.(*sentRequest).batches {
			p.complete(s, b, batchResult{})
		}
	}
	p.catchUp(s, now)
	p.runSender(s)
	p.armTrigger(s)
}

// Deliver receives Produce and Metadata responses.
func (p *Producer) Deliver(s *sim.Sim, c *Half, msg any) {
	if p.down {
		return
	}
	if m, ok := msg.(*metadataResponse); ok {
		p.settle(s, false) // the sticky partitioner's switches before now saw the old leaders
		p.meta.onResponse(s, m)
		return
	}
	resp, ok := msg.(*produceResponse)
	if !ok {
		return
	}
	now := s.Now()
	p.catchUp(s, now)
	p.onResponse(s, c, resp)
	p.runSender(s)
	p.armTrigger(s)
}

// Drained runs the sender again once a request that waited for the window is fully written: the
// connection can take the next one (NetworkClient.ready: the previous send completed).
func (p *Producer) Drained(s *sim.Sim, c *Half) {
	if p.down {
		return
	}
	for bi := range p.nodes {
		if n := &p.nodes[bi]; n.conn == c && len(n.inflight) >= p.cfg.MaxInFlight {
			return // the connection still cannot take a request: a response will run the sender
		}
	}
	p.catchUp(s, s.Now())
	p.runSender(s)
	p.armTrigger(s)
}

// start begins the producer's work at the first arrival.
func (p *Producer) start(s *sim.Sim) { p.armTrigger(s) }

// peek returns the i-th record not yet appended, drawing it if needed.
func (p *Producer) peek(i int) *Record {
	for p.ahead.Len() <= i {
		p.ahead.Push(p.arrivals.Next())
	}
	return &p.ahead.All()[i]
}

// pop removes the first record not yet appended.
func (p *Producer) pop() { p.ahead.Pop() }

// catchUp appends, at their own arrival times, every record due by now, unless send() blocks.
func (p *Producer) catchUp(s *sim.Sim, now sim.Time) {
	for !p.blocked {
		rec := p.peek(0)
		if sim.Time(rec.At) > now {
			return
		}
		at := max(sim.Time(rec.At), p.blockAt)
		p.avgRecord = max((7*p.avgRecord+rec.Size)/8, 1)
		if !p.appendRecord(s, at, rec) {
			p.blocked, p.blockAt = true, at
			p.bufWait.begin(at)
			s.Arm(&p.trigger, sim.Event{At: at.Add(p.cfg.MaxBlock), H: p, Kind: producerBlockTimeout})
			return
		}
		p.pop()
	}
}

// failBlocked fails the record whose send() waited max.block.ms for buffer.memory.
func (p *Producer) failBlocked(now sim.Time) {
	if !p.blocked {
		return
	}
	p.blocked = false
	p.bufWait.end(now)
	p.metrics.recordFailure(ErrBufferExhausted, 1, p.peek(0).Size, now, p.cluster.warmup)
	p.pop()
	p.blockAt = now
}

// unblock lets a blocked send() proceed once memory was freed.
func (p *Producer) unblock(s *sim.Sim) {
	if p.blocked {
		p.blocked = false
		p.bufWait.end(s.Now())
		p.blockAt = s.Now()
		p.trigger.Stop()
	}
}

// backoff is ExponentialBackoff(retry.backoff.ms, 2, retry.backoff.max.ms, 0.2) for the given
// attempt count (reference §5.1).
func (p *Producer) backoff(attempts int) time.Duration {
	return exponentialBackoff(p.cfg.RetryBackoff, p.cfg.RetryBackoffMax, 0.2, attempts-1, p.rnd)
}

// Metrics returns the producer's counters and latency histogram.
func (p *Producer) Metrics() *ProducerMetrics { return &p.metrics }
