package workloads

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/sim"
)

func perSec(r float64) Rate { return Rate{RecordsPerSec: r} }

// countIn returns how many of recs have At in [from, to).
func countIn(recs []model.Record, from, to time.Duration) int {
	n := 0
	for _, r := range recs {
		if r.At >= int64(from) && r.At < int64(to) {
			n++
		}
	}
	return n
}

// A non-homogeneous Poisson process puts a Poisson number of records in each phase, of mean
// ∫λ dt over it: within 4 standard deviations (√mean) over phases of 10⁵ records and more. A
// pause gets none, and a byte rate counts in records of RecordSize.
func TestPoissonPhasesCountIsIntegralOfRate(t *testing.T) {
	spec := Spec{Process: Poisson, RecordSize: 100, Profile: Profile{Phases: []Phase{
		{Until: 1000 * time.Second, Rate: perSec(200)},
		{Until: 2000 * time.Second, Rate: perSec(1000), Ramp: true},
		{Until: 2500 * time.Second, Rate: Rate{}},
		{Until: 3000 * time.Second, Rate: Rate{BytesPerSec: 50_000}, Ramp: true}, // 0 → 500 records/s
		{Rate: perSec(500)},
	}}}
	recs := until(t, spec, 7, 4000*time.Second)
	for _, c := range []struct {
		from, to time.Duration
		want     float64
	}{
		{0, 1000 * time.Second, 200 * 1000},
		{1000 * time.Second, 2000 * time.Second, (200 + 1000) / 2 * 1000},
		{2000 * time.Second, 2500 * time.Second, 0},
		{2500 * time.Second, 3000 * time.Second, (0 + 500) / 2 * 500},
		{3000 * time.Second, 4000 * time.Second, 500 * 1000},
	} {
		n := float64(countIn(recs, c.from, c.to))
		assert.InDelta(t, c.want, n, 4*math.Sqrt(c.want), "[%v, %v)", c.from, c.to)
		assert.InDelta(t, c.want, spec.Expected(c.from, c.to), 1e-6*c.want+1e-9, "Expected [%v, %v)", c.from, c.to)
	}
}

// On a ramp the arrivals per second grow linearly: 200 bins of 5 s along a ramp from 0 to 2000
// records/s hold Poisson counts of mean ∫λ over each bin (chi-square within 4 sd of its 200
// degrees of freedom), and the least-squares slope of the counts is the ramp's, within 2%.
func TestPoissonRampGrowsLinearly(t *testing.T) {
	spec := Spec{Process: Poisson, RecordSize: 100, Profile: Profile{Phases: []Phase{
		{Until: time.Second, Rate: Rate{}},
		{Until: 1001 * time.Second, Rate: perSec(2000), Ramp: true},
	}}}
	recs := until(t, spec, 3, 1002*time.Second)
	const bins, width = 200, 5.0
	counts := make([]float64, bins)
	for _, r := range recs {
		if s := float64(r.At)/1e9 - 1; s >= 0 && s < bins*width {
			counts[int(s/width)]++
		}
	}
	var chi2, sx, sy, sxx, sxy float64
	for i, n := range counts {
		a, b := float64(i)*width, float64(i+1)*width
		mean := 2 * (b*b - a*a) / 2 // λ = 2t records/s
		chi2 += (n - mean) * (n - mean) / mean
		x := (a + b) / 2
		sx, sy, sxx, sxy = sx+x, sy+n, sxx+x*x, sxy+x*n
	}
	assert.InDelta(t, bins, chi2, 4*math.Sqrt(2*bins), "chi-square of the counts per bin against ∫λ")
	slope := (bins*sxy - sx*sy) / (bins*sxx - sx*sx) // records per bin per second
	assert.InEpsilon(t, 2*width, slope, 0.02, "counts grow by 2 records/s per second")
	assert.Zero(t, countIn(recs, 0, time.Second), "nothing during the leading pause")
}

