package scenario

import (
	"errors"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/model"
)

// FaultType names a kind of fault, as the key type spells it.
type FaultType string

// The faults a scenario can schedule (design §3, Faults).
const (
	FaultBrokerCrash     FaultType = "broker-crash"     // keys broker, mode; duration: restart after it
	FaultBrokerRestart   FaultType = "broker-restart"   // key broker: restart a crashed broker
	FaultSiteOutage      FaultType = "site-outage"      // keys site, power_loss: every node of the site stops
	FaultPartition       FaultType = "partition"        // keys groups, one_way: cut the links between groups
	FaultLatency         FaultType = "latency"          // keys between, rtt: the pair's RTT becomes rtt
	FaultBandwidth       FaultType = "bandwidth"        // keys between, bandwidth: the pair's bandwidth becomes it
	FaultLoss            FaultType = "loss"             // keys between, rate: the pair's packet loss becomes rate
	FaultControllerCrash FaultType = "controller-crash" // the active controller crashes; duration: restart after it
)

// CrashMode is how a broker crashes (key mode).
type CrashMode string

// Crash modes; CrashHard is the default.
const (
	CrashHard   CrashMode = "hard"   // the process dies; peers see its connections reset
	CrashSilent CrashMode = "silent" // the node stops answering; peers notice only by timeouts
	CrashClean  CrashMode = "clean"  // controlled shutdown: leadership moves away first
	CrashPower  CrashMode = "power"  // the host loses power: silent, and the logs lose what is not on disk
)

// Fault is one item of faults: plain data with the fields its type uses. Names are as the file
// gives them; Validate resolves them to ids.
type Fault struct {
	At       time.Duration // key at: when it starts, from the start of the run; 0 <= At < Duration
	Type     FaultType     // key type
	Duration time.Duration // key duration: how long it lasts; 0: to the end of the run

	Broker model.BrokerID // key broker (broker-crash, broker-restart): 1..number of brokers
	Mode   CrashMode      // key mode (broker-crash), default hard

	Site   string       // key site (site-outage)
	SiteID model.SiteID // Site, resolved by Validate
	// PowerLoss (key power_loss, site-outage, default false): the site loses power, so its
	// brokers' logs lose what the OS had not yet written back (hardware.dirty_expire).
	PowerLoss bool

	Groups   [][]string       // key groups (partition): disjoint groups of sites, at least 2
	GroupIDs [][]model.SiteID // Groups, resolved by Validate
	// OneWay (key one_way, default false) cuts only traffic from Groups[0] to the other groups.
	// Sites in no group keep all their links.
	OneWay bool

	Between    [2]string       // key between (latency, bandwidth, loss): two distinct sites, both directions
	BetweenIDs [2]model.SiteID // Between, resolved by Validate

	RTT       model.DistSpec // key rtt (latency)
	Bandwidth model.BitRate  // key bandwidth (bandwidth), > 0
	Loss      float64        // key rate (loss), in [0, 1)

	Generated bool // drawn by random_faults
}

var (
	faultTypes = []FaultType{FaultBrokerCrash, FaultBrokerRestart, FaultSiteOutage, FaultPartition,
		FaultLatency, FaultBandwidth, FaultLoss, FaultControllerCrash}
	crashModes = []string{string(CrashHard), string(CrashSilent), string(CrashClean), string(CrashPower)}
)

// faultKeys are the keys each fault type takes besides at and type; the required ones first,
// up to faultRequired.
var (
	faultKeys = map[FaultType][]string{
		FaultBrokerCrash:     {"broker", "mode", "duration"},
		FaultBrokerRestart:   {"broker"},
		FaultSiteOutage:      {"site", "duration", "power_loss"},
		FaultPartition:       {"groups", "one_way", "duration"},
		FaultLatency:         {"between", "rtt", "duration"},
		FaultBandwidth:       {"between", "bandwidth", "duration"},
		FaultLoss:            {"between", "rate", "duration"},
		FaultControllerCrash: {"duration"},
	}
	faultRequired = map[FaultType]int{FaultBrokerCrash: 1, FaultBrokerRestart: 1, FaultSiteOutage: 1,
		FaultPartition: 1, FaultLatency: 2, FaultBandwidth: 2, FaultLoss: 2}
)

func (d *decoder) faults(n *yaml.Node, path string) []Fault {
	var out []Fault
	d.list(n, path, func(v *yaml.Node, p string, _ int) {
		if f, ok := d.fault(v, p); ok {
			out = append(out, f)
		}
	})
	return out
}

