package model

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// What of a replica's log is on disk. Kafka appends to the OS page cache and, by default, never
// fsyncs: flush.messages and flush.ms default to Long.MAX_VALUE, "we recommend ... you leave this
// to the operating system" (TopicConfig.FLUSH_MESSAGES_INTERVAL_DOC). A record becomes durable
// when either
//
//   - Kafka flushes the log: UnifiedLog.append calls flush(false) once LEO − recovery point
//     reaches flush.messages (UnifiedLog.scala:932); LogManager.flushDirtyLogs, every
//     log.flush.scheduler.interval.ms, flushes a log whose lastFlushTime is flush.ms old
//     (LogManager.scala:1494); a clean shutdown flushes everything (LogManager.scala:691); or
//   - the OS writes the page back: every hardware.dirty_writeback (vm.dirty_writeback_centisecs)
//     the flusher writes the pages dirty for at least hardware.dirty_expire
//     (vm.dirty_expire_centisecs).
//
// A process crash keeps the page cache, so only a power loss loses the rest; at the next start
// Kafka's log recovery (LogLoader.recoverLog from the recovery point, truncating at the first
// invalid batch) leaves the log at its durable end. The KRaft metadata log is fsynced before a
// voter acknowledges (KafkaRaftClient.flushLeaderLog, and the follower's log.flush before its
// next Fetch), so controllers lose nothing.
//
// Modelling choices: ticks of both flushers fall on multiples of their period from the start of
// the run (Kafka's flusher starts log.initial.task.delay.ms after start-up). Linux ages dirty data
// per inode (dirtied_when), not per page; the model ages it per append, so a record is written
// back at the first writeback tick at least dirty_expire after its append. Kafka rolls a segment
// after segment.bytes (1 GiB) and flushes the old one; logs are not segmented here, so that flush
// is not modelled. No event is scheduled for any of this: the durable end is computed when
// needed from a short list of append times, coalesced per pair of flusher ticks.

// dirtyRun is a run of appends not yet durable: everything below end that is above the runs
// before it. Appends written back at the same OS tick and flushed at the same Kafka tick share a
// run, so a log holds about (dirty_expire + dirty_writeback) / min(ticks) runs, never one per
// record.
type dirtyRun struct {
	end   Offset
	os    sim.Time // the OS writeback tick that writes it (Never: none)
	kafka sim.Time // the first flusher tick after its appends (Never: no flusher)
}

// flushPolicy is what decides when a partition's data reaches the disk.
type flushPolicy struct {
	messages  int64         // flush.messages
	interval  time.Duration // flush.ms; NeverFlush: never
	check     time.Duration // log.flush.scheduler.interval.ms; NeverFlush: the flusher never runs
	expire    time.Duration // hardware.dirty_expire
	writeback time.Duration // hardware.dirty_writeback; 0: no periodic writeback
}

// diskState is a replica log's durability.
//
// Invariant: recovery <= leo and written <= leo of the log. Invariant: runs end above
// max(recovery, written), in offset and time order.
type diskState struct {
	recovery  Offset     // Kafka's recovery point: flushed (fsynced) by Kafka
	written   Offset     // written back by the OS
	runs      []dirtyRun // not yet durable, oldest first, from index head
	head      int
	lastFlush sim.Time // LocalLog.lastFlushTime: Kafka's last flush that did something
	unflushed sim.Time // flusher tick of the first append above the recovery point
	dirty     bool     // there is data above the recovery point (unflushed is valid)
	stopped   bool     // the broker process is down: Kafka flushes nothing
	next      sim.Time // no flusher tick before this can change anything
	lost      bool     // the host lost power: recoverTo is where start-up recovery cuts the log
	recoverTo Offset
	cut       offsetRange // what the last power-loss recovery cut from the log (durability.go)
}

// ceilTick returns the first multiple of period at or after t (t >= 0), or Never.
func ceilTick(t sim.Time, period time.Duration) sim.Time {
	if period <= 0 || period == NeverFlush || t >= sim.Never/2 {
		return sim.Never
	}
	p := sim.Time(period)
	return (t + p - 1) / p * p
}

// durable returns the end of what is on disk.
func (d *diskState) durable() Offset { return max(d.recovery, d.written) }

// survives returns where a power loss leaves the log: its durable end, or, once the power was
// lost, where start-up recovery will cut it.
func (d *diskState) survives() Offset {
	if d.lost {
		return d.recoverTo
	}
	return d.durable()
}

// durableAt returns the end of what is on disk at now, applying the flusher ticks up to now.
func (d *diskState) durableAt(now sim.Time, pol *flushPolicy) Offset {
	if now >= d.next {
		d.advance(now, pol)
	}
	return d.durable()
}

// appended notes that the log grew to leo at now (a leader append or a follower's fetch).
func (d *diskState) appended(leo Offset, now sim.Time, pol *flushPolicy) {
	if d == nil {
		return // no power loss in the run: nothing reads what is on disk
	}
	if now >= d.next {
		d.advance(now, pol)
	}
	k := ceilTick(now, pol.check)
	if !d.dirty {
		d.dirty, d.unflushed = true, k
	}
	if int64(leo-d.recovery) >= pol.messages {
		d.kafkaFlush(leo, now) // UnifiedLog.append: unflushedMessages >= flushInterval
		d.next = d.nextEvent(pol)
		return
	}
	os := sim.Never
	if pol.writeback > 0 {
		os = ceilTick(now.Add(pol.expire), pol.writeback)
	}
	if n := len(d.runs); n > d.head && d.runs[n-1].os == os && d.runs[n-1].kafka == k {
		d.runs[n-1].end = leo
	} else {
		if d.runs == nil {
			d.runs = make([]dirtyRun, 0, 8) // (30 s + 5 s) / 5 s runs with Linux's defaults: one allocation
		}
		d.runs = append(d.runs, dirtyRun{end: leo, os: os, kafka: k})
	}
	d.next = min(d.next, os, d.nextKafka(pol))
}