// The constant process puts its k-th record (from 0) exactly at Λ⁻¹(k), rounded to the
// nanosecond: here computed in exact rational arithmetic for the constant phases and from the
// textbook quadratic formula for the ramp.
func TestConstantProfileAtInverseOfK(t *testing.T) {
	spec := Spec{Process: Constant, RecordSize: 100, Profile: Profile{Phases: []Phase{
		{Until: 60 * time.Second, Rate: perSec(1000)},
		{Until: 120 * time.Second, Rate: perSec(3000)},
		{Until: 180 * time.Second, Rate: perSec(5000), Ramp: true},
		{Until: 200 * time.Second, Rate: Rate{BytesPerSec: 70_000}}, // 700 records/s
	}}}
	recs := until(t, spec, 1, 300*time.Second)
	// Λ: 60,000 by 60 s, 240,000 by 120 s, 240,000 + 60·(3000+5000)/2 = 480,000 by 180 s, then
	// 14,000 more by 200 s, and nothing after.
	require.Len(t, recs, 494_000)
	exact := func(k, c0, t0, r int64) int64 { // t0 + (k − c0)/r seconds, to the nearest ns
		ns := new(big.Rat).SetFrac64((k-c0)*1e9, r)
		ns.Add(ns, new(big.Rat).SetInt64(t0*1e9))
		f, _ := ns.Float64()
		return int64(math.Round(f))
	}
	for k, r := range recs {
		k := int64(k)
		var want int64
		switch {
		case k < 60_000:
			want = exact(k, 0, 0, 1000)
		case k < 240_000:
			want = exact(k, 60_000, 60, 3000)
		case k < 480_000:
			// 3000·τ + (2000/60)·τ²/2 = k − 240,000
			a, b, c := 2000.0/60/2, 3000.0, -float64(k-240_000)
			tau := (-b + math.Sqrt(b*b-4*a*c)) / (2 * a)
			if d := r.At - int64(math.Round((120+tau)*1e9)); d < -1 || d > 1 {
				t.Fatalf("record %d (ramp) at %d ns, want %.3f s ± 1 ns", k, r.At, 120+tau)
			}
			continue
		default:
			want = exact(k, 480_000, 180, 700)
		}
		if r.At != want {
			t.Fatalf("record %d at %d ns, want %d", k, r.At, want)
		}
	}
	a := New(spec, sim.NewStream(1, "producer/test"))
	for range 494_000 {
		a.Next()
	}
	assert.Equal(t, int64(sim.Never), a.Next().At, "after the last phase's until: never")
}

// Once the last phase has ended the process draws no more numbers and every record is at
// sim.Never, a time no run reaches.
func TestProfileEndStopsDrawing(t *testing.T) {
	spec := Spec{Process: Poisson, RecordSize: 1, Profile: Profile{Phases: []Phase{{Until: time.Second, Rate: perSec(100)}}}}
	rnd := sim.NewStream(5, "producer/test")
	a := New(spec, rnd)
	var last int64
	n := 0
	for ; last != int64(sim.Never); n++ {
		last = a.Next().At
		require.Less(t, n, 1000)
	}
	before := new(sim.Stream).CopyFrom(rnd).Uint64()
	for range 10 {
		assert.Equal(t, int64(sim.Never), a.Next().At)
	}
	assert.Equal(t, before, new(sim.Stream).CopyFrom(rnd).Uint64(), "no draw after the end")
	assert.InDelta(t, 100, n-1, 40, "about 100 records in the one second")
}

// Spec.Start holds the profile back: λ is zero before it and follows the profile after.
func TestProfileStart(t *testing.T) {
	spec := Spec{Process: Constant, RecordSize: 1, Start: 30 * time.Second, Profile: Profile{Phases: []Phase{
		{Until: 60 * time.Second, Rate: perSec(100), Ramp: false},
		{Rate: perSec(10)},
	}}}
	recs := until(t, spec, 1, 70*time.Second)
	require.Len(t, recs, 30*100+10*10)
	assert.Equal(t, int64(30*time.Second), recs[0].At)
	assert.Equal(t, 3000.0, spec.Expected(0, 60*time.Second))
	assert.Equal(t, 50.0, spec.MeanRecordsPerSec(0, 60*time.Second))
}

// The daily curve: its rate is the peak at clock time peak_at and the trough twelve (scaled)
// hours away, with the run beginning at start_at; a shorter period compresses the day.
func TestDailyPeakAt(t *testing.T) {
	cases := []struct {
		name   string
		period time.Duration
		peakT  float64 // s of run time at which the clock shows peak_at (14h), from start_at 9h
	}{
		{"a real day", 24 * time.Hour, 5 * 3600},
		{"a day in 10 minutes", 10 * time.Minute, 600 * 5.0 / 24},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Daily{Trough: Rate{BytesPerSec: 5e6}, Peak: Rate{BytesPerSec: 40e6}, PeakAt: 14 * time.Hour, StartAt: 9 * time.Hour, Period: c.period}
			in := Profile{Daily: &d}.compile(1000, 0)
			assert.InEpsilon(t, 40e3, in.rate(c.peakT), 1e-12, "peak at 14h")
			assert.InEpsilon(t, 5e3, in.rate(c.peakT+c.period.Seconds()/2), 1e-9, "trough at 2h")
			assert.InEpsilon(t, 22.5e3+17.5e3*math.Cos(-2*math.Pi*5/24), in.rate(0), 1e-12, "9h at the start")
			best, bestT := 0.0, 0.0
			p := c.period.Seconds()
			for i := range 10_000 {
				x := p * float64(i) / 10_000
				if r := in.rate(x); r > best {
					best, bestT = r, x
				}
			}
			assert.InDelta(t, c.peakT, bestT, p/10_000, "no rate above the one at peak_at")
			assert.InEpsilon(t, 22.5e3*p, in.cum(p), 1e-12, "a whole period holds the mean rate's records")
		})
	}
}

