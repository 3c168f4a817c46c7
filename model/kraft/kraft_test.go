package kraft

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchsim/stretchsim/model/net"
	"github.com/stretchsim/stretchsim/model/units"
	"github.com/stretchsim/stretchsim/sim"
)

// kraftRTT is the constant round trip between the harness's sites a, b and c: a–b is close,
// c is farther from both. The two distances from c differ: with equal constant RTTs the
// followers of a leader in c would time out at the same instant and split their votes, which a
// real network's jitter makes rare.
var kraftRTT = [3][3]time.Duration{
	{200 * time.Microsecond, time.Millisecond, 10 * time.Millisecond},
	{time.Millisecond, 200 * time.Microsecond, 14 * time.Millisecond},
	{10 * time.Millisecond, 14 * time.Millisecond, 200 * time.Microsecond},
}

// kraftTestRec is a metadata record of a given size.
type kraftTestRec struct {
	n    int
	size units.Bytes
}

func (r kraftTestRec) WireSize() units.Bytes { return r.size }
func (r kraftTestRec) Hash() uint64          { return fnvWords(99, uint64(r.n), uint64(r.size)) }

// kraftNoOp is a repeatable record of the model's NoOpRecord size: consecutive ones share a run.
type kraftNoOp struct{}

func (kraftNoOp) WireSize() units.Bytes { return 20 }
func (kraftNoOp) Hash() uint64          { return fnvWords(4) }
func (kraftNoOp) Repeatable()           {}

// fnvWords is FNV-1a over 64-bit words, for the test records' content hashes.
func fnvWords(words ...uint64) uint64 {
	h := uint64(14695981039346656037)
	for _, w := range words {
		for range 8 {
			h ^= w & 0xff
			h *= 1099511628211
			w >>= 8
		}
	}
	return h
}

// kraftTestImage is a snapshot image of a test listener: the entries it applied.
type kraftTestImage struct{ entries []Entry }

func (i *kraftTestImage) SnapshotBytes() units.Bytes {
	return 10 * units.KiB * units.Bytes(len(i.entries))
}

// kraftHarness is a 3-site network with one voter per site (ids 1, 2, 3), optional observers,
// and a trace of every listener callback. Its endpoints drop messages to or from a node marked
// down, and messages crossing a cut.
type kraftHarness struct {
	t         *testing.T
	s         *sim.Sim
	net       *net.Network
	cfg       harnessConfig
	q         *Quorum
	listeners []*kraftListener
	obsLis    []*kraftListener
	obs       []*Observer
	down      map[net.NodeID]bool
	cut       map[[2]net.NodeID]bool
	trace     []string
	leaderOf  map[int32]int32 // epoch → leader id seen by the invariant ticker
	failures  int
}

// kraftEndpoint forwards a node's deliveries to its voter or observer.
type kraftEndpoint struct {
	h *kraftHarness
	v *Voter
	o *Observer
}

func (e *kraftEndpoint) Deliver(s *sim.Sim, c *net.Half, msg any) {
	h := e.h
	if h.down[c.From()] || h.down[c.To()] || h.cut[[2]net.NodeID{c.From(), c.To()}] {
		return
	}
	handled := false
	if e.v != nil {
		handled = e.v.Deliver(s, c, msg)
	} else {
		handled = e.o.Deliver(s, c, msg)
	}
	if !handled {
		h.t.Errorf("unexpected message %T", msg)
	}
}

// kraftListener records one voter's or observer's callbacks.
type kraftListener struct {
	h         *kraftHarness
	name      string
	entries   []Entry
	commitAt  []sim.Time // per offset: when the entry reached the listener
	active    []int32    // epochs of OnLeaderActive
	activeAt  []sim.Time
	lost      int
	lostAt    []sim.Time
	duplicate bool
	snapshots []units.Offset // ends of the snapshots it loaded
}

func (l *kraftListener) OnCommitted(s *sim.Sim, es Entries) { l.record(s, "committed", es.slice()) }

func (l *kraftListener) OnMetadata(s *sim.Sim, es Entries) { l.record(s, "metadata", es.slice()) }

