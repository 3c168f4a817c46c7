package model

import "slices"

// Producer epoch bumps (KIP-360, TransactionManager for an idempotent producer): a batch that
// had a sequence number and failed for good leaves a gap in its partition's sequence, and every
// later batch would be refused with OUT_OF_ORDER_SEQUENCE_NUMBER. Kafka's producer therefore
// bumps its epoch for that partition (requestEpochBumpForPartition); at the sender's next run
// (bumpIdempotentEpochAndResetIdIfNeeded) the partition's outstanding batches, queued for a
// retry or in flight, are numbered again from 0 under the new epoch
// (startSequencesAtBeginning), and a broker accepts a new epoch from sequence 0.
//
// The model keys a producer's state on a broker by producer id and epoch together (pidKey): a
// new epoch is a new key, which the broker has no state for and so takes from any sequence; the
// producer starts it at 0, as Kafka's broker requires.

// pidKey returns the producer id and epoch that batches of partition i carry now.
func (p *Producer) pidKey(i int) int32 { return p.pid | p.epochs[i]<<16 }

// requestEpochBump marks b's partition for an epoch bump if b, failed for good, had a sequence.
func (p *Producer) requestEpochBump(b *producerBatch) {
	if b.pid == 0 || p.bumpWanted[b.pidx] {
		return
	}
	p.bumpWanted[b.pidx] = true
	p.bumps = append(p.bumps, b.pidx)
}

// applyEpochBumps bumps the epoch of each marked partition and numbers its outstanding batches
// again from 0, in their sequence order.
func (p *Producer) applyEpochBumps() {
	for _, i := range p.bumps {
		p.bumpWanted[i] = false
		p.epochs[i]++
		out := p.bumpBuf[:0]
		// A batch gets its sequence at its first drain, when its attempts start, and a retry goes
		// back in front of the batches never sent (reenqueue): the sequenced ones are the deque's
		// prefix of retries, as Kafka's inflightBatchesBySequence, and the batches behind them,
		// however many a long outage queued, need no look.
		for _, b := range p.deques[i].All() {
			if b.attempts == 0 {
				break
			}
			if b.pid != 0 {
				out = append(out, b)
			}
		}
		for bi := range p.nodes {
			for _, req := range p.nodes[bi].inflight {
				for _, b := range req.batches {
					if b.pidx == i {
						out = append(out, b)
					}
				}
			}
		}
		slices.SortFunc(out, func(a, b *producerBatch) int { return int(a.seq) - int(b.seq) })
		key, seq := p.pidKey(i), int32(0)
		for _, b := range out {
			b.pid, b.seq, b.seqReset = key, seq, true
			seq += int32(b.records)
		}
		p.nextSeq[i], p.ackedSeq[i] = seq, 0
		clear(out)
		p.bumpBuf = out[:0]
	}
	p.bumps = p.bumps[:0]
}