// A Poisson process on a daily curve compressed into 1000 s, trough 0 (λ touches zero, where
// Newton's method alone would stall): counts per 10 s bin are Poisson of mean ΔΛ
// (chi-square within 4 sd), and the constant process puts record k where Λ = k, to 1 ns.
func TestDailyArrivals(t *testing.T) {
	d := &Daily{Trough: Rate{}, Peak: perSec(2000), PeakAt: 12 * time.Hour, StartAt: 3 * time.Hour, Period: 1000 * time.Second}
	spec := Spec{Process: Poisson, RecordSize: 1, Profile: Profile{Daily: d}}
	in := spec.Profile.compile(1, 0)
	recs := until(t, spec, 11, 3000*time.Second)
	const bins, width = 300, 10.0
	counts := make([]float64, bins)
	for _, r := range recs {
		counts[int(float64(r.At)/1e9/width)]++
	}
	var chi2 float64
	dof := 0
	for i, n := range counts {
		mean := in.cum(float64(i+1)*width) - in.cum(float64(i)*width)
		if mean < 5 {
			continue // too few for the chi-square approximation, near the troughs
		}
		chi2 += (n - mean) * (n - mean) / mean
		dof++
	}
	assert.InDelta(t, float64(dof), chi2, 4*math.Sqrt(2*float64(dof)), "chi-square over %d bins", dof)
	assert.InDelta(t, 3e6, float64(len(recs)), 4*math.Sqrt(3e6), "three periods at a mean of 1000 records/s")

	spec.Process = Constant
	check := spec.Profile.compile(1, 0)
	for k, r := range records(t, spec, 1, 200_000) {
		at := float64(r.At) / 1e9
		lo, hi := check.cum(at-1e-9), check.cum(at+1e-9)
		if float64(k) < lo-1e-6 || float64(k) > hi+1e-6 {
			t.Fatalf("record %d at %.9f s: Λ is %.6f to %.6f within 1 ns of it", k, at, lo, hi)
		}
	}
}

// Mean rates: exactly the scalar for a single rate, ∫λ / span for a profile.
func TestMeanRecordsPerSec(t *testing.T) {
	scalar := Spec{Rate: Rate{BytesPerSec: 20e6}, RecordSize: model.KiB}
	assert.Equal(t, scalar.RecordsPerSec(), scalar.MeanRecordsPerSec(10*time.Second, 70*time.Second))
	assert.Equal(t, scalar.RecordsPerSec()*60, scalar.Expected(10*time.Second, 70*time.Second))
	phased := Spec{RecordSize: 1000, Profile: Profile{Phases: []Phase{
		{Until: 60 * time.Second, Rate: Rate{BytesPerSec: 10e6}},
		{Until: 120 * time.Second, Rate: Rate{BytesPerSec: 40e6}, Ramp: true},
		{Rate: Rate{BytesPerSec: 20e6}},
	}}}
	// 10,000 records/s for 60 s, a ramp averaging 25,000 for 60 s, 20,000 for 60 s.
	assert.InEpsilon(t, (10e3+25e3+20e3)/3, phased.MeanRecordsPerSec(0, 180*time.Second), 1e-12)
	assert.InEpsilon(t, 17.5e3, phased.MeanRecordsPerSec(60*time.Second, 90*time.Second), 1e-12)
}

