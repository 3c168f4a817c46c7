package scenario

import (
	"strconv"
	"time"

	"github.com/stretchsim/stretchsim/model"
)

// validator checks a Scenario, locating each problem by the path of the offending value.
type validator struct {
	located
	s       *Scenario
	siteIDs map[string]model.SiteID
	brokers int // brokers over all sites
}

// Validate reports every problem of s at once, each located in s.File by line and path, sorted
// by line: simulation settings (duration > 0, 0 <= warmup < duration, metrics_interval >= 1ms),
// sites (at least one; unique non-empty names; counts >= 0; a site with neither brokers nor
// controllers only where a client runs; at least one broker and one controller overall; racks
// not shared between sites), the network (known, distinct sites in links; valid RTT
// distributions; jitter >= 0; bandwidth positive or unlimited, 0 meaning not given; loss in
// [0, 1)), the Kafka settings (each config's Validate), topics, clients and faults. It also
// resolves the site names of Faults to ids.
func (s *Scenario) Validate() error {
	v := &validator{located: located{file: s.File, lines: s.lines}, s: s, siteIDs: map[string]model.SiteID{}}
	v.settings()
	v.bounds()
	v.names()
	v.sites()
	v.network()
	v.configs()
	v.topics()
	v.producers()
	v.consumers()
	v.randomFaults()
	v.faults()
	s.Warnings = sortedWarnings(v.warns)
	return joinSorted(v.errs)
}

func (v *validator) settings() {
	s := v.s
	if s.Duration <= 0 {
		v.errorf("duration", "must be positive, got %v", s.Duration)
	}
	if s.Warmup < 0 {
		v.errorf("warmup", "must not be negative, got %v", s.Warmup)
	} else if s.Duration > 0 && s.Warmup >= s.Duration {
		v.errorf("warmup", "%v must be shorter than duration %v", s.Warmup, s.Duration)
	}
	if s.MetricsInterval < time.Millisecond {
		v.errorf("metrics_interval", "must be at least 1ms, got %v", s.MetricsInterval)
	}
}

// maxControllers bounds the KRaft voters: a quorum is 3 or 5 in practice; more than this is a typo.
const maxControllers = 99

func (v *validator) sites() {
	if len(v.s.Sites) == 0 {
		v.errorf("sites", "at least one site is needed")
		return
	}
	controllers := 0
	clients := v.clientSites()
	for i, site := range v.s.Sites {
		p := indexPath("sites", i)
		v.siteName(i, site.Name)
		if site.Brokers < 0 {
			v.errorf(p+".brokers", "must not be negative, got %d", site.Brokers)
		}
		if site.Controllers < 0 {
			v.errorf(p+".controllers", "must not be negative, got %d", site.Controllers)
		}
		// A site with no nodes of the cluster is a client-only site (an application data
		// centre) if a producer or consumer runs there; with no client either it is a typo.
		if site.Brokers == 0 && site.Controllers == 0 && !clients[site.Name] {
			v.errorf(p, "site %q has no brokers, no controllers and no clients", site.Name)
		}
		v.brokers += max(site.Brokers, 0)
		controllers += max(site.Controllers, 0)
	}
	v.racks()
	switch {
	case v.brokers == 0:
		v.errorf("sites", "no site has a broker")
	case v.brokers >= model.FirstControllerID:
		v.errorf("sites", "%d brokers: at most %d are supported", v.brokers, model.FirstControllerID-1)
	}
	switch {
	case controllers == 0:
		v.errorf("sites", "no site has a controller: KRaft needs at least one voter")
	case controllers > maxControllers:
		v.errorf("sites", "%d controllers: at most %d KRaft voters are supported", controllers, maxControllers)
	}
}

// clientSites returns the names of the sites at which a producer or a consumer runs.
func (v *validator) clientSites() map[string]bool {
	out := map[string]bool{}
	for _, p := range v.s.Producers {
		out[p.Site] = true
	}
	for _, c := range v.s.Consumers {
		out[c.Site] = true
	}
	return out
}

func (v *validator) siteName(i int, name string) {
	p := indexPath("sites", i) + ".name"
	if name == "" {
		v.errorf(p, "must not be empty")
		return
	}
	if j, dup := v.siteIDs[name]; dup {
		v.errorf(p, "site %q is already sites[%d]", name, j)
		return
	}
	v.siteIDs[name] = model.SiteID(i)
}

