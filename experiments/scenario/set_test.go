package scenario

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/scenarios"
)

func defaultTree(t *testing.T) *yaml.Node {
	t.Helper()
	data, err := scenarios.FS.ReadFile(scenarios.Default)
	require.NoError(t, err)
	root, err := ParseYAML(scenarios.Default, data)
	require.NoError(t, err)
	return root
}

func TestApplySet(t *testing.T) {
	tests := []struct {
		set   string
		check func(t *testing.T, s *Scenario)
	}{
		{"seed=7", func(t *testing.T, s *Scenario) { assert.Equal(t, uint64(7), s.Seed) }},
		{"network.inter_site.rtt=20ms", func(t *testing.T, s *Scenario) {
			assert.Equal(t, model.Constant(20*time.Millisecond), s.Network.InterSite.RTT)
		}},
		{"network.inter_site.rtt=lognormal(median=12ms, p99=40ms)", func(t *testing.T, s *Scenario) {
			assert.Equal(t, model.DistLogNormal, s.Network.InterSite.RTT.Kind)
		}},
		{"topics[0].replication.factor=4", func(t *testing.T, s *Scenario) { assert.Equal(t, 4, s.Topics[0].ReplicationFactor) }},
		{"topics[orders].config.min.insync.replicas=3", func(t *testing.T, s *Scenario) {
			assert.Equal(t, 3, *s.Topics[0].Config.MinInsyncReplicas)
		}},
		{"topics[orders].config.unclean.leader.election.enable=true", func(t *testing.T, s *Scenario) {
			assert.True(t, *s.Topics[0].Config.UncleanLeaderElectionEnable)
		}},
		{"producers[checkout].config.acks=1", func(t *testing.T, s *Scenario) {
			assert.Equal(t, model.AcksLeader, s.Producers[0].Config.Acks)
			assert.False(t, s.Producers[0].Config.EnableIdempotence)
		}},
		{"producers[checkout].rate=5000 records/s", func(t *testing.T, s *Scenario) {
			assert.Equal(t, Rate{RecordsPerSec: 5000}, s.Producers[0].Rate)
		}},
		{"broker.replica.lag.time.max.ms=10000", func(t *testing.T, s *Scenario) {
			assert.Equal(t, 10*time.Second, s.Broker.ReplicaLagTimeMax)
		}},
		{"controller.controller.quorum.fetch.timeout.ms=5000", func(t *testing.T, s *Scenario) {
			assert.Equal(t, 5*time.Second, s.Controller.FetchTimeout)
		}},
		{"sites[dc-c].brokers=0", func(t *testing.T, s *Scenario) { assert.Equal(t, 0, s.Sites[2].Brokers) }},
		{"sites[2].racks=[c1, c2]", func(t *testing.T, s *Scenario) { assert.Equal(t, []string{"c1", "c2"}, s.Sites[2].Racks) }},
		{"hardware.request_cpu_time=1ms", func(t *testing.T, s *Scenario) { assert.Equal(t, time.Millisecond, s.Hardware.RequestCPUTime) }},
		{"topics[orders].replica_assignment=[[1,4,7],[4,7,1]]", func(t *testing.T, s *Scenario) {
			assert.Equal(t, [][]model.BrokerID{{1, 4, 7}, {4, 7, 1}}, s.Topics[0].Assignment)
		}},
		{"faults=[{at: 5s, type: site-outage, site: dc-c}]", func(t *testing.T, s *Scenario) {
			require.Len(t, s.Faults, 1)
			assert.Equal(t, model.SiteID(2), s.Faults[0].SiteID)
		}},
		{"network.links=[{between: [dc-a, dc-c], rtt: 12ms}]", func(t *testing.T, s *Scenario) {
			require.Len(t, s.Network.Links, 1)
			assert.Equal(t, [2]string{"dc-a", "dc-c"}, s.Network.Links[0].Between)
		}},
		{"name=a #b", func(t *testing.T, s *Scenario) { assert.Equal(t, "a #b", s.Name) }},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			root := defaultTree(t)
			if tt.set == "topics[orders].replica_assignment=[[1,4,7],[4,7,1]]" {
				require.NoError(t, ApplySet(root, "topics[orders].partitions", "2"))
			}
			p, v, _ := cutSet(tt.set)
			require.NoError(t, ApplySet(root, p, v))
			s, err := DecodeNode("default.yaml", root, Options{})
			require.NoError(t, err)
			tt.check(t, s)
		})
	}
}

