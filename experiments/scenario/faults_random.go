package scenario

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/sim"
)

// RandomFaults is the key random_faults: faults drawn from a seed instead of listed. The drawn
// faults are added to Faults when the scenario is validated, and printed with the run's results
// as a scenario fragment, so that a run replays from text.
type RandomFaults struct {
	Count    int           // key count: how many faults
	Kinds    []FaultType   // key kinds: which types to draw from (default: every type but broker-restart), or power-loss
	Seed     uint64        // key seed: default the scenario's seed
	SeedSet  bool          // seed was given
	Duration time.Duration // key duration: each fault's length (default 30s)
	Start    time.Duration // key start: earliest start (default the warm-up)
	End      time.Duration // key end: latest end (default the run's duration)
	expanded bool
}

// MaxRandomFaults bounds random_faults.count (and explore --faults): far more faults than any run can use, small enough
// that drawing and validating them stays instant.
const MaxRandomFaults = 10_000

// defaultRandomKinds are the fault types random_faults draws from by default.
var defaultRandomKinds = []FaultType{FaultBrokerCrash, FaultSiteOutage, FaultPartition, FaultLatency,
	FaultBandwidth, FaultLoss, FaultControllerCrash}

// PowerLossKind is a kind random_faults draws from only when kinds names it: a site outage with
// power_loss (the site loses power; its brokers' logs lose what is not on disk). It is not a
// fault type of the faults list: it prints and replays as {type: site-outage, ..., power_loss: true}.
const PowerLossKind FaultType = "power-loss"

// drawnCrashModes are the modes a drawn broker crash picks from. A power loss is drawn only
// through PowerLossKind, so that the draws of a seed stay what they were.
var drawnCrashModes = []string{string(CrashHard), string(CrashSilent), string(CrashClean)}

func (d *decoder) randomFaults(n *yaml.Node, path string) *RandomFaults {
	r := &RandomFaults{Duration: 30 * time.Second}
	seen := d.mapping(n, path, handlers{
		"count":    func(v *yaml.Node, p string) { r.Count = d.integer(v, p) },
		"seed":     func(v *yaml.Node, p string) { r.Seed, r.SeedSet = parseAt(d, v, p, "a whole number", parseSeed), true },
		"duration": func(v *yaml.Node, p string) { r.Duration = d.positiveDuration(v, p) },
		"start":    func(v *yaml.Node, p string) { r.Start = d.duration(v, p) },
		"end":      func(v *yaml.Node, p string) { r.End = d.duration(v, p) },
		"kinds": func(v *yaml.Node, p string) {
			for _, k := range d.names(v, p) {
				r.Kinds = append(r.Kinds, FaultType(k))
			}
		},
	}, nil)
	d.require(n, path, seen, "count")
	return r
}

// expandRandomFaults draws the random faults (once) and appends them to s.Faults.
func (v *validator) randomFaults() {
	r := v.s.RandomFaults
	if r == nil || r.expanded {
		return
	}
	if len(v.s.Sites) == 0 {
		return // sites has its own error
	}
	start, end := max(r.Start, v.s.Warmup), r.End
	if end == 0 {
		end = v.s.Duration
	}
	kinds := r.Kinds
	if len(kinds) == 0 {
		// By default every kind the topology allows.
		for _, k := range defaultRandomKinds {
			if (len(v.s.Sites) >= 2 || !needsTwoSites(k)) && (v.brokers > 0 || k != FaultBrokerCrash) {
				kinds = append(kinds, k)
			}
		}
	}
	switch {
	case r.Count < 0:
		v.errorf("random_faults.count", "must not be negative, got %d", r.Count)
	case r.Count > MaxRandomFaults:
		v.errorf("random_faults.count", "%d is more than %d faults", r.Count, MaxRandomFaults)
	case r.Start < 0:
		v.errorf("random_faults.start", "must not be negative, got %v", r.Start)
	case r.End < 0 || r.End > v.s.Duration:
		v.errorf("random_faults.end", "%v is outside the run (duration %v)", r.End, v.s.Duration)
	case v.brokers == 0 && slices.Contains(kinds, FaultBrokerCrash):
		v.errorf("random_faults.kinds", "broker-crash needs a broker")
	case end-start < r.Duration:
		v.errorf("random_faults", "no room: faults of %v between %v and %v", r.Duration, start, end)
	case len(v.s.Sites) < 2 && slices.ContainsFunc(kinds, needsTwoSites):
		v.errorf("random_faults.kinds", "partition, latency, bandwidth and loss faults need two sites")
	default:
		for _, k := range kinds {
			if (!slices.Contains(faultTypes, k) && k != PowerLossKind) || k == FaultBrokerRestart {
				v.errorf("random_faults.kinds", "cannot draw fault type %q", k)
				return
			}
		}
		seed := v.s.Seed
		if r.SeedSet {
			seed = r.Seed
		}
		v.s.Faults = append(v.s.Faults, drawFaults(v.s, v.brokers, r, kinds, seed, start, end)...)
		r.expanded = true
	}
}

