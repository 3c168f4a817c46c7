package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model/placement"
)

func TestParseBrokers(t *testing.T) {
	tests := []struct {
		in   string
		want []placement.Broker
	}{
		{"0", []placement.Broker{{ID: 0}}},
		{"3:b,1:a, 2:a", []placement.Broker{{ID: 1, Rack: "a"}, {ID: 2, Rack: "a"}, {ID: 3, Rack: "b"}}},
		{"5,4:x", []placement.Broker{{ID: 4, Rack: "x"}, {ID: 5}}},
		{"2147483647:dc", []placement.Broker{{ID: 2147483647, Rack: "dc"}}},
		// An id listed twice keeps the given order, so the placer's error names the user's positions.
		{"2,1,2", []placement.Broker{{ID: 2}, {ID: 1}, {ID: 2}}},
	}
	for _, tt := range tests {
		got, err := parseBrokers(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestParseBrokersRejects(t *testing.T) {
	for _, in := range []string{"", ",", "a", "a:b", "1:", ":a", "-1", "+1", "1.5", "1:a:b", "1:a b", "1:a\nb", "1:a\x00", "2147483648", "1,"} {
		_, err := parseBrokers(in)
		var ue *usageError
		require.True(t, errors.As(err, &ue), "%q: want a usage error, got %v", in, err)
		assert.True(t, strings.HasPrefix(err.Error(), "--brokers: "), err.Error())
	}
}

func TestMarkFenced(t *testing.T) {
	brokers := []placement.Broker{{ID: 1}, {ID: 2}, {ID: 3}}
	require.NoError(t, markFenced(brokers, "3, 1"))
	assert.Equal(t, []bool{true, false, true}, []bool{brokers[0].Fenced, brokers[1].Fenced, brokers[2].Fenced})
	require.NoError(t, markFenced(brokers, ""))
	assert.Error(t, markFenced(brokers, "4"))
	assert.Error(t, markFenced(brokers, "x"))
}

// FuzzParseBrokers: no panic; a parsed list is sorted by id or holds a repeated id, and
// formatting it back parses to the same brokers.
func FuzzParseBrokers(f *testing.F) {
	for _, s := range []string{"1:dc-a,2:dc-a,3:dc-b", "0", "1,2,1", "a:b", "1:", ",", "2147483648", "3:x,1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := parseBrokers(in)
		if err != nil {
			return
		}
		tokens := make([]string, len(got))
		for i, b := range got {
			tokens[i] = b.ID.String()
			if b.Rack != "" {
				tokens[i] += ":" + b.Rack
			}
		}
		again, err := parseBrokers(strings.Join(tokens, ","))
		require.NoError(t, err)
		assert.Equal(t, got, again)
	})
}

func TestAssignOptionsFromFlags(t *testing.T) {
	var got *assignOptions
	cmd := newCmdAssign(func(o *assignOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--placer", "legacy", "--brokers", "0,1", "--partitions", "3", "--replication-factor", "2", "--start-index", "0"})
	require.NoError(t, cmd.Execute())
	assert.True(t, got.StartIndexSet)
	assert.False(t, got.ShiftSet)
	req, err := got.request()
	require.NoError(t, err)
	assert.Equal(t, placement.LegacyOptions{StartIndex: 0, Shift: -1, StartPartition: 0}, req.legacy)
}