func cutSet(s string) (string, string, bool) {
	for i := range s {
		if s[i] == '=' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func TestApplySetErrors(t *testing.T) {
	tests := []struct{ path, value, err string }{
		{"network.inter_site.rttt", "1ms", `network.inter_site: unknown key "rttt" (did you mean "rtt"?)`},
		{"topics[payments].partitions", "1", `topics: no item named "payments" (have orders)`},
		{"topics[3].partitions", "1", `topics: no item 3 (the list has 1)`},
		{"seed.x", "1", `seed: is "1", not a mapping: cannot set x in it`},
		{"metrics_interval.x", "1", `metrics_interval: is a value, not a mapping: cannot set x in it`},
		{"sites.name", "x", `sites: is a list: select an item first, e.g. sites[0].name`},
		{"network.links[0].rtt", "1ms", `network.links: no item to select with [0].rtt`},
		{"", "1", `empty path`},
		{"topics[0", "1", `topics: unclosed [ in "[0"`},
		{"topics[0]x", "1", `topics[0]: want . or [ after ], got "x"`},
		{"broker.x[1]", "2", `broker: "x[1]" is not a Kafka property name`},
		{"network.links[0]", "{}", `network.links: no item to select with [0]`},
		{"durations", "1m", `(top level): unknown key "durations" (did you mean "duration"?)`},
		{"topics[0].", "1", `path "topics[0]." has an empty key`},
		{"sites[dc-a]..name", "1", `path "sites[dc-a]..name" has an empty key`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			assert.EqualError(t, ApplySet(defaultTree(t), tt.path, tt.value), tt.err)
		})
	}
}

func TestParseWithSets(t *testing.T) {
	data, err := scenarios.FS.ReadFile(scenarios.Default)
	require.NoError(t, err)
	s, err := Parse("default.yaml", data, Options{Sets: []string{"seed=9", "topics[orders].config.min.insync.replicas=3"}})
	require.NoError(t, err)
	assert.Equal(t, uint64(9), s.Seed)

	_, err = Parse("default.yaml", data, Options{Sets: []string{"seed"}})
	assert.EqualError(t, err, `--set seed: want PATH=VALUE`)
	var setErr *SetError
	assert.ErrorAs(t, err, &setErr, "a malformed --set is its own error type (the CLI's usage error)")
	_, err = Parse("default.yaml", data, Options{Sets: []string{"foo=1"}})
	assert.ErrorAs(t, err, &setErr)
}

// A bad value given by --set is blamed on the flag, not on a line of the file; values of the file
// keep their lines, also when another value is set.
func TestSetValueErrorsNameTheFlag(t *testing.T) {
	data, err := scenarios.FS.ReadFile(scenarios.Default)
	require.NoError(t, err)
	tests := []struct {
		sets []string
		err  string
	}{
		{[]string{"network.inter_site.rtt=5 mss"}, `--set network.inter_site.rtt=5 mss: network.inter_site.rtt: "5 mss" is not a duration: want a number and a unit (ns, us, ms, s, m, h), e.g. "250ms" or "1m30s", within ±292 years, or a distribution such as "lognormal(median=12ms, p99=40ms)"`},
		{[]string{"topics[orders].replication.factor=12"}, `--set topics[orders].replication.factor=12: topics[0].replication.factor: 12 exceeds 9 brokers`},
		{[]string{"duration=60"}, `--set duration=60: duration: "60" has no unit: write e.g. "60s" or "60ms"`},
		{[]string{"broker.lag=1"}, `--set broker.lag=1: broker.lag: unknown broker property "lag"`},
		{[]string{"seed=9", "producers[checkout].rate=-30MB/s"}, `--set producers[checkout].rate=-30MB/s: producers[0].rate: "-30MB/s" must be positive`},
		// A mapping value: each of its keys is the flag's.
		{[]string{"network.inter_site={rtt: 2ms, bandwith: 1Gbps}"}, `--set network.inter_site={rtt: 2ms, bandwith: 1Gbps}: network.inter_site.bandwith: unknown key "bandwith" (did you mean "bandwidth"?)`},
		{[]string{"network.inter_site={rtt: 2ms, bandwidth: 0}"}, `--set network.inter_site={rtt: 2ms, bandwidth: 0}: network.inter_site.bandwidth: "0" must be positive (for no limit write "unlimited")`},
		// A list item, and a section the file lacks.
		{[]string{"sites[dc-c]={name: dc-c}"}, `--set sites[dc-c]={name: dc-c}: sites[2].brokers: required key is missing`},
		{[]string{"hardware.disk_write_bandwidth=fast"}, `--set hardware.disk_write_bandwidth=fast: hardware.disk_write_bandwidth: "fast" is not a byte rate: want a number and a unit, e.g. "20MB/s" or "1GiB/s"`},
		// The file's own values keep their lines.
		{[]string{"topics[orders].config.min.insync.replicas=2", "network.intra_site.rtt=-1ms"}, `--set network.intra_site.rtt=-1ms: network.intra_site.rtt: "-1ms" is negative`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.sets, " "), func(t *testing.T) {
			_, err := Parse("default.yaml", data, Options{Sets: tt.sets})
			require.Error(t, err)
			assert.Equal(t, tt.err, err.Error())
			var se *Error
			require.ErrorAs(t, err, &se)
			assert.Zero(t, se.Line)
		})
	}
	_, err = Parse("default.yaml", data, Options{Sets: []string{"seed=9"}})
	require.NoError(t, err)
	bad := strings.Replace(string(data), "rate: 20MB/s", "rate: 20MBps", 1)
	_, err = Parse("default.yaml", []byte(bad), Options{Sets: []string{"seed=9"}})
	assert.ErrorContains(t, err, `default.yaml:34: producers[0].rate: "20MBps" is not a rate`)
	// The file's replication factor is the offending value, whatever the overrides made of the
	// brokers.
	_, err = Parse("default.yaml", data, Options{Sets: []string{"sites[dc-a].brokers=2", "sites[dc-b].brokers=0", "sites[dc-c].brokers=0"}})
	assert.EqualError(t, err, `default.yaml:24: topics[0].replication.factor: 3 exceeds 2 brokers`)
}

