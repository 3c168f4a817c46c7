package scenario

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/scenarios"
	"github.com/stretchsim/stretchsim/workloads"
)

func TestEveryScenarioDecodes(t *testing.T) {
	names, err := fs.Glob(scenarios.FS, "*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			s, err := LoadFS(scenarios.FS, name, Options{})
			require.NoError(t, err)
			assert.Equal(t, strings.TrimSuffix(name, ".yaml"), s.Name)
			_, err = s.Spec()
			assert.NoError(t, err)
		})
	}
}

func TestDefaultScenario(t *testing.T) {
	s, err := LoadFS(scenarios.FS, scenarios.Default, Options{})
	require.NoError(t, err)
	assert.Equal(t, 60*time.Second, s.Duration)
	assert.Equal(t, 10*time.Second, s.Warmup)
	assert.Equal(t, DefaultMetricsInterval, s.MetricsInterval)
	assert.Equal(t, uint64(1), s.Seed)
	require.Len(t, s.Sites, 3)
	assert.Equal(t, model.SiteSpec{Name: "dc-b", Brokers: 3, Controllers: 1}, s.Sites[1])
	assert.Equal(t, model.Constant(2*time.Millisecond), s.Network.InterSite.RTT)
	assert.Equal(t, "RackAwareReplicaSelector", s.Broker.ReplicaSelectorClass)
	require.Len(t, s.Topics, 1)
	top := s.Topics[0]
	assert.Equal(t, "orders", top.Name)
	assert.Equal(t, 60, top.Partitions)
	assert.Equal(t, 3, top.ReplicationFactor)
	assert.Equal(t, "striped", top.Placement)
	assert.Nil(t, top.Assignment)
	require.NotNil(t, top.Config.MinInsyncReplicas)
	assert.Equal(t, 2, *top.Config.MinInsyncReplicas)
	require.Len(t, s.Producers, 1)
	p := s.Producers[0]
	assert.Equal(t, Rate{BytesPerSec: 20e6}, p.Rate)
	assert.Equal(t, model.KiB, p.RecordSize)
	assert.Equal(t, model.AcksAll, p.Config.Acks)
	assert.True(t, p.Config.EnableIdempotence)
	assert.Equal(t, 5*time.Millisecond, p.Config.Linger)
	assert.Equal(t, ArrivalPoisson, p.Arrival.Kind)
	assert.Equal(t, 1, p.Count)
	require.Len(t, s.Consumers, 1)
	assert.Equal(t, "dc-b", s.Consumers[0].Config.ClientRack)
}

