package scenario

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/workloads"
)

// producerRate decodes a producer's key rate: one rate ("20MB/s", > 0), a list of phases, or
// {daily: {...}}; it returns the rate or the profile.
func (d *decoder) producerRate(n *yaml.Node, path string) (Rate, *RateProfile) {
	switch r := resolve(n); {
	case r != nil && r.Kind == yaml.SequenceNode:
		return Rate{}, &RateProfile{Phases: d.phases(r, path)}
	case r != nil && r.Kind == yaml.MappingNode:
		return Rate{}, d.rateShape(r, path)
	}
	return d.rate(n, path), nil
}

// phaseExample is what a list of phases looks like, for error messages.
const phaseExample = "[{until: 60s, rate: 10MB/s}, {until: 120s, ramp_to: 40MB/s}, {rate: 20MB/s}]"

// phases decodes a rate list: each item {until, rate} or {until, ramp_to}.
func (d *decoder) phases(n *yaml.Node, path string) []Phase {
	if len(n.Content) == 0 {
		d.errorf(n, path, "an empty list: give one phase at least, e.g. %s", phaseExample)
		return nil
	}
	var out []Phase
	d.list(n, path, func(v *yaml.Node, p string, _ int) {
		var ph Phase
		if v.Kind != yaml.MappingNode {
			d.errorf(v, p, "want a phase such as {until: 60s, rate: 10MB/s}, got %s", describe(v))
			return
		}
		seen := d.mapping(v, p, handlers{
			"until":   func(v *yaml.Node, p string) { ph.Until = d.phaseUntil(v, p) },
			"rate":    func(v *yaml.Node, p string) { ph.Rate = d.phaseRate(v, p) },
			"ramp_to": func(v *yaml.Node, p string) { ph.Rate, ph.Ramp = d.phaseRate(v, p), true },
		}, nil)
		rate, ramp := seen["rate"], seen["ramp_to"]
		switch {
		case rate != nil && ramp != nil:
			// Blamed on the later key: one a --set added comes last.
			key, k := "ramp_to", ramp
			if later(v, rate, ramp) {
				key, k = "rate", rate
			}
			d.errorf(k, keyPath(p, key), "give rate (held through the phase) or ramp_to (a linear ramp to it), not both")
		case rate == nil && ramp == nil && !d.suggested[keyPath(p, "rate")] && !d.suggested[keyPath(p, "ramp_to")]:
			d.errorf(v, p, "give rate: (held through the phase) or ramp_to: (a linear ramp from the previous phase's rate)")
		}
		out = append(out, ph)
	})
	return out
}

// later reports whether the key node a comes after the key node b in mapping m.
func later(m, a, b *yaml.Node) bool {
	for _, k := range m.Content {
		switch k {
		case a:
			return false
		case b:
			return true
		}
	}
	return false
}

// phaseUntil decodes a phase's end, which must be positive.
func (d *decoder) phaseUntil(n *yaml.Node, path string) time.Duration {
	return parseAt(d, n, path, "a duration", func(s string) (time.Duration, error) {
		v, err := ParseDuration(s)
		if err == nil && v <= 0 {
			err = fmt.Errorf("%q must be positive: the time since the start of the run at which the phase ends", s)
		}
		return v, err
	})
}

// phaseRate decodes a rate of a profile: as a producer rate, or 0 (a pause), not negative.
func (d *decoder) phaseRate(n *yaml.Node, path string) workloads.Rate {
	return parseAt(d, n, path, "a rate", func(s string) (workloads.Rate, error) {
		if strings.TrimSpace(s) == "0" {
			return workloads.Rate{}, nil
		}
		r, err := ParseRate(s)
		if err == nil && r.BytesPerSec+r.RecordsPerSec < 0 {
			err = fmt.Errorf("%q must not be negative", s)
		}
		return workloads.Rate(r), err
	})
}

// rateShape decodes the mapping form of a rate: {daily: {...}}.
func (d *decoder) rateShape(n *yaml.Node, path string) *RateProfile {
	var p RateProfile
	seen := d.mapping(n, path, handlers{
		"daily": func(v *yaml.Node, path string) { p.Daily = d.daily(v, path) },
	}, nil)
	if seen != nil && len(seen) == 0 {
		d.errorf(n, path, "want a rate (20MB/s), a list of phases (%s) or {daily: {...}}", phaseExample)
	}
	return &p
}

// daily decodes rate.daily.
func (d *decoder) daily(n *yaml.Node, path string) *Daily {
	out := Daily{Period: workloads.DefaultDailyPeriod}
	seen := d.mapping(n, path, handlers{
		"trough":   func(v *yaml.Node, p string) { out.Trough = d.phaseRate(v, p) },
		"peak":     func(v *yaml.Node, p string) { out.Peak = d.phaseRate(v, p) },
		"peak_at":  func(v *yaml.Node, p string) { out.PeakAt = d.duration(v, p) },
		"start_at": func(v *yaml.Node, p string) { out.StartAt = d.duration(v, p) },
		"period":   func(v *yaml.Node, p string) { out.Period = d.duration(v, p) },
	}, nil)
	d.require(n, path, seen, "trough", "peak", "peak_at")
	return &out
}
