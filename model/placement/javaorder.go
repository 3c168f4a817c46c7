package placement

import (
	"slices"
	"unicode/utf16"
)

// This file reproduces the two Java orders the striped placer depends on: the iteration order of a
// java.util.HashMap keyed by rack name, and String.compareTo. Kafka consumes random draws while it
// iterates its rack HashMap, so a port that iterated in any other order would draw the same numbers
// for different racks and place replicas differently (reference §1.2).

// JavaStringHashCode is String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over the UTF-16 code units,
// in 32-bit wrapping arithmetic. Invalid UTF-8 decodes to U+FFFD, as Java's decoder does. Besides
// the rack HashMap order here, Kafka hashes topic names with it (AbstractFetcherManager.getFetcherId).
func JavaStringHashCode(s string) int32 {
	var h int32
	for _, u := range utf16.Encode([]rune(s)) {
		h = 31*h + int32(u)
	}
	return h
}

// javaRackHash is HashMap.hash(Optional<String>) for a rack name: Optional.hashCode is the value's
// hashCode, 0 for Optional.empty (rack ""), then HashMap spreads it as h ^ (h >>> 16).
func javaRackHash(rack string) uint32 {
	h := uint32(JavaStringHashCode(rack))
	return h ^ h>>16
}

// java.util.HashMap constants: DEFAULT_INITIAL_CAPACITY, TREEIFY_THRESHOLD, MIN_TREEIFY_CAPACITY.
const (
	javaMapInitialCap     = 16
	javaMapTreeifyAt      = 8
	javaMapMinTreeifyCap  = 64
	javaMapLoadFactorNum  = 3
	javaMapLoadFactorDen  = 4
	javaMapMaxCapExponent = 30
)

// javaHashMapOrder returns the indices of keys in the order a new HashMap() iterates them after
// keys[0], keys[1], ... were put in that order. keys must be distinct.
//
// Iteration walks the table's buckets in index order and each bucket's chain in insertion order;
// a resize splits every chain keeping its relative order, so the result is the insertion order
// stably sorted by bucket at the final capacity. That capacity starts at 16 and doubles when the
// size exceeds 0.75 of it, or when a chain would reach 9 entries while the table is below 64
// (HashMap.putVal and treeifyBin). Deviation: a chain of 9 or more entries in a table of 64 or
// more becomes a red-black tree whose iteration order this function does not model; that needs
// at least 9 racks whose hashes collide, and it keeps insertion order there.
func javaHashMapOrder(keys []string) []int {
	hashes := make([]uint32, len(keys))
	for i, k := range keys {
		hashes[i] = javaRackHash(k)
	}
	capacity := javaMapFinalCapacity(hashes)
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	mask := uint32(capacity - 1)
	slices.SortStableFunc(order, func(a, b int) int {
		return int(hashes[a]&mask) - int(hashes[b]&mask)
	})
	return order
}

// javaMapFinalCapacity replays the puts of distinct keys with the given spread hashes and returns
// the table capacity HashMap ends with.
func javaMapFinalCapacity(hashes []uint32) int {
	capacity := javaMapInitialCap
	for size := 1; size <= len(hashes); size++ {
		h := hashes[size-1]
		chain := 0
		for _, prev := range hashes[:size-1] {
			if (prev^h)&uint32(capacity-1) == 0 {
				chain++
			}
		}
		if chain >= javaMapTreeifyAt && capacity < javaMapMinTreeifyCap {
			capacity *= 2
		}
		if size*javaMapLoadFactorDen > capacity*javaMapLoadFactorNum && capacity < 1<<javaMapMaxCapExponent {
			capacity *= 2
		}
	}
	return capacity
}

// javaStringCompare is String.compareTo: lexicographic over UTF-16 code units, so it differs from
// Go's byte order for characters outside the Basic Multilingual Plane. Kafka's
// OptionalStringComparator puts Optional.empty first; rack "" (no rack) sorts first here too.
func javaStringCompare(a, b string) int {
	return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
}
