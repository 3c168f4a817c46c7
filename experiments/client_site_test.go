package experiments

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// clientSite is the client-site example with sets applied.
func clientSite(t *testing.T, sets ...string) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.LoadFS(scenarios.FS, "client-site.yaml", scenario.Options{Sets: sets})
	require.NoError(t, err)
	return sc
}

// TestClientSiteRun runs the client-site example with app 10 ms from every broker site and checks
// the summary against first principles: every produce crosses from app to its leader and, with
// acks=all, waits for the followers 2 ms away, so the median latency is at least 12 ms; and the
// produced records cross from app to the broker sites once (app->dc-* at least the acknowledged
// bytes, and no more than those records each in its own request, with headers).
func TestClientSiteRun(t *testing.T) {
	sc := clientSite(t, "duration=30s", "warmup=5s", "network.links[0].rtt=10ms", "network.links[1].rtt=10ms",
		"network.links[2].rtt=10ms")
	res, err := Run(sc)
	require.NoError(t, err)
	s := res.Summary
	require.Empty(t, s.Invariants.Violations)
	require.NotNil(t, s.Produce.LatencyMs)
	acked := float64(s.Produce.AckedBytes)
	require.Positive(t, acked)
	fromApp := 0.0
	for _, to := range []string{"dc-a", "dc-b", "dc-c"} {
		b, ok := s.Network.CrossSiteBytes.Pairs["app->"+to]
		require.True(t, ok, "the cross-site table lists app->%s", to)
		fromApp += float64(b)
	}
	t.Logf("p50 %.2f ms; app->dc-* %.0f bytes for %.0f acknowledged (%.3f)", s.Produce.LatencyMs.P50, fromApp, acked, fromApp/acked)
	assert.GreaterOrEqual(t, s.Produce.LatencyMs.P50, 12.0, "one RTT to the leader and one to its followers")
	assert.LessOrEqual(t, s.Produce.LatencyMs.P50, 12.0+5, "and at most linger.ms more")
	assert.GreaterOrEqual(t, fromApp, 0.99*acked, "the records cross from app (records in flight at the window's edges aside)")
	assert.LessOrEqual(t, fromApp, acked*(1+181.0/1024)*1.01, "at most one request of 181 header bytes per 1 KiB record")
	var text strings.Builder
	require.NoError(t, WriteText(&text, &s))
	assert.Contains(t, text.String(), "app->dc-a")
}

// A client-only site is described as such, not as a site of 0 brokers and 0 controllers.
func TestDescribeClientOnlySite(t *testing.T) {
	d := describeScenario(clientSite(t))
	assert.Contains(t, d, "app (clients only)")
	assert.Contains(t, d, "dc-a (3 brokers, 1 controller)")
}

// The review's rules over sites leave a client-only site out where it holds nothing of the
// cluster: its links carry no replication (largestBDP), a consumer there has no replica to
// read locally (followerFetchingSets), and it is not a site of the cluster when two sites hold
// the controllers (controllerCandidates).
func TestReviewRulesSkipClientOnlySite(t *testing.T) {
	// A 100 ms, 10 Gbps app<->dc-a link has a BDP of 125 MB; dc-a<->dc-b's 2 ms is 2.5 MB.
	r := &DesignReview{sc: clientSite(t, "network.links[0].rtt=100ms")}
	bdp, where := r.largestBDP()
	assert.Equal(t, "dc-a<->dc-b", where)
	assert.InDelta(t, 2.5e6, bdp, 1)

	// Only the consumer in app, with no client.rack: nothing to switch on.
	only := clientSite(t, "consumers=[{name: c, site: app, topic: orders}]", "broker.replica.selector.class=null")
	assert.Nil(t, followerFetchingSets(only))
	both := clientSite(t, "consumers=[{name: c, site: app, topic: orders}, {name: d, site: dc-b, topic: orders}]",
		"broker.replica.selector.class=null")
	assert.Equal(t, []Setting{{Path: "broker.replica.selector.class", Value: RackAwareSelector},
		{Path: "consumers[1].config.client.rack", Value: "dc-b"}}, followerFetchingSets(both))

	// dc-a and dc-b hold the cluster, dc-a the voter majority, and app the clients.
	two := clientSite(t, "sites=[{name: dc-a, brokers: 3, controllers: 2}, {name: dc-b, brokers: 3, controllers: 1}, {name: app, brokers: 0, controllers: 0}]",
		"network.links=[{between: [app, dc-a], rtt: 5ms}]", "consumers[analytics].config.client.rack=dc-b",
		"topics[orders].replication.factor=2")
	r = &DesignReview{sc: two, failures: []*reviewCase{{Name: "site-outage dc-a", Dark: []string{"dc-a"},
		Row: FailureRow{Verdict: VerdictControlPlaneDown}}}}
	got := r.controllerCandidates()
	require.Len(t, got, 1)
	assert.Equal(t, []Setting{{Path: "sites", Value: "[{name: dc-a, brokers: 3, controllers: 1}, {name: dc-b, brokers: 3, controllers: 1}, " +
		"{name: app, brokers: 0, controllers: 0}, {name: tie-breaker, brokers: 0, controllers: 1}]"}}, got[0].sets)
}
