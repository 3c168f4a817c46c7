package placement

import "fmt"

// The constants of java.util.Random's 48-bit linear congruential generator
// (java/util/Random.java: multiplier, addend, mask).
const (
	javaRandMultiplier = 0x5DEECE66D
	javaRandAddend     = 0xB
	javaRandMask       = 1<<48 - 1
)

// JavaRandom is java.util.Random: the same seed gives the same NextInt sequence as Java's
// new Random(seed).nextInt(bound). Kafka's controller places replicas with one such generator
// (QuorumController: new StripedReplicaPlacer(new Random())), and AdminUtils keeps a static one.
// The zero value is not useful; use NewJavaRandom.
type JavaRandom struct {
	// Invariant: seed < 2^48.
	seed uint64
}

// NewJavaRandom returns the generator of Java's new Random(seed): the seed is scrambled with the
// multiplier 0x5DEECE66D and kept to 48 bits (Random.initialScramble).
func NewJavaRandom(seed int64) *JavaRandom {
	return &JavaRandom{seed: (uint64(seed) ^ javaRandMultiplier) & javaRandMask}
}

// next is Random.next(bits): advance the LCG and return its top bits, as a Java int.
func (r *JavaRandom) next(bits int) int32 {
	r.seed = (r.seed*javaRandMultiplier + javaRandAddend) & javaRandMask
	return int32(r.seed >> (48 - bits))
}

// NextInt is Random.nextInt(bound): a uniform int in [0, bound). It panics if bound is not in
// [1, 2^31-1], where Java throws IllegalArgumentException; that is a programmer error.
func (r *JavaRandom) NextInt(bound int) int { return javaNextInt(r.next, bound) }

// MockRandom is Kafka's test generator org.apache.kafka.server.util.MockRandom
// (server-common/src/test/java/org/apache/kafka/server/util/MockRandom.java): a java.util.Random
// whose next(bits) is a 64-bit LCG starting at state 17. Kafka's placement tests use it, so it
// reproduces their expected outputs. The zero value is not useful; use NewMockRandom.
type MockRandom struct {
	state uint64
}

// NewMockRandom returns Kafka's new MockRandom(): state 17.
func NewMockRandom() *MockRandom { return &MockRandom{state: 17} }

// next is MockRandom.next(bits): state = state*2862933555777941757 + 3037000493 (mod 2^64),
// return (int)(state >>> (64 - bits)).
func (r *MockRandom) next(bits int) int32 {
	r.state = r.state*2862933555777941757 + 3037000493
	return int32(r.state >> (64 - bits))
}

// NextInt is java.util.Random.nextInt(bound) driven by MockRandom.next, as in Kafka's tests. It
// panics if bound is not in [1, 2^31-1], like JavaRandom.NextInt.
func (r *MockRandom) NextInt(bound int) int { return javaNextInt(r.next, bound) }

// javaNextInt is the JDK's Random.nextInt(int bound) over a next(bits) function: a power-of-two
// bound takes the high bits, any other bound uses rejection sampling so that the result is
// uniform. The arithmetic is Java's 32-bit int arithmetic, overflow included.
func javaNextInt(next func(bits int) int32, bound int) int {
	if bound <= 0 || bound > 1<<31-1 {
		panic(fmt.Sprintf("model: javaNextInt: bound %d is not in [1, 2^31-1]", bound))
	}
	b := int32(bound)
	m := b - 1
	r := next(31)
	if b&m == 0 {
		return int((int64(b) * int64(r)) >> 31)
	}
	// The loop rejects the last, partial block of [0, 2^31) whose values would bias r % b; the
	// test is Java's overflow check u - r + m < 0.
	for u := r; ; u = next(31) {
		r = u % b
		if u-r+m >= 0 {
			return int(r)
		}
	}
}

// javaShuffle is Collections.shuffle(list, rnd) for a list of n elements: for i = n down to 2,
// swap elements i-1 and rnd.nextInt(i).
func javaShuffle(n int, swap func(i, j int), rnd IntSource) {
	for i := n; i > 1; i-- {
		swap(i-1, rnd.NextInt(i))
	}
}
