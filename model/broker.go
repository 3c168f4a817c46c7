package model

import (
	"time"

	"github.com/stretchsim/stretchsim/model/kraft"
	"github.com/stretchsim/stretchsim/sim"
)

// Broker is a Kafka broker: it leads and follows partition replicas, serves Produce and Fetch
// requests through num.io.threads request handler threads, appends to a disk of finite
// bandwidth, runs the ISR-expiration task, and fetches for its follower replicas.
type Broker struct {
	ID      BrokerID
	Site    SiteID
	Rack    string
	node    NodeID
	cfg     *BrokerConfig
	hw      *HardwareSpec
	cluster *Cluster

	replicas []*Replica // every replica this broker hosts, by partition index order
	io       ioPool
	disk     fifo
	// logLock: per partition index, when LogValidator's work under the log's lock is done
	// (compression.go); only partitions with compressed batches have an entry.
	logLock  map[int]sim.Time
	fetchers []*fetcher // [leader broker index * NumReplicaFetchers + fetcher id]; nil until used
	// leaderSessions are the replica fetchers' sessions on this leader, [follower broker index *
	// NumReplicaFetchers + fetcher id]; consumerSessions the consumers' (KIP-227).
	leaderSessions   []*leaderSession
	consumerSessions []*consumerSession
	isrTimer         sim.Timer
	purgatory        producePurgatory
	metrics          BrokerMetrics

	// KRaft: the broker's metadata image (applied from the metadata log its observer fetches),
	// its registration and heartbeats, and its AlterPartition requests.
	image     ctrlState
	snapshots snapshotGenerator
	observer  *kraft.Observer
	lifecycle brokerLifecycle
	alter     alterManager
	rnd       *sim.Stream
	down      bool // crashed or stopped
	ready     bool // caught up with its metadata after a (re)start

	changedBuf []*Replica // onMetadata's scratch space

	// While a Produce request is appended, parked follower Fetches that the appends could
	// complete wait in deferred: Kafka completes delayed operations from the ActionQueue once
	// the request handler is done (ReplicaManager.addCompletePurgatoryAction, run by
	// KafkaApis.handle's tryCompleteActions), so a follower gets every partition of the request
	// in one response, not the first partition alone.
	appending bool
	deferred  []*leaderSession

	correlation int32 // the latest controller request's correlation id
}

// BrokerMetrics are the broker's counters under Kafka's metric names.
type BrokerMetrics struct {
	IsrShrinks, IsrExpands, FailedIsrUpdates int64 // ReplicaManager meters
	ProduceRequests, FailedProduceRequests   int64 // BrokerTopicMetrics Total/FailedProduceRequestsPerSec, per partition
	BytesIn, ReplicationBytesIn              int64 // BrokerTopicMetrics BytesInPerSec, ReplicationBytesInPerSec
	ProduceExpires                           int64 // DelayedProduceMetrics ExpiresPerSec
}

// Metrics returns a copy of the broker's counters.
func (b *Broker) Metrics() BrokerMetrics { return b.metrics }

// ioPool is the request handler pool (num.io.threads) with its request queue.
type ioPool struct {
	free    int
	queue   sim.FIFO[ioItem]
	wait    *waitSlot // request-threads: requests queued for a free thread
	waiting bool
	// life counts the broker's crashes: a request a thread took before one is dropped when its
	// thread's time is up, since the restarted process began with every thread free.
	life  int
	spare []*ioWork
}

// ioItem is a request read from a connection, with the connection and its epoch then (Half.Mute),
// where the answer goes.
type ioItem struct {
	msg       any
	conn      *Half
	connEpoch int64
}

// ioWork is a request on a handler thread, from the thread taking it to its brokerIODone event.
type ioWork struct {
	item ioItem
	life int // ioPool.life when the thread took it
}

// track updates the request-threads accounting after the queue changed.
func (io *ioPool) track(now sim.Time) {
	io.waiting = io.wait.set(io.waiting, io.queue.Len() > 0, now)
}

// Broker events, the lifecycle's (broker_lifecycle.go) among them.
const (
	brokerIODone sim.Kind = iota
	brokerISRExpiry
	brokerHeartbeat
	brokerRPCTimeout
)

