package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model/placement"
)

func TestNewTopology(t *testing.T) {
	top, err := NewTopology([]SiteSpec{
		{Name: "dc-a", Brokers: 3, Controllers: 2, Racks: []string{"a1", "a2"}},
		{Name: "dc-b", Brokers: 2, Controllers: 2},
		{Name: "tie", Controllers: 1},
	})
	require.NoError(t, err)
	assert.Equal(t, []BrokerInfo{
		{ID: 1, Site: 0, Rack: "a1"}, {ID: 2, Site: 0, Rack: "a2"}, {ID: 3, Site: 0, Rack: "a1"},
		{ID: 4, Site: 1, Rack: "dc-b"}, {ID: 5, Site: 1, Rack: "dc-b"},
	}, top.Brokers)
	assert.Equal(t, []ControllerInfo{{1000, 0}, {1001, 0}, {1002, 1}, {1003, 1}, {1004, 2}}, top.Controllers)
	assert.Equal(t, []Site{
		{ID: 0, Name: "dc-a", Brokers: ids(1, 2, 3), Controllers: []int32{1000, 1001}},
		{ID: 1, Name: "dc-b", Brokers: ids(4, 5), Controllers: []int32{1002, 1003}},
		{ID: 2, Name: "tie", Controllers: []int32{1004}},
	}, top.Sites)
	assert.Equal(t, []placement.Broker{{ID: 1, Rack: "a1"}, {ID: 2, Rack: "a2"}, {ID: 3, Rack: "a1"},
		{ID: 4, Rack: "dc-b"}, {ID: 5, Rack: "dc-b"}}, top.PlacementBrokers())

	for id, want := range map[BrokerID]SiteID{1: 0, 3: 0, 4: 1, 5: 1} {
		got, ok := top.SiteOf(id)
		assert.True(t, ok)
		assert.Equal(t, want, got, "broker %d", id)
	}
	for _, id := range []BrokerID{0, 6, -1, 1000} {
		_, ok := top.SiteOf(id)
		assert.False(t, ok, "broker %d", id)
	}
}

func TestTopologyFeedsThePlacers(t *testing.T) {
	// Two sites of 3 brokers: rack-aware legacy placement with rf 4 puts 2 replicas in each site.
	top, err := NewTopology([]SiteSpec{{Name: "DC1", Brokers: 3}, {Name: "DC2", Brokers: 3}})
	require.NoError(t, err)
	layout, err := placement.AssignLegacy(top.PlacementBrokers(), 1, 4, placement.LegacyOptions{StartIndex: 0, Shift: 0}, nil)
	require.NoError(t, err)
	assert.Equal(t, []placement.BrokerID{1, 4, 2, 5}, layout[0], "reference §1.5 (i)")
}

func TestNewTopologyErrors(t *testing.T) {
	tests := []struct {
		name  string
		specs []SiteSpec
		want  string
	}{
		{"no sites", nil, "topology: no site has a broker"},
		{"only a tie-breaker", []SiteSpec{{Name: "tie", Controllers: 1}}, "topology: no site has a broker"},
		{"every problem at once", []SiteSpec{
			{Name: "", Brokers: 1},
			{Name: "a", Brokers: -1, Controllers: -2},
			{Name: "a", Brokers: 1, Racks: []string{"r", ""}},
		}, "sites[0]: name is empty\n" +
			"sites[1]: brokers: -1 is negative\n" +
			"sites[1]: controllers: -2 is negative\n" +
			"sites[2]: name \"a\" is already sites[1]\n" +
			"sites[2]: racks[1] is empty"},
		{"rack shared by two sites", []SiteSpec{
			{Name: "a", Brokers: 2, Racks: []string{"r1", "r2"}},
			{Name: "b", Brokers: 2, Racks: []string{"r2"}},
		}, "sites[1]: racks[0]: rack \"r2\" is also a rack of sites[0]"},
		{"site name used as another site's rack", []SiteSpec{
			{Name: "a", Brokers: 1, Racks: []string{"b"}},
			{Name: "b", Brokers: 1},
		}, "sites[1]: rack \"b\" (the site name) is also a rack of sites[0]"},
		{"broker ids would reach the controller ids", []SiteSpec{{Name: "a", Brokers: 1000}},
			"topology: 1000 brokers: ids must stay below the first controller id 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewTopology(tt.specs)
			assert.EqualError(t, err, tt.want)
		})
	}
}
