package model

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// codecThread is a client thread's core as its codec work uses it (compression.go): the
// producer's application thread compressing full chunks (KafkaProducer.send), its sender thread
// flushing a batch's last chunk (ProducerBatch.close), a consumer's application thread
// decompressing what it fetched. Work runs in the order it is queued, each piece from when it
// may start or when the piece before it ends, whichever is later.
//
// Its busy time is counted where the core is busy, not when the work is queued: the part of a
// piece before the warm-up is not measured, and a piece still running (or waiting to run) at the
// time asked for counts only up to it (busy).
type codecThread struct {
	free sim.Time // when the work queued so far is done
	// ahead are the busy intervals that may not have ended yet, in time order, disjoint;
	// done is the measured busy time of those that ended, folded out of ahead.
	ahead sim.FIFO[span]
	done  time.Duration
}

// run queues d of work that may start at from, work being queued at now, and returns when it is
// done.
func (t *codecThread) run(from sim.Time, d time.Duration, now, warmup sim.Time) sim.Time {
	start := max(t.free, from)
	t.free = start.Add(d)
	if d <= 0 {
		return t.free
	}
	for t.ahead.Len() > 0 && t.ahead.Front().end <= now {
		t.done += measuredPart(*t.ahead.Front(), warmup, now)
		t.ahead.Pop()
	}
	if n := t.ahead.Len(); n > 0 && t.ahead.All()[n-1].end == start {
		t.ahead.All()[n-1].end = t.free
	} else {
		t.ahead.Push(span{start, t.free})
	}
	return t.free
}

// busy returns the time the core was busy with this thread's work between the warm-up and now,
// with now no earlier than the latest run.
func (t *codecThread) busy(now, warmup sim.Time) time.Duration {
	d := t.done
	for _, s := range t.ahead.All() {
		d += measuredPart(s, warmup, now)
	}
	return d
}

// measuredPart returns the part of s between warmup and now.
func measuredPart(s span, warmup, now sim.Time) time.Duration {
	return max(0, min(s.end, now).Sub(max(s.start, warmup)))
}