// The shape ApplySet creates keys from is the decoder's: testdata/full.yaml uses every key of
// the format, so the keys it holds, walked along the shape, are exactly the shape's.
func TestShapeMatchesDecoder(t *testing.T) {
	data, err := os.ReadFile("testdata/full.yaml")
	require.NoError(t, err)
	root, err := ParseYAML("full.yaml", data)
	require.NoError(t, err)
	var inFile []string
	walkShape(root.Content[0], scenarioShape, "", &inFile)
	var inShape []string
	listShape(scenarioShape, "", &inShape)
	assert.Equal(t, slices.Compact(slices.Sorted(slices.Values(inShape))), slices.Compact(slices.Sorted(slices.Values(inFile))))
}

func walkShape(n *yaml.Node, sh *shape, path string, out *[]string) {
	n = resolve(n)
	switch {
	case sh == nil:
		*out = append(*out, path+" (not in the shape)")
	case sh.props || sh == leaf:
		*out = append(*out, path)
	case sh.value && n.Kind == yaml.ScalarNode:
		*out = append(*out, path)
	case sh.item != nil && (n.Kind == yaml.SequenceNode || sh.fields == nil):
		for _, c := range n.Content {
			walkShape(c, sh.item, path+"[]", out)
		}
	default:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			walkShape(n.Content[i+1], sh.fields[k], keyPath(path, k), out)
		}
	}
}

func listShape(sh *shape, path string, out *[]string) {
	switch {
	case sh.props || sh == leaf:
		*out = append(*out, path)
	default:
		if sh.value {
			*out = append(*out, path)
		}
		if sh.item != nil {
			listShape(sh.item, path+"[]", out)
		}
		for k, sub := range sh.fields {
			listShape(sub, keyPath(path, k), out)
		}
	}
}
