package model

import "iter"

// raftRun is a run of consecutive metadata log entries [start, end) of one epoch that carry the
// same record: a single entry, or consecutive repeatable records (NoOpRecords, written every
// metadata.max.idle.interval.ms), which are alike but for their offsets. Storing a run of those
// once is what keeps a log that Kafka's retention does not shorten (100 MiB, 7 days) from
// growing the simulator's memory: every entry is still there, at its offset, with its epoch,
// record and size.
type raftRun struct {
	start, end Offset
	epoch      int32
	rec        metaRecord // nil for the LeaderChange control record a new leader writes first
}

// repeatableRecord is a metadata record whose consecutive copies may share a run: it holds no
// data but its kind (a comparable value type).
type repeatableRecord interface {
	metaRecord
	repeatable()
}

// extends reports whether an entry (epoch, rec) appended after r may join it.
func (r *raftRun) extends(epoch int32, rec metaRecord) bool {
	if r.epoch != epoch {
		return false
	}
	_, a := r.rec.(repeatableRecord)
	_, b := rec.(repeatableRecord)
	return a && b && r.rec == rec
}

// entryBytes is the size of one of the run's entries inside a fetch response: its payload plus
// framing.
func (r *raftRun) entryBytes() Bytes {
	if r.rec == nil {
		return raftControlBytes + raftEntryOverhead
	}
	return r.rec.wireSize() + raftEntryOverhead
}

// raftEntries is a range [from, to) of log entries over the runs that hold them (the first and
// last runs may extend beyond the range). The zero value is empty.
type raftEntries struct {
	runs     []raftRun
	from, to Offset
}

// len returns the number of entries.
func (es raftEntries) len() int { return int(es.to - es.from) }

// all yields the entries in offset order.
func (es raftEntries) all() iter.Seq[raftEntry] {
	return func(yield func(raftEntry) bool) {
		for i := range es.runs {
			r := &es.runs[i]
			for o := max(r.start, es.from); o < min(r.end, es.to); o++ {
				if !yield(raftEntry{Offset: o, Epoch: r.epoch, Rec: r.rec}) {
					return
				}
			}
		}
	}
}

// bytes returns the entries' size inside a fetch response.
func (es raftEntries) bytes() Bytes {
	var b Bytes
	for i := range es.runs {
		r := &es.runs[i]
		if n := min(r.end, es.to) - max(r.start, es.from); n > 0 {
			b += Bytes(n) * r.entryBytes()
		}
	}
	return b
}

// slice returns the entries as a slice (tests and small ranges only).
func (es raftEntries) slice() []raftEntry {
	out := make([]raftEntry, 0, es.len())
	for e := range es.all() {
		out = append(out, e)
	}
	return out
}
