package model

import (
	"fmt"
	"sort"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// Offset is a record offset within a partition, or within the metadata log (units.Offset).
type Offset = units.Offset

// batchRef describes one record batch of a replica's log.
type batchRef struct {
	end             Offset   // offset after the batch's last record
	cum             int64    // log bytes from the log start to the end of this batch
	firstAt, lastAt sim.Time // intended send times of the batch's first and last records
	epoch           int32    // leader epoch the batch was written in
	pid, seq        int32    // idempotent producer id (0: none) and first sequence
	raw             int32    // the batch's uncompressed size, header included
	codec           Codec    // the codec its records are stored in
	// level is the compression level its records were compressed at (0 for a codec without
	// levels): not in the RecordBatch, but how fast they decompress depends on it.
	level int32
}

// replicaLog is a replica's log as the model needs it: offsets, and the byte sizes of the batches
// that some reader may still fetch. Batches below the lowest position any reader of the partition
// still needs are trimmed, so memory is O(data in flight), never O(records written).

// Invariant: hw <= leo. Invariant: batches are contiguous and end at leo.
type replicaLog struct {
	leo     Offset
	hw      Offset
	batches []batchRef // retained batches, oldest first, from index head
	head    int
	start   Offset     // first offset of batches[head]
	base    int64      // cum bytes before batches[head]
	epochs  []epochRef // leader epoch cache: the start offset of every epoch in the log
}

type epochRef struct {
	epoch int32
	start Offset
}

// append adds a batch of records totalling bytes, written in the given leader epoch, whose records
// were handed to the producer between firstAt and lastAt.
func (l *replicaLog) append(records int64, bytes Bytes, epoch int32, firstAt, lastAt sim.Time) {
	l.appendCoded(records, bytes, bytes, CodecNone, 0, epoch, firstAt, lastAt)
}

// appendCoded is append for a batch stored in codec at level: bytes in the log, raw once
// decompressed.
func (l *replicaLog) appendCoded(records int64, bytes, raw Bytes, codec Codec, level int32, epoch int32, firstAt, lastAt sim.Time) {
	if n := len(l.epochs); n == 0 || l.epochs[n-1].epoch < epoch {
		l.epochs = append(l.epochs, epochRef{epoch: epoch, start: l.leo})
	}
	cum := l.base
	if len(l.batches) > l.head {
		cum = l.batches[len(l.batches)-1].cum
	}
	if l.head > 0 && len(l.batches) == cap(l.batches) {
		// Full, with read batches in front: move the live ones down rather than grow the array.
		n := copy(l.batches, l.batches[l.head:])
		l.batches, l.head = l.batches[:n], 0
	}
	l.leo += Offset(records)
	l.batches = append(l.batches, batchRef{end: l.leo, cum: cum + int64(bytes), epoch: epoch, firstAt: firstAt, lastAt: lastAt,
		raw: int32(raw), codec: codec, level: level})
}

// latestEpoch returns the epoch of the last batch, or -1 for an empty log.
func (l *replicaLog) latestEpoch() int32 {
	if len(l.epochs) == 0 {
		return -1
	}
	return l.epochs[len(l.epochs)-1].epoch
}

// noOffsetBound is an offset above any a log reaches: no bound.
const noOffsetBound = Offset(1<<62 - 1)

// offsetHold is a floor under the offsets of reads still to come (outstanding Fetches): n counts
// them, and from is the least offset held since none was (noOffsetBound while none is; a new
// hold starts it afresh). Until they have all ended it may lie below the least still held: it
// is a log's floor (Partition.retainFrom), and a lower floor only keeps more.
type offsetHold struct {
	from Offset
	n    int32
}

// noHold is an offsetHold that holds nothing.
var noHold = offsetHold{from: noOffsetBound}

// hold adds a read from offset o.
func (h *offsetHold) hold(o Offset) {
	if h.n == 0 || o < h.from {
		h.from = o
	}
	h.n++
}

// release ends one read.
func (h *offsetHold) release() {
	if h.n--; h.n == 0 {
		h.from = noOffsetBound
	}
}

// agreeBelow returns the offset below which logs with the epoch caches a and b hold the same
// leader epochs from the same offsets: where they diverge, or noOffsetBound if neither has an
// entry the other lacks. A replica whose log diverges from its leader's there truncates to at
// most that offset (the end of their last common epoch, KIP-101/KIP-320), below its high
// watermark after an unclean election: the leader led an epoch the replica never saw, or the
// replica led one the leader never saw.
func agreeBelow(a, b []epochRef) Offset {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return min(a[i].start, b[i].start)
		}
	}
	switch {
	case len(a) > n:
		return a[n].start
	case len(b) > n:
		return b[n].start
	}
	return noOffsetBound
}