func needsTwoSites(k FaultType) bool {
	return k == FaultPartition || k == FaultLatency || k == FaultBandwidth || k == FaultLoss
}

// drawFaults draws r.Count faults from the stream "faults/random" of seed, in time order.
func drawFaults(s *Scenario, brokers int, r *RandomFaults, kinds []FaultType, seed uint64, start, end time.Duration) []Fault {
	rnd := sim.NewStream(seed, "faults/random")
	var out []Fault
	for range r.Count {
		f := Fault{Type: kinds[rnd.IntN(len(kinds))], Duration: r.Duration, Generated: true, Mode: CrashHard,
			At: start + time.Duration(rnd.Int64N(int64(end-start-r.Duration)+1)).Truncate(time.Millisecond)}
		a := rnd.IntN(len(s.Sites))
		b := (a + 1 + rnd.IntN(max(len(s.Sites)-1, 1))) % len(s.Sites)
		switch f.Type {
		case FaultBrokerCrash:
			f.Broker = model.BrokerID(1 + rnd.IntN(brokers))
			f.Mode = CrashMode(drawnCrashModes[rnd.IntN(len(drawnCrashModes))])
		case FaultSiteOutage:
			f.Site = s.Sites[a].Name
		case PowerLossKind:
			f.Type, f.Site, f.PowerLoss = FaultSiteOutage, s.Sites[a].Name, true
		case FaultPartition:
			f.Groups = [][]string{{s.Sites[a].Name}, otherSites(s, a)}
		case FaultLatency:
			f.Between, f.RTT = [2]string{s.Sites[a].Name, s.Sites[b].Name}, model.Constant(200*time.Millisecond)
		case FaultBandwidth:
			f.Between, f.Bandwidth = [2]string{s.Sites[a].Name, s.Sites[b].Name}, 100e6
		case FaultLoss:
			f.Between, f.Loss = [2]string{s.Sites[a].Name, s.Sites[b].Name}, 0.01
		}
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(x, y Fault) int { return int(x.At - y.At) })
	return out
}

func otherSites(s *Scenario, skip int) []string {
	var out []string
	for i, st := range s.Sites {
		if i != skip {
			out = append(out, st.Name)
		}
	}
	return out
}

// YAML returns the fault as a line of a scenario's faults list, written by the YAML encoder so
// that any site name (a comma, a colon, a name that reads as a number) replays as itself.
func (f Fault) YAML() string {
	m := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	add := func(key string, v *yaml.Node) { m.Content = append(m.Content, flowStr(key), v) }
	num := func(tag, v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v} }
	pair := func(a, b string) *yaml.Node { return flowSeq(flowStr(a), flowStr(b)) }
	add("at", flowStr(fmtDur(f.At)))
	add("type", flowStr(string(f.Type)))
	switch f.Type {
	case FaultBrokerCrash:
		add("broker", num("!!int", strconv.Itoa(int(f.Broker))))
		add("mode", flowStr(string(f.Mode)))
	case FaultBrokerRestart:
		add("broker", num("!!int", strconv.Itoa(int(f.Broker))))
	case FaultSiteOutage:
		add("site", flowStr(f.Site))
		if f.PowerLoss {
			add("power_loss", num("!!bool", "true"))
		}
	case FaultPartition:
		groups := flowSeq()
		for _, g := range f.Groups {
			names := flowSeq()
			for _, n := range g {
				names.Content = append(names.Content, flowStr(n))
			}
			groups.Content = append(groups.Content, names)
		}
		add("groups", groups)
		add("one_way", num("!!bool", strconv.FormatBool(f.OneWay)))
	case FaultLatency:
		add("between", pair(f.Between[0], f.Between[1]))
		add("rtt", flowStr(f.RTT.String()))
	case FaultBandwidth:
		add("between", pair(f.Between[0], f.Between[1]))
		add("bandwidth", flowStr(FormatBitRate(f.Bandwidth)))
	case FaultLoss:
		add("between", pair(f.Between[0], f.Between[1]))
		add("rate", num("!!float", strconv.FormatFloat(f.Loss, 'g', -1, 64)))
	}
	if f.Duration > 0 {
		add("duration", flowStr(fmtDur(f.Duration)))
	}
	out, err := yaml.Marshal(m)
	if err != nil { // nodes built here always encode
		panic(fmt.Sprintf("scenario: encoding a fault: %v", err))
	}
	return "- " + strings.TrimSpace(string(out))
}

func flowStr(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func flowSeq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Content: items}
}

func fmtDur(d time.Duration) string { return d.String() }
