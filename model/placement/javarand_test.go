package placement

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Expected values not stated in the reference were printed by OpenJDK 17's java.util.Random and
// Collections.shuffle, and a Java MockRandom written from the reference's definition.

func TestJavaRandomLCGConstants(t *testing.T) {
	assert.Equal(t, uint64(0x5DEECE66D), uint64(javaRandMultiplier))
	assert.Equal(t, uint64(0xB), uint64(javaRandAddend))
	assert.Equal(t, uint64(1<<48-1), uint64(javaRandMask))
	assert.Equal(t, uint64(42^0x5DEECE66D), NewJavaRandom(42).seed, "seed scrambling")
	assert.Equal(t, uint64(0x5DEECE66D^(1<<48-1)), NewJavaRandom(-1).seed, "negative seeds keep 48 bits")
}

func TestJavaRandomNextInt32(t *testing.T) {
	// new Random(0).nextInt() and new Random(42).nextInt() are next(32).
	assert.Equal(t, int32(-1155484576), NewJavaRandom(0).next(32))
	assert.Equal(t, int32(-1170105035), NewJavaRandom(42).next(32))
}

func TestJavaRandomNextIntSequences(t *testing.T) {
	tests := []struct {
		name  string
		seed  int64
		bound int
		want  []int
	}{
		{"non-power-of-two bound", 42, 10, []int{0, 3, 8, 4, 0, 5, 5, 8, 9, 3}},
		{"power-of-two bound takes the high bits", -7, 16, []int{4, 14, 10, 15, 8, 2}},
		{"large bound exercises the rejection loop", 12345, 1<<30 + 1,
			[]int{776966251, 80902084, 701101375, 267722802, 505783501, 75883389, 749719517, 962239390}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewJavaRandom(tt.seed)
			got := make([]int, len(tt.want))
			for i := range got {
				got[i] = r.NextInt(tt.bound)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestJavaNextIntRejectsBadBounds(t *testing.T) {
	for _, bound := range []int{0, -1, 1 << 31} {
		assert.Panics(t, func() { NewJavaRandom(1).NextInt(bound) }, "bound %d", bound)
	}
}

// Reference §1.2: the first six MockRandom next(31) values.
func TestMockRandomNext31(t *testing.T) {
	r := NewMockRandom()
	want := []int32{1370951335, 1457695759, 324654877, 1936075447, 437157150, 1753832080}
	for i, w := range want {
		assert.Equal(t, w, r.next(31), "draw %d", i)
	}
}

func TestMockRandomNextInt(t *testing.T) {
	t.Run("first draw of a fresh MockRandom for bound 1..8 (reference §1.2)", func(t *testing.T) {
		want := []int{0, 1, 1, 2, 0, 1, 5, 5}
		for b := 1; b <= 8; b++ {
			assert.Equal(t, want[b-1], NewMockRandom().NextInt(b), "bound %d", b)
		}
	})
	t.Run("successive draws of one MockRandom for bound 1..8", func(t *testing.T) {
		r := NewMockRandom()
		want := []int{0, 1, 1, 3, 0, 4, 5, 5}
		for b := 1; b <= 8; b++ {
			assert.Equal(t, want[b-1], r.NextInt(b), "bound %d", b)
		}
	})
	t.Run("successive nextInt(3) (reference §1.2)", func(t *testing.T) {
		r := NewMockRandom()
		got := make([]int, 8)
		for i := range got {
			got[i] = r.NextInt(3)
		}
		assert.Equal(t, []int{1, 1, 1, 1, 0, 1, 2, 0}, got)
	})
	t.Run("rejection loop", func(t *testing.T) {
		// next(31) values 1, 2 and 4 are >= 2^31 - (2^31 mod bound) and are rejected.
		r := NewMockRandom()
		assert.Equal(t, 324654877, r.NextInt(1<<30+1))
		assert.Equal(t, 437157150, r.NextInt(1<<30+1))
	})
}

func TestJavaShuffleMatchesCollectionsShuffle(t *testing.T) {
	list := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	javaShuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] }, NewJavaRandom(42))
	require.Equal(t, []int{4, 6, 2, 1, 7, 9, 8, 5, 3, 0}, list)
}