// OnSnapshot takes the snapshot's entries as its own.
func (l *kraftListener) OnSnapshot(s *sim.Sim, img SnapshotImage, end units.Offset) {
	l.entries = append([]Entry(nil), img.(*kraftTestImage).entries[:end]...)
	l.commitAt = l.commitAt[:0]
	for range l.entries {
		l.commitAt = append(l.commitAt, s.Now())
	}
	l.snapshots = append(l.snapshots, end)
	l.h.logf("%s loaded snapshot up to %d", l.name, end)
}

// image returns a snapshot image of what the listener applied.
func (l *kraftListener) image() *kraftTestImage {
	return &kraftTestImage{entries: append([]Entry(nil), l.entries...)}
}

func (l *kraftListener) record(s *sim.Sim, what string, es []Entry) {
	for _, e := range es {
		if e.Offset != units.Offset(len(l.entries)) {
			l.duplicate = true
		}
		l.entries = append(l.entries, e)
		l.commitAt = append(l.commitAt, s.Now())
	}
	l.h.logf("%s %s %d..%d", l.name, what, es[0].Offset, es[len(es)-1].Offset)
}

func (l *kraftListener) OnLeaderActive(s *sim.Sim, epoch int32) {
	l.active = append(l.active, epoch)
	l.activeAt = append(l.activeAt, s.Now())
	l.h.logf("%s active epoch %d", l.name, epoch)
}

func (l *kraftListener) OnLeaderLost(s *sim.Sim) {
	l.lost++
	l.lostAt = append(l.lostAt, s.Now())
	l.h.logf("%s lost leadership", l.name)
}

// harnessConfig is what a controller's config holds for the quorum: its settings and the
// metadata log's, which the harness gives its observers too.
type harnessConfig struct {
	QuorumConfig
	MetadataLog MetadataLogConfig
}

func defaultHarnessConfig() harnessConfig {
	return harnessConfig{QuorumConfig: DefaultQuorumConfig(), MetadataLog: DefaultMetadataLogConfig()}
}

func newKraftHarness(t *testing.T, seed uint64, cfg harnessConfig) *kraftHarness {
	s := sim.New(seed)
	spec := net.NetworkSpec{IntraSite: net.LinkSpec{RTT: net.Constant(kraftRTT[0][0]), HasRTT: true},
		InterSite: net.LinkSpec{RTT: net.Constant(kraftRTT[0][2]), HasRTT: true},
		Links: []net.PairLinkSpec{{A: 0, B: 1, LinkSpec: net.LinkSpec{RTT: net.Constant(kraftRTT[0][1]), HasRTT: true}},
			{A: 1, B: 2, LinkSpec: net.LinkSpec{RTT: net.Constant(kraftRTT[1][2]), HasRTT: true}}}}
	h := &kraftHarness{t: t, s: s, net: net.New(s, spec, []string{"a", "b", "c"}), cfg: cfg,
		down: map[net.NodeID]bool{}, cut: map[[2]net.NodeID]bool{}, leaderOf: map[int32]int32{}}
	var specs []VoterSpec
	var eps []*kraftEndpoint
	var lis []Listener
	for site := range 3 {
		e := &kraftEndpoint{h: h}
		node := h.net.AddNode(net.SiteID(site), 0, e)
		specs = append(specs, VoterSpec{ID: int32(site + 1), Node: node, Site: net.SiteID(site)})
		l := &kraftListener{h: h, name: fmt.Sprintf("voter-%d", site+1)}
		h.listeners = append(h.listeners, l)
		eps, lis = append(eps, e), append(lis, l)
	}
	h.q = NewQuorum(s, h.net, specs, &h.cfg.QuorumConfig, &h.cfg.MetadataLog, 64*units.KiB, lis)
	for i, v := range h.q.Voters() {
		eps[i].v = v
	}
	s.Schedule(sim.Event{At: 0, H: kraftTicker{h}})
	return h
}

// addObserver adds a broker at site fetching the metadata log.
func (h *kraftHarness) addObserver(site net.SiteID) (*Observer, *kraftListener) {
	e := &kraftEndpoint{h: h}
	node := h.net.AddNode(site, 0, e)
	l := &kraftListener{h: h, name: fmt.Sprintf("observer-%d", node)}
	e.o = h.q.NewObserver(h.s, node, l, 64*units.KiB, &h.cfg.MetadataLog)
	h.obs, h.obsLis = append(h.obs, e.o), append(h.obsLis, l)
	return e.o, l
}

