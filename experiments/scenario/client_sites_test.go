package scenario

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/model"
)

// clientSiteFile is three broker sites and a site app with no broker and no controller, at line
// 6; clients and faults are appended.
const clientSiteFile = `duration: 1m
sites:
  - {name: dc-a, brokers: 1, controllers: 1}
  - {name: dc-b, brokers: 1, controllers: 1}
  - {name: dc-c, brokers: 1, controllers: 1}
  - {name: app, brokers: 0, controllers: 0}
network:
  inter_site: {rtt: 2ms}
  links: [{between: [app, dc-a], rtt: 10ms, bandwidth: 1Gbps}]
topics: [{name: t, partitions: 3, replication.factor: 3}]
`

// A site with no brokers and no controllers is a client-only site when a producer or consumer
// runs there, and an error naming file, line and site otherwise; links and faults may name it
// like any site.
func TestClientOnlySiteValidation(t *testing.T) {
	const empty = `c.yaml:6: sites[3]: site "app" has no brokers, no controllers and no clients`
	tests := []struct{ name, extra, err string }{
		{"producer", "producers: [{name: p, site: app, topic: t, rate: 1MB/s, record_size: 1KiB}]\n", ""},
		{"producer instances", "producers: [{name: p, site: app, topic: t, rate: 1MB/s, record_size: 1KiB, count: 3}]\n", ""},
		{"consumer", "consumers: [{name: c, site: app, topic: t, config: {client.rack: app}}]\n", ""},
		{"no client", "", empty},
		{"clients elsewhere", "producers: [{name: p, site: dc-a, topic: t, rate: 1MB/s, record_size: 1KiB}]\n" +
			"consumers: [{name: c, site: dc-b, topic: t}]\n", empty},
		{"only a fault names it", "faults: [{at: 10s, type: site-outage, site: app}]\n", empty},
		{"faults on it", "producers: [{name: p, site: app, topic: t, rate: 1MB/s, record_size: 1KiB}]\nfaults:\n" +
			"  - {at: 10s, type: site-outage, site: app, duration: 5s}\n" +
			"  - {at: 20s, type: partition, groups: [[app], [dc-a, dc-b]], duration: 5s}\n" +
			"  - {at: 30s, type: latency, between: [app, dc-c], rtt: 50ms, duration: 5s}\n" +
			"  - {at: 40s, type: bandwidth, between: [dc-a, app], bandwidth: 100Mbps, duration: 5s}\n" +
			"  - {at: 50s, type: loss, between: [app, dc-b], rate: 0.01, duration: 5s}\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(clientSiteFile+tt.extra), Options{})
			if tt.err == "" {
				assert.NoError(t, err)
			} else {
				assert.EqualError(t, err, tt.err)
			}
		})
	}
}

// A --set that empties a site of its brokers and controllers is judged like a file: the error
// names the site's item in the file.
func TestClientOnlySiteBySet(t *testing.T) {
	file := strings.Replace(clientSiteFile, "{name: app, brokers: 0, controllers: 0}", "{name: app, brokers: 1}", 1) +
		"producers: [{name: p, site: dc-a, topic: t, rate: 1MB/s, record_size: 1KiB}]\n"
	_, err := Parse("c.yaml", []byte(file), Options{Sets: []string{"sites[app].brokers=0"}})
	assert.EqualError(t, err, `c.yaml:6: sites[3]: site "app" has no brokers, no controllers and no clients`)
	_, err = Parse("c.yaml", []byte(file), Options{Sets: []string{"sites[app].brokers=0", "producers[p].site=app"}})
	assert.NoError(t, err)
}

// The spec of a client-only site: a site with no brokers and no controllers, its clients at its
// id, its links like any pair's.
func TestClientOnlySiteSpec(t *testing.T) {
	s, err := Parse("c.yaml", []byte(clientSiteFile+
		"producers: [{name: p, site: app, topic: t, rate: 1MB/s, record_size: 1KiB}]\n"+
		"consumers: [{name: c, site: app, topic: t}]\n"), Options{})
	require.NoError(t, err)
	spec, err := s.Spec()
	require.NoError(t, err)
	require.Len(t, spec.Sites, 4)
	assert.Equal(t, model.SiteSpec{Name: "app"}, spec.Sites[3])
	assert.Equal(t, model.SiteID(3), spec.Producers[0].Site)
	assert.Equal(t, model.SiteID(3), spec.Consumers[0].Site)
	require.Len(t, spec.Network.Links, 1)
	assert.Equal(t, [2]model.SiteID{3, 0}, [2]model.SiteID{spec.Network.Links[0].A, spec.Network.Links[0].B})
	top, err := model.NewTopology(spec.Sites)
	require.NoError(t, err)
	assert.Len(t, top.Brokers, 3, "app gets no broker id")
}
