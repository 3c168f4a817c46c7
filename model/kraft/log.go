package kraft

import (
	"slices"
	"sort"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// raftEpochStart is one element of the leader-epoch cache: the offset where an epoch's entries
// begin.
type raftEpochStart struct {
	epoch int32
	start units.Offset
}

// raftLog is a metadata log replica, on disk: it survives crashes. Appends are durable at once
// (flushes are instant in the model). It holds the entries from the log start offset to the log
// end offset as runs (log_runs.go), the segments they were written to and the snapshots of
// the node (log_snapshots.go); entries below the log start offset are gone
// (KafkaMetadataLog: a fetch below it is answered with a snapshot).
//
// Invariant: runs cover [start, leo) without gaps, in order; entry epochs never decrease; index
// holds one element per run of equal epochs at or above start, in order (Kafka's
// LeaderEpochFileCache, truncated from the start with the log).
//
// Runs handed out in a fetch response are copies; the runs a listener is shown (view) are read
// before anything else changes the log.
type raftLog struct {
	runs  []raftRun
	start units.Offset // log start offset
	leo   units.Offset // log end offset
	index []raftEpochStart
	segs  []raftSegment
	snaps []raftSnapshot // by id; the latest last
	cfg   *MetadataLogConfig
}

// end returns the log end offset (LEO).
func (l *raftLog) end() units.Offset { return l.leo }

// lastEpoch returns the latest epoch of the epoch cache (the last entry's); with no epoch cached, the epoch of the snapshot
// it starts at, else 0 (KafkaMetadataLog.lastFetchedEpoch).
func (l *raftLog) lastEpoch() int32 {
	if n := len(l.index); n > 0 {
		return l.index[n-1].epoch
	}
	if sn, ok := l.latestSnapshot(); ok && sn.id.end == l.start && sn.id.end == l.leo {
		return sn.id.epoch
	}
	return 0
}

// add appends one entry of the given epoch, written at time at.
func (l *raftLog) add(at sim.Time, epoch int32, rec Record) {
	if n := len(l.index); n == 0 || l.index[n-1].epoch != epoch {
		l.index = append(l.index, raftEpochStart{epoch: epoch, start: l.leo})
	}
	if n := len(l.runs); n > 0 && l.runs[n-1].extends(epoch, rec) {
		l.runs[n-1].end++
	} else {
		l.runs = append(l.runs, raftRun{start: l.leo, end: l.leo + 1, epoch: epoch, rec: rec})
	}
	l.leo++
	l.appendSegment(at, l.runs[len(l.runs)-1].entryBytes())
}

// runAt returns the index of the run holding offset off (start <= off < leo).
func (l *raftLog) runAt(off units.Offset) int {
	return sort.Search(len(l.runs), func(i int) bool { return l.runs[i].end > off })
}

// entry returns the entry at off (start <= off < leo).
func (l *raftLog) entry(off units.Offset) Entry {
	r := &l.runs[l.runAt(off)]
	return Entry{Offset: off, Epoch: r.epoch, Rec: r.rec}
}

// view returns entries [from, to) (start <= from <= to <= leo), sharing the log's runs: read
// them at once.
func (l *raftLog) view(from, to units.Offset) Entries {
	if from >= to {
		return Entries{}
	}
	i, j := l.runAt(from), l.runAt(to-1)
	return Entries{runs: l.runs[i : j+1 : j+1], from: from, to: to}
}

// read returns a copy of the entries from offset on, up to maxBytes (at least one entry if any).
func (l *raftLog) read(from units.Offset, maxBytes units.Bytes) Entries {
	if from >= l.leo {
		return Entries{}
	}
	to, size := from, units.Bytes(0)
	for i := l.runAt(from); i < len(l.runs); i++ {
		r := &l.runs[i]
		b := r.entryBytes()
		k := min(r.end-to, units.Offset((maxBytes-size)/b))
		if to == from {
			k = max(k, 1)
		}
		to += max(k, 0)
		size += units.Bytes(max(k, 0)) * b
		if to < r.end {
			break
		}
	}
	v := l.view(from, to)
	v.runs = slices.Clone(v.runs)
	return v
}

// bytesBetween returns the size of entries [from, to) (start <= from <= to <= leo).
func (l *raftLog) bytesBetween(from, to units.Offset) units.Bytes {
	return l.view(from, to).Bytes()
}

// upToDateWith reports whether a log ending with (lastEpoch, end) is at least as up to date as
// this one: the Vote rule, comparing last epochs first, then end offsets.
func (l *raftLog) upToDateWith(lastEpoch int32, end units.Offset) bool {
	if mine := l.lastEpoch(); lastEpoch != mine {
		return lastEpoch > mine
	}
	return end >= l.end()
}

// endOffsetForEpoch returns the largest epoch <= epoch that has entries and the offset where
// it ends (where the next epoch starts, or the LEO); (0, 0) if there is none
// (ReplicatedLog.endOffsetForEpoch). Below the first epoch of a log that starts at a snapshot,
// and for a log emptied down to a snapshot, it is the snapshot's id
// (KafkaMetadataLog.endOffsetForEpoch).
func (l *raftLog) endOffsetForEpoch(epoch int32) (int32, units.Offset) {
	i, _ := slices.BinarySearchFunc(l.index, epoch+1, func(e raftEpochStart, t int32) int {
		return int(e.epoch) - int(t)
	})
	if i == 0 {
		if sn, ok := l.earliestSnapshot(); ok && l.start > 0 && sn.id.end == l.start {
			if len(l.index) == 0 {
				sn, _ = l.latestSnapshot()
			}
			return sn.id.epoch, sn.id.end
		}
		return 0, 0
	}
	if i < len(l.index) {
		return l.index[i-1].epoch, l.index[i].start
	}
	return l.index[i-1].epoch, l.end()
}

// raftFetchCheck is the outcome of validating a fetcher's position against the leader's log.
type raftFetchCheck uint8

const (
	fetchValid     raftFetchCheck = iota
	fetchDiverging                // truncate to (epoch, end) first
	fetchSnapshot                 // fetch the snapshot (end, epoch) first
)

// validateFetch checks a fetcher's (fetchOffset, lastFetchedEpoch) against this (the leader's)
// log (KafkaRaftClient.tryCompleteFetchRequest, ReplicatedLog.validateOffsetAndEpoch). A fetcher
// with an empty log, or below the log start offset, or at it with another epoch than the oldest
// snapshot's, or with an epoch older than that snapshot's, is sent the latest snapshot's id. When
// the logs diverge it returns the epoch and end offset the fetcher must truncate to.
func (l *raftLog) validateFetch(offset units.Offset, lastEpoch int32) (kind raftFetchCheck, epoch int32, end units.Offset) {
	latest, hasSnap := l.latestSnapshot()
	if offset == 0 && hasSnap {
		return fetchSnapshot, latest.id.epoch, latest.id.end
	}
	if l.start == 0 && offset == 0 {
		return fetchValid, 0, 0
	}
	if first, ok := l.earliestSnapshot(); ok && (offset < l.start ||
		(offset == l.start && lastEpoch != first.id.epoch) || lastEpoch < first.id.epoch) {
		return fetchSnapshot, latest.id.epoch, latest.id.end
	}
	e, endOff := l.endOffsetForEpoch(lastEpoch)
	if e != lastEpoch || endOff < offset {
		return fetchDiverging, e, endOff
	}
	return fetchValid, 0, 0
}

// truncateToEndOffset truncates after a diverging fetch response (KafkaMetadataLog
// .truncateToEndOffset) and returns the new LEO.
func (l *raftLog) truncateToEndOffset(epoch int32, end units.Offset) units.Offset {
	to := min(end, l.end())
	if epoch != 0 {
		e, localEnd := l.endOffsetForEpoch(epoch)
		to = localEnd
		if e == epoch {
			to = min(localEnd, end)
		}
	}
	l.truncateTo(to)
	return l.end()
}

// truncateTo drops the entries from offset n on (never below the log start offset).
func (l *raftLog) truncateTo(n units.Offset) {
	n = max(n, l.start)
	if n >= l.leo {
		return
	}
	l.truncateSegments(n, l.bytesBetween(n, l.leo))
	i := l.runAt(n)
	if l.runs[i].start < n {
		l.runs[i].end = n
		i++
	}
	clear(l.runs[i:])
	l.runs = l.runs[:i]
	l.leo = n
	for len(l.index) > 0 && l.index[len(l.index)-1].start >= n {
		l.index = l.index[:len(l.index)-1]
	}
}

// applyFetch applies a successful fetch response from the leader: truncate on divergence, else
// append the entries if they continue this log. It returns the fetcher's new high watermark,
// min(leader HW, LEO), never below hw (KafkaRaftClient.updateFollowerHighWatermark), and false if
// the response was stale (its entries do not start at the LEO).
func (l *raftLog) applyFetch(at sim.Time, m *raftFetchResp, hw units.Offset) (units.Offset, bool) {
	switch {
	case m.diverging:
		// The HW is taken only from a response that does not diverge: after this truncation the
		// log may still differ from the leader's below m.hw (KafkaRaftClient.handleFetchResponse
		// updates the follower HW only when it appends, KIP-595).
		l.truncateToEndOffset(m.divEpoch, m.divEnd)
		return hw, true
	case m.entries.Len() > 0:
		if m.entries.from != l.end() {
			return hw, false
		}
		for e := range m.entries.All() {
			l.add(at, e.Epoch, e.Rec)
		}
	}
	return max(hw, min(m.hw, l.end())), true
}