func TestValidateProfile(t *testing.T) {
	ok := []Phase{{Until: time.Minute, Rate: perSec(10)}, {Until: 2 * time.Minute, Rate: perSec(40), Ramp: true}, {Rate: Rate{}}}
	cases := []struct {
		name string
		spec Spec
		want []string
	}{
		{"valid", Spec{Profile: Profile{Phases: ok}}, nil},
		{"valid daily", Spec{Profile: Profile{Daily: &Daily{Trough: Rate{}, Peak: perSec(1), Period: time.Hour}}}, nil},
		{"out of order", Spec{Profile: Profile{Phases: []Phase{{Until: time.Minute, Rate: perSec(1)}, {Until: time.Minute, Rate: perSec(1)}}}},
			[]string{"rate[1].until: 1m0s is not after the previous phase's end (1m0s): phases must be in time order"}},
		{"negative", Spec{Profile: Profile{Phases: []Phase{{Rate: perSec(-1)}}}}, []string{"rate[0].rate: must not be negative, got -1 records/s"}},
		{"both units", Spec{Profile: Profile{Phases: []Phase{{Rate: Rate{BytesPerSec: 1, RecordsPerSec: 1}}}}}, []string{"rate[0].rate: both"}},
		{"ramp first", Spec{Profile: Profile{Phases: []Phase{{Until: time.Second, Rate: perSec(1), Ramp: true}}}},
			[]string{"rate[0].ramp_to: the first phase cannot ramp"}},
		{"ramp without end", Spec{Profile: Profile{Phases: []Phase{{Until: time.Second, Rate: perSec(1)}, {Rate: perSec(2), Ramp: true}}}},
			[]string{"rate[1].ramp_to: a ramp needs an until"}},
		{"until missing", Spec{Profile: Profile{Phases: []Phase{{Rate: perSec(1)}, {Rate: perSec(2)}}}},
			[]string{"rate[0].until: is required on every phase but the last"}},
		{"too slow", Spec{Profile: Profile{Phases: []Phase{{Rate: perSec(1e-9)}}}}, []string{"rate[0].rate: 1e-09 records/s is below one record in 12 days (write 0 for a pause)"}},
		{"rate and profile", Spec{Rate: perSec(1), Profile: Profile{Phases: ok}}, []string{"rate: a rate (1 records/s) and a profile are both set"}},
		{"onoff", Spec{Process: OnOff, On: 1, Off: 1, Profile: Profile{Phases: ok}}, []string{"process: onoff needs a single rate"}},
		{"daily", Spec{Profile: Profile{Daily: &Daily{Trough: perSec(5), Peak: perSec(4), PeakAt: 24 * time.Hour, StartAt: -1, Period: 0}}},
			[]string{"rate.daily.peak: 4 records/s is below the trough 5 records/s", "rate.daily.peak_at: 24h0m0s is not a time of day",
				"rate.daily.start_at: -1ns is not a time of day", "rate.daily.period: must be positive, got 0s"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.spec
			s.RecordSize = 100
			err := s.Validate()
			if c.want == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range c.want {
				assert.ErrorContains(t, err, w)
			}
			assert.Len(t, splitLines(err.Error()), len(c.want), "one line per problem: %v", err)
		})
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := range len(s) {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// Property: for random valid phase lists (holds, ramps up and down, pauses, an end or none)
// and random daily curves, Λ⁻¹ is the inverse of Λ: Λ(Λ⁻¹(u)) = u to 1e-6 records wherever the
// rate is not zero at the answer, answers never decrease with u, and are +Inf only once Λ has
// reached its final value.
func TestInverseProperty(t *testing.T) {
	rnd := sim.NewStream(99, "test/profiles")
	for trial := range 300 {
		var prof Profile
		if trial%3 == 2 {
			tr := rnd.Float64() * 100 * float64(rnd.IntN(2))
			prof.Daily = &Daily{Trough: perSec(tr), Peak: perSec(tr + rnd.Float64()*1000), PeakAt: time.Duration(rnd.Int64N(int64(24 * time.Hour))),
				StartAt: time.Duration(rnd.Int64N(int64(24 * time.Hour))), Period: time.Duration(1 + rnd.Int64N(int64(time.Hour)))}
		} else {
			n := 1 + rnd.IntN(6)
			until := time.Duration(0)
			for i := range n {
				ph := Phase{Rate: perSec(float64(rnd.IntN(3)) * rnd.Float64() * 1000), Ramp: i > 0 && rnd.IntN(2) == 0}
				if i < n-1 || rnd.IntN(2) == 0 {
					until += time.Duration(1 + rnd.Int64N(int64(100*time.Second)))
					ph.Until = until
				} else {
					ph.Ramp = false
				}
				prof.Phases = append(prof.Phases, ph)
			}
		}
		require.NoError(t, prof.Validate(1), "%+v", prof)
		start := float64(rnd.IntN(2)) * rnd.Float64() * 50
		check := prof.compile(1, start)
		in := prof.compile(1, start)
		final := check.cum(1e12)
		prev := 0.0
		for u := 0.0; u < 5000; u += rnd.ExpFloat64() * 20 {
			got := in.inv(u)
			require.GreaterOrEqual(t, got, prev, "trial %d: %+v u=%g", trial, prof, u)
			if math.IsInf(got, 1) {
				require.GreaterOrEqual(t, u, final-1e-6, "trial %d: +Inf before the end", trial)
				break
			}
			require.GreaterOrEqual(t, got, start)
			if check.rate(got) > 1e-9 {
				require.InDelta(t, u, check.cum(got), 1e-6*max(1, u), "trial %d: %+v Λ(Λ⁻¹(%g))", trial, prof, u)
			}
			prev = got
		}
	}
}
