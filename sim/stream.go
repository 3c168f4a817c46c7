package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
)

// Stream is a named random stream. It embeds *rand.Rand for draws and is itself a rand.Source,
// so it can be given to gonum's distuv distributions as Src.
type Stream struct {
	*rand.Rand
	src *rand.ChaCha8
}

// CopyFrom sets the stream to o's current state: it then draws what o would draw next, while o
// is left as it is (a look-ahead that must not consume o's numbers). It returns s.
func (s *Stream) CopyFrom(o *Stream) *Stream {
	if s.src == nil {
		s.src = new(rand.ChaCha8)
		s.Rand = rand.New(s.src)
	}
	*s.src = *o.src
	return s
}

// Stream returns the random stream called name, creating it on first use. Its state is keyed from
// the run's seed and the name alone (ChaCha8 over SHA-256(seed, name)), so adding a component
// with a new stream never shifts the numbers another component draws. Asking for the same name
// twice returns the same stream.
func (s *Sim) Stream(name string) *Stream {
	if st, ok := s.streams[name]; ok {
		return st
	}
	st := NewStream(s.seed, name)
	s.streams[name] = st
	return st
}

// NewStream returns the stream a run with the given seed would call name, for use outside a Sim.
func NewStream(seed uint64, name string) *Stream {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	h := sha256.New()
	h.Write(b[:])
	h.Write([]byte(name))
	var key [32]byte
	copy(key[:], h.Sum(nil))
	src := rand.NewChaCha8(key)
	return &Stream{Rand: rand.New(src), src: src}
}
