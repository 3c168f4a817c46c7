package model

import "math"

// Idempotent producer (enable.idempotence, reference §5.1–§5.2): every batch carries the
// producer's id and the sequence number of its first record, and each replica keeps, per
// producer, the last five batches it appended (ProducerStateManager). A leader that receives a
// batch it already has answers with the original offsets instead of appending it again, so
// retries after a lost response or a timeout never duplicate records. Followers build the same
// state from the batches they replicate, so a new leader deduplicates too.

// maxProducerBatches is how many batches per producer the broker remembers
// (ProducerStateEntry.NUM_BATCHES_TO_RETAIN).
const maxProducerBatches = 5

// ordering: with requests processed one at a time per connection (reference §2.8a), a producer's
// batches reach a partition in sequence order. A batch that does not is refused with
// OUT_OF_ORDER_SEQUENCE_NUMBER and nothing is appended, so an ordering fault shows as that error
// rather than as silently reordered records.

// pidBatch is a batch a producer wrote: its first sequence and its offsets.
type pidBatch struct {
	base, end Offset
	seq       int32
	epoch     int32 // the leader epoch it was appended in
}

// pidState is the last batches of one producer (id and epoch: pidKey) on one replica, oldest
// first.
type pidState struct {
	pid     int32
	n       int32
	batches [maxProducerBatches]pidBatch
}

// pidStates is a replica's ProducerStateManager: one entry per producer id it has seen, in the
// order first seen. A replica sees a handful of producers, so a slice searched from the front
// beats a map.
type pidStates []pidState

// find returns the state of producer pid, or nil.
func (ps pidStates) find(pid int32) *pidState {
	for i := range ps {
		if ps[i].pid == pid {
			return &ps[i]
		}
	}
	return nil
}

// remember records a batch of producer pid appended at [base, end).
func (r *Replica) remember(pid, seq int32, base, end Offset, epoch int32) {
	if pid == 0 {
		return
	}
	st := r.pids.find(pid)
	if st == nil {
		r.pids = append(r.pids, pidState{pid: pid})
		st = &r.pids[len(r.pids)-1]
	}
	st.remember(pidBatch{seq: seq, base: base, end: end, epoch: epoch})
}

func (st *pidState) remember(b pidBatch) {
	if st.n == maxProducerBatches {
		copy(st.batches[:], st.batches[1:])
		st.n--
	}
	st.batches[st.n] = b
	st.n++
}

// outOfOrder reports whether a batch of producer pid whose first sequence is seq would leave a
// gap after the last batch the replica has of that producer (ProducerAppendInfo.checkSequence:
// the first sequence must be the last one plus one, wrapping after MaxInt32). A producer the
// replica knows nothing of may start anywhere (its state may have been truncated away).
func (r *Replica) outOfOrder(pid, seq int32) bool { return r.pids.find(pid).outOfOrder(seq) }

func (st *pidState) outOfOrder(seq int32) bool {
	if st == nil || st.n == 0 {
		return false
	}
	b := st.batches[st.n-1]
	last := int64(b.seq) + int64(b.end-b.base) - 1
	return int64(seq) != last+1 && !(seq == 0 && last == math.MaxInt32)
}

// duplicate returns the batch of producer pid with first sequence seq, if the replica has it.
func (r *Replica) duplicate(pid, seq int32) (pidBatch, bool) { return r.pids.find(pid).duplicate(seq) }

func (st *pidState) duplicate(seq int32) (pidBatch, bool) {
	if st != nil {
		for _, b := range st.batches[:st.n] {
			if b.seq == seq {
				return b, true
			}
		}
	}
	return pidBatch{}, false
}

// forgetAbove drops remembered batches at or above offset to (the log was truncated).
func (r *Replica) forgetAbove(to Offset) {
	for i := range r.pids {
		st := &r.pids[i]
		k := int32(0)
		for _, b := range st.batches[:st.n] {
			if b.end <= to {
				st.batches[k] = b
				k++
			}
		}
		st.n = k
	}
}
