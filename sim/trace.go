package sim

import (
	"encoding/binary"
	"hash"
	"hash/fnv"
)

// Digest folds every event it observes (time, kind and integer payload, in run order) into a
// 64-bit FNV-1a hash. Two runs with equal digests executed the same events at the same times;
// it is how determinism is tested. Install it with s.SetTrace(d.Observe).
type Digest struct {
	h   hash.Hash64
	buf [32]byte
	n   uint64
}

// NewDigest returns an empty digest.
func NewDigest() *Digest { return &Digest{h: fnv.New64a()} }

// Observe adds ev to the digest.
func (d *Digest) Observe(ev *Event) {
	binary.LittleEndian.PutUint64(d.buf[0:], uint64(ev.At))
	binary.LittleEndian.PutUint64(d.buf[8:], uint64(ev.Kind))
	binary.LittleEndian.PutUint64(d.buf[16:], uint64(ev.A))
	binary.LittleEndian.PutUint64(d.buf[24:], uint64(ev.B))
	d.h.Write(d.buf[:])
	d.n++
}

// Sum64 returns the digest of everything observed so far.
func (d *Digest) Sum64() uint64 { return d.h.Sum64() }

// Count returns how many events were observed.
func (d *Digest) Count() uint64 { return d.n }
