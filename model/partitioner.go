package model

import (
	"encoding/binary"

	"github.com/stretchsim/stretchsim/sim"
)

// murmur2 is Kafka's Utils.murmur2 (the default partitioner's hash of the key bytes).
func murmur2(data []byte) int32 {
	const (
		seed uint32 = 0x9747b28c
		m    uint32 = 0x5bd1e995
		r           = 24
	)
	length := len(data)
	h := seed ^ uint32(length)
	for i := 0; i+4 <= length; i += 4 {
		k := binary.LittleEndian.Uint32(data[i:])
		k *= m
		k ^= k >> r
		k *= m
		h *= m
		h ^= k
	}
	tail := data[length&^3:]
	switch len(tail) {
	case 3:
		h ^= uint32(tail[2]) << 16
		fallthrough
	case 2:
		h ^= uint32(tail[1]) << 8
		fallthrough
	case 1:
		h ^= uint32(tail[0])
		h *= m
	}
	h ^= h >> 13
	h *= m
	h ^= h >> 15
	return int32(h)
}

// keyPartition is the default partitioner for a keyed record: toPositive(murmur2(key)) % n. The
// key id is serialized as 8 big-endian bytes (a LongSerializer key).
func keyPartition(key uint64, n int) int {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], key)
	return int(murmur2(b[:])&0x7fffffff) % n
}

// nextStickyPartition is BuiltInPartitioner.nextPartition with adaptive partitioning (KIP-794):
// among the partitions with a known leader, uniformly if every queue has the same length, else
// with probability proportional to (longest queue + 1 - its queue length); uniformly over all
// partitions if none has a known leader. Most partitions have empty queues, so it first tries a
// few rejection draws (pick uniformly, accept with probability weight / (longest queue + 1)) and
// falls back to Kafka's cumulative-frequency table; both give Kafka's distribution exactly, though
// the random numbers consumed differ from its.
func (p *Producer) nextStickyPartition() int {
	return p.pickSticky(p.rnd, p.longestQueue(), func(i int) int { return p.deques[i].Len() })
}

// longestQueue returns the most batches queued for a partition with a known leader (the load
// stats cover those partitions).
func (p *Producer) longestQueue() int {
	maxQ := 0
	for _, i := range p.nonEmpty {
		if p.meta.leaders[i] >= 0 {
			maxQ = max(maxQ, p.deques[i].Len())
		}
	}
	return maxQ
}

// pickSticky is nextStickyPartition drawing from rnd, with maxQ the longest queue and qlen(i) the
// batches queued for partition i (the look-ahead's tentative ones included, armTrigger).
func (p *Producer) pickSticky(rnd *sim.Stream, maxQ int, qlen func(int) int) int {
	for range 8 {
		i := rnd.IntN(len(p.deques))
		if p.meta.leaders[i] >= 0 && rnd.IntN(maxQ+1) < maxQ+1-qlen(i) {
			return i
		}
	}
	total := 0
	for i := range p.deques {
		if p.meta.leaders[i] >= 0 {
			total += maxQ + 1 - qlen(i)
		}
	}
	if total == 0 {
		return rnd.IntN(len(p.deques)) // no partition has a known leader
	}
	x := rnd.IntN(total)
	for i := range p.deques {
		if p.meta.leaders[i] < 0 {
			continue
		}
		if w := maxQ + 1 - qlen(i); x < w {
			return i
		} else {
			x -= w
		}
	}
	panic("unreachable: x < total")
}