func (h *kraftHarness) logf(format string, args ...any) {
	h.trace = append(h.trace, fmt.Sprintf("%v ", h.s.Now())+fmt.Sprintf(format, args...))
}

func (h *kraftHarness) run(d time.Duration) { h.s.RunUntil(h.s.Now().Add(d)) }

// runUntil runs in 1 ms steps until cond holds or limit passes; it reports whether cond held.
func (h *kraftHarness) runUntil(limit time.Duration, cond func() bool) bool {
	end := h.s.Now().Add(limit)
	for h.s.Now() < end {
		if cond() {
			return true
		}
		h.run(time.Millisecond)
	}
	return cond()
}

// activeLeader returns the live leader whose leadership is active, or nil.
func (h *kraftHarness) activeLeader() *Voter {
	for i, v := range h.q.Voters() {
		l := h.listeners[i]
		if v.isLeader() && v.ld.active && len(l.active) > 0 && l.active[len(l.active)-1] == v.epoch() {
			return v
		}
	}
	return nil
}

// crash kills voter v's process and makes the network drop its messages.
func (h *kraftHarness) crash(v *Voter) {
	v.Crash(h.s)
	h.down[v.spec.Node] = true
	h.logf("crash voter-%d", v.spec.ID)
}

func (h *kraftHarness) restart(v *Voter) {
	h.down[v.spec.Node] = false
	v.Restart(h.s)
	h.logf("restart voter-%d", v.spec.ID)
}

// isolate cuts (or heals) every path between node and the voters, both ways.
func (h *kraftHarness) isolate(node net.NodeID, cut bool) {
	for _, v := range h.q.Voters() {
		h.cut[[2]net.NodeID{node, v.spec.Node}] = cut
		h.cut[[2]net.NodeID{v.spec.Node, node}] = cut
	}
}

// kraftTicker checks the invariants every 10 ms of virtual time.
type kraftTicker struct{ h *kraftHarness }

func (k kraftTicker) Handle(s *sim.Sim, _ *sim.Event) {
	k.h.checkInvariants()
	s.After(10*time.Millisecond, sim.Event{H: k})
}

// checkInvariants: exactly one leader per epoch at all times (reference §4.2; design §3
// "one active controller per epoch"), and the quorum's own invariant checks.
func (h *kraftHarness) checkInvariants() {
	if h.failures > 5 {
		return
	}
	for _, v := range h.q.Voters() {
		if !v.isLeader() {
			continue
		}
		if id, ok := h.leaderOf[v.epoch()]; ok && id != v.spec.ID {
			h.failures++
			h.t.Errorf("at %v: epoch %d led by voters %d and %d", h.s.Now(), v.epoch(), id, v.spec.ID)
		}
		h.leaderOf[v.epoch()] = v.spec.ID
	}
	if vs := h.q.CheckInvariants(h.s); len(vs) > 0 {
		h.failures++
		h.t.Errorf("quorum invariants: %v", vs)
	}
}

// appendOne appends one 200-byte record on the active leader and returns its offset.
func (h *kraftHarness) appendOne(n int) (*Voter, units.Offset) {
	h.t.Helper()
	v := h.activeLeader()
	if v == nil {
		h.t.Fatalf("at %v: no active leader", h.s.Now())
	}
	off, ok := v.Append(h.s, kraftTestRec{n: n, size: 200})
	if !ok {
		h.t.Fatalf("append refused by the leader")
	}
	return v, off
}

// nearestRTT is the RTT from voter v to the closest other voter: the majority of 3.
func nearestRTT(v *Voter) time.Duration {
	d := time.Duration(1 << 62)
	for j := range 3 {
		if net.SiteID(j) != v.spec.Site {
			d = min(d, kraftRTT[v.spec.Site][j])
		}
	}
	return d
}

// Disconnected forwards the network's connection resets (network faults) to the voter or observer.
func (e *kraftEndpoint) Disconnected(s *sim.Sim, c *net.Half) {
	if e.v != nil {
		e.v.Disconnected(s, c)
	} else {
		e.o.Disconnected(s, c)
	}
}
