package model

// partStates holds a metadata image's partition states by Partition.idx, in chunks that images
// share until one of them writes: every broker and controller keeps a full image (two per
// controller), and copying each whole on every clone cost about 700 bytes per partition at
// 100,000 partitions although almost every state is the same everywhere. A chunk belongs to
// the image that made it, and an image copies a chunk it does not own before its first write
// to it.
type partStates struct {
	n      int
	chunks []*[partChunk]partitionState
	owned  []bool // owned[c]: chunks[c] is this image's own, shared with nobody
}

// partChunk is how many partition states a chunk holds.
const partChunk = 256

// newPartStates returns n zero states, owned.
func newPartStates(n int) partStates {
	ps := partStates{n: n, chunks: make([]*[partChunk]partitionState, (n+partChunk-1)/partChunk)}
	ps.owned = make([]bool, len(ps.chunks))
	for c := range ps.chunks {
		ps.chunks[c] = new([partChunk]partitionState)
		ps.owned[c] = true
	}
	return ps
}

// len returns how many partition states ps holds.
func (ps *partStates) len() int { return ps.n }

// get returns partition i's state.
func (ps *partStates) get(i int) partitionState { return ps.chunks[i/partChunk][i%partChunk] }

// set changes partition i's state, copying its chunk first if ps shares it.
func (ps *partStates) set(i int, st partitionState) {
	c := i / partChunk
	if !ps.owned[c] {
		cp := *ps.chunks[c]
		ps.chunks[c] = &cp
		ps.owned[c] = true
	}
	ps.chunks[c][i%partChunk] = st
}

// share returns a copy of ps that shares its chunks: from now on neither owns them, and each
// copies a chunk before writing to it.
func (ps *partStates) share() partStates {
	clear(ps.owned)
	return partStates{n: ps.n, chunks: append([]*[partChunk]partitionState(nil), ps.chunks...), owned: make([]bool, len(ps.chunks))}
}
