package model

import "slices"

// raftEpochStart is one element of the leader-epoch cache: the offset where an epoch's entries
// begin.
type raftEpochStart struct {
	epoch int32
	start Offset
}

// raftLog is a metadata log replica, on disk: it survives crashes. Appends are durable at once
// (flushes are instant in the model).
//
// Invariant: entries[i].Offset == i; entry epochs never decrease; index holds one element per run
// of equal epochs, in order (Kafka's LeaderEpochFileCache).
//
// Slices of entries handed out (fetch responses, listeners) stay valid: truncation copies the
// kept prefix to a new array, so an array once shared is never written again below its length.
type raftLog struct {
	entries []raftEntry
	index   []raftEpochStart
}

// end returns the log end offset (LEO).
func (l *raftLog) end() Offset { return Offset(len(l.entries)) }

// lastEpoch returns the epoch of the last entry, 0 for an empty log.
func (l *raftLog) lastEpoch() int32 {
	if len(l.entries) == 0 {
		return 0
	}
	return l.entries[len(l.entries)-1].Epoch
}

// add appends one entry of the given epoch.
func (l *raftLog) add(epoch int32, rec metaRecord) {
	if n := len(l.index); n == 0 || l.index[n-1].epoch != epoch {
		l.index = append(l.index, raftEpochStart{epoch: epoch, start: l.end()})
	}
	l.entries = append(l.entries, raftEntry{Offset: l.end(), Epoch: epoch, Rec: rec})
}

// slice returns entries [from, to) with no room to append into the log's array.
func (l *raftLog) slice(from, to Offset) []raftEntry { return l.entries[from:to:to] }

// read returns the entries from offset on, up to maxBytes (at least one entry if any).
func (l *raftLog) read(from Offset, maxBytes Bytes) []raftEntry {
	to, size := from, Bytes(0)
	for to < l.end() {
		size += l.entries[to].entryBytes()
		if size > maxBytes && to > from {
			break
		}
		to++
	}
	return l.slice(from, to)
}

// upToDateWith reports whether a log ending with (lastEpoch, end) is at least as up to date as
// this one: the Vote rule, comparing last epochs first, then end offsets.
func (l *raftLog) upToDateWith(lastEpoch int32, end Offset) bool {
	if mine := l.lastEpoch(); lastEpoch != mine {
		return lastEpoch > mine
	}
	return end >= l.end()
}

// endOffsetForEpoch returns the largest epoch <= epoch that has entries and the offset where
// it ends (where the next epoch starts, or the LEO); (0, 0) if there is none
// (ReplicatedLog.endOffsetForEpoch).
func (l *raftLog) endOffsetForEpoch(epoch int32) (int32, Offset) {
	i, _ := slices.BinarySearchFunc(l.index, epoch+1, func(e raftEpochStart, t int32) int {
		return int(e.epoch) - int(t)
	})
	if i == 0 {
		return 0, 0
	}
	if i < len(l.index) {
		return l.index[i-1].epoch, l.index[i].start
	}
	return l.index[i-1].epoch, l.end()
}

// validateFetch checks a fetcher's (fetchOffset, lastFetchedEpoch) against this (the leader's)
// log. When they diverge it returns the epoch and end offset the fetcher must truncate to
// (KafkaRaftClient.handleFetchRequest → validateOffsetAndEpoch).
func (l *raftLog) validateFetch(offset Offset, lastEpoch int32) (ok bool, divEpoch int32, divEnd Offset) {
	if offset == 0 && lastEpoch == 0 {
		return true, 0, 0
	}
	e, end := l.endOffsetForEpoch(lastEpoch)
	if e != lastEpoch || end < offset {
		return false, e, end
	}
	return true, 0, 0
}

// truncateToEndOffset truncates after a diverging fetch response (KafkaMetadataLog
// .truncateToEndOffset) and returns the new LEO.
func (l *raftLog) truncateToEndOffset(epoch int32, end Offset) Offset {
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

// truncateTo drops the entries from offset n on.
func (l *raftLog) truncateTo(n Offset) {
	if n >= l.end() {
		return
	}
	l.entries = slices.Clone(l.entries[:n])
	for len(l.index) > 0 && l.index[len(l.index)-1].start >= n {
		l.index = l.index[:len(l.index)-1]
	}
}

// applyFetch applies a successful fetch response from the leader: truncate on divergence, else
// append the entries if they continue this log. It returns the fetcher's new high watermark,
// min(leader HW, LEO), never below hw (KafkaRaftClient.updateFollowerHighWatermark), and false if
// the response was stale (its entries do not start at the LEO).
func (l *raftLog) applyFetch(m *raftFetchResp, hw Offset) (Offset, bool) {
	switch {
	case m.diverging:
		// The HW is taken only from a response that does not diverge: after this truncation the
		// log may still differ from the leader's below m.hw (KafkaRaftClient.handleFetchResponse
		// updates the follower HW only when it appends, KIP-595).
		l.truncateToEndOffset(m.divEpoch, m.divEnd)
		return hw, true
	case len(m.entries) > 0:
		if m.entries[0].Offset != l.end() {
			return hw, false
		}
		for i := range m.entries {
			l.add(m.entries[i].Epoch, m.entries[i].Rec)
		}
	}
	return max(hw, min(m.hw, l.end())), true
}
