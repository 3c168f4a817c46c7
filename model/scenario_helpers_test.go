package model_test

import (
	"time"

	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/sim"
	"github.com/stretchsim/stretchsim/workloads"
)

// testSpec is a small stretch cluster: sites of three brokers and one controller each, a topic
// with RF=3, one producer in the first site and one consumer in the second.
func testSpec(sites int, rtt time.Duration, rate float64) model.ClusterSpec {
	spec := model.ClusterSpec{
		Network: model.NetworkSpec{
			IntraSite: model.LinkSpec{RTT: model.Constant(200 * time.Microsecond), HasRTT: true, Bandwidth: 25e9},
			InterSite: model.LinkSpec{RTT: model.Constant(rtt), HasRTT: true, Bandwidth: 10e9},
		},
		Broker:          model.DefaultBrokerConfig(),
		Controller:      model.DefaultControllerConfig(),
		Hardware:        model.DefaultHardware(),
		MetricsInterval: time.Second,
	}
	for i := range sites {
		spec.Sites = append(spec.Sites, model.SiteSpec{Name: string(rune('a'+i)) + "-site", Brokers: 3, Controllers: 1})
	}
	two := 2
	spec.Topics = []model.TopicSpec{{Name: "orders", Partitions: 12, ReplicationFactor: 3, Config: model.TopicConfig{MinInsyncReplicas: &two}}}
	spec.Producers = []model.ProducerSpec{{Name: "p1", Site: 0, Topic: "orders", Config: model.DefaultProducerConfig()}}
	spec.Consumers = []model.ConsumerSpec{{Name: "c1", Site: 1 % model.SiteID(sites), Topic: "orders", Config: model.DefaultConsumerConfig()}}
	_ = rate
	return spec
}

// runSpec builds and runs spec for d, with producer arrivals at rate bytes/s of 1 KiB records.
func runSpec(spec model.ClusterSpec, seed uint64, d time.Duration, rate float64) (*sim.Sim, *model.Cluster) {
	s := sim.New(seed)
	for i := range spec.Producers {
		ws := workloads.Spec{Process: workloads.Poisson, Rate: workloads.Rate{BytesPerSec: rate}, RecordSize: 1024}
		spec.Producers[i].Arrivals = workloads.New(ws, s.Stream("arrivals/"+spec.Producers[i].Name))
	}
	c, err := model.NewCluster(s, spec)
	if err != nil {
		panic(err)
	}
	s.RunUntil(sim.Time(d))
	return s, c
}
