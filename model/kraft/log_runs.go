package kraft

import (
	"iter"

	"github.com/stretchsim/stretchsim/model/units"
)

// raftRun is a run of consecutive metadata log entries [start, end) of one epoch that carry the
// same record: a single entry, or consecutive repeatable records (NoOpRecords, written every
// metadata.max.idle.interval.ms), which are alike but for their offsets. Storing a run of those
// once is what keeps a log that Kafka's retention does not shorten (100 MiB, 7 days) from
// growing the simulator's memory: every entry is still there, at its offset, with its epoch,
// record and size.
type raftRun struct {
	start, end units.Offset
	epoch      int32
	rec        Record // nil for the LeaderChange control record a new leader writes first
}

// RepeatableRecord is a metadata record whose consecutive copies may share a run: it holds no
// data but its kind (a comparable value type), as the model's NoOpRecord.
type RepeatableRecord interface {
	Record
	Repeatable()
}

// extends reports whether an entry (epoch, rec) appended after r may join it.
func (r *raftRun) extends(epoch int32, rec Record) bool {
	if r.epoch != epoch {
		return false
	}
	_, a := r.rec.(RepeatableRecord)
	_, b := rec.(RepeatableRecord)
	return a && b && r.rec == rec
}

// entryBytes is the size of one of the run's entries inside a fetch response: its payload plus
// framing.
func (r *raftRun) entryBytes() units.Bytes {
	if r.rec == nil {
		return ControlRecordBytes + EntryOverhead
	}
	return r.rec.WireSize() + EntryOverhead
}

// Entries is a range [from, to) of log entries over the runs that hold them (the first and
// last runs may extend beyond the range). The zero value is empty.
type Entries struct {
	runs     []raftRun
	from, to units.Offset
}

// Len returns the number of entries.
func (es Entries) Len() int { return int(es.to - es.from) }

// End returns the offset after the last entry.
func (es Entries) End() units.Offset { return es.to }

// All yields the entries in offset order.
func (es Entries) All() iter.Seq[Entry] {
	return func(yield func(Entry) bool) {
		for i := range es.runs {
			r := &es.runs[i]
			for o := max(r.start, es.from); o < min(r.end, es.to); o++ {
				if !yield(Entry{Offset: o, Epoch: r.epoch, Rec: r.rec}) {
					return
				}
			}
		}
	}
}

// Bytes returns the entries' size inside a fetch response.
func (es Entries) Bytes() units.Bytes {
	var b units.Bytes
	for i := range es.runs {
		r := &es.runs[i]
		if n := min(r.end, es.to) - max(r.start, es.from); n > 0 {
			b += units.Bytes(n) * r.entryBytes()
		}
	}
	return b
}

// OnlyRepeatable reports whether every entry holds a control record or a RepeatableRecord:
// whether the entries carry no data but their kinds.
func (es Entries) OnlyRepeatable() bool {
	for _, r := range es.runs {
		if _, same := r.rec.(RepeatableRecord); r.rec != nil && !same {
			return false
		}
	}
	return true
}

// slice returns the entries as a slice (tests and small ranges only).
func (es Entries) slice() []Entry {
	out := make([]Entry, 0, es.Len())
	for e := range es.All() {
		out = append(out, e)
	}
	return out
}
