package experiments

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/scenarios"
)

// The recommendation rules (review_recommend.go), each on a design built to trigger it and on one
// built not to. A design is a built-in scenario with overrides, shortened (few partitions, 30 s
// faults); its review runs once (reviewed) and is shared by the tests that look at it. Each
// review is up to a few seconds of simulation, so the tests skip under -race and -short.

// reviewBase is a built-in scenario with sets applied ("PATH=VALUE", as --set takes them).
func reviewBase(t *testing.T, name string, sets ...string) Base {
	t.Helper()
	data, err := fs.ReadFile(scenarios.FS, name)
	if err != nil {
		t.Fatal(err)
	}
	root, err := scenario.ParseYAML(name, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sets {
		path, value, _ := strings.Cut(s, "=")
		if err := scenario.ApplySet(root, path, value); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return Base{File: name, Data: []byte(encodeNode(root)), Opts: scenario.Options{BaseDir: "."}}
}

// short are the overrides every design below takes: a 20 s baseline.
var short = []string{"duration=20s", "warmup=5s"}

// designs are the designs the tests review, by key.
var designs = map[string]struct {
	file string
	sets []string
}{
	// long-haul with batch.size raised: 2 sites 50 ms apart, bound by the 64 KiB window of the one
	// replica fetcher connection per broker pair (limits_test.go), saturated (about 6.5 of 20
	// MB/s acknowledged); the controller majority is in dc-a.
	"window": {"long-haul.yaml", []string{"producers[checkout].config.batch.size=262144"}},
	// The same with both replication buffers autotuned: that window no longer binds, nor is the
	// baseline saturated (given a 10 s warm-up to drain the start's backlog); the producer's own
	// connections to the dc-b leaders do (p99 6 s).
	"autotuned": {"long-haul.yaml", []string{"duration=30s", "warmup=10s", "producers[checkout].config.batch.size=262144",
		"broker.replica.socket.receive.buffer.bytes=-1", "broker.socket.send.buffer.bytes=-1"}},
	// "window" with 64 MiB socket buffers set, above the 62.5 MB bandwidth-delay product, on
	// hosts left at Linux's 212992-byte caps: the window is 208 KiB, and binds.
	"capped": {"long-haul.yaml", []string{"producers[checkout].config.batch.size=262144",
		"broker.replica.socket.receive.buffer.bytes=64MiB", "broker.socket.send.buffer.bytes=64MiB"}},
	// long-haul 150 ms apart with batch.size and the replication buffers raised: the producer's
	// connections to the dc-b leaders are bound by the brokers' 102400-byte
	// socket.receive.buffer.bytes (about 7 of 20 MB/s acknowledged); it must keep 20 MB/s × 150 ms
	// = 3 MB in flight.
	"client-window": {"long-haul.yaml", clientWindowSets},
	// The same with the producer's connections autotuned and a consumer in dc-b, whose 64 KiB
	// receive.buffer.bytes bounds its reads from the dc-a leaders (it falls behind).
	"consumer-window": {"long-haul.yaml", append(append([]string{}, clientWindowSets...), "broker.socket.receive.buffer.bytes=-1",
		"producers[checkout].config.send.buffer.bytes=-1", "consumers=[{name: audit, site: dc-b, topic: orders}]")},
	// long-haul as shipped: saturated at 7.3 of 20 MB/s by the one request per connection a
	// commit time, each carrying one 16 KiB batch per partition (review_path_test.go).
	"long-haul": {"long-haul.yaml", nil},
	// cost-classic: three AZs 1 ms apart, three consumer groups each reading the 100 MB/s topic
	// from leaders in the other AZs through a 64 KiB receive.buffer.bytes.
	"cost-classic": {"cost-classic.yaml", nil},
	// two-site: RF 4, min ISR 3 over two sites (no RF and min ISR survive a site), the voter
	// majority in dc-a, the consumer in dc-b reading from the dc-a leaders.
	"two-site": {"two-site.yaml", []string{"topics[orders].partitions=6"}},
	// two-and-a-half-site: the same with a tie-breaker voter site; the consumer reads across sites.
	"tie-breaker": {"two-and-a-half-site.yaml", []string{"topics[orders].partitions=6"}},
	// three-site with min.insync.replicas equal to RF 3: a site outage stops acks=all writes.
	"three-site-isr3": {"three-site.yaml", []string{"topics[orders].partitions=6", "producers[checkout].rate=5MB/s",
		"topics[orders].config.min.insync.replicas=3"}},
	// three-site as shipped: RF 3, min ISR 2, one replica per site.
	"three-site": {"three-site.yaml", []string{"topics[orders].partitions=6", "producers[checkout].rate=5MB/s"}},
	// default: three sites, the producer in dc-a with the default request.timeout.ms (30 s): when
	// dc-b goes dark, requests in flight to its leaders hang 30 s. The consumer already fetches
	// from its own site.
	"default": {"default.yaml", []string{"topics[orders].partitions=6", "producers[checkout].rate=5MB/s"}},
	// perf-test-lz4 with gzip: the producer's one core compresses 25 MB/s of the 102 MB/s asked.
	"gzip": {"perf-test-lz4.yaml", []string{"producers[perf-test].config.compression.type=gzip",
		"producers[perf-test].compression_ratio={gzip: 0.32, lz4: 0.45}"}},
	// perf-test-lz4 as shipped: lz4 keeps up, with a small compression limit of its own.
	"lz4": {"perf-test-lz4.yaml", nil},
	// default with request.timeout.ms already 10 s.
	"default-10s": {"default.yaml", []string{"topics[orders].partitions=6", "producers[checkout].rate=5MB/s",
		"producers[checkout].config.request.timeout.ms=10000"}},
}

// clientWindowSets make long-haul 150 ms apart with batch.size and the replication buffers raised.
var clientWindowSets = []string{"network.inter_site.rtt=150ms", "producers[checkout].config.batch.size=262144",
	"broker.replica.socket.receive.buffer.bytes=-1", "broker.socket.send.buffer.bytes=-1"}

var reviews = map[string]*DesignReview{}

// reviewed reviews design key once, with its recommendations' re-runs.
func reviewed(t *testing.T, key string) *DesignReview {
	t.Helper()
	if raceEnabled || testing.Short() {
		t.Skip("whole reviews: skipped under -race and -short")
	}
	if r, ok := reviews[key]; ok {
		return r
	}
	d, ok := designs[key]
	if !ok {
		t.Fatalf("no design %q", key)
	}
	r, err := Review(context.Background(), reviewBase(t, d.file, append(append([]string{}, short...), d.sets...)...),
		ReviewOptions{Replications: 1, FaultDuration: 30 * time.Second, Recovery: 5 * time.Second, Lead: 5 * time.Second,
			Dir: t.TempDir(), PricePerGB: DefaultPricePerGB})
	if err != nil {
		t.Fatal(err)
	}
	if r.Interrupted {
		t.Fatalf("%s: review interrupted", key)
	}
	for _, f := range r.Failures {
		t.Logf("%s: %s: %s (%s)", key, f.Failure, f.Verdict, f.Why)
	}
	for _, rec := range r.Recommendations {
		t.Logf("%s: recommends %s = %s; %s %v -> %v", key, rec.Setting, rec.Value, rec.Figure, *rec.Before, *rec.After)
	}
	reviews[key] = r
	return r
}

// recommended returns the recommendation whose Setting starts with setting, or nil.
func recommended(r *DesignReview, setting string) *Recommendation {
	for i, rec := range r.Recommendations {
		if strings.HasPrefix(rec.Setting, setting) {
			return &r.Recommendations[i]
		}
	}
	return nil
}

// wantRecommended checks that r recommends setting = value (Value starting with value), measured
// better after than before on fig (higher or lower is better), with the overrides sets.
func wantRecommended(t *testing.T, r *DesignReview, setting, value string, fig measureBy, sets ...string) *Recommendation {
	t.Helper()
	rec := recommended(r, setting)
	if rec == nil {
		t.Fatalf("%s: no %s recommended; recommendations %+v", r.Design, setting, r.Recommendations)
	}
	if !strings.HasPrefix(rec.Value, value) {
		t.Errorf("%s = %q, want %q", setting, rec.Value, value)
	}
	if rec.Before == nil || rec.After == nil || !fig.better(*rec.Before, *rec.After) {
		t.Errorf("%s: %s before %v, after %v: want after better by %.0f%%", setting, rec.Figure, rec.Before, rec.After, 100*RecommendGain)
	}
	if !strings.HasPrefix(rec.Figure, fig.name) {
		t.Errorf("%s measured by %q, want %q", setting, rec.Figure, fig.name)
	}
	for _, s := range sets {
		if !strings.Contains(strings.Join(rec.Sets, " "), s) {
			t.Errorf("%s: sets %v, want %s among them", setting, rec.Sets, s)
		}
	}
	return rec
}

// wantNotRecommended checks that r makes no recommendation of setting, and that the rule gave no
// candidate (cands: the rule's candidates on r) to re-run.
func wantNotRecommended(t *testing.T, r *DesignReview, setting string, cands []change) {
	t.Helper()
	if rec := recommended(r, setting); rec != nil {
		t.Errorf("%s: %s recommended: %+v", r.Design, setting, *rec)
	}
	for _, c := range cands {
		if strings.HasPrefix(c.rec.Setting, setting) {
			t.Errorf("%s: %s is a candidate: %+v", r.Design, setting, c.rec)
		}
	}
}

func hasLimit(r *DesignReview, mechanism string) bool {
	for _, l := range r.Limits {
		if l.Mechanism == mechanism {
			return true
		}
	}
	return false
}

// Socket buffers: the replica fetcher's 64 KiB window binds over 50 ms (BDP 10 Gbps × 50 ms =
// 62.5 MB): raise both buffers to 64 MiB, and the hosts' net.core.rmem_max and wmem_max with them
// (Linux cuts a larger buffer to them, 212992 bytes by default), which lifts the acknowledged
// rate about threefold.
func TestRecommendSocketBuffers(t *testing.T) {
	r := reviewed(t, "window")
	if !hasLimit(r, "tcp-window") {
		t.Fatalf("window: no tcp-window limit: %+v", r.Limits)
	}
	rec := wantRecommended(t, r, "replica.socket.receive.buffer.bytes", "67108864", figThroughput,
		"broker.replica.socket.receive.buffer.bytes=67108864", "broker.socket.send.buffer.bytes=67108864",
		"hardware.rmem_max=67108864", "hardware.wmem_max=67108864")
	if rec != nil && !strings.Contains(rec.Value, "net.core.rmem_max and net.core.wmem_max at least 67108864") {
		t.Errorf("value %q: want the hosts' caps raised with the buffers", rec.Value)
	}

	// Buffers already above the BDP, cut by the hosts' caps: they stay, and the caps are raised.
	r = reviewed(t, "capped")
	rec = wantRecommended(t, r, "replica.socket.receive.buffer.bytes", "67108864", figThroughput,
		"hardware.rmem_max=67108864", "hardware.wmem_max=67108864")
	if rec != nil && !strings.Contains(rec.Why, "cut to the hosts' net.core.rmem_max of 212992") {
		t.Errorf("why %q: want the cap named", rec.Why)
	}

	r = reviewed(t, "autotuned")
	if r.Saturation == nil || r.Saturation.Saturated {
		t.Errorf("autotuned: saturation %+v, want not saturated", r.Saturation)
	}
	wantNotRecommended(t, r, "replica.socket.receive.buffer.bytes", r.bufferCandidates())
}

// Client socket buffers: a producer's or consumer's connections to leaders in the other site,
// 150 ms away, carry one window per round trip. The producer's window is the brokers' 102400-byte
// socket.receive.buffer.bytes; the consumer's its own 64 KiB receive.buffer.bytes. Each must keep
// 20 MB/s × 150 ms = 3 MB in flight: 4 MiB, with the hosts' caps raised to match, lifts the
// acknowledged rate to the 20 MB/s offered, and lets the consumer keep up (its end-to-end p99
// falls from tens of seconds). Where neither window binds, no candidate.
func TestRecommendClientSocketBuffers(t *testing.T) {
	r := reviewed(t, "client-window")
	rec := wantRecommended(t, r, "socket.receive.buffer.bytes, send.buffer.bytes (producer checkout)", "4194304", figThroughput,
		"broker.socket.receive.buffer.bytes=4194304", "producers[checkout].config.send.buffer.bytes=4194304",
		"hardware.rmem_max=4194304", "hardware.wmem_max=4194304")
	if rec != nil {
		if !strings.Contains(rec.Why, "the brokers' 102400-byte socket.receive.buffer.bytes is below the 3000000 bytes") {
			t.Errorf("why %q: want the brokers' buffer and the 3 MB need", rec.Why)
		}
		if *rec.After < 0.95*20e6 {
			t.Errorf("acknowledged %.0f B/s with the change, want the 20 MB/s offered", *rec.After)
		}
	}
	wantNotRecommended(t, r, "receive.buffer.bytes (consumer", r.clientBufferCandidates())

	r = reviewed(t, "consumer-window")
	rec = wantRecommended(t, r, "receive.buffer.bytes (consumer audit)", "4194304", figE2E,
		"consumers[audit].config.receive.buffer.bytes=4194304", "hardware.rmem_max=4194304")
	if rec != nil && slices.ContainsFunc(rec.Sets, func(s string) bool { return strings.HasPrefix(s, "broker.") || strings.Contains(s, "wmem_max") }) {
		t.Errorf("sets %v: the brokers' autotuned send buffers hold 3 MB already", rec.Sets)
	}
	wantNotRecommended(t, r, "socket.receive.buffer.bytes, send.buffer.bytes", r.clientBufferCandidates())

	// Consumers that keep up wait less too: 100 MB/s × 1 ms is 100 kB in flight, above the 64 KiB
	// window (end-to-end p99 about 25 ms, halved with 128 KiB).
	wantRecommended(t, reviewed(t, "cost-classic"), "receive.buffer.bytes (consumer billing, search, audit)", "131072", figE2E,
		"consumers[billing].config.receive.buffer.bytes=131072", "consumers[audit].config.receive.buffer.bytes=131072")

	// At 50 ms the producer's window binds too once replication no longer does (autotuned: p99 of
	// seconds), and even behind the replication window.
	for _, key := range []string{"autotuned", "window"} {
		fig := figP99
		if key == "window" {
			fig = figThroughput
		}
		wantRecommended(t, reviewed(t, key), "socket.receive.buffer.bytes, send.buffer.bytes (producer checkout)", "1048576", fig,
			"broker.socket.receive.buffer.bytes=1048576", "producers[checkout].config.send.buffer.bytes=1048576")
	}
	for _, key := range []string{"two-site", "default"} {
		r := reviewed(t, key)
		wantNotRecommended(t, r, "socket.receive.buffer.bytes", r.clientBufferCandidates())
		wantNotRecommended(t, r, "receive.buffer.bytes", r.clientBufferCandidates())
	}
}

// The client rule names a buffer cut by its host's cap, keeps a buffer set above the need, and
// raises each cap to the buffer it must let through: the brokers' 8 MiB socket.receive.buffer.bytes
// stays, cut to 212992 bytes (net.core.rmem_max), which is raised to 8 MiB; the producer's 2 MiB
// send buffer, cut alike by wmem_max, is raised to the 4 MiB its 3 MB in flight need, and
// wmem_max with it.
func TestClientBufferRuleNamesTheCap(t *testing.T) {
	base := reviewBase(t, "long-haul.yaml", append(append([]string{}, clientWindowSets...), "broker.socket.receive.buffer.bytes=8MiB",
		"producers[checkout].config.send.buffer.bytes=2MiB")...)
	sc, err := scenario.Parse(base.File, base.Data, base.Opts)
	if err != nil {
		t.Fatal(err)
	}
	r := &DesignReview{sc: sc, Limits: []LimitSummary{{Mechanism: "tcp-window", Setting: "net.core.rmem_max", Where: "dc-a->dc-b (producer checkout)"}}}
	cands := r.clientBufferCandidates()
	if len(cands) != 1 {
		t.Fatalf("candidates %+v: want the producer's", cands)
	}
	rec := cands[0].rec
	if !strings.Contains(rec.Why, "the brokers' 8388608-byte socket.receive.buffer.bytes, cut to the hosts' net.core.rmem_max of 212992, is below") {
		t.Errorf("why %q: want the cap named", rec.Why)
	}
	var sets []string
	for _, s := range cands[0].sets {
		sets = append(sets, s.Path+"="+s.Value)
	}
	want := []string{"broker.socket.receive.buffer.bytes=8388608", "producers[checkout].config.send.buffer.bytes=4194304",
		"hardware.rmem_max=8388608", "hardware.wmem_max=4194304"}
	if !slices.Equal(sets, want) {
		t.Errorf("sets %v, want %v", sets, want)
	}
	if want := "the brokers' socket.receive.buffer.bytes 8388608, send.buffer.bytes 4194304; with net.core.rmem_max at least 8388608 and net.core.wmem_max at least 4194304 on the hosts"; !strings.HasPrefix(rec.Value, want) {
		t.Errorf("value %q: want each buffer and each cap at its own value (%q)", rec.Value, want)
	}

	// The brokers' own connections share the setting names: a limit on them (replication,
	// a follower's requests), on another client's or in the other direction is not the client's.
	r.sc.Consumers = []scenario.Consumer{{Name: "audit", Site: "dc-b", Topic: "orders", Config: model.DefaultConsumerConfig()}}
	for _, l := range []LimitSummary{{Mechanism: "tcp-window", Setting: "socket.receive.buffer.bytes", Where: "dc-b->dc-a (producer checkout)"},
		{Mechanism: "tcp-window", Setting: "socket.receive.buffer.bytes", Where: "dc-a->dc-b"},
		{Mechanism: "tcp-window", Setting: "socket.send.buffer.bytes", Where: "dc-a->dc-b"},
		{Mechanism: "tcp-window", Setting: "net.core.rmem_max", Where: "dc-a->dc-b"},
		{Mechanism: "tcp-window", Setting: "socket.receive.buffer.bytes", Where: "dc-a->dc-b (producer other)"},
		{Mechanism: "tcp-window", Setting: "replica.socket.receive.buffer.bytes", Where: "dc-a->dc-b"}} {
		r.Limits = []LimitSummary{l}
		if c := r.clientBufferCandidates(); len(c) > 0 {
			t.Errorf("limit %+v: candidates %+v, want none", l, c)
		}
	}
}

// A producer's peak rate: its rate; on/off arrivals send at rate × (on+off)/on during each on
// window; a profile's highest rate.
func TestPeakBytesPerSec(t *testing.T) {
	p := scenario.Producer{RecordSize: 1000, Rate: scenario.Rate{BytesPerSec: 10e6}}
	assert.InDelta(t, 10e6, peakBytesPerSec(p, time.Minute), 1)
	p.Arrival = scenario.Arrival{Kind: scenario.ArrivalOnOff, On: time.Second, Off: 3 * time.Second}
	assert.InDelta(t, 40e6, peakBytesPerSec(p, time.Minute), 1)

	base := reviewBase(t, "load-phases.yaml")
	sc, err := scenario.Parse(base.File, base.Data, base.Opts)
	require.NoError(t, err)
	assert.InDelta(t, 40e6, peakBytesPerSec(sc.Producers[0], sc.Duration), 1, "the phases' highest rate")
	assert.InDelta(t, 9e6, peakBytesPerSec(sc.Producers[1], sc.Duration), 0.01e6, "the daily profile's peak")
}

// num.replica.fetchers: no limit names num.replica.fetchers (a connection's window is named by
// its buffer setting), so the rule meets through its other condition: the baseline saturated
// with fewer than 4 fetchers. Over 50 ms, 4 connections per broker pair carry 4 windows per
// round trip.
func TestRecommendReplicaFetchers(t *testing.T) {
	r := reviewed(t, "window")
	if !r.Saturation.Saturated || r.sc.Broker.NumReplicaFetchers != 1 {
		t.Fatalf("window: saturation %+v, %d fetchers: want saturated with 1", r.Saturation, r.sc.Broker.NumReplicaFetchers)
	}
	wantRecommended(t, r, "num.replica.fetchers", "4", figThroughput, "broker.num.replica.fetchers=4")

	r = reviewed(t, "autotuned")
	wantNotRecommended(t, r, "num.replica.fetchers", r.bufferCandidates())
}

// request.timeout.ms: when dc-b goes dark, the dc-a producer's requests to the dc-b leaders hang
// the default 30 s; at 10 s the longest wait drops to about 10 s.
func TestRecommendRequestTimeout(t *testing.T) {
	r := reviewed(t, "default")
	rec := wantRecommended(t, r, "request.timeout.ms", "10000", figWait, "producers[0].config.request.timeout.ms=10000")
	if rec != nil && *rec.Before < 0.8*30 {
		t.Errorf("longest wait before %.1f s, want about the 30 s request.timeout.ms", *rec.Before)
	}

	r = reviewed(t, "default-10s")
	wantNotRecommended(t, r, "request.timeout.ms", r.timeoutCandidates(ReviewOptions{}))
}

// RF and min.insync.replicas: over three sites RF 3 with min ISR 3 stops writes when a site goes
// dark; min ISR 2 keeps them going. With min ISR 2 already, or over two sites (where no RF and
// min ISR do both), nothing.
func TestRecommendMinISR(t *testing.T) {
	r := reviewed(t, "three-site-isr3")
	wantRecommended(t, r, "min.insync.replicas (topic orders)", "2", figWritable, "topics[0].config.min.insync.replicas=2")

	for _, key := range []string{"three-site", "two-site"} {
		r := reviewed(t, key)
		wantNotRecommended(t, r, "min.insync.replicas", r.minISRCandidates())
		wantNotRecommended(t, r, "replication.factor", r.minISRCandidates())
	}
	// two-site does lose writes with a site: the rule is silent for want of a remedy.
	if !verdictSeen(reviewed(t, "two-site"), "site-outage", VerdictWritesStop) {
		t.Errorf("two-site: no site outage stopped writes")
	}
}

// A tie-breaker controller site: two sites with the voter majority in dc-a lose the quorum with
// dc-a; a third voter site keeps it. With the tie-breaker site already there, nothing.
func TestRecommendTieBreaker(t *testing.T) {
	for _, key := range []string{"two-site", "window"} {
		r := reviewed(t, key)
		rec := wantRecommended(t, r, "controller placement", "one voter in each broker site", figCtrl)
		if rec != nil && !strings.Contains(strings.Join(rec.Sets, " "), "{name: tie-breaker, brokers: 0, controllers: 1}") {
			t.Errorf("%s: sets %v, want a tie-breaker site", key, rec.Sets)
		}
	}
	r := reviewed(t, "tie-breaker")
	if verdictSeen(r, "site-outage", VerdictControlPlaneDown) {
		t.Errorf("tie-breaker: a site outage lost the quorum")
	}
	wantNotRecommended(t, r, "controller placement", r.controllerCandidates())
}

// Follower fetching: two-site's consumer in dc-b reads from the dc-a leaders; fetching from
// the dc-b replicas keeps those bytes in dc-b. default.yaml's consumer already does.
func TestRecommendFollowerFetching(t *testing.T) {
	r := reviewed(t, "two-site")
	rec := recommended(r, "replica.selector.class")
	if rec == nil {
		t.Fatalf("two-site: no follower fetching recommended: %+v", r.Recommendations)
	}
	if *rec.After >= *rec.Before*(1-RecommendGain) || !strings.Contains(strings.Join(rec.Sets, " "), "consumers[0].config.client.rack=dc-b") {
		t.Errorf("two-site: follower fetching %+v: want a lower cost, client.rack dc-b", *rec)
	}

	r = reviewed(t, "default")
	if f := r.Cost.MonthlyUSDWithFollowerFetching; f == nil || *f != r.Cost.MonthlyUSD {
		t.Errorf("default: cost %+v, want the same with follower fetching (already on)", r.Cost)
	}
	wantNotRecommended(t, r, "replica.selector.class", nil)
}

func verdictSeen(r *DesignReview, prefix, verdict string) bool {
	for _, f := range r.Failures {
		if strings.HasPrefix(f.Failure, prefix) && f.Verdict == verdict {
			return true
		}
	}
	return false
}

// compression.type: gzip on the producer's one core caps the acknowledged rate at about a
// quarter of the rate asked; lz4, several times faster per core, keeps up. A producer already on
// lz4 gets no such candidate, whatever its compression limit.
func TestRecommendCompression(t *testing.T) {
	r := reviewed(t, "gzip")
	if !hasLimit(r, "compression") || !r.Saturation.Saturated {
		t.Fatalf("gzip: limits %+v, saturation %+v: want a compression limit, saturated", r.Limits, r.Saturation)
	}
	wantRecommended(t, r, "compression.type", "lz4", figThroughput, "producers[perf-test].config.compression.type=lz4")

	r = reviewed(t, "lz4")
	if !hasLimit(r, "compression") {
		t.Fatalf("lz4: limits %+v: want a compression limit", r.Limits)
	}
	wantNotRecommended(t, r, "compression.type", r.compressionCandidates())
}

// The buffer rule reads the replication window as the connection has it: the smaller of the
// follower's receive buffer and the leader's send buffer, each cut to its host's cap. Over a
// 24 Mbit/s link 50 ms long (BDP 150 kB), a 1 MiB replica.socket.receive.buffer.bytes (cut to
// 212992) would do, but the leader's default 100 KiB socket.send.buffer.bytes binds: the rule
// fires, names the send buffer, keeps the 1 MiB and raises the caps below it.
func TestBufferRuleReadsBothSidesOfTheWindow(t *testing.T) {
	base := reviewBase(t, "long-haul.yaml", "network.inter_site.bandwidth=24Mbps", "broker.replica.socket.receive.buffer.bytes=1MiB")
	sc, err := scenario.Parse(base.File, base.Data, base.Opts)
	if err != nil {
		t.Fatal(err)
	}
	r := &DesignReview{sc: sc, Limits: []LimitSummary{{Mechanism: "tcp-window"}}, Saturation: &Saturation{Saturated: true}}
	cands := r.bufferCandidates()
	if len(cands) == 0 || !strings.HasPrefix(cands[0].rec.Setting, "replica.socket.receive.buffer.bytes") {
		t.Fatalf("no buffer candidate: %+v", cands)
	}
	rec := cands[0].rec
	if !strings.Contains(rec.Why, "the leader's 102400-byte socket.send.buffer.bytes is below") {
		t.Errorf("why %q: want the send buffer named", rec.Why)
	}
	if !strings.HasPrefix(rec.Value, "1048576;") {
		t.Errorf("value %q: want the 1 MiB buffer kept", rec.Value)
	}
	var sets []string
	for _, s := range cands[0].sets {
		sets = append(sets, s.Path+"="+s.Value)
	}
	for _, want := range []string{"broker.socket.send.buffer.bytes=1048576", "hardware.rmem_max=1048576", "hardware.wmem_max=1048576"} {
		if !slices.Contains(sets, want) {
			t.Errorf("sets %v: want %s", sets, want)
		}
	}
}
