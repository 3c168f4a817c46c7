package scenario

import (
	"fmt"
	"strings"
	"time"

	"github.com/stretchsim/stretchsim/workloads"
)

// RateProfile is a producer rate that changes over the run: key rate given as a list of phases,
// or as {daily: {...}}. Exactly one of Phases and Daily is set. Its rates are converted to
// records per second with the producer's record_size, so byte and record rates may be mixed,
// and each may be 0 (a pause).
type RateProfile struct {
	// Phases are the items of the rate list, in time order.
	Phases []Phase
	// Daily is the key rate.daily, or nil.
	Daily *Daily
}

// Phase is one item of a rate list: it runs from the previous phase's until (0 for the first)
// to its own.
type Phase struct {
	// Until is when the phase ends, since the start of the run (key until, > 0; required but on
	// the last phase, where 0 means "not given": to the end of the run). When the last phase
	// has an until, the producer sends nothing after it.
	Until time.Duration
	// Rate is the rate held through the phase (key rate) or, with Ramp, the rate a linear ramp
	// from the previous phase's end reaches at Until (key ramp_to); >= 0.
	Rate Rate
	// Ramp is set when the rate was given as ramp_to.
	Ramp bool
}

// Daily is the key rate.daily: a cosine between Trough and Peak over Period, peaking at clock
// time PeakAt, the run beginning at clock time StartAt (workloads.Daily). Clock times are on a
// 24-hour day scaled to Period: with a shorter period a clock hour lasts Period/24.
type Daily struct {
	Trough  Rate          // key trough (required), >= 0
	Peak    Rate          // key peak (required), >= Trough
	PeakAt  time.Duration // key peak_at (required): clock time of the peak, from 0h to 24h (excluded)
	StartAt time.Duration // key start_at: clock time at which the run begins, default 0h
	Period  time.Duration // key period: one day of the curve, default 24h
}

// Workload returns the profile as package workloads takes it; the zero Profile for nil.
func (p *RateProfile) Workload() workloads.Profile {
	if p == nil {
		return workloads.Profile{}
	}
	var out workloads.Profile
	for _, ph := range p.Phases {
		out.Phases = append(out.Phases, workloads.Phase{Until: ph.Until, Rate: workloads.Rate(ph.Rate), Ramp: ph.Ramp})
	}
	if d := p.Daily; d != nil {
		out.Daily = &workloads.Daily{Trough: workloads.Rate(d.Trough), Peak: workloads.Rate(d.Peak),
			PeakAt: d.PeakAt, StartAt: d.StartAt, Period: d.Period}
	}
	return out
}

// String writes the profile as a scenario's rate key takes it, in YAML flow style:
// "[{until: 1m, rate: 10MB/s}, {until: 2m, ramp_to: 40MB/s}, {rate: 20MB/s}]" or
// "{daily: {trough: 5MB/s, peak: 40MB/s, peak_at: 14h, start_at: 9h, period: 24h}}".
func (p *RateProfile) String() string {
	if p == nil {
		return ""
	}
	if d := p.Daily; d != nil {
		return "{daily: {trough: " + d.Trough.String() + ", peak: " + d.Peak.String() + ", peak_at: " + shortDuration(d.PeakAt) +
			", start_at: " + shortDuration(d.StartAt) + ", period: " + shortDuration(d.Period) + "}}"
	}
	items := make([]string, len(p.Phases))
	for i, ph := range p.Phases {
		var kv []string
		if ph.Until != 0 {
			kv = append(kv, "until: "+shortDuration(ph.Until))
		}
		key := "rate: "
		if ph.Ramp {
			key = "ramp_to: "
		}
		items[i] = "{" + strings.Join(append(kv, key+ph.Rate.String()), ", ") + "}"
	}
	return "[" + strings.Join(items, ", ") + "]"
}

// Describe says the profile in words: "10MB/s until 1m, then a ramp to 40MB/s by 2m, then a
// pause until 2m30s, then 20MB/s" (", then nothing" when the last phase ends), or "a daily curve from 5MB/s to 40MB/s
// peaking at 14h (the run starts at 9h; period 24h)".
func (p *RateProfile) Describe() string {
	if p == nil {
		return ""
	}
	if d := p.Daily; d != nil {
		return fmt.Sprintf("a daily curve from %s to %s peaking at %s (the run starts at %s; period %s)",
			d.Trough, d.Peak, shortDuration(d.PeakAt), shortDuration(d.StartAt), shortDuration(d.Period))
	}
	var parts []string
	for _, ph := range p.Phases {
		s := ph.Rate.String()
		switch {
		case ph.Rate == (Rate{}) && !ph.Ramp && ph.Until != 0:
			s = "a pause until " + shortDuration(ph.Until)
		case ph.Rate == (Rate{}) && !ph.Ramp:
			s = "nothing"
		case ph.Ramp && ph.Until != 0:
			s = "a ramp to " + s + " by " + shortDuration(ph.Until)
		case ph.Ramp:
			s = "a ramp to " + s
		case ph.Until != 0:
			s += " until " + shortDuration(ph.Until)
		}
		parts = append(parts, s)
	}
	if n := len(p.Phases); n > 0 && p.Phases[n-1].Until != 0 {
		parts = append(parts, "nothing")
	}
	return strings.Join(parts, ", then ")
}

// shortDuration is d as time.Duration writes it, without zero trailing units: "1m", "14h",
// "1m30s", "0s".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// MeanBytesPerSec returns the mean rate one instance of pr sends over [from, to), in bytes per
// second: a single rate as given (records/s times record_size), a profile's ∫λ over the span
// divided by it. from < to; pr must be valid.
func (pr Producer) MeanBytesPerSec(from, to time.Duration) float64 {
	if pr.Profile == nil {
		if pr.Rate.BytesPerSec != 0 {
			return pr.Rate.BytesPerSec
		}
		return pr.Rate.RecordsPerSec * float64(pr.RecordSize)
	}
	ws := workloads.Spec{Profile: pr.Profile.Workload(), RecordSize: pr.RecordSize}
	return ws.MeanRecordsPerSec(from, to) * float64(pr.RecordSize)
}
