package model

import "github.com/stretchsim/stretchsim/sim"

// armTrigger schedules the next arrival that needs an event: one that creates or fills a batch
// (the Sender wakes), or that makes the sticky partitioner switch (which draws a random number).
// Records in between are appended by the next event's catchUp.
//
// An arrival that needs an event gets none when that event could do nothing but append it (and
// switch the sticky partition): no timer is due and nothing queued becomes sendable before it
// (quietUntil), a batch it starts in an empty deque lingers (linger.ms) with the wake timer due
// no later, and a batch it makes sendable is for a broker that cannot take a request and whose
// max-in-flight accounting it does not change. The look-ahead then goes on past it on a shadow
// of the accumulator, drawing the sticky partitioner's numbers from a copy of its stream, and the
// next event's catchUp appends it, and draws the same numbers, exactly as its own event would
// have. Any producer event before such an arrival recomputes the look-ahead (skipUntil).
func (p *Producer) armTrigger(s *sim.Sim) {
	now := s.Now()
	if now >= p.skipUntil {
		p.skipped = p.skipped[:0] // catchUp has appended them
	}
	if p.blocked || (!p.trigStale && p.trigger.Armed() && now >= p.skipUntil) {
		return // the armed trigger still holds: nothing it depends on changed
	}
	p.trigStale, p.skipUntil, p.skipped = false, 0, p.skipped[:0]
	la := lookahead{p: p, now: now, shadow: p.shadow[:0], sticky: p.sticky, produced: p.stickyBytes,
		free: p.free, quiet: quietUnknown}
	if p.shadowAt == nil {
		p.shadowAt = make([]int32, len(p.deques))
	}
	defer func() {
		for _, sp := range la.shadow {
			p.shadowAt[sp.part] = 0
		}
		p.shadow = la.shadow[:0]
	}()
	for i := 0; ; i++ {
		rec := p.peek(i)
		at := max(sim.Time(rec.At), now)
		if la.append(rec, at) {
			continue
		}
		s.Arm(&p.trigger, sim.Event{At: at, H: p, Kind: producerTrigger})
		return
	}
}

// lookahead is armTrigger's shadow of the accumulator: what appendRecord would do with the
// records not yet appended, without touching the producer's state.
type lookahead struct {
	p        *Producer
	now      sim.Time
	shadow   []shadowPart
	sticky   int   // the sticky partition
	produced Bytes // the sticky partitioner's bytes since its last switch (stickyBytes)
	free     Bytes // buffer.memory
	quiet    sim.Time
	drawn    bool // lookRnd holds a copy of the producer's stream, maxQ its longestQueue
	maxQ     int
}

// shadowPart is a partition's state in the look-ahead: whether its last batch is open for
// appends and its size, and the batches the look-ahead started.
type shadowPart struct {
	part  int
	open  bool
	bytes Bytes
	est   float32 // the open batch's compression ratio estimate
	added int
}

// part returns part's shadow state, taking it from the accumulator on first use.
func (la *lookahead) part(part int) *shadowPart {
	if k := la.p.shadowAt[part]; k > 0 {
		return &la.shadow[k-1]
	}
	sp := shadowPart{part: part}
	if b := la.p.openBatch(part); b != nil {
		sp.open, sp.bytes, sp.est = true, b.bytes, b.est
	}
	la.shadow = append(la.shadow, sp)
	la.p.shadowAt[part] = int32(len(la.shadow))
	return &la.shadow[len(la.shadow)-1]
}

// queued returns how many batches part has, counting those the look-ahead started.
func (la *lookahead) queued(part int) int {
	n := la.p.deques[part].Len()
	if k := la.p.shadowAt[part]; k > 0 {
		n += la.shadow[k-1].added
	}
	return n
}

// append applies rec, arriving at at, to the shadow, as appendRecord would. It returns false,
// leaving the shadow as it was, if rec needs an event: it creates or fills a batch, or switches
// the sticky partition, and its event could do more than append it.
func (la *lookahead) append(rec *Record, at sim.Time) bool {
	p, batchSize := la.p, la.p.cfg.BatchSize
	keyless := !rec.HasKey || p.cfg.PartitionerIgnoreKeys
	part := la.sticky
	if !keyless {
		part = keyPartition(rec.Key, len(p.parts))
	}
	sp := la.part(part)
	creates := !sp.open || !p.hasRoom(sp.bytes, sp.est, rec.Size)
	bytes, appended, est := sp.bytes+rec.Size, rec.Size, sp.est
	if creates {
		bytes, appended, est = recordBatchOverhead+rec.Size, rec.Size+recordBatchOverhead, p.ratioEst
	}
	if p.codec != CodecNone { // appendRecord's appendedBytes: the estimated size's growth
		appended = p.estimated(bytes, est)
		if !creates {
			appended -= p.estimated(sp.bytes, sp.est)
		}
	}
	fills := p.estimated(bytes, est) >= batchSize
	produced := la.produced
	switches := false
	if keyless {
		if creates && (!sp.open || p.estimated(sp.bytes, sp.est) >= batchSize) && produced >= batchSize {
			return false // a switch held back (partitionChanged): the record goes elsewhere
		}
		produced += appended
		switches = produced >= 2*batchSize || (produced >= batchSize && fills) // maybeSwitch
	}
	if !creates && !fills && !switches {
		sp.bytes, la.produced = bytes, produced
		return true
	}
	need := max(batchSize, rec.Size+recordBatchOverhead)
	if !la.quietAt(at) || (creates && need > la.free) {
		return false
	}
	bi := p.cluster.brokerIndex(p.meta.leaders[part]) // quietUntil: every leader is known
	switch {
	case creates && la.queued(part) == 0 && !fills:
		if !p.quietStart(la.now, at, bi) {
			return false
		}
	case creates || fills:
		if !p.closedQuietly(bi, la.now) {
			return false
		}
	}
	if creates {
		la.free -= need
		sp.open, sp.added = true, sp.added+1
	}
	sp.bytes, sp.est, la.produced = bytes, est, produced
	if switches {
		la.sticky, la.produced = la.draw(), 0
	}
	p.skipUntil, p.skipped = at, append(p.skipped, at)
	return true
}

