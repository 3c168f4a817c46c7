package model

import (
	"flag"
	"os"
	"testing"
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// constArrivals emits records of a fixed size at a fixed rate, keyless.
type constArrivals struct {
	gap  float64 // ns
	next float64
	size Bytes
	stop float64 // ns; no record from then on (0: never stops)
}

func (a *constArrivals) Next() Record {
	if a.stop > 0 && a.next >= a.stop {
		return Record{At: int64(sim.Never) / 2, Size: a.size}
	}
	r := Record{At: int64(a.next), Size: a.size}
	a.next += a.gap
	return r
}

func arrivalsAt(bytesPerSec float64, size Bytes) *constArrivals {
	return &constArrivals{gap: float64(size) / bytesPerSec * 1e9, size: size}
}

// siteSpecs returns n sites named a, b, c, ... each with the given brokers and one controller.
func siteSpecs(n, brokers int) []SiteSpec {
	var out []SiteSpec
	for i := range n {
		out = append(out, SiteSpec{Name: string(rune('a' + i)), Brokers: brokers, Controllers: 1})
	}
	return out
}

// baseSpec is a cluster of the given sites with constant intra-site RTT 0.2 ms and the given
// inter-site RTT, Kafka's defaults everywhere, and one producer in site 0.
func baseSpec(sites []SiteSpec, rtt time.Duration) ClusterSpec {
	return ClusterSpec{
		Sites: sites,
		Network: NetworkSpec{
			IntraSite: LinkSpec{RTT: Constant(200 * time.Microsecond), HasRTT: true, Bandwidth: 25e9},
			InterSite: LinkSpec{RTT: Constant(rtt), HasRTT: true, Bandwidth: 10e9},
		},
		Broker: DefaultBrokerConfig(), Controller: DefaultControllerConfig(), Hardware: DefaultHardware(),
		MetricsInterval: time.Second,
	}
}

func intp(v int) *int { return &v }

// withTopic adds a topic with an explicit assignment and min.insync.replicas.
func withTopic(spec ClusterSpec, minISR int, assignment ...[]BrokerID) ClusterSpec {
	spec.Topics = append(spec.Topics, TopicSpec{Name: "t", Partitions: len(assignment),
		ReplicationFactor: len(assignment[0]), Assignment: assignment, Config: TopicConfig{MinInsyncReplicas: intp(minISR)}})
	return spec
}

// withProducer adds a producer at site with the given arrivals and config tweaks.
func withProducer(spec ClusterSpec, site SiteID, a Arrivals, tweak func(*ProducerConfig)) ClusterSpec {
	cfg := DefaultProducerConfig()
	if tweak != nil {
		tweak(&cfg)
	}
	spec.Producers = append(spec.Producers, ProducerSpec{Name: "p", Site: site, Topic: "t", Arrivals: a, Config: cfg})
	return spec
}

// run builds spec and runs it for d; the cluster's invariants must hold.
func run(t interface {
	Helper()
	Fatalf(string, ...any)
}, spec ClusterSpec, d time.Duration) (*sim.Sim, *Cluster) {
	t.Helper()
	s := sim.New(1)
	c, err := NewCluster(s, spec)
	if err != nil {
		t.Fatalf("NewCluster: %v", err)
	}
	s.RunUntil(sim.Time(d))
	if v := c.CheckInvariants(s.Now()); len(v) > 0 {
		t.Fatalf("invariants: %v", v)
	}
	return s, c
}

func ms(us int64) float64 { return float64(us) / 1000 }

// ids returns BrokerIDs, for readable expectations.
func ids(v ...BrokerID) []BrokerID { return v }

// TestMain runs the model's tests with the invariant checker verifying its touches
// (verifyTouches), and its benchmarks without: they measure what a run costs.
func TestMain(m *testing.M) {
	flag.Parse()
	verifyTouches = flag.Lookup("test.bench").Value.String() == ""
	os.Exit(m.Run())
}
