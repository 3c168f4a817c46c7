package model

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"syscall"
	"testing"
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// poissonArrivals emits keyless records of a fixed size as a Poisson process.
type poissonArrivals struct {
	rnd  *sim.Stream
	mean float64 // ns
	next float64
	size Bytes
}

func (a *poissonArrivals) Next() Record {
	a.next += a.rnd.ExpFloat64() * a.mean
	return Record{At: int64(a.next), Size: a.size}
}

// referenceSpec is the reference scenario: 3 sites × 3 brokers, 1,000 partitions, RF=3,
// min.insync.replicas=2, acks=all producers (one per site) writing 50 MB/s in all of 1 KiB
// records with linger.ms=5 and batch.size=16384, inter-site RTT lognormal with median 10 ms.
func referenceSpec(s *sim.Sim) ClusterSpec {
	spec := baseSpec(siteSpecs(3, 3), 0)
	spec.Network.InterSite.RTT = DistSpec{Kind: DistLogNormal, Median: 10 * time.Millisecond, P99: 20 * time.Millisecond}
	spec.Topics = []TopicSpec{{Name: "t", Partitions: 1000, ReplicationFactor: 3, Config: TopicConfig{MinInsyncReplicas: intp(2)}}}
	for i := range 3 {
		a := &poissonArrivals{rnd: s.Stream(fmt.Sprint("arrivals/", i)), mean: 1024 / (50e6 / 3) * 1e9, size: 1024}
		spec = withProducer(spec, SiteID(i), a, func(cfg *ProducerConfig) { cfg.Linger, cfg.BatchSize = 5*time.Millisecond, 16384 })
		spec.Producers[i].Name = fmt.Sprint("p", i)
	}
	return spec
}

// newScaledReference builds the reference scenario with n partitions and one consumer in the
// second site reading the topic (BenchmarkPartitionScaling, BenchmarkPartitionMemory).
func newScaledReference(b *testing.B, n int) (*sim.Sim, *Cluster) {
	b.Helper()
	s := sim.New(1)
	spec := referenceSpec(s)
	spec.Topics[0].Partitions = n
	spec.Consumers = []ConsumerSpec{{Name: "c", Site: 1, Topic: "t", Config: DefaultConsumerConfig()}}
	c, err := NewCluster(s, spec)
	if err != nil {
		b.Fatal(err)
	}
	return s, c
}