// racks checks that no rack (a site's racks, or its name when it has none) spans two sites:
// rack-aware placement would take the two sites for one.
func (v *validator) racks() {
	owner := map[string]int{}
	for i, site := range v.s.Sites {
		racks, p := site.Racks, indexPath("sites", i)+".racks"
		if len(racks) == 0 && site.Brokers > 0 && v.siteIDs[site.Name] == model.SiteID(i) && site.Name != "" {
			racks, p = []string{site.Name}, indexPath("sites", i)+".name"
		}
		for k, r := range racks {
			rp := p
			if len(site.Racks) > 0 {
				rp = indexPath(p, k)
			}
			if j, used := owner[r]; r == "" {
				v.errorf(rp, "rack name must not be empty")
			} else if used && j != i {
				v.errorf(rp, "rack %q is also a rack of sites[%d] (%s)", r, j, v.s.Sites[j].Name)
			} else {
				owner[r] = i
			}
		}
	}
}

// site checks that the site name at path exists.
func (v *validator) site(path, name string) (model.SiteID, bool) {
	if id, ok := v.siteIDs[name]; ok {
		return id, true
	}
	v.unknown(path, "site", name, v.siteNames())
	return 0, false
}

func (v *validator) siteNames() []string {
	out := make([]string, 0, len(v.s.Sites))
	for _, s := range v.s.Sites {
		out = append(out, s.Name)
	}
	return out
}

// unknown reports a reference to an unknown item, suggesting the nearest known one.
func (v *validator) unknown(path, what, name string, known []string) {
	if s, ok := closestName(name, known); ok {
		v.errorf(path, "unknown %s %q (did you mean %q?)", what, name, s)
	} else if len(known) > 0 && len(known) <= 10 {
		v.errorf(path, "unknown %s %q (want one of %v)", what, name, known)
	} else {
		v.errorf(path, "unknown %s %q", what, name)
	}
}

func (v *validator) network() {
	nw := v.s.Network
	v.link("network.intra_site", nw.IntraSite)
	v.link("network.inter_site", nw.InterSite)
	// The inter-site RTT is what a stretch cluster is about: it has no default.
	if len(v.s.Sites) > 1 && !nw.InterSite.HasRTT && !v.everyPairLinked() {
		v.errorf("network.inter_site.rtt", "missing: give the default round-trip time between sites (e.g. 2ms), or an rtt in network.links for every pair")
	}
	seen := map[[2]string]int{}
	for i, l := range nw.Links {
		p := indexPath("network.links", i)
		v.link(p, l.LinkSpec)
		a, okA := v.site(p+".between[0]", l.Between[0])
		b, okB := v.site(p+".between[1]", l.Between[1])
		if okA && okB && a == b {
			v.errorf(p+".between", "names site %q twice: a link joins two distinct sites", l.Between[0])
		}
		key := l.Between
		if key[1] < key[0] {
			key[0], key[1] = key[1], key[0]
		}
		if j, dup := seen[key]; dup && okA && okB {
			v.errorf(p+".between", "the link %s–%s is already network.links[%d]", key[0], key[1], j)
		}
		seen[key] = i
	}
}

// everyPairLinked reports whether network.links gives an RTT for every pair of sites.
func (v *validator) everyPairLinked() bool {
	has := map[[2]string]bool{}
	for _, l := range v.s.Network.Links {
		if l.HasRTT {
			has[[2]string{l.Between[0], l.Between[1]}] = true
			has[[2]string{l.Between[1], l.Between[0]}] = true
		}
	}
	for i, a := range v.s.Sites {
		for _, b := range v.s.Sites[i+1:] {
			if !has[[2]string{a.Name, b.Name}] {
				return false
			}
		}
	}
	return true
}

func (v *validator) link(path string, l model.LinkSpec) {
	if l.HasRTT {
		v.rtt(path+".rtt", l.RTT)
	}
	if l.Jitter < 0 {
		v.errorf(path+".jitter", "must not be negative, got %v", l.Jitter)
	} else if l.Jitter > MaxRTT {
		v.errorf(path+".jitter", "%v is above %v, the most jitter stretchsim accepts (MaxRTT)", l.Jitter, MaxRTT)
	}
	if !(l.Bandwidth >= 0) {
		v.errorf(path+".bandwidth", "must be positive or %s, got %v", Unlimited, l.Bandwidth)
	}
	v.bandwidthBound(path+".bandwidth", l.Bandwidth)
	if !(l.Loss >= 0 && l.Loss < 1) {
		v.errorf(path+".loss", "must be in [0, 1), got %g", l.Loss)
	}
}