func TestFullScenario(t *testing.T) {
	s, err := Load("testdata/full.yaml", Options{})
	require.NoError(t, err)
	assert.Equal(t, uint64(42), s.Seed)
	assert.Equal(t, 500*time.Millisecond, s.MetricsInterval)
	assert.Equal(t, []string{"a1", "a2"}, s.Sites[0].Racks)
	assert.Equal(t, model.DistSpec{Kind: model.DistNormal, Mean: 5 * time.Millisecond, SD: time.Millisecond}, s.Network.InterSite.RTT)
	assert.Equal(t, model.BitRate(25e9), s.Network.IntraSite.Bandwidth)
	require.Len(t, s.Network.Links, 1)
	l := s.Network.Links[0]
	assert.Equal(t, [2]string{"dc-a", "dc-c"}, l.Between)
	assert.Equal(t, 0.001, l.Loss)
	assert.Equal(t, model.Bytes(128*1024), s.Broker.ReplicaSocketReceiveBuffer)
	assert.Equal(t, 2, s.Broker.MinInsyncReplicas)
	assert.True(t, s.Controller.EligibleLeaderReplicasEnable)
	assert.Equal(t, model.HardwareSpec{RequestCPUTime: 50 * time.Microsecond, CPUBytesPerSecond: 500e6, DiskWriteBandwidth: 2e9,
		DirtyExpire: 20 * time.Second, DirtyWriteback: 2 * time.Second, RmemMax: 16 * model.MiB, WmemMax: 8 * model.MiB,
		Codecs: [model.NumCodecs]model.CodecRates{model.CodecGzip: {Compress: 30e6, Decompress: 350e6},
			model.CodecSnappy: {Compress: 400e6, Decompress: 1e9}, model.CodecLZ4: {Compress: 600e6, Decompress: 3e9},
			model.CodecZstd: {Compress: 300e6, Decompress: 1.2e9}}}, s.Hardware)
	assert.Equal(t, "legacy", s.Topics[0].Placement)
	pinned := s.Topics[1]
	assert.Equal(t, [][]model.BrokerID{{1, 3}, {3, 1}}, pinned.Assignment)
	assert.Equal(t, 2, pinned.Partitions, "inferred from replica_assignment")
	assert.Equal(t, 2, pinned.ReplicationFactor, "inferred from replica_assignment")

	p := s.Producers[0]
	assert.Equal(t, Rate{RecordsPerSec: 5000}, p.Rate)
	assert.Equal(t, Arrival{Kind: ArrivalOnOff, On: 2 * time.Second, Off: 500 * time.Millisecond}, p.Arrival)
	assert.Equal(t, Keys{Kind: KeysZipf, Count: 100, ZipfS: 1.2}, p.Keys)
	assert.Equal(t, 3, p.Count)
	assert.Equal(t, model.AcksLeader, p.Config.Acks)
	assert.False(t, p.Config.EnableIdempotence, "acks=1 without enable.idempotence disables it (reference §5.1)")
	assert.Equal(t, model.CodecLZ4, p.Config.CompressionType)
	assert.Equal(t, model.CompressionRatios{model.CodecGzip: 0.3, model.CodecSnappy: 0.5, model.CodecLZ4: 0.45, model.CodecZstd: 0.35},
		p.CompressionRatio.Ratios)
	assert.Equal(t, 100*time.Millisecond, s.Consumers[0].Config.FetchMaxWait)
	assert.Nil(t, p.Profile, "a single rate")
	assert.Equal(t, Rate{}, s.Producers[1].Rate, "a profile instead")
	assert.Equal(t, &RateProfile{Phases: []Phase{
		{Until: time.Minute, Rate: workloads.Rate{BytesPerSec: 1e6}},
		{Until: 2 * time.Minute, Rate: workloads.Rate{RecordsPerSec: 2000}, Ramp: true},
		{Until: 3 * time.Minute, Rate: workloads.Rate{}},
		{Rate: workloads.Rate{RecordsPerSec: 500}},
	}}, s.Producers[1].Profile)
	assert.Equal(t, &RateProfile{Daily: &Daily{Trough: workloads.Rate{BytesPerSec: 1e6}, Peak: workloads.Rate{BytesPerSec: 4e6},
		PeakAt: 14 * time.Hour, StartAt: 9 * time.Hour, Period: 2 * time.Minute}}, s.Producers[2].Profile)

	require.Len(t, s.Faults, 10, "8 listed, 2 drawn by random_faults")
	for _, f := range s.Faults[8:] {
		assert.True(t, f.Generated)
		assert.Equal(t, FaultLatency, f.Type, "kinds: [broker-crash, latency], seed 9")
		assert.Equal(t, 5*time.Second, f.Duration)
		assert.GreaterOrEqual(t, f.At, 10*time.Second)
		assert.LessOrEqual(t, f.At, 45*time.Second)
	}
	assert.Equal(t, Fault{At: 10 * time.Second, Type: FaultBrokerCrash, Broker: 1, Mode: CrashSilent, Duration: 30 * time.Second}, s.Faults[0])
	assert.Equal(t, model.SiteID(1), s.Faults[2].SiteID)
	assert.True(t, s.Faults[2].PowerLoss)
	assert.Equal(t, [][]model.SiteID{{0}, {1, 2}}, s.Faults[3].GroupIDs)
	assert.True(t, s.Faults[3].OneWay)
	assert.Equal(t, model.Constant(200*time.Millisecond), s.Faults[4].RTT)
	assert.Equal(t, [2]model.SiteID{0, 1}, s.Faults[4].BetweenIDs)
	assert.Equal(t, model.BitRate(100e6), s.Faults[5].Bandwidth)
	assert.Equal(t, time.Duration(0), s.Faults[5].Duration, "no duration: to the end of the run")
	assert.Equal(t, 0.01, s.Faults[6].Loss)
	assert.Equal(t, FaultControllerCrash, s.Faults[7].Type)
}

func TestDecodeReportsEveryProblem(t *testing.T) {
	const file = `name: many
duration: 1m
seed: -1
sites:
  - {name: dc-a, brokers: three, controllers: 1}
  - {name: dc-b, brokers: 1, controlers: 1}
network:
  inter_site: {rtt: 2ms, bandwidth: 10GB/s}
topics:
  - {name: t, partitions: 1, replication.factor: 1, placement: stripped}
`
	_, err := Parse("many.yaml", []byte(file), Options{})
	require.Error(t, err)
	assert.Equal(t, `many.yaml:3: seed: "-1" is not a seed: want a whole number from 0 to 18446744073709551615
many.yaml:5: sites[0].brokers: "three" is not a whole number
many.yaml:6: sites[1].controlers: unknown key "controlers" (did you mean "controllers"?)
many.yaml:8: network.inter_site.bandwidth: "10GB/s": unknown bandwidth unit "GB/s" (want e.g. "10Gbps" or "100Mbit/s") (a bandwidth is in bits per second: 1GB/s is 8Gbps)
many.yaml:10: topics[0].placement: unknown value "stripped" (did you mean "striped"?)`, err.Error())
}