// fault decodes one fault; its type decides which other keys it takes.
func (d *decoder) fault(n *yaml.Node, path string) (Fault, bool) {
	f := Fault{Mode: CrashHard}
	if n = resolve(n); n == nil || n.Kind != yaml.MappingNode {
		d.errorf(n, path, "want a mapping of keys, got %s", describe(n))
		return f, false
	}
	var ok bool
	if f.Type, ok = d.faultType(n, path); !ok {
		return f, false
	}
	all := d.faultHandlers(&f)
	keys := faultKeys[f.Type]
	hs := handlers{"at": all["at"], "type": all["type"]}
	for _, k := range keys {
		hs[k] = all[k]
	}
	seen := d.mapping(n, path, hs, func(key string) string {
		if all[key] != nil {
			return "a " + string(f.Type) + " fault takes " + joinKeys(keys)
		}
		return ""
	})
	d.require(n, path, seen, append([]string{"at"}, keys[:faultRequired[f.Type]]...)...)
	return f, true
}

// faultType decodes the type of fault n, which must come first because it decides the other keys.
func (d *decoder) faultType(n *yaml.Node, path string) (FaultType, bool) {
	v := mappingValue(n, "type")
	if v == nil {
		d.errorf(n, keyPath(path, "type"), "required key is missing")
		return "", false
	}
	names := make([]string, len(faultTypes))
	for i, t := range faultTypes {
		names[i] = string(t)
	}
	before := len(d.errs)
	t := faultTypes[d.enum(v, keyPath(path, "type"), names)]
	return t, len(d.errs) == before
}

// faultHandlers decode every key a fault of any type can have into f.
func (d *decoder) faultHandlers(f *Fault) handlers {
	return handlers{
		"at":         func(v *yaml.Node, p string) { f.At = d.duration(v, p) },
		"type":       func(*yaml.Node, string) {},
		"duration":   func(v *yaml.Node, p string) { f.Duration = d.positiveDuration(v, p) },
		"broker":     func(v *yaml.Node, p string) { f.Broker = model.BrokerID(d.integer(v, p)) },
		"mode":       func(v *yaml.Node, p string) { f.Mode = CrashMode(crashModes[d.enum(v, p, crashModes)]) },
		"site":       func(v *yaml.Node, p string) { f.Site = d.str(v, p) },
		"power_loss": func(v *yaml.Node, p string) { f.PowerLoss = d.boolean(v, p) },
		"groups": func(v *yaml.Node, p string) {
			d.list(v, p, func(v *yaml.Node, p string, _ int) { f.Groups = append(f.Groups, d.names(v, p)) })
		},
		"one_way":   func(v *yaml.Node, p string) { f.OneWay = d.boolean(v, p) },
		"between":   func(v *yaml.Node, p string) { f.Between = d.pair(v, p) },
		"rtt":       func(v *yaml.Node, p string) { f.RTT = d.dist(v, p) },
		"bandwidth": func(v *yaml.Node, p string) { f.Bandwidth = d.bandwidth(v, p, true) },
		"rate":      func(v *yaml.Node, p string) { f.Loss = d.float(v, p) },
	}
}

// positiveDuration decodes a duration that must be positive when given.
func (d *decoder) positiveDuration(n *yaml.Node, path string) time.Duration {
	return parseAt(d, n, path, "a duration", func(s string) (time.Duration, error) {
		v, err := ParseDuration(s)
		if err == nil && v <= 0 {
			err = errors.New("must be positive (leave it out to last to the end of the run)")
		}
		return v, err
	})
}

// mappingValue returns the value of key in mapping n, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := resolve(n.Content[i]); k.Kind == yaml.ScalarNode && k.Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func joinKeys(keys []string) string { return strings.Join(append([]string{"at"}, keys...), ", ") }

// FaultsEnd returns when the last of faults ends: the latest at + duration, a broker-restart at
// its time. It is false when there is no fault, or a fault that lasts to the end of the run (no
// duration).
func FaultsEnd(faults []Fault) (time.Duration, bool) {
	var end time.Duration
	for _, f := range faults {
		switch {
		case f.Type == FaultBrokerRestart:
			end = max(end, f.At)
		case f.Duration > 0:
			end = max(end, f.At+f.Duration)
		default:
			return 0, false
		}
	}
	return end, len(faults) > 0
}