// advance applies every flusher tick up to now, in time order.
func (d *diskState) advance(now sim.Time, pol *flushPolicy) {
	for {
		os := sim.Never
		if d.head < len(d.runs) {
			os = d.runs[d.head].os
		}
		k := d.nextKafka(pol)
		switch {
		case os <= k && os <= now:
			d.written = max(d.written, d.endBy(func(r *dirtyRun) bool { return r.os <= os }))
			d.prune()
		case k < os && k <= now:
			end := max(d.durable(), d.endBy(func(r *dirtyRun) bool { return r.kafka <= k }))
			d.kafkaFlush(end, k)
		default:
			d.next = min(os, k)
			return
		}
	}
}

// nextEvent returns the time of the next flusher tick that changes something.
func (d *diskState) nextEvent(pol *flushPolicy) sim.Time {
	os := sim.Never
	if d.head < len(d.runs) {
		os = d.runs[d.head].os
	}
	return min(os, d.nextKafka(pol))
}

// nextKafka returns the flusher tick at which Kafka next flushes: the first at least flush.ms
// after the last flush at which there is something to flush (LogManager.flushDirtyLogs).
func (d *diskState) nextKafka(pol *flushPolicy) sim.Time {
	if d.stopped || !d.dirty || pol.interval == NeverFlush || d.unflushed == sim.Never {
		return sim.Never
	}
	if d.lastFlush >= sim.Never/2-sim.Time(pol.interval) {
		return sim.Never
	}
	return max(ceilTick(d.lastFlush.Add(pol.interval), pol.check), d.unflushed)
}

// endBy returns the end of the last run of the leading runs that match in.
func (d *diskState) endBy(in func(*dirtyRun) bool) Offset {
	end := Offset(0)
	for i := d.head; i < len(d.runs) && in(&d.runs[i]); i++ {
		end = d.runs[i].end
	}
	return end
}

// kafkaFlush is UnifiedLog.flush up to end at time at: the recovery point moves and
// lastFlushTime is set, if there was anything to flush.
func (d *diskState) kafkaFlush(end Offset, at sim.Time) {
	if end > d.recovery {
		d.recovery, d.lastFlush = end, at
	}
	d.prune()
	d.dirty = false
	if d.head < len(d.runs) {
		d.dirty, d.unflushed = true, d.runs[d.head].kafka
	}
}

// prune forgets the runs wholly on disk.
func (d *diskState) prune() {
	durable := d.durable()
	for d.head < len(d.runs) && d.runs[d.head].end <= durable {
		d.head++
	}
	if d.head == len(d.runs) {
		d.runs, d.head = d.runs[:0], 0
	} else if d.head > 0 && d.head*2 >= len(d.runs) { // runs are few: keep them at the front
		n := copy(d.runs, d.runs[d.head:])
		d.runs, d.head = d.runs[:n], 0
	}
}

// truncate follows the log down to leo (a follower's truncation to a new leader's log).
func (d *diskState) truncate(leo Offset) {
	if d == nil {
		return
	}
	d.recovery, d.written = min(d.recovery, leo), min(d.written, leo)
	for n := len(d.runs); n > d.head && d.runs[n-1].end > leo; n = len(d.runs) {
		if n-1 > d.head && d.runs[n-2].end >= leo {
			d.runs = d.runs[:n-1]
			continue
		}
		d.runs[n-1].end = leo
		break
	}
	d.prune()
	if d.head == len(d.runs) && d.dirty && leo <= d.recovery {
		d.dirty = false
	}
}

// stop is the broker process stopping at now with a log ending at leo: the flushers run up to
// now; a clean shutdown flushes the log (LogManager.shutdown: log.flush(true)). The OS keeps
// writing the page cache back while the host has power.
func (d *diskState) stop(now sim.Time, clean bool, leo Offset, pol *flushPolicy) {
	if d == nil || d.lost {
		return
	}
	d.advance(now, pol)
	if clean {
		d.kafkaFlush(leo, now)
	}
	d.stopped = true
	d.next = d.nextEvent(pol)
}

// losePower is the host losing power at now: what is not on disk is gone (the page cache with
// it), and the next start recovers the log to its durable end.
func (d *diskState) losePower(now sim.Time, pol *flushPolicy) {
	if d.lost {
		return
	}
	d.advance(now, pol)
	d.lost, d.recoverTo = true, d.durable()
	d.runs, d.head, d.dirty = d.runs[:0], 0, false
	d.next = sim.Never
}

// start is the broker process starting at now with a log ending at leo (after any recovery):
// LocalLog's lastFlushTime is the load time, and what the OS holds dirty stays dirty.
func (d *diskState) start(now sim.Time, leo Offset, pol *flushPolicy) {
	if d == nil {
		return
	}
	if d.lost {
		d.lost = false
		d.recovery, d.written = leo, leo // recovery leaves only what is on disk
	}
	d.stopped, d.lastFlush = false, now
	d.dirty = leo > d.recovery
	if d.dirty {
		d.unflushed = ceilTick(now, pol.check)
	}
	d.next = d.nextEvent(pol)
}
