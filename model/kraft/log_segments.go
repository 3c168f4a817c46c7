package kraft

import (
	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// raftSegment is one segment file of the metadata log: the offset of its first entry, its size
// and when its first entry was written. Only whole segments are deleted, so the bytes on disk
// (which count for metadata.max.retention.bytes) may include entries below the log start offset.
type raftSegment struct {
	base    units.Offset
	bytes   units.Bytes
	created sim.Time // when its first entry was written; for metadata.log.segment.ms
}

func (l *raftLog) config() *MetadataLogConfig {
	if l.cfg == nil {
		def := DefaultMetadataLogConfig()
		l.cfg = &def
	}
	return l.cfg
}

// appendSegment adds an entry of b bytes written at time at to the active segment, rolling a new
// one first when the entry would not fit in metadata.log.segment.bytes or the active segment is
// older than metadata.log.segment.ms (LogSegment.shouldRoll).
func (l *raftLog) appendSegment(at sim.Time, b units.Bytes) {
	cfg := l.config()
	n := len(l.segs)
	if n == 0 || l.segs[n-1].bytes > cfg.SegmentBytes-b ||
		(l.segs[n-1].bytes > 0 && at.Sub(l.segs[n-1].created) > cfg.SegmentAge) {
		l.segs = append(l.segs, raftSegment{base: l.leo - 1, created: at})
		n++
	}
	s := &l.segs[n-1]
	if s.bytes == 0 {
		s.created = at
	}
	s.bytes += b
}

// size is the log's size on disk (UnifiedLog.size): every segment kept.
func (l *raftLog) size() units.Bytes {
	var b units.Bytes
	for i := range l.segs {
		b += l.segs[i].bytes
	}
	return b
}

// truncateSegments removes the last `removed` bytes, the entries from offset n on: segments
// that start at or after n are deleted, the one holding n is cut.
func (l *raftLog) truncateSegments(n units.Offset, removed units.Bytes) {
	for len(l.segs) > 0 && removed > 0 {
		s := &l.segs[len(l.segs)-1]
		if s.base < n {
			s.bytes -= removed
			return
		}
		removed -= s.bytes
		l.segs = l.segs[:len(l.segs)-1]
	}
}

// advanceStart moves the log start offset up to off (UnifiedLog.maybeIncrementLogStartOffset)
// and deletes the segments that lie wholly below it (deleteOldSegments); the entries below it
// are no longer readable and leave memory. The epoch cache keeps the epoch that holds off,
// starting at off (LeaderEpochFileCache.truncateFromStart).
func (l *raftLog) advanceStart(off units.Offset) {
	if off <= l.start || off > l.leo {
		return
	}
	l.start = off
	i := l.runAt(off)
	if i < len(l.runs) && l.runs[i].start < off {
		l.runs[i].start = off
	}
	l.runs = append(l.runs[:0], l.runs[i:]...)
	k := 0
	for k+1 < len(l.index) && l.index[k+1].start <= off {
		k++
	}
	if k < len(l.index) {
		l.index = append(l.index[:0], l.index[k:]...)
		l.index[0].start = max(l.index[0].start, off)
	}
	d := 0
	for d+1 < len(l.segs) && l.segs[d+1].base <= off {
		d++
	}
	l.segs = append(l.segs[:0], l.segs[d:]...)
}

// truncateFullyAndStartAt empties the log and starts it again at off (UnifiedLog
// .truncateFullyAndStartAt), after a snapshot past its end was fetched.
func (l *raftLog) truncateFullyAndStartAt(off units.Offset) {
	clear(l.runs)
	l.runs, l.index, l.segs = l.runs[:0], l.index[:0], l.segs[:0]
	l.start, l.leo = off, off
}
