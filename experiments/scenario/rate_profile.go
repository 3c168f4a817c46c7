package scenario

import (
	"fmt"
	"strings"
	"time"

	"github.com/stretchsim/stretchsim/workloads"
)

// RateProfile is a producer rate that changes over the run: key rate given as a list of phases,
// or as {daily: {...}}. It is workloads.Profile (exactly one of Phases and Daily is set), with
// the scenario's spelling (String) and wording (Describe). Its rates are converted to records per
// second with the producer's record_size, so byte and record rates may be mixed, and each may be
// 0 (a pause).
type RateProfile workloads.Profile

// Phase is one item of a rate list (keys until, rate, ramp_to), and Daily the key rate.daily
// (keys trough, peak, peak_at, start_at, period): the file's keys map one to one onto the
// fields of workloads' types. A phase's until is 0 when not given (the last phase only).
type (
	Phase = workloads.Phase
	Daily = workloads.Daily
)

// Workload returns the profile as package workloads takes it; the zero Profile for nil.
func (p *RateProfile) Workload() workloads.Profile {
	if p == nil {
		return workloads.Profile{}
	}
	return workloads.Profile(*p)
}

// String writes the profile as a scenario's rate key takes it, in YAML flow style:
// "[{until: 1m, rate: 10MB/s}, {until: 2m, ramp_to: 40MB/s}, {rate: 20MB/s}]" or
// "{daily: {trough: 5MB/s, peak: 40MB/s, peak_at: 14h, start_at: 9h, period: 24h}}".
func (p *RateProfile) String() string {
	if p == nil {
		return ""
	}
	if d := p.Daily; d != nil {
		return "{daily: {trough: " + Rate(d.Trough).String() + ", peak: " + Rate(d.Peak).String() + ", peak_at: " + shortDuration(d.PeakAt) +
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
		items[i] = "{" + strings.Join(append(kv, key+Rate(ph.Rate).String()), ", ") + "}"
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
			Rate(d.Trough), Rate(d.Peak), shortDuration(d.PeakAt), shortDuration(d.StartAt), shortDuration(d.Period))
	}
	var parts []string
	for _, ph := range p.Phases {
		r := Rate(ph.Rate)
		s := r.String()
		switch {
		case r == (Rate{}) && !ph.Ramp && ph.Until != 0:
			s = "a pause until " + shortDuration(ph.Until)
		case r == (Rate{}) && !ph.Ramp:
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
// second: a single rate as given, a profile's ∫λ over the span divided by it. from < to; pr must
// be valid.
func (pr Producer) MeanBytesPerSec(from, to time.Duration) float64 {
	return pr.Workload().MeanRecordsPerSec(from, to) * float64(pr.RecordSize)
}

// Workload returns the workload of one instance of p as package workloads takes it.
func (p Producer) Workload() workloads.Spec {
	ws := workloads.Spec{
		Rate:       workloads.Rate{BytesPerSec: p.Rate.BytesPerSec, RecordsPerSec: p.Rate.RecordsPerSec},
		Profile:    p.Profile.Workload(),
		RecordSize: p.RecordSize, On: p.Arrival.On, Off: p.Arrival.Off,
		KeyCount: p.Keys.Count, ZipfS: p.Keys.ZipfS,
	}
	switch p.Arrival.Kind {
	case ArrivalConstant:
		ws.Process = workloads.Constant
	case ArrivalOnOff:
		ws.Process = workloads.OnOff
	default:
		ws.Process = workloads.Poisson
	}
	switch p.Keys.Kind {
	case KeysUniform:
		ws.Keys = workloads.UniformKeys
	case KeysZipf:
		ws.Keys = workloads.ZipfKeys
	default:
		ws.Keys, ws.KeyCount = workloads.NoKeys, 0
	}
	return ws
}