// BenchmarkReferenceScenario runs the reference scenario for 60 s of virtual time per op and
// reports simulated seconds per wall second, events per second and the peak heap.
// Target: >= 100 simulated seconds per wall second on one core.
func BenchmarkReferenceScenario(b *testing.B) {
	for _, d := range []time.Duration{30 * time.Second, 60 * time.Second, 120 * time.Second} {
		b.Run(fmt.Sprintf("virtual=%v", d), func(b *testing.B) {
			b.ReportAllocs()
			var events uint64
			var peak uint64
			for range b.N {
				s := sim.New(1)
				c, err := NewCluster(s, referenceSpec(s))
				if err != nil {
					b.Fatal(err)
				}
				for t := time.Duration(0); t < d; t += 5 * time.Second {
					s.RunUntil(sim.Time(t + 5*time.Second))
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapInuse)
				}
				events += s.Events()
				if v := c.CheckInvariants(s.Now()); len(v) > 0 {
					b.Fatal(v)
				}
			}
			wall := b.Elapsed().Seconds()
			b.ReportMetric(d.Seconds()*float64(b.N)/wall, "sim-s/s")
			b.ReportMetric(float64(events)/wall, "events/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// BenchmarkPartitionScaling runs the reference scenario, with one consumer in the second site
// reading the topic, at 1,000, 10,000 and 100,000 partitions: the same 50 MB/s, so about the same
// events per simulated second. Building the cluster and its first 2 simulated seconds (elections,
// full fetches) are not timed; the next 10 are. It reports the wall nanoseconds per event in that
// window (wall, and CPU time of the whole process, garbage collection included, which a loaded
// machine disturbs less), events per simulated second, and the live heap per partition at the end (after a
// collection). The target is a cost per event flat in the partition count: state size must not
// make every event slower. The garbage collector runs at the CLI's target (GOGC=400,
// cmd/stretchsim/main.go), as it does in every run and sweep.
func BenchmarkPartitionScaling(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("partitions=%d", n), func(b *testing.B) {
			const warm, d = 2 * time.Second, 10 * time.Second
			var events uint64
			var heap uint64
			var cpu time.Duration
			for range b.N {
				b.StopTimer()
				s, c := newScaledReference(b, n)
				s.RunUntil(sim.Time(warm))
				before, cpu0 := s.Events(), processCPU()
				b.StartTimer()
				s.RunUntil(sim.Time(warm + d))
				b.StopTimer()
				events += s.Events() - before
				cpu += processCPU() - cpu0
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				heap = ms.HeapAlloc
				if v := c.CheckInvariants(s.Now()); len(v) > 0 {
					b.Fatal(v)
				}
				runtime.KeepAlive(c)
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(events), "cpu-ns/event")
			b.ReportMetric(float64(events)/float64(b.N)/d.Seconds(), "events/sim-s")
			b.ReportMetric(float64(heap)/float64(n), "heap-B/partition")
		})
	}
}

// processCPU returns the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPartitionMemory runs the reference scenario with its consumer at 100,000 partitions
// for 60 simulated seconds, long enough that most partitions have been written by every producer
// (each producer's sequence state and each replica's idempotent producer state exist), and
// reports the live heap per partition beyond that of 1,000 partitions after the same 60 s: what
// one more partition costs in a running cluster.
func BenchmarkPartitionMemory(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	heapAfter := func(n int) uint64 {
		s, c := newScaledReference(b, n)
		s.RunUntil(sim.Time(60 * time.Second))
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		runtime.KeepAlive(c)
		return ms.HeapAlloc
	}
	var per float64
	for range b.N {
		small, large := heapAfter(1000), heapAfter(100000)
		per = float64(large-small) / 99000
	}
	b.ReportMetric(per, "heap-B/partition")
}

// BenchmarkProducerBacklogDuringOutage runs a producer whose only partition cannot be written:
// min.insync.replicas 2 of RF 2 with one broker shut down, so every Produce is answered
// NOT_ENOUGH_REPLICAS at once, and retried at once (retry.backoff.ms 0) three times before the
// batch fails and the idempotent producer bumps its epoch. Meanwhile 80,000 records a second of
// 50 bytes queue in batches of batch.size 100. Every retry takes the first batch off the queue and
// puts it back, and every epoch bump renumbers the batches sent so far: a cost per event that grew
// with the queue (a fuzzed run took 47 s of wall time for 12 simulated seconds) must not. It
// reports the wall time per event and the batches queued at the end.
func BenchmarkProducerBacklogDuringOutage(b *testing.B) {
	var events uint64
	var queued int
	for range b.N {
		spec := baseSpec(siteSpecs(2, 1), 2*time.Millisecond)
		spec = withTopic(spec, 1, []BrokerID{1, 2})
		spec.Topics[0].Config.MinInsyncReplicas = intp(2)
		spec = withProducer(spec, 1, arrivalsAt(4e6, 50), func(cfg *ProducerConfig) {
			cfg.BatchSize, cfg.Linger, cfg.RetryBackoff, cfg.Retries = 100, 0, 0, 3
		})
		spec.Faults = []FaultSpec{{At: time.Second, Duration: time.Hour, Kind: FaultBrokerCrash, Broker: 1, Mode: CrashClean}}
		s := sim.New(1)
		c, err := NewCluster(s, spec)
		if err != nil {
			b.Fatal(err)
		}
		s.RunUntil(sim.Time(6 * time.Second))
		events += s.Events()
		queued = c.Producers()[0].deques[0].Len()
		if v := c.CheckInvariants(s.Now()); len(v) > 0 {
			b.Fatal(v)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
	b.ReportMetric(float64(queued), "queued-batches")
}
