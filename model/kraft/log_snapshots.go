package kraft

import (
	"slices"

	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// raftSnapshotID is a snapshot's OffsetAndEpoch: the offset after its last entry and that
// entry's epoch.
type raftSnapshotID struct {
	end   units.Offset
	epoch int32
}

func (a raftSnapshotID) less(b raftSnapshotID) bool {
	return a.end < b.end || (a.end == b.end && a.epoch < b.epoch)
}

// SnapshotImage is the metadata a snapshot holds, the model's, opaque to the quorum layer: the
// listener that wrote it loads it again. An image never changes once written.
type SnapshotImage interface {
	SnapshotBytes() units.Bytes // the snapshot file's size
}

// raftSnapshot is one snapshot file of a node's metadata log.
type raftSnapshot struct {
	id    raftSnapshotID
	bytes units.Bytes
	// at is the append time of its last entry (lastContainedLogTimestamp), for
	// metadata.max.retention.ms. The model takes the time the node applied that entry, later by
	// the commit latency (milliseconds).
	at    sim.Time
	image SnapshotImage
}

func (l *raftLog) latestSnapshot() (raftSnapshot, bool) {
	if n := len(l.snaps); n > 0 {
		return l.snaps[n-1], true
	}
	return raftSnapshot{}, false
}

func (l *raftLog) earliestSnapshot() (raftSnapshot, bool) {
	if len(l.snaps) > 0 {
		return l.snaps[0], true
	}
	return raftSnapshot{}, false
}

// findSnapshot returns the snapshot with the given id (KafkaMetadataLog.readSnapshot).
func (l *raftLog) findSnapshot(id raftSnapshotID) (raftSnapshot, bool) {
	for _, sn := range l.snaps {
		if sn.id == id {
			return sn, true
		}
	}
	return raftSnapshot{}, false
}

// addSnapshot stores a snapshot in id order and reports whether it was new
// (createNewSnapshotUnchecked refuses an id it has).
func (l *raftLog) addSnapshot(sn raftSnapshot) bool {
	if _, ok := l.findSnapshot(sn.id); ok {
		return false
	}
	i := len(l.snaps)
	for i > 0 && sn.id.less(l.snaps[i-1].id) {
		i--
	}
	l.snaps = slices.Insert(l.snaps, i, sn)
	return true
}

// createSnapshot stores the snapshot a node's listener wrote of its state up to end
// (KafkaMetadataLog.createNewSnapshot: not below the log start offset, of an entry the log
// holds). The caller makes sure end is committed. It reports whether a snapshot was written.
func (l *raftLog) createSnapshot(end units.Offset, bytes units.Bytes, at sim.Time, image SnapshotImage) (raftSnapshotID, bool) {
	if end <= l.start || end > l.leo {
		return raftSnapshotID{}, false
	}
	id := raftSnapshotID{end: end, epoch: l.entry(end - 1).Epoch}
	return id, l.addSnapshot(raftSnapshot{id: id, bytes: bytes, at: at, image: image})
}

// installSnapshot stores a snapshot fetched from the leader and, when it lies past the log
// (a later epoch, or the same epoch and past the end), empties the log to start at it and
// forgets the older snapshots (KafkaMetadataLog.truncateToLatestSnapshot).
func (l *raftLog) installSnapshot(sn raftSnapshot) {
	l.addSnapshot(sn)
	latest, _ := l.latestSnapshot()
	if e := l.lastEpoch(); latest.id.epoch > e || (latest.id.epoch == e && latest.id.end > l.leo) {
		l.truncateFullyAndStartAt(latest.id.end)
		l.forgetSnapshotsBefore(latest.id)
	}
}

// forgetSnapshotsBefore deletes the snapshots older than id.
func (l *raftLog) forgetSnapshotsBefore(id raftSnapshotID) {
	i := 0
	for i < len(l.snaps) && l.snaps[i].id.less(id) {
		i++
	}
	clear(l.snaps[:i])
	l.snaps = append(l.snaps[:0], l.snaps[i:]...)
}

// deleteBeforeSnapshot moves the log start offset to the snapshot id and forgets the older
// snapshots, if id is a snapshot past the log start offset and not past the latest one
// (KafkaMetadataLog.deleteBeforeSnapshot).
func (l *raftLog) deleteBeforeSnapshot(id raftSnapshotID) bool {
	latest, ok := l.latestSnapshot()
	if _, has := l.findSnapshot(id); !ok || !has || l.start >= id.end || id.end > latest.id.end {
		return false
	}
	l.advanceStart(id.end)
	l.forgetSnapshotsBefore(id)
	return true
}

// maybeClean applies the retention rules (KafkaMetadataLog.maybeClean), which Kafka's
// KafkaRaftClient runs every 60 s: while the log and the snapshots together exceed
// metadata.max.retention.bytes, and then while the oldest snapshot's last entry is older than
// metadata.max.retention.ms, the oldest snapshot is deleted by moving the log start offset to
// the next one. The latest snapshot always stays. It reports whether anything was deleted.
func (l *raftLog) maybeClean(now sim.Time) bool {
	cfg := l.config()
	cleaned := false
	if cfg.RetentionBytes >= 0 {
		total := units.Bytes(0)
		for _, sn := range l.snaps {
			total += sn.bytes
		}
		cleaned = l.cleanSnapshots(func(sn raftSnapshot) bool {
			if l.size()+total > cfg.RetentionBytes {
				total -= sn.bytes
				return true
			}
			return false
		})
	}
	if cfg.RetentionAge >= 0 {
		cleaned = l.cleanSnapshots(func(sn raftSnapshot) bool { return now.Sub(sn.at) > cfg.RetentionAge }) || cleaned
	}
	return cleaned
}

// cleanSnapshots walks the snapshots oldest first while expired says so, deleting each through
// deleteBeforeSnapshot of the next one (KafkaMetadataLog.cleanSnapshots).
func (l *raftLog) cleanSnapshots(expired func(raftSnapshot) bool) bool {
	cleaned := false
	for len(l.snaps) >= 2 {
		if !expired(l.snaps[0]) || !l.deleteBeforeSnapshot(l.snaps[1].id) {
			break
		}
		cleaned = true
	}
	return cleaned
}