func TestDecodeValidationErrorsTogether(t *testing.T) {
	const file = `duration: 1m
warmup: 2m
sites:
  - {name: dc-a, brokers: 1}
topics:
  - {name: t, partitions: 0, replication.factor: 2}
`
	_, err := Parse("v.yaml", []byte(file), Options{})
	require.Error(t, err)
	assert.Equal(t, `v.yaml:2: warmup: 2m0s must be shorter than duration 1m0s
v.yaml:3: sites: no site has a controller: KRaft needs at least one voter
v.yaml:6: topics[0].partitions: must be at least 1, got 0
v.yaml:6: topics[0].replication.factor: 2 exceeds 1 broker`, err.Error())
}

func TestDecodeDetails(t *testing.T) {
	tests := []struct{ name, yaml, err string }{
		{"aliases are followed", `duration: 1m
sites:
  - &site {name: dc-a, brokers: 1, controllers: 1}
network: {inter_site: &l {rtt: 2ms}, intra_site: *l}
`, ""},
		{"inter-site RTT required", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}, {name: b, brokers: 1}]\n",
			"f.yaml: network.inter_site.rtt: missing: give the default round-trip time between sites (e.g. 2ms), or an rtt in network.links for every pair"},
		{"inter-site RTT from links", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}, {name: b, brokers: 1}]\nnetwork: {links: [{between: [a, b], rtt: 3ms}]}\n", ""},
		{"null sections are empty", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}]\nbroker:\nfaults:\n", ""},
		{"merge keys", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}]\nnetwork: {<<: {x: 1}}\n",
			"f.yaml:3: network: merge keys (<<) are not supported"},
		{"not a mapping", "- a\n- b\n", "f.yaml:1: want a mapping of keys, got a list"},
		{"missing required", "sites: [{name: a, brokers: 1, controllers: 1}]\n", "f.yaml:1: duration: required key is missing"},
		{"nested property", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}]\nbroker:\n  replica:\n    lag.time.max.ms: 1\n",
			`f.yaml:5: broker.replica: want a property value, got a mapping (write Kafka property names whole, e.g. "replica.lag.time.max.ms: 30000")`},
		{"property at the top", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}]\nnum.replica.fetchers: 2\n",
			`f.yaml:3: num.replica.fetchers: unknown key "num.replica.fetchers": it is a broker property: put it under broker:`},
		{"topic property outside config", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}]\ntopics: [{name: t, partitions: 1, replication.factor: 1, min.insync.replicas: 1}]\n",
			`f.yaml:3: topics[0].min.insync.replicas: unknown key "min.insync.replicas": it is a topic property: put it under config:`},
		{"onoff keys without onoff", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}]\ntopics: [{name: t, partitions: 1, replication.factor: 1}]\nproducers: [{name: p, site: a, topic: t, rate: 1/s, record_size: 1KiB, on: 1s}]\n",
			"f.yaml:4: producers[0].on: only used with arrival: onoff"},
		{"fault without type", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}]\nfaults: [{at: 1s}]\n",
			"f.yaml:3: faults[0].type: required key is missing"},
		{"fault duration zero", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}]\nfaults: [{at: 1s, type: controller-crash, duration: 0}]\n",
			"f.yaml:3: faults[0].duration: must be positive (leave it out to last to the end of the run)"},
		{"wrong kind", "duration: [1m]\nsites: [{name: a, brokers: 1, controllers: 1}]\n",
			"f.yaml:1: duration: want a duration, got a list"},
		{"racks shared", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1, racks: [r]}, {name: b, brokers: 1, racks: [r]}]\nnetwork: {inter_site: {rtt: 2ms}}\n",
			`f.yaml:2: sites[1].racks[0]: rack "r" is also a rack of sites[0] (a)`},
		{"duplicate site", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}, {name: a, brokers: 1}]\nnetwork: {inter_site: {rtt: 2ms}}\n",
			`f.yaml:2: sites[1].name: site "a" is already sites[0]`},
		{"loss out of range", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}]\nnetwork: {intra_site: {loss: 1}}\n",
			"f.yaml:3: network.intra_site.loss: must be in [0, 1), got 1"},
		{"zipf exponent", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}]\ntopics: [{name: t, partitions: 1, replication.factor: 1}]\n" +
			"producers: [{name: p, site: a, topic: t, rate: 1/s, record_size: 1, keys: zipf, zipf_s: 0.9}]\n",
			"f.yaml:4: producers[0].zipf_s: must be a finite number above 1, got 0.9"},
		{"duplicate producer instance names", "duration: 1m\nsites: [{name: a, brokers: 1, controllers: 1}]\ntopics: [{name: t, partitions: 1, replication.factor: 1}]\n" +
			"producers: [{name: p, site: a, topic: t, rate: 1/s, record_size: 1, count: 2}, {name: p-2, site: a, topic: t, rate: 1/s, record_size: 1}]\n",
			`f.yaml:4: producers[1].name: name "p-2" is already taken by producers[0]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(tt.yaml), Options{})
			if tt.err == "" {
				assert.NoError(t, err)
			} else {
				assert.EqualError(t, err, tt.err)
			}
		})
	}
}