// Handle runs the broker's timers and request completions. A stopped broker does nothing.
func (b *Broker) Handle(s *sim.Sim, ev *sim.Event) {
	if ev.Kind == brokerIODone {
		b.ioDone(s, ev.Data.(*ioWork))
		return
	}
	if b.down {
		return
	}
	switch ev.Kind {
	case brokerHeartbeat:
		b.lifecycle.send(s)
	case brokerRPCTimeout:
		b.lifecycle.onRPCFailure(s)
	case brokerISRExpiry:
		b.onISRExpiry(s)
	}
}

// Deliver reads a message from the network. A request mutes its connection until its response
// is written (Kafka's SocketServer.Processor, reference §2.8a): requests from one client are
// processed one at a time, in order, whatever max.in.flight.requests.per.connection allows.
func (b *Broker) Deliver(s *sim.Sim, c *Half, msg any) {
	if b.down {
		b.cluster.net.Refuse(s, c)
		return
	}
	if b.observer.Deliver(s, c, msg) {
		return
	}
	switch m := msg.(type) {
	case *metadataRequest:
		b.onMetadataRequest(s, c, c.Mute(), m)
	case *registerResponse, *heartbeatResponse:
		b.lifecycle.onResponse(s, m)
	case *alterPartitionResponse:
		b.alter.onResponse(s, m)
	case *notControllerResponse:
		b.onNotController(s, m)
	case *produceRequest:
		// Read now, so TotalTimeMs starts now; nothing more is read from the connection until
		// the response is written (reference §2.8a).
		b.enqueueIO(s, ioItem{msg: &delayedProduce{req: m, conn: c, connEpoch: c.Mute(), receivedAt: s.Now()}})
	case *fetchRequest:
		b.holdReads(m, true)
		b.enqueueIO(s, ioItem{msg: m, conn: c, connEpoch: c.Mute()})
	case *fetchResponse:
		if f := b.fetcherOf(m.from, m.fetcherID); f != nil && f.conn.Peer() == c {
			f.onResponse(s, m)
		}
	}
}

func (b *Broker) enqueueIO(s *sim.Sim, item ioItem) {
	b.io.queue.Push(item)
	b.startIO(s)
}

// startIO hands queued requests to free handler threads. A request holds its thread for its CPU
// time and, for produce, until its append has gone through the disk.
func (b *Broker) startIO(s *sim.Sim) {
	for b.io.free > 0 && b.io.queue.Len() > 0 {
		item := *b.io.queue.Front()
		b.io.queue.Pop()
		b.io.free--
		now := s.Now()
		done := now.Add(b.cpuTime(requestBytes(item.msg)))
		if op, ok := item.msg.(*delayedProduce); ok {
			done = max(b.validate(op.req, done), b.disk.reserve(now, storedBytes(op.req, op.req.bytes)))
		}
		var w *ioWork
		if n := len(b.io.spare); n > 0 {
			w, b.io.spare = b.io.spare[n-1], b.io.spare[:n-1]
		} else {
			w = &ioWork{}
		}
		w.item, w.life = item, b.io.life
		s.Schedule(sim.Event{At: done, H: b, Kind: brokerIODone, Data: w})
	}
	b.io.track(s.Now())
}

// ioDone runs a request whose handler thread's time is up and frees the thread, unless the
// process that took the request has crashed since.
func (b *Broker) ioDone(s *sim.Sim, w *ioWork) {
	item, life := w.item, w.life
	w.item = ioItem{}
	b.io.spare = append(b.io.spare, w)
	if b.down || life != b.io.life {
		return
	}
	b.process(s, item)
	b.io.free++
	b.startIO(s)
}

func (b *Broker) cpuTime(bytes Bytes) time.Duration {
	d := b.hw.RequestCPUTime
	if b.hw.CPUBytesPerSecond > 0 {
		d += time.Duration(float64(bytes) / float64(b.hw.CPUBytesPerSecond) * 1e9)
	}
	return d
}

func requestBytes(msg any) Bytes {
	if op, ok := msg.(*delayedProduce); ok {
		return op.req.bytes
	}
	return 0
}