// cumAt returns the log bytes before offset o, which must lie on a batch boundary at or after
// start; offsets inside a batch count the whole batch (Kafka reads whole batches).
func (l *replicaLog) cumAt(o Offset) int64 {
	l.mustHold(o)
	live := l.batches[l.head:]
	i := sort.Search(len(live), func(i int) bool { return live[i].end > o })
	if i == 0 {
		return l.base
	}
	return live[i-1].cum
}

// bytesFrom returns the bytes between offset from and the given end offset.
func (l *replicaLog) bytesFrom(from, end Offset) int64 {
	if from >= end {
		return 0
	}
	return l.cumAt(end) - l.cumAt(from)
}

// read returns the batches from offset from up to end, limited to maxBytes except that the first
// batch is always returned whole (KIP-74: the limits are soft).
func (l *replicaLog) read(from, end Offset, maxBytes int64) []batchRef {
	if from >= end {
		return nil
	}
	l.mustHold(from)
	live := l.batches[l.head:]
	i := sort.Search(len(live), func(i int) bool { return live[i].end > from })
	before := l.base
	if i > 0 {
		before = live[i-1].cum
	}
	j := i
	for j < len(live) && live[j].end <= end && (j == i || live[j].cum-before <= maxBytes) {
		j++
	}
	return live[i:j]
}

// appendBatches appends batches read from another replica's log (a follower fetch), keeping their
// sizes and epochs. prevEnd is the offset before the first batch.
func (l *replicaLog) appendBatches(bs []batchRef, prevCum int64) {
	for _, b := range bs {
		l.appendCoded(int64(b.end-l.leo), Bytes(b.cum-prevCum), Bytes(b.raw), b.codec, b.level, b.epoch, b.firstAt, b.lastAt)
		l.tagLast(b.pid, b.seq)
		prevCum = b.cum
	}
}

// tagLast records the idempotent producer id and sequence of the last batch.
func (l *replicaLog) tagLast(pid, seq int32) {
	last := &l.batches[len(l.batches)-1]
	last.pid, last.seq = pid, seq
}

// trim forgets the batches wholly below offset keep.
func (l *replicaLog) trim(keep Offset) {
	for l.head < len(l.batches) && l.batches[l.head].end <= keep {
		l.start = l.batches[l.head].end
		l.base = l.batches[l.head].cum
		l.head++
	}
	if l.head == len(l.batches) {
		l.batches, l.head = l.batches[:0], 0 // all read: start over in the same array
	}
	// Otherwise the read batches stay in front until the array is full (appendCoded).
}

// truncate removes every record at or above offset to (follower truncation to a new leader's log).
func (l *replicaLog) truncate(to Offset) {
	if to >= l.leo {
		return
	}
	for len(l.batches) > l.head && l.batches[len(l.batches)-1].end > to {
		l.batches = l.batches[:len(l.batches)-1]
	}
	switch {
	case len(l.batches) > l.head:
		l.leo = l.batches[len(l.batches)-1].end // a batch straddling to goes whole
	case to >= l.start:
		l.leo = l.start
	default: // below the trimmed prefix: the log goes on from to (byte positions are local)
		l.start, l.leo = to, to
	}
	for len(l.epochs) > 0 && l.epochs[len(l.epochs)-1].start >= l.leo {
		l.epochs = l.epochs[:len(l.epochs)-1]
	}
	l.hw = min(l.hw, l.leo)
}

// endOffsetFor returns the end offset of the largest epoch <= epoch in this log, and that epoch
// (Kafka's OffsetsForLeaderEpoch, used for truncation on leader change, KIP-101/KIP-279).
func (l *replicaLog) endOffsetFor(epoch int32) (int32, Offset) {
	for i := len(l.epochs) - 1; i >= 0; i-- {
		if l.epochs[i].epoch <= epoch {
			if i+1 < len(l.epochs) {
				return l.epochs[i].epoch, l.epochs[i+1].start
			}
			return l.epochs[i].epoch, l.leo
		}
	}
	return -1, 0
}

// mustHold panics if offset o lies below the batches the log still holds: a trim
// (Partition.retainFrom) forgot batches that a reader needed, and the read would silently
// answer with later ones. It is a bug in the model, never a state a run may reach.
func (l *replicaLog) mustHold(o Offset) {
	if o < l.start {
		panic(fmt.Sprintf("replica log: offset %d read below the first batch held (%d): a trim forgot batches still read", o, l.start))
	}
}
