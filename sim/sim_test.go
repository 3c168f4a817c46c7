package sim_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/stretchsim/stretchsim/sim"
)

// recorder appends the A payload of every event it handles.
type recorder struct{ got []int64 }

func (r *recorder) Handle(_ *sim.Sim, ev *sim.Event) { r.got = append(r.got, ev.A) }

func TestEqualTimeEventsRunInSchedulingOrder(t *testing.T) {
	s := sim.New(1)
	r := &recorder{}
	// Interleave three instants so the heap has to reorder, and schedule many ties per instant.
	for i := range 300 {
		at := sim.Time((i % 3) * 1000)
		s.Schedule(sim.Event{At: at, H: r, A: int64(i)})
	}
	s.Run()
	var want []int64
	for k := range 3 {
		for i := k; i < 300; i += 3 {
			want = append(want, int64(i))
		}
	}
	assert.Equal(t, want, r.got)
}

func TestEventsRunInTimeOrder(t *testing.T) {
	s := sim.New(7)
	rnd := s.Stream("test")
	r := &recorder{}
	for range 10000 {
		at := sim.Time(rnd.Int64N(1e9))
		s.Schedule(sim.Event{At: at, H: r, A: int64(at)})
	}
	s.Run()
	require.Len(t, r.got, 10000)
	for i := 1; i < len(r.got); i++ {
		require.LessOrEqual(t, r.got[i-1], r.got[i])
	}
	assert.EqualValues(t, 10000, s.Events())
}

func TestTimerCancelAndRearm(t *testing.T) {
	s := sim.New(1)
	r := &recorder{}
	var tm sim.Timer
	assert.False(t, tm.Armed())
	s.Arm(&tm, sim.Event{At: 100, H: r, A: 1})
	assert.True(t, tm.Armed())
	assert.Equal(t, sim.Time(100), tm.At())
	s.Arm(&tm, sim.Event{At: 50, H: r, A: 2}) // re-arming replaces the first firing
	s.RunUntil(75)
	assert.Equal(t, []int64{2}, r.got)
	assert.False(t, tm.Armed())
	s.ArmAfter(&tm, 10, sim.Event{H: r, A: 3})
	tm.Stop()
	assert.Equal(t, sim.Never, tm.At())
	s.Run()
	assert.Equal(t, []int64{2}, r.got, "a stopped or replaced timer must not fire")
	assert.EqualValues(t, 2, s.Cancelled())
	assert.EqualValues(t, 1, s.Events())
}

// stopper stops the run when it handles an event with A == 1.
type stopper struct{ recorder }

func (p *stopper) Handle(s *sim.Sim, ev *sim.Event) {
	p.recorder.Handle(s, ev)
	if ev.A == 1 {
		s.Stop()
	}
}

func TestRunUntilAndStop(t *testing.T) {
	s := sim.New(1)
	p := &stopper{}
	for i, at := range []sim.Time{10, 20, 30, 40} {
		s.Schedule(sim.Event{At: at, H: p, A: int64(i)})
	}
	s.RunUntil(25)
	assert.Equal(t, []int64{0, 1}, p.got, "Stop at the second event ends the run")
	assert.Equal(t, sim.Time(20), s.Now())
	s.RunUntil(35)
	assert.Equal(t, []int64{0, 1, 2}, p.got)
	assert.Equal(t, sim.Time(35), s.Now(), "the clock advances to the horizon")
	s.Run()
	assert.Equal(t, []int64{0, 1, 2, 3}, p.got)
	assert.False(t, s.Step())
}

func TestSchedulingInThePastPanics(t *testing.T) {
	s := sim.New(1)
	s.RunUntil(100)
	assert.Panics(t, func() { s.Schedule(sim.Event{At: 99, H: &recorder{}}) })
	assert.Panics(t, func() { s.Schedule(sim.Event{At: 200}) })
}