// process runs a request's logic once its handler thread is done with it.
func (b *Broker) process(s *sim.Sim, item ioItem) {
	switch m := item.msg.(type) {
	case *delayedProduce:
		b.onProduce(s, m)
	case *fetchRequest:
		b.onFetch(s, m, fetchCall{conn: item.conn, connEpoch: item.connEpoch, gen: m.gen, replica: m.replica,
			minBytes: m.minBytes, maxBytes: m.maxBytes, partMax: m.partMax, rack: m.rack})
		b.holdReads(m, false)
	}
}

// holdReads makes the offsets a consumer's Fetch lists readers of this broker's replicas from
// the moment the broker reads the Fetch (hold) until a handler thread has run it (then its
// session holds them), so that no trim forgets batches the Fetch will read. The consumer may
// have given the Fetch up by then (a timeout, a disconnect, a close) and moved on; the broker,
// which does not know, still runs it. A crash drops what is queued (Broker.stop).
func (b *Broker) holdReads(req *fetchRequest, hold bool) {
	if req.replica {
		// A follower's Fetch needs none. Within one leader epoch it fetches from its log end,
		// which only grows, and no later Fetch of it overtakes an earlier one to this leader (one
		// connection, one request queue); its session here holds the offset of the last one run.
		// A Fetch of an earlier epoch, or one whose log diverges (it truncated and moved on while
		// the Fetch was delayed), is answered without a read (sessionPart.answersAtOnce).
		return
	}
	for i := range req.parts {
		fp := &req.parts[i]
		r := b.replicaOf(fp.p)
		if r == nil {
			continue
		}
		if hold {
			r.reading().queued.hold(fp.offset)
		} else {
			r.reading().queued.release()
		}
	}
}

// onNotController retries a controller RPC that reached a controller that is not active.
func (b *Broker) onNotController(s *sim.Sim, m *notControllerResponse) {
	if l := &b.lifecycle; l.inflight != nil && l.correlation == m.correlation {
		l.onRPCFailure(s)
	}
	if a := b.alter.inflight; a != nil && a.correlation == m.correlation {
		b.alter.resend(s)
	}
}

// nextCorrelation returns a new correlation id for a request to the controller.
func (b *Broker) nextCorrelation() int32 {
	b.correlation++
	return b.correlation
}

// Disconnected handles a connection reset by a crashed peer (quorum connections go to the
// observer; a controller RPC in flight is retried).
func (b *Broker) Disconnected(s *sim.Sim, c *Half) {
	if b.down {
		return
	}
	b.observer.Disconnected(s, c)
	for _, f := range b.fetchers {
		if f != nil && f.conn == c {
			f.onRequestFailure(s)
		}
	}
	if b.lifecycle.inflight != nil && c.To() == b.lifecycle.sentTo && b.lifecycle.channel.owns(c) {
		b.lifecycle.onRPCFailure(s)
	}
	if b.alter.inflight != nil && c.To() == b.alter.sentTo && b.alter.channel.owns(c) {
		b.alter.resend(s)
	}
}

// onISRExpiry is the "isr-expiration" task (ReplicaManager.scala:415), every
// replica.lag.time.max.ms / 2 over the partitions this broker leads.
func (b *Broker) onISRExpiry(s *sim.Sim) {
	now := s.Now()
	for _, r := range b.replicas {
		if r.leader {
			r.maybeShrinkISR(s, now)
		}
	}
	s.ArmAfter(&b.isrTimer, b.cfg.ReplicaLagTimeMax/2, sim.Event{H: b, Kind: brokerISRExpiry})
}

// local returns r if it is hosted by this broker, else nil (the request reached the wrong broker).
func (b *Broker) local(r *Replica) *Replica {
	if r == nil || r.broker != b {
		return nil
	}
	return r
}

// replicaOf returns this broker's replica of p, or nil.
func (b *Broker) replicaOf(p *Partition) *Replica {
	for pos, id := range p.Replicas { // a handful of ids, side by side: no per-broker index
		if id == b.ID {
			return p.reps[pos]
		}
	}
	return nil
}
