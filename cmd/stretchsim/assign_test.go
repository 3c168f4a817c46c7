package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assignmentLines returns the "P: [...]" lines at the top of a text report.
func assignmentLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if l == "" {
			break
		}
		lines = append(lines, l)
	}
	return lines
}

const twoSites = "1:DC1,2:DC1,3:DC1,4:DC2,5:DC2,6:DC2"

// The worked examples of reference §1.5, which the brief's seed documents show.
func TestAssignSeedExamples(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{
			"two sites rf 4, fixedStartIndex=0 (§1.5 i)",
			[]string{"--brokers", twoSites, "--partitions", "1", "--replication-factor", "4", "--start-index", "0", "--shift", "0"},
			[]string{"0: [1 4 2 5]"},
		},
		{
			"two sites rf 5, fixedStartIndex=0 (§1.5 i)",
			[]string{"--brokers", twoSites, "--partitions", "1", "--replication-factor", "5", "--start-index", "0", "--shift", "0"},
			[]string{"0: [1 4 2 5 3]"},
		},
		{
			"no racks, start index 3 shift 0 (§1.5 ii)",
			[]string{"--brokers", "1,2,3,4,5", "--partitions", "5", "--replication-factor", "3", "--start-index", "3", "--shift", "0"},
			[]string{"0: [4 5 1]", "1: [5 1 2]", "2: [1 2 3]", "3: [2 3 4]", "4: [3 4 5]"},
		},
		{
			"no racks, fixedStartIndex=3 sets the shift too (§1.5 ii)",
			[]string{"--brokers", "1,2,3,4,5", "--partitions", "5", "--replication-factor", "3", "--start-index", "3", "--shift", "3"},
			[]string{"0: [4 3 5]", "1: [5 4 1]", "2: [1 5 2]", "3: [2 1 3]", "4: [3 2 4]"},
		},
		{
			"Kafka's A3 vector, broker 0 included, start partition numbering",
			[]string{"--brokers", "0:rack1,1:rack3,2:rack3,3:rack2,4:rack2,5:rack1", "--partitions", "7", "--replication-factor", "3", "--start-index", "0", "--shift", "0"},
			[]string{"0: [0 3 1]", "1: [3 1 5]", "2: [1 5 4]", "3: [5 4 2]", "4: [4 2 0]", "5: [2 0 3]", "6: [0 4 2]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"assign", "--placer", "legacy"}, tt.args...)...)
			require.Equal(t, exitOK, code, errOut)
			assert.Equal(t, tt.want, assignmentLines(out))
			assert.Empty(t, errOut)
		})
	}
}

func TestAssignStartPartitionNumbersLines(t *testing.T) {
	code, out, errOut := runCLI(t, "assign", "--placer", "legacy", "--brokers", "0,1,2,3,4",
		"--partitions", "2", "--replication-factor", "3", "--start-index", "0", "--shift", "0", "--start-partition", "5")
	require.Equal(t, exitOK, code, errOut)
	// Kafka's A4 vector with fixedStartIndex=0, partitions 5 and 6.
	assert.Equal(t, []string{"5: [0 2 3]", "6: [1 3 4]"}, assignmentLines(out))
}

func TestAssignTextSummary(t *testing.T) {
	code, out, errOut := runCLI(t, "assign", "--placer", "legacy", "--brokers", twoSites,
		"--partitions", "1", "--replication-factor", "4", "--start-index", "0", "--shift", "0")
	require.Equal(t, exitOK, code, errOut)
	for _, want := range []string{
		"legacy placer (AdminUtils.assignReplicasToBrokers), 1 partition, replication factor 4",
		"start index 0 (given), shift 0 (given), start partition 0; seed 0 not used",
		"BROKER  SITE  REPLICAS  LEADERS\n1       DC1   1         1\n2       DC1   1         0\n3       DC1   0         0\n",
		"SITE  BROKERS  REPLICAS  LEADERS\nDC1   3        2         1\nDC2   3        2         0\n",
		"partitions spanning 2 sites: 1\n",
		"partitions with every replica in one site: none\n",
	} {
		assert.Contains(t, out, want)
	}
}

func TestAssignReportsDraws(t *testing.T) {
	code, out, errOut := runCLI(t, "assign", "--placer", "legacy", "--brokers", twoSites,
		"--partitions", "6", "--replication-factor", "2", "--seed", "42")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `start index \d \(drawn: nextInt\(6\) = \d\), shift \d \(drawn: nextInt\(6\) = \d\), start partition 0; seed 42\n`, out)
	assert.Regexp(t, `same layout without the seed: --start-index \d --shift \d\n`, out)

	// The printed start index and shift reproduce the layout without the seed.
	var start, shift string
	for _, l := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(l, "same layout without the seed: "); ok {
			f := strings.Fields(rest)
			start, shift = f[1], f[3]
		}
	}
	code, again, errOut := runCLI(t, "assign", "--placer", "legacy", "--brokers", twoSites,
		"--partitions", "6", "--replication-factor", "2", "--start-index", start, "--shift", shift)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, assignmentLines(out), assignmentLines(again))
}

func TestAssignDeterministic(t *testing.T) {
	args := []string{"assign", "--brokers", "1:a,2:a,3:b,4:b,5:c,6:c,7:c", "--partitions", "50", "--replication-factor", "3", "--seed", "7"}
	_, first, _ := runCLI(t, args...)
	_, second, _ := runCLI(t, args...)
	assert.Equal(t, first, second)
	assert.Contains(t, first, "striped placer (KRaft StripedReplicaPlacer), 50 partitions, replication factor 3\nseed 7: ")
}

func TestAssignFlagsSingleSitePartitions(t *testing.T) {
	// With replication factor 1 every partition sits in a single site: the report must flag it.
	code, out, errOut := runCLI(t, "assign", "--brokers", "1:a,2:b", "--partitions", "2", "--replication-factor", "1")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "partitions spanning 1 site: 2\n")
	assert.Regexp(t, `WARNING: 2 partitions with every replica in one site, lost with that site: 0 \([ab]\), 1 \([ab]\)\n`, out)
}

func TestAssignRackUnawareSummary(t *testing.T) {
	code, out, errOut := runCLI(t, "assign", "--brokers", "1,2,3", "--partitions", "3", "--replication-factor", "2")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "no broker has a site: placement is rack-unaware, site spread not applicable\n")
	assert.Contains(t, out, "SITE  BROKERS  REPLICAS  LEADERS\n-     3        6         3\n")
}

func TestAssignFencedNeverLeads(t *testing.T) {
	code, out, errOut := runCLI(t, "assign", "--brokers", "1:dc-a,2:dc-a,3:dc-a,4:dc-b,5:dc-b,6:dc-b",
		"--partitions", "12", "--replication-factor", "4", "--fenced", "4,5", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	var rep assignReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	for _, a := range rep.Assignments {
		assert.NotContains(t, []int32{4, 5}, int32(a.Replicas[0]), "partition %d led by a fenced broker", a.Partition)
	}
	for _, b := range rep.Brokers {
		assert.Equal(t, b.ID == 4 || b.ID == 5, b.Fenced, "broker %d", b.ID)
	}
}
