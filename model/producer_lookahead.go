package model

import "github.com/stretchsim/stretchsim/sim"

// armTrigger schedules the next arrival that needs an event: one that creates or fills a batch
// (the Sender wakes), or that may make the sticky partitioner switch (which draws a random
// number). Records in between are appended by the next event's catchUp.
//
// An arrival that starts a batch in an empty deque gets no event when that event could do
// nothing but append it (quietStart): the batch lingers (linger.ms), the wake timer already fires
// no later than its linger deadline and nothing else becomes sendable by then, so the next
// event's catchUp appends it exactly as the trigger would have. Any producer event before such an
// arrival recomputes the look-ahead (skipUntil), since it may have changed what held.
func (p *Producer) armTrigger(s *sim.Sim) {
	now := s.Now()
	if now >= p.skipUntil {
		p.skipped = p.skipped[:0] // catchUp has appended them
	}
	if p.blocked || (!p.trigStale && p.trigger.Armed() && now >= p.skipUntil) {
		return // the armed trigger still holds: nothing it depends on changed
	}
	p.trigStale, p.skipUntil, p.skipped = false, 0, p.skipped[:0]
	shadow := p.shadow[:0]
	defer func() { p.shadow = shadow[:0] }()
	produced := p.stickyBytes
	quiet := quietUnknown
	free := p.free
	for i := 0; ; i++ {
		rec := p.peek(i)
		part := p.sticky
		keyless := !rec.HasKey || p.cfg.PartitionerIgnoreKeys
		before := produced
		if keyless {
			produced += rec.Size
		} else {
			part = keyPartition(rec.Key, len(p.parts))
		}
		at := max(sim.Time(rec.At), now)
		if len(p.skipped) < maxQuietStarts && len(p.deques[part]) == 0 && !shadowHas(shadow, part) {
			if quiet == quietUnknown {
				quiet = p.quietUntil(now)
			}
			need := max(p.cfg.BatchSize, rec.Size+recordBatchOverhead)
			if p.quietStart(now, at, part, rec.Size, quiet) && need <= free &&
				(!keyless || (before < p.cfg.BatchSize && produced+recordBatchOverhead < 2*p.cfg.BatchSize)) {
				free -= need
				if keyless {
					produced += recordBatchOverhead
				}
				shadow = append(shadow, shadowPart{part: part, bytes: recordBatchOverhead + rec.Size})
				p.skipUntil, p.skipped = at, append(p.skipped, at)
				continue
			}
		}
		// A keyless record can switch the sticky partition only when it creates or fills a batch
		// (allBatchesFull then holds) or brings the produced bytes to twice batch.size.
		if p.wouldTrigger(&shadow, part, rec.Size) || (keyless && produced >= 2*p.cfg.BatchSize) {
			s.Arm(&p.trigger, sim.Event{At: at, H: p, Kind: producerTrigger})
			return
		}
	}
}

// settle appends the records that the triggers quietStart left out would have appended by now,
// for what reads the accumulator between the producer's events (a crash, the summary).
func (p *Producer) settle(s *sim.Sim) {
	now, k := s.Now(), 0
	for k < len(p.skipped) && p.skipped[k] <= now {
		k++
	}
	if k > 0 && !p.down {
		p.catchUp(s, p.skipped[k-1])
	}
	p.skipped = append(p.skipped[:0], p.skipped[k:]...)
}

// sendReset restores the trigger of the first arrival the look-ahead left out after now when a
// connection to a broker is reset without the producer knowing yet (the RST is on its way): the
// connection is idle at once, so that trigger may find a request to send (quietUntil assumed
// that a connection still writing tells the producer when it is done: Drained).
func (p *Producer) sendReset(s *sim.Sim, _ *Half) {
	now := s.Now()
	for _, t := range p.skipped {
		if t > now {
			if !p.down && !p.blocked && (!p.trigger.Armed() || p.trigger.At() > t) {
				s.Arm(&p.trigger, sim.Event{At: t, H: p, Kind: producerTrigger})
			}
			return
		}
	}
}

// maxQuietStarts bounds the batches one look-ahead starts without an event, and so its length.
const maxQuietStarts = 8

// quietUnknown marks quietUntil as not yet computed during a look-ahead.
const quietUnknown = sim.Time(-1)

// quietUntil returns the time before which no producer event can have anything to do but append
// records: the earliest of the expiry and wake timers and of the linger or backoff deadlines of
// the queued first batches. It returns now if an event could act sooner or in ways not foreseen
// here: a send() blocked, an epoch bump or a leader lookup pending, a batch sendable now on a
// connection that can take a request. A connection that waits for its write to finish tells the
// producer when it is done (Drained) or reset (sendReset).
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

// quietStart reports whether a record arriving at at that starts a batch of size bytes in part's
// empty deque needs no event: the trigger would append it and find nothing to do. Before quiet,
// nothing queued becomes sendable, no timer fires and no flight-wait accounting changes; the new
// batch lingers until at + linger.ms, and the wake timer, which fires after at, is due no later
// than that, or the batch's leader cannot take a request anyway, so the trigger would not re-arm
// the wake either (runSender's armEarlier). A batch full on its first record is sendable at once.
func (p *Producer) quietStart(now, at sim.Time, part int, size Bytes, quiet sim.Time) bool {
	if at <= now || at >= quiet || size+recordBatchOverhead >= p.cfg.BatchSize {
		return false
	}
	if !p.canSend(p.cluster.brokerIndex(p.meta.leaders[part]), now) {
		return true // it stays closed until a producer event (a response, Drained, a reset) or the wake
	}
	return p.wake.Armed() && p.wake.At() <= at.Add(p.cfg.Linger)
}

// shadowPart is the tentative size of a partition's open batch during armTrigger's look-ahead,
// a batch that exists or one the look-ahead started itself (quietStart).
type shadowPart struct {
	part  int
	bytes Bytes
}

func shadowHas(shadow []shadowPart, part int) bool {
	for i := range shadow {
		if shadow[i].part == part {
			return true
		}
	}
	return false
}

// wouldTrigger reports whether appending size bytes to part would create or fill a batch, given
// the look-ahead's earlier tentative appends.
func (p *Producer) wouldTrigger(shadow *[]shadowPart, part int, size Bytes) bool {
	var sp *shadowPart
	for i := range *shadow {
		if (*shadow)[i].part == part {
			sp = &(*shadow)[i]
		}
	}
	if sp == nil {
		open := p.openBatch(part)
		if open == nil {
			return true
		}
		*shadow = append(*shadow, shadowPart{part: part, bytes: open.bytes})
		sp = &(*shadow)[len(*shadow)-1]
	}
	if !(sp.bytes == recordBatchOverhead || sp.bytes+size <= p.cfg.BatchSize) { // producerBatch.hasRoom
		return true
	}
	sp.bytes += size
	return sp.bytes >= p.cfg.BatchSize
}
