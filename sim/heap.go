package sim

import "math/bits"

// Queue keys pack the scheduling sequence number and the slot index into one word, so that an
// entry is 16 bytes and the four children of a node share a cache line. Ordering by (at, key) is
// ordering by (at, seq), since seq occupies the high bits.
const (
	slotBits = 24
	slotMask = 1<<slotBits - 1
	// maxSlots bounds the number of events queued at once (16,777,216).
	maxSlots = 1 << slotBits
	// maxSeq bounds the number of events one run may schedule (about 1.1e12).
	maxSeq = 1<<(64-slotBits) - 1
)

// entry is a queue key. The event itself lives in Sim.slots[slot()], so that sifting moves
// 16 bytes instead of a whole Event.
type entry struct {
	at  Time
	key uint64 // seq<<slotBits | slot: ties on at run in increasing seq
}

func (e entry) slot() int32 { return int32(e.key & slotMask) }

// before reports whether a sorts before b, as a branch-free 128-bit comparison of (at, key): the
// heap's comparisons are data-dependent coin flips, so branches on them mispredict about half the
// time. Time is never negative, so at compares correctly as unsigned.
func (a *entry) before(b *entry) bool { return lessBit(a, b) != 0 }

// lessBit is before as 0 or 1.
func lessBit(a, b *entry) int {
	_, borrow := bits.Sub64(a.key, b.key, 0)
	_, borrow = bits.Sub64(uint64(a.at), uint64(b.at), borrow)
	return int(borrow)
}

// queue is a 4-ary min-heap of entries ordered by (at, seq). A 4-ary heap halves the depth of a
// binary one, which pays off once the queue no longer fits in the first-level cache.
type queue []entry

func (q *queue) push(e entry) {
	h := append(*q, e)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !e.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
	*q = h
}

// pop removes and returns the earliest entry. The queue must not be empty. It walks the hole at
// the root down to a leaf along the smallest children, then sifts the former last entry up from
// there (Floyd's bottom-up variant): the last entry usually belongs near the bottom, so this saves
// a comparison per level.
func (q *queue) pop() entry {
	h := *q
	top := h[0]
	n := len(h) - 1
	last := h[n]
	h = h[:n]
	*q = h
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := minChild(h, c, n)
		h[i] = h[m]
		i = m
	}
	for i > 0 {
		p := (i - 1) / 4
		if !last.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = last
	return top
}

// minChild returns the index of the smallest of the children h[c], h[c+1], ... below index n.
// With four children it plays a branch-free tournament: two independent comparisons, then one.
func minChild(h []entry, c, n int) int {
	if c+3 < n {
		a := c + lessBit(&h[c+1], &h[c])
		b := c + 2 + lessBit(&h[c+3], &h[c+2])
		return a + (b-a)*lessBit(&h[b], &h[a])
	}
	m := c
	for j := c + 1; j < n; j++ {
		if h[j].before(&h[m]) {
			m = j
		}
	}
	return m
}
