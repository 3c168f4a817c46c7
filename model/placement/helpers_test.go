package placement

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// rackedBrokers returns unfenced brokers sorted by id from an id -> rack map.
func rackedBrokers(racks map[BrokerID]string) []Broker {
	out := make([]Broker, 0, len(racks))
	for id, r := range racks {
		out = append(out, Broker{ID: id, Rack: r})
	}
	slices.SortFunc(out, func(a, b Broker) int { return int(a.ID - b.ID) })
	return out
}

// plainBrokers returns unfenced brokers without racks, in the order given.
func plainBrokers(ids ...BrokerID) []Broker {
	out := make([]Broker, len(ids))
	for i, id := range ids {
		out[i] = Broker{ID: id}
	}
	return out
}

// ids returns BrokerIDs, for readable expectations.
func ids(v ...BrokerID) []BrokerID { return v }

// scriptedSource returns scripted values and records the bounds it was asked for.
type scriptedSource struct {
	values []int
	bounds []int
}

func (s *scriptedSource) NextInt(bound int) int {
	s.bounds = append(s.bounds, bound)
	v := s.values[0]
	s.values = s.values[1:]
	return v
}

// fixed returns legacy options equivalent to Kafka's fixedStartIndex=k, startPartitionId=p.
func fixed(k, p int) LegacyOptions { return LegacyOptions{StartIndex: k, Shift: k, StartPartition: p} }

func mustAssignLegacy(t *testing.T, brokers []Broker, partitions, rf int, opts LegacyOptions) [][]BrokerID {
	t.Helper()
	got, err := AssignLegacy(brokers, partitions, rf, opts, nil)
	require.NoError(t, err)
	return got
}