func TestStreamsAreIndependentOfOtherStreams(t *testing.T) {
	draw := func(extra bool) []uint64 {
		s := sim.New(42)
		a := s.Stream("wan/dc-a->dc-b")
		var out []uint64
		for range 5 {
			if extra {
				s.Stream("producer/new").Uint64()
			}
			out = append(out, a.Uint64())
		}
		return out
	}
	assert.Equal(t, draw(false), draw(true), "adding a stream must not change another stream's draws")
	s := sim.New(42)
	assert.Same(t, s.Stream("x"), s.Stream("x"))
	assert.NotEqual(t, s.Stream("x").Uint64(), s.Stream("y").Uint64())
	assert.NotEqual(t, sim.New(42).Stream("x").Uint64(), sim.New(43).Stream("x").Uint64())
}

func TestStreamDrivesGonumDistributions(t *testing.T) {
	// A Stream is a rand.Source, so distuv values get an explicit Src and never the global source.
	n1 := distuv.Normal{Mu: 0, Sigma: 1, Src: sim.NewStream(1, "n")}
	n2 := distuv.Normal{Mu: 0, Sigma: 1, Src: sim.NewStream(1, "n")}
	assert.Equal(t, n1.Rand(), n2.Rand())
}

func traceDigest(seed uint64) (uint64, uint64) {
	s := sim.New(seed)
	d := sim.NewDigest()
	s.SetTrace(d.Observe)
	newMM1(s, 0.9, 1.0, nil)
	newHold(s, 100)
	s.RunUntil(sim.Time(10 * time.Second))
	return d.Sum64(), d.Count()
}

func TestSameSeedSameTraceDigest(t *testing.T) {
	a, na := traceDigest(1)
	b, nb := traceDigest(1)
	c, _ := traceDigest(2)
	require.Greater(t, na, uint64(1000))
	assert.Equal(t, na, nb)
	assert.Equal(t, a, b, "same seed must give a byte-identical trace")
	assert.NotEqual(t, a, c, "another seed must give another trace")
}

// TestMM1MeanSojourn checks the engine against queueing theory: an M/M/1 queue with lambda=0.9
// and mu=1.0 has mean sojourn time 1/(mu-lambda) = 10. The estimate uses batch means over 1e6
// customers after a warm-up; the 99% confidence interval must contain 10 and be narrower than ±1.
func TestMM1MeanSojourn(t *testing.T) {
	const warmup, batches, perBatch = 50_000, 20, 50_000
	var (
		n     int
		sum   float64
		means []float64
	)
	observe := func(x float64) {
		n++
		if n <= warmup {
			return
		}
		sum += x
		if (n-warmup)%perBatch == 0 {
			means = append(means, sum/perBatch)
			sum = 0
		}
	}
	s := sim.New(2026)
	newMM1(s, 0.9, 1.0, observe)
	for len(means) < batches {
		require.True(t, s.Step())
	}
	mean, sd := stat.MeanStdDev(means, nil)
	tq := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: batches - 1}.Quantile(0.995)
	half := tq * sd / math.Sqrt(batches)
	t.Logf("mean sojourn %.3f ± %.3f (99%%), theory 10.0", mean, half)
	assert.Less(t, half, 1.0)
	assert.InDelta(t, 10.0, mean, half)
}

// TestAddSaturatesAtNever: a timeout of centuries arms at Never instead of wrapping into the past.
func TestAddSaturatesAtNever(t *testing.T) {
	assert.Equal(t, sim.Never, sim.Time(5).Add(time.Duration(sim.Never)))
	assert.Equal(t, sim.Never, (sim.Never - 1).Add(2))
	assert.Equal(t, sim.Time(7), sim.Time(5).Add(2))
	assert.Equal(t, sim.Time(3), sim.Time(5).Add(-2))
	s := sim.New(1)
	s.RunUntil(1000)
	s.After(time.Duration(sim.Never)-1, sim.Event{H: &recorder{}}) // no panic: due at Never
	s.RunUntil(2000)
}
