package scenario

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/workloads"
)

// phasedFile is a scenario whose producer's rate is a list of phases (line 7).
const phasedFile = `duration: 3m
sites: [{name: a, brokers: 1, controllers: 1}]
topics: [{name: t, partitions: 1, replication.factor: 1}]
producers:
  - name: p
    site: a
    rate: [{until: 60s, rate: 10MB/s}, {until: 120s, ramp_to: 40MB/s}, {rate: 20MB/s}]
    topic: t
    record_size: 1KiB
`

func TestDecodeRatePhases(t *testing.T) {
	s, err := Parse("f.yaml", []byte(phasedFile), Options{})
	require.NoError(t, err)
	p := s.Producers[0]
	assert.Equal(t, Rate{}, p.Rate)
	assert.Equal(t, &RateProfile{Phases: []Phase{
		{Until: time.Minute, Rate: workloads.Rate{BytesPerSec: 10e6}},
		{Until: 2 * time.Minute, Rate: workloads.Rate{BytesPerSec: 40e6}, Ramp: true},
		{Rate: workloads.Rate{BytesPerSec: 20e6}},
	}}, p.Profile)
	assert.Equal(t, "[{until: 1m, rate: 10MB/s}, {until: 2m, ramp_to: 40MB/s}, {rate: 20MB/s}]", p.Profile.String())
	assert.Equal(t, "10MB/s until 1m, then a ramp to 40MB/s by 2m, then 20MB/s", p.Profile.Describe())
	assert.Equal(t, "a pause until 10s, then 1MB/s until 1m30s, then nothing", (&RateProfile{Phases: []Phase{
		{Until: 10 * time.Second}, {Until: 90 * time.Second, Rate: workloads.Rate{BytesPerSec: 1e6}}}}).Describe())
	// 10 MB/s for 60 s, a ramp averaging 25 MB/s for 60 s, 20 MB/s for 60 s.
	assert.InEpsilon(t, 55e6/3, p.MeanBytesPerSec(0, s.Duration), 1e-12)
	assert.InEpsilon(t, 20e6, p.MeanBytesPerSec(2*time.Minute, 3*time.Minute), 1e-12)

	// String is the file's own syntax: it reads back to the same profile.
	again, err := Parse("f.yaml", []byte(strings.Replace(phasedFile,
		"[{until: 60s, rate: 10MB/s}, {until: 120s, ramp_to: 40MB/s}, {rate: 20MB/s}]", p.Profile.String(), 1)), Options{})
	require.NoError(t, err)
	assert.Equal(t, p.Profile, again.Producers[0].Profile)
}

func TestDecodeRateDaily(t *testing.T) {
	file := strings.Replace(phasedFile, "[{until: 60s, rate: 10MB/s}, {until: 120s, ramp_to: 40MB/s}, {rate: 20MB/s}]",
		"{daily: {trough: 5MB/s, peak: 40MB/s, peak_at: 14h, start_at: 9h, period: 10m}}", 1)
	s, err := Parse("f.yaml", []byte(file), Options{})
	require.NoError(t, err)
	want := &RateProfile{Daily: &Daily{Trough: workloads.Rate{BytesPerSec: 5e6}, Peak: workloads.Rate{BytesPerSec: 40e6},
		PeakAt: 14 * time.Hour, StartAt: 9 * time.Hour, Period: 10 * time.Minute}}
	assert.Equal(t, want, s.Producers[0].Profile)
	assert.Equal(t, "{daily: {trough: 5MB/s, peak: 40MB/s, peak_at: 14h, start_at: 9h, period: 10m}}", want.String())
	assert.Equal(t, "a daily curve from 5MB/s to 40MB/s peaking at 14h (the run starts at 9h; period 10m)", want.Describe())

	s, err = Parse("f.yaml", []byte(strings.Replace(file, ", start_at: 9h, period: 10m", "", 1)), Options{})
	require.NoError(t, err)
	assert.Equal(t, &Daily{Trough: workloads.Rate{BytesPerSec: 5e6}, Peak: workloads.Rate{BytesPerSec: 40e6}, PeakAt: 14 * time.Hour,
		Period: 24 * time.Hour}, s.Producers[0].Profile.Daily, "start_at 0h and period 24h by default")
	// Over a whole period the mean is the middle of trough and peak.
	assert.InEpsilon(t, 22.5e6, s.Producers[0].MeanBytesPerSec(0, 24*time.Hour), 1e-9)
}

