package model

import "github.com/stretchsim/stretchsim/model/units"

// Bytes is a size in bytes (units.Bytes).
type Bytes = units.Bytes

// Binary size units.
const (
	KiB = units.KiB
	MiB = units.MiB
	GiB = units.GiB
)

// ByteRate is a throughput in bytes per second (units.ByteRate).
type ByteRate = units.ByteRate

// BitRate is a link or NIC bandwidth in bits per second (units.BitRate).
type BitRate = units.BitRate

// fnvWords is FNV-1a over 64-bit words, for content hashes.
func fnvWords(words ...uint64) uint64 {
	h := uint64(14695981039346656037)
	for _, w := range words {
		for range 8 {
			h ^= w & 0xff
			h *= 1099511628211
			w >>= 8
		}
	}
	return h
}

func boolWord(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
