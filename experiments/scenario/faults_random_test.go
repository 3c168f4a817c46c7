package scenario

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/scenarios"
)

// TestRandomFaultsReplayFromText checks the contract of random_faults: the faults drawn from a
// seed are the same every time, and the scenario lines they print, pasted under faults:, give
// the same faults back.
func TestRandomFaultsReplayFromText(t *testing.T) {
	a, err := LoadFS(scenarios.FS, "random-faults.yaml", Options{})
	require.NoError(t, err)
	b, err := LoadFS(scenarios.FS, "random-faults.yaml", Options{})
	require.NoError(t, err)
	require.Len(t, a.Faults, 4)
	assert.Equal(t, a.Faults, b.Faults)
	c, err := LoadFS(scenarios.FS, "random-faults.yaml", Options{Sets: []string{"random_faults.seed=8"}})
	require.NoError(t, err)
	assert.NotEqual(t, a.Faults, c.Faults, "another seed draws other faults")

	data, err := scenarios.FS.ReadFile("random-faults.yaml")
	require.NoError(t, err)
	text, _, _ := strings.Cut(string(data), "random_faults:")
	assertReplays(t, text, a.Faults)
}

// TestFaultLinesQuoteNames checks that printed fault lines replay whatever the site names: a
// comma, a colon or a name that reads as a number is quoted by the YAML encoder.
func TestFaultLinesQuoteNames(t *testing.T) {
	head := `name: q
duration: 20s
warmup: 2s
sites:
  - {name: "London, UK", brokers: 1, controllers: 1}
  - {name: "123", brokers: 1, controllers: 1}
  - {name: "c: d", brokers: 1, controllers: 1}
network: {inter_site: {rtt: 2ms}}
topics:
  - {name: t, partitions: 3, replication.factor: 3}
`
	a, err := Parse("a.yaml", []byte(head+"random_faults: {count: 8, seed: 3, start: 3s, end: 15s, duration: 3s}\n"), Options{})
	require.NoError(t, err)
	text := assertReplays(t, head, a.Faults)
	assert.Contains(t, text, `'London, UK'`)
}

// assertReplays writes faults as fault lines under head and checks that the scenario they make
// decodes to the same faults; it returns the scenario text.
func assertReplays(t *testing.T, head string, faults []Fault) string {
	t.Helper()
	text := head + "faults:\n"
	for _, f := range faults {
		text += "  " + f.YAML() + "\n"
	}
	replay, err := Parse("replay.yaml", []byte(text), Options{})
	require.NoError(t, err, text)
	require.Len(t, replay.Faults, len(faults))
	for i, f := range faults {
		f.Generated = false
		assert.Equal(t, f, replay.Faults[i], "fault %d replays from %s", i, f.YAML())
	}
	return text
}

// TestRandomPowerLossReplays: kinds power-loss draws site outages with power_loss, printed as
// site-outage lines that replay; a broker crash in mode power replays too. Drawing power-loss
// does not change what the other kinds draw.
func TestRandomPowerLossReplays(t *testing.T) {
	head := `name: p
duration: 60s
sites:
  - {name: dc-a, brokers: 1, controllers: 1}
  - {name: dc-b, brokers: 1, controllers: 1}
network: {inter_site: {rtt: 2ms}}
topics:
  - {name: t, partitions: 1, replication.factor: 2}
`
	a, err := Parse("a.yaml", []byte(head+"random_faults: {count: 6, seed: 3, kinds: [power-loss, broker-crash], duration: 3s}\n"), Options{})
	require.NoError(t, err)
	power := 0
	for _, f := range a.Faults {
		if f.Type == FaultSiteOutage {
			assert.True(t, f.PowerLoss)
			assert.Contains(t, f.YAML(), "power_loss: true")
			power++
		}
	}
	assert.Positive(t, power)
	faults := append(a.Faults, Fault{At: 5e9, Type: FaultBrokerCrash, Broker: 2, Mode: CrashPower})
	assertReplays(t, head, faults)

	b, err := Parse("b.yaml", []byte(head+"random_faults: {count: 6, seed: 3, kinds: [site-outage, broker-crash], duration: 3s}\n"), Options{})
	require.NoError(t, err)
	for i := range a.Faults {
		a.Faults[i].PowerLoss = false
	}
	assert.Equal(t, b.Faults, a.Faults, "power-loss draws what site-outage draws, with power_loss")
}