// quietAt reports whether an arrival at at may go without an event: after now, before quiet,
// within maxQuietStarts of them.
func (la *lookahead) quietAt(at sim.Time) bool {
	if at <= la.now || len(la.p.skipped) >= maxQuietStarts {
		return false
	}
	if la.quiet == quietUnknown {
		la.quiet = la.p.quietUntil(la.now)
	}
	return at < la.quiet
}

// draw is nextStickyPartition on the shadow, from a copy of the producer's stream: the numbers
// the switch's own catchUp will draw.
func (la *lookahead) draw() int {
	p := la.p
	if !la.drawn {
		p.lookRnd.CopyFrom(p.rnd)
		la.drawn, la.maxQ = true, p.longestQueue()
	}
	maxQ := la.maxQ
	for _, sp := range la.shadow {
		if sp.added > 0 && p.meta.leaders[sp.part] >= 0 {
			maxQ = max(maxQ, p.deques[sp.part].Len()+sp.added)
		}
	}
	return p.pickSticky(&p.lookRnd, maxQ, la.queued)
}

// settle appends the records that the triggers the look-ahead left out would have appended
// before now (at now too if inclusive), for what acts on the accumulator before, or without,
// catching up: a request timeout or a disconnect (dropNode), new leaders from a metadata
// response, a crash, the summary. A trigger due at now would have run after an event that was
// scheduled before the look-ahead (a timer, a fault), and before the summary.
func (p *Producer) settle(s *sim.Sim, inclusive bool) {
	now, k := s.Now(), 0
	for k < len(p.skipped) && (p.skipped[k] < now || inclusive && p.skipped[k] == now) {
		k++
	}
	if k > 0 && !p.down {
		p.catchUp(s, p.skipped[k-1])
	}
	p.skipped = append(p.skipped[:0], p.skipped[k:]...)
}

// SendReset restores the trigger of the first arrival the look-ahead left out from now on when a
// connection to a broker is reset without the producer knowing yet (the RST is on its way): the
// connection is idle at once, so that trigger may find a request to send (quietUntil assumed
// that a connection still writing tells the producer when it is done: Drained).
func (p *Producer) SendReset(s *sim.Sim, _ *Half) {
	now := s.Now()
	for _, t := range p.skipped {
		if t >= now { // one due now would have run after this event (settle)
			if !p.down && !p.blocked && (!p.trigger.Armed() || p.trigger.At() > t) {
				s.Arm(&p.trigger, sim.Event{At: t, H: p, Kind: producerTrigger})
			}
			return
		}
	}
}

// maxQuietStarts bounds the arrivals one look-ahead leaves without an event. Every producer
// event before them redoes the look-ahead, and in the reference scenario responses and completed
// writes come about as often as triggers: bounds from 2 to 8 cost the same CPU time there (0 and
// 1 more), and the smallest keeps a redone look-ahead short for other workloads.
const maxQuietStarts = 2

// quietUnknown marks quietUntil as not yet computed during a look-ahead.
const quietUnknown = sim.Time(-1)

// quietUntil returns the time before which no producer event can have anything to do but append
// records: the earliest of the expiry and wake timers and of the linger or backoff deadlines of
// the queued first batches. It returns now if an event could act sooner or in ways not foreseen
// here: a send() blocked, an epoch bump or a leader lookup pending, a batch sendable now on a
// connection that can take a request. A connection that waits for its write to finish tells the
// producer when it is done (Drained) or reset (SendReset).
func (p *Producer) quietUntil(now sim.Time) sim.Time {
	if p.blocked || p.down || len(p.bumps) > 0 || p.meta.unknown > 0 || !p.expiry.Armed() || p.cfg.Linger <= 0 {
		return now
	}
	quiet := p.expiry.At()
	if p.wake.Armed() {
		quiet = min(quiet, p.wake.At())
	}
	for _, i := range p.nonEmpty {
		if at := p.front[i].at; at > now { // not blocked: sendableAt is the frontState
			quiet = min(quiet, at)
		} else if p.canSend(p.cluster.brokerIndex(p.meta.leaders[i]), now) {
			return now // sendable and not sent: runSender is not done with it
		}
	}
	return quiet
}

// quietStart reports whether a batch that an arrival at at starts in the empty deque of a
// partition led by broker bi lingers without needing the arrival's event: the wake timer is due
// no later than the batch's linger.ms deadline (and after at: quietUntil), or the broker cannot
// take a request anyway, so the event would not re-arm the wake (runSender's ArmEarlier).
func (p *Producer) quietStart(now, at sim.Time, bi int) bool {
	if !p.canSend(bi, now) {
		return true // it stays closed until a producer event (a response, Drained, a reset) or the wake
	}
	return p.wake.Armed() && p.wake.At() <= at.Add(p.cfg.Linger)
}

// closedQuietly reports whether a batch made sendable for broker bi needs no event: the broker
// cannot take a request until a producer event, and the max-in-flight accounting would not
// change (it is not at the limit, or is counted waiting already).
func (p *Producer) closedQuietly(bi int, now sim.Time) bool {
	n := &p.nodes[bi]
	return !p.canSend(bi, now) && (len(n.inflight) < p.cfg.MaxInFlight || n.atLimit)
}