// --set reaches a phase by its index, creates the until a phase lacks, and replaces a profile
// with a single rate or the other way round.
func TestSetRatePhases(t *testing.T) {
	tests := []struct {
		set  string
		want *RateProfile
		rate Rate
	}{
		{"producers[0].rate[1].rate=30MB/s", nil, Rate{}}, // ramp_to and rate both: checked below
		{"producers[0].rate[1].ramp_to=30MB/s", &RateProfile{Phases: []Phase{
			{Until: time.Minute, Rate: workloads.Rate{BytesPerSec: 10e6}},
			{Until: 2 * time.Minute, Rate: workloads.Rate{BytesPerSec: 30e6}, Ramp: true},
			{Rate: workloads.Rate{BytesPerSec: 20e6}}}}, Rate{}},
		{"producers[0].rate[0].rate=30MB/s", &RateProfile{Phases: []Phase{
			{Until: time.Minute, Rate: workloads.Rate{BytesPerSec: 30e6}},
			{Until: 2 * time.Minute, Rate: workloads.Rate{BytesPerSec: 40e6}, Ramp: true},
			{Rate: workloads.Rate{BytesPerSec: 20e6}}}}, Rate{}},
		{"producers[0].rate[1].until=90s", &RateProfile{Phases: []Phase{
			{Until: time.Minute, Rate: workloads.Rate{BytesPerSec: 10e6}},
			{Until: 90 * time.Second, Rate: workloads.Rate{BytesPerSec: 40e6}, Ramp: true},
			{Rate: workloads.Rate{BytesPerSec: 20e6}}}}, Rate{}},
		{"producers[p].rate[2].until=150s", &RateProfile{Phases: []Phase{
			{Until: time.Minute, Rate: workloads.Rate{BytesPerSec: 10e6}},
			{Until: 2 * time.Minute, Rate: workloads.Rate{BytesPerSec: 40e6}, Ramp: true},
			{Until: 150 * time.Second, Rate: workloads.Rate{BytesPerSec: 20e6}}}}, Rate{}},
		{"producers[0].rate=5000 records/s", nil, Rate{RecordsPerSec: 5000}},
		{"producers[0].rate=[{until: 10s, rate: 0}, {rate: 1MB/s}]", &RateProfile{Phases: []Phase{
			{Until: 10 * time.Second}, {Rate: workloads.Rate{BytesPerSec: 1e6}}}}, Rate{}},
		{"producers[0].rate={daily: {trough: 0, peak: 1MB/s, peak_at: 12h}}", &RateProfile{Daily: &Daily{
			Peak: workloads.Rate{BytesPerSec: 1e6}, PeakAt: 12 * time.Hour, Period: 24 * time.Hour}}, Rate{}},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			s, err := Parse("f.yaml", []byte(phasedFile), Options{Sets: []string{tt.set}})
			if tt.want == nil && tt.rate == (Rate{}) {
				assert.EqualError(t, err, "--set "+tt.set+": producers[0].rate[1].rate: give rate (held through the phase) or ramp_to (a linear ramp to it), not both")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, s.Producers[0].Profile)
			assert.Equal(t, tt.rate, s.Producers[0].Rate)
		})
	}
	// The daily curve's keys, set one at a time into a profile the file gives.
	daily, err := Parse("f.yaml", []byte(phasedFile), Options{Sets: []string{
		"producers[0].rate={daily: {trough: 0, peak: 1MB/s, peak_at: 12h}}", "producers[0].rate.daily.period=1h",
		"producers[0].rate.daily.start_at=6h"}})
	require.NoError(t, err)
	assert.Equal(t, &Daily{Peak: workloads.Rate{BytesPerSec: 1e6}, PeakAt: 12 * time.Hour, StartAt: 6 * time.Hour, Period: time.Hour},
		daily.Producers[0].Profile.Daily)

	for _, c := range []struct{ set, err string }{
		{"producers[0].rate[3].rate=1MB/s", "--set producers[0].rate[3].rate=1MB/s: producers[0].rate: no item 3 (the list has 3)"},
		{"producers[0].rate[0].rampto=1MB/s", `--set producers[0].rate[0].rampto=1MB/s: producers[0].rate[0]: unknown key "rampto" (did you mean "ramp_to"?)`},
		{"producers[0].rate[0].rate=-1MB/s", `--set producers[0].rate[0].rate=-1MB/s: producers[0].rate[0].rate: "-1MB/s" must not be negative`},
		// A validation error blames the flag that made it.
		{"producers[0].rate[1].until=30s", "--set producers[0].rate[1].until=30s: producers[0].rate[1].until: 30s is not after the previous phase's end (1m0s): phases must be in time order"},
	} {
		_, err := Parse("f.yaml", []byte(phasedFile), Options{Sets: []string{c.set}})
		assert.EqualError(t, err, c.err)
	}
}