func (v *validator) configs() {
	v.add("broker", v.s.Broker.Validate())
	v.add("controller", v.s.Controller.Validate())
	h := v.s.Hardware
	if h.RequestCPUTime < 0 {
		v.errorf("hardware.request_cpu_time", "must not be negative, got %v", h.RequestCPUTime)
	}
	v.byteRate("hardware.cpu_bytes_per_second", h.CPUBytesPerSecond)
	v.byteRate("hardware.disk_write_bandwidth", h.DiskWriteBandwidth)
	if h.DirtyExpire < 0 {
		v.errorf("hardware.dirty_expire", "must not be negative, got %v", h.DirtyExpire)
	}
	if h.DirtyWriteback < 0 {
		v.errorf("hardware.dirty_writeback", "must not be negative, got %v (0 turns periodic writeback off)", h.DirtyWriteback)
	}
	for _, m := range []struct {
		path string
		max  model.Bytes
	}{{"hardware.rmem_max", h.RmemMax}, {"hardware.wmem_max", h.WmemMax}} {
		if m.max != 0 && m.max < MinSocketBufferMax { // 0: no cap, in a scenario built in code
			v.errorf(m.path, "%v is below %v, the smallest socket buffer cap stretchsim accepts (Linux's default is 212992)",
				m.max, MinSocketBufferMax)
		}
	}
	v.hardwareBounds(h)
	v.bufferCaps()
}

// bufferCaps warns about a socket buffer set above the hosts' cap on it (hardware.rmem_max,
// wmem_max): Linux gives the socket the cap, so the setting does not do what it says.
func (v *validator) bufferCaps() {
	h := v.s.Hardware
	check := func(path string, buf, limit model.Bytes, key string) {
		if buf > 0 && limit > 0 && buf > limit {
			v.warnf(path, "%v is above the hosts' net.core.%s (hardware.%s, %v): Linux gives the socket %v; raise hardware.%s "+
				"if your hosts allow more", buf, key, key, limit, limit, key)
		}
	}
	b := v.s.Broker
	check("broker.replica.socket.receive.buffer.bytes", b.ReplicaSocketReceiveBuffer, h.RmemMax, "rmem_max")
	check("broker.socket.receive.buffer.bytes", b.SocketReceiveBuffer, h.RmemMax, "rmem_max")
	check("broker.socket.send.buffer.bytes", b.SocketSendBuffer, h.WmemMax, "wmem_max")
	for i, p := range v.s.Producers {
		at := indexPath("producers", i) + ".config."
		check(at+"receive.buffer.bytes", p.Config.ReceiveBuffer, h.RmemMax, "rmem_max")
		check(at+"send.buffer.bytes", p.Config.SendBuffer, h.WmemMax, "wmem_max")
	}
	for i, c := range v.s.Consumers {
		at := indexPath("consumers", i) + ".config."
		check(at+"receive.buffer.bytes", c.Config.ReceiveBuffer, h.RmemMax, "rmem_max")
		check(at+"send.buffer.bytes", c.Config.SendBuffer, h.WmemMax, "wmem_max")
	}
}

// byteRate checks a hardware throughput: positive or unlimited (+Inf; 0 also means unlimited in
// a scenario built in code, but the decoder refuses a 0 written in a file).
func (v *validator) byteRate(path string, r model.ByteRate) {
	if !(r >= 0) {
		v.errorf(path, "must be positive or %s, got %v", Unlimited, r)
	}
}

// MaxNegativeFraction is the share of a normal RTT's draws below zero above which Validate warns:
// those draws are clamped to a zero RTT, so the distribution is no longer the normal written.
const MaxNegativeFraction = 0.001

// rtt checks the round-trip time distribution d at path, and warns when it is clamped at zero
// more often than MaxNegativeFraction of the time.
func (v *validator) rtt(path string, d model.DistSpec) {
	if err := d.Validate(); err != nil {
		v.add(path, err)
		return
	}
	v.rttBound(path, d)
	if f := d.NegativeFraction(); f > MaxNegativeFraction {
		v.warnf(path, "%s draws below zero %s of the time, and those draws are clamped to a zero RTT; "+
			"for a skewed RTT that stays positive use lognormal(median=..., p99=...)", d, percent(f))
	}
}

// percent formats a fraction as a percentage with 3 significant digits: "30.9%".
func percent(f float64) string { return strconv.FormatFloat(100*f, 'g', 3, 64) + "%" }
