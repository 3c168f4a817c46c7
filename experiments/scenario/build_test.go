package scenario

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model"
)

func TestSpec(t *testing.T) {
	s, err := Load("testdata/full.yaml", Options{})
	require.NoError(t, err)
	spec, err := s.Spec()
	require.NoError(t, err)

	assert.Equal(t, s.Sites, spec.Sites)
	assert.Equal(t, s.Network.InterSite, spec.Network.InterSite)
	require.Len(t, spec.Network.Links, 1)
	assert.Equal(t, model.SiteID(0), spec.Network.Links[0].A)
	assert.Equal(t, model.SiteID(2), spec.Network.Links[0].B)
	assert.Equal(t, model.BitRate(1e9), spec.Network.Links[0].Bandwidth)
	assert.Equal(t, s.Broker, spec.Broker)
	assert.Equal(t, s.Controller, spec.Controller)
	assert.Equal(t, s.Hardware, spec.Hardware)
	assert.Equal(t, 500*time.Millisecond, spec.MetricsInterval)
	assert.Equal(t, 30*time.Second, spec.Warmup)

	require.Len(t, spec.Topics, 2)
	assert.Nil(t, spec.Topics[0].Assignment, "placed by the model")
	assert.Equal(t, [][]model.BrokerID{{1, 3}, {3, 1}}, spec.Topics[1].Assignment)
	spec.Topics[1].Assignment[0][0] = 99
	assert.Equal(t, model.BrokerID(1), s.Topics[1].Assignment[0][0], "the spec shares no memory with the scenario")

	require.Len(t, spec.Producers, 5, "count: 3, then phased and daily")
	for i, name := range []string{"checkout-1", "checkout-2", "checkout-3"} {
		p := spec.Producers[i]
		assert.Equal(t, name, p.Name)
		assert.Equal(t, model.SiteID(0), p.Site)
		assert.Equal(t, "orders", p.Topic)
		assert.Nil(t, p.Arrivals, "left to package workloads")
		assert.Equal(t, s.Producers[0].Config, p.Config)
	}
	require.Len(t, spec.Consumers, 1)
	assert.Equal(t, model.ConsumerSpec{Name: "analytics", Site: 1, Topic: "orders", Start: 5 * time.Second, Stop: 4 * time.Minute,
		Config: s.Consumers[0].Config}, spec.Consumers[0])
	assert.Equal(t, "g", spec.Consumers[0].Group())
}

func TestSpecValidatesFirst(t *testing.T) {
	s := &Scenario{Duration: time.Minute, MetricsInterval: time.Second,
		Sites:  []model.SiteSpec{{Name: "a", Brokers: 1, Controllers: 1}},
		Broker: model.DefaultBrokerConfig(), Controller: model.DefaultControllerConfig(),
		Topics: []model.TopicSpec{{Name: "t", Partitions: 1, ReplicationFactor: 2, Placement: "striped"}},
	}
	_, err := s.Spec()
	assert.EqualError(t, err, "topics[0].replication.factor: 2 exceeds 1 broker")
	s.Topics[0].ReplicationFactor = 1
	spec, err := s.Spec()
	require.NoError(t, err)
	assert.Equal(t, s.Sites, spec.Sites)
}

func TestInstanceNames(t *testing.T) {
	assert.Equal(t, []string{"p"}, InstanceNames("p", 1))
	assert.Equal(t, []string{"p"}, InstanceNames("p", 0))
	assert.Equal(t, []string{"p-1", "p-2"}, InstanceNames("p", 2))
	assert.Equal(t, []string{"p"}, InstanceNames("p", MaxProducerCount+1))
}