// Bad profiles: each problem named with its line and field (one per case: more are in
// testdata/bad).
func TestRateProfileErrors(t *testing.T) {
	const base = "[{until: 60s, rate: 10MB/s}, {until: 120s, ramp_to: 40MB/s}, {rate: 20MB/s}]"
	tests := []struct{ rate, err string }{
		{"[]", `f.yaml:7: producers[0].rate: an empty list: give one phase at least, e.g. ` + phaseExample},
		{"[10MB/s]", `f.yaml:7: producers[0].rate[0]: want a phase such as {until: 60s, rate: 10MB/s}, got "10MB/s"`},
		{"[{until: 60s}, {rate: 1MB/s}]", `f.yaml:7: producers[0].rate[0]: give rate: (held through the phase) or ramp_to: (a linear ramp from the previous phase's rate)`},
		{"[{until: 60s, rate: 1MB/s, ramp: 2MB/s}, {rate: 1MB/s}]", `f.yaml:7: producers[0].rate[0].ramp: unknown key "ramp" (did you mean "rate"?)`},
		{"[{until: 0s, rate: 1MB/s}, {rate: 1MB/s}]", `f.yaml:7: producers[0].rate[0].until: "0s" must be positive: the time since the start of the run at which the phase ends`},
		{"[{until: 60s, rate: 1MBps}]", `f.yaml:7: producers[0].rate[0].rate: "1MBps" is not a rate: want bytes per second ("20MB/s") or records per second ("5000 records/s")`},
		{"[{rate: 1MB/s}, {rate: 2MB/s}]", `f.yaml:7: producers[0].rate[0].until: is required on every phase but the last (which may run to the end)`},
		{"[{until: 60s, ramp_to: 1MB/s}, {rate: 2MB/s}]", `f.yaml:7: producers[0].rate[0].ramp_to: the first phase cannot ramp: there is no rate before it to ramp from (give rate:)`},
		{"[{until: 60s, rate: 1MB/s}, {ramp_to: 2MB/s}]", `f.yaml:7: producers[0].rate[1].ramp_to: a ramp needs an until: the time by which it reaches 2MB/s`},
		{"[{until: 4m, rate: 0}, {rate: 2MB/s}]", `f.yaml:7: producers[0].rate: the rate is 0 throughout the run (duration 3m0s): the producer would send nothing`},
		{"{}", `f.yaml:7: producers[0].rate: want a rate (20MB/s), a list of phases (` + phaseExample + `) or {daily: {...}}`},
		{"{weekly: {}}", `f.yaml:7: producers[0].rate.weekly: unknown key "weekly" (want one of daily)`},
		{"{daily: {trough: 5MB/s, peak: 40MB/s}}", `f.yaml:7: producers[0].rate.daily.peak_at: required key is missing`},
		{"{daily: {trough: 5MB/s, peak: 4MB/s, peak_at: 14h}}", `f.yaml:7: producers[0].rate.daily.peak: 4MB/s is below the trough 5MB/s`},
		{"{daily: {trough: 0, peak: 4MB/s, peak_at: 14h, period: 0s}}", `f.yaml:7: producers[0].rate.daily.period: must be positive, got 0s`},
		{"{daily: {trough: 0, peak: 4MB/s, peak_at: 25h}}", `f.yaml:7: producers[0].rate.daily.peak_at: 25h0m0s is not a time of day: want 0h to 24h (excluded)`},
		{"{daily: {trough: -1MB/s, peak: 4MB/s, peak_at: 2h}}", `f.yaml:7: producers[0].rate.daily.trough: "-1MB/s" must not be negative`},
		{"{daily: {trough: 0, peak: 0, peak_at: 2h}}", `f.yaml:7: producers[0].rate: the rate is 0 throughout the run (duration 3m0s): the producer would send nothing`},
		{"0", `f.yaml:7: producers[0].rate: "0" is not a rate: want bytes per second ("20MB/s") or records per second ("5000 records/s")`},
	}
	for _, tt := range tests {
		t.Run(tt.rate, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(strings.Replace(phasedFile, base, tt.rate, 1)), Options{})
			assert.EqualError(t, err, tt.err)
		})
	}
	_, err := Parse("f.yaml", []byte(phasedFile+"    arrival: onoff\n"), Options{})
	assert.EqualError(t, err, "f.yaml:10: producers[0].arrival: onoff needs a single rate (its on and off windows are sized around it): with rate phases or a daily curve use poisson or constant")
}

// A phase that ends after the run is a warning, not an error: sweeps and reviews shorten a
// scenario's duration, and the profile stays meaningful for the part that runs.
func TestRateUntilAfterRunWarns(t *testing.T) {
	s, err := Parse("f.yaml", []byte(phasedFile), Options{Sets: []string{"duration=90s"}})
	require.NoError(t, err)
	var out bytes.Buffer
	s.PrintWarnings(&out)
	assert.Equal(t, "warning: f.yaml:7: producers[0].rate[1].until: 2m0s is after the end of the run (duration 1m30s): "+
		"the run stops during this phase, and the phase after it never runs\n", out.String())
	s, err = Parse("f.yaml", []byte(phasedFile), Options{})
	require.NoError(t, err)
	assert.Empty(t, s.Warnings)
}
