package scenario

import (
	"math"
	"slices"

	"github.com/stretchsim/stretchsim/model"
)

// faults checks each fault and resolves its site names: a known type, 0 <= at < duration, a
// non-negative duration, an existing broker, known sites, disjoint partition groups, and sane
// link values.
func (v *validator) faults() {
	for i := range v.s.Faults {
		f := &v.s.Faults[i]
		p := indexPath("faults", i)
		if !slices.Contains(faultTypes, f.Type) {
			v.errorf(p+".type", "unknown fault type %q", f.Type)
			continue
		}
		if f.At < 0 {
			v.errorf(p+".at", "must not be negative, got %v", f.At)
		} else if v.s.Duration > 0 && f.At >= v.s.Duration {
			v.errorf(p+".at", "%v is not before the end of the run (duration %v)", f.At, v.s.Duration)
		}
		if f.Duration < 0 {
			v.errorf(p+".duration", "must not be negative, got %v", f.Duration)
		}
		v.fault(p, f)
	}
}

// fault checks and resolves the fields of f's type.
func (v *validator) fault(p string, f *Fault) {
	switch f.Type {
	case FaultBrokerCrash, FaultBrokerRestart:
		if f.Broker < 1 || int(f.Broker) > v.brokers {
			v.errorf(p+".broker", "no broker %d: broker ids are 1 to %d", f.Broker, v.brokers)
		}
		if f.Type == FaultBrokerCrash && !slices.Contains(crashModes, string(f.Mode)) {
			v.errorf(p+".mode", "unknown crash mode %q (want hard, silent, clean or power)", f.Mode)
		}
	case FaultSiteOutage:
		f.SiteID, _ = v.site(p+".site", f.Site)
	case FaultPartition:
		f.GroupIDs = v.groups(p+".groups", f.Groups)
	case FaultLatency, FaultBandwidth, FaultLoss:
		v.between(p, f)
	}
}

// groups checks the groups of a partition fault: at least two, none empty, no site twice.
func (v *validator) groups(p string, groups [][]string) [][]model.SiteID {
	if len(groups) < 2 {
		v.errorf(p, "want at least two groups of sites, got %d", len(groups))
	}
	where := map[string]string{}
	out := make([][]model.SiteID, len(groups))
	for i, g := range groups {
		gp := indexPath(p, i)
		if len(g) == 0 {
			v.errorf(gp, "a group must name at least one site")
		}
		for k, name := range g {
			np := indexPath(gp, k)
			id, ok := v.site(np, name)
			if !ok {
				continue
			}
			if other, dup := where[name]; dup {
				v.errorf(np, "site %q is already in %s: groups must not overlap", name, other)
				continue
			}
			where[name] = np
			out[i] = append(out[i], id)
		}
	}
	return out
}

// between checks and resolves the site pair of a link fault, and its new value.
func (v *validator) between(p string, f *Fault) {
	a, okA := v.site(p+".between[0]", f.Between[0])
	b, okB := v.site(p+".between[1]", f.Between[1])
	if okA && okB && a == b {
		v.errorf(p+".between", "names site %q twice: a link joins two distinct sites", f.Between[0])
	}
	f.BetweenIDs = [2]model.SiteID{a, b}
	switch f.Type {
	case FaultLatency:
		v.rtt(p+".rtt", f.RTT)
	case FaultBandwidth:
		if !(f.Bandwidth > 0) || math.IsInf(float64(f.Bandwidth), 0) {
			v.errorf(p+".bandwidth", "must be positive and finite, got %s", FormatBitRate(f.Bandwidth))
		}
		v.bandwidthBound(p+".bandwidth", f.Bandwidth)
	case FaultLoss:
		if !(f.Loss >= 0 && f.Loss < 1) {
			v.errorf(p+".rate", "must be in [0, 1), got %g", f.Loss)
		}
	}
}
