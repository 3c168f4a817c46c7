package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAssignExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string // in the error line
	}{
		// Inputs Kafka rejects: the placer's error, exit 1.
		{"rf above broker count (legacy)", []string{"--placer", "legacy", "--brokers", "1,2,3", "--partitions", "1", "--replication-factor", "4"},
			exitFailure, "legacy placement: Replication factor: 4 larger than available brokers: 3."},
		{"rf above broker count (striped)", []string{"--brokers", "1,2,3", "--partitions", "1", "--replication-factor", "4"},
			exitFailure, "striped placement: The target replication factor of 4 cannot be reached because only 3 broker(s) are registered."},
		{"zero partitions (legacy)", []string{"--placer", "legacy", "--brokers", "1,2,3", "--partitions", "0", "--replication-factor", "2"},
			exitFailure, "legacy placement: Number of partitions must be larger than 0."},
		{"zero partitions (striped)", []string{"--brokers", "1,2,3", "--partitions", "0", "--replication-factor", "2"},
			exitFailure, "Number of partitions was set to an invalid non-positive value."},
		{"zero rf", []string{"--brokers", "1,2,3", "--partitions", "1", "--replication-factor", "0"},
			exitFailure, "Invalid replication factor 0: the replication factor must be positive."},
		// Documented choice: a broker listed twice is the placer's error (exit 1), naming the
		// 0-based positions in --brokers.
		{"broker listed twice", []string{"--brokers", "1:a,2:b,1:a", "--partitions", "1", "--replication-factor", "1"},
			exitFailure, "invalid broker list: brokers[2]: id 1 is already brokers[0]"},
		{"some brokers without a site (legacy)", []string{"--placer", "legacy", "--brokers", "1:a,2:b,3", "--partitions", "1", "--replication-factor", "2"},
			exitFailure, "Not all brokers have rack information for replica rack aware assignment."},
		{"everyone fenced (striped)", []string{"--brokers", "1:a,2:b", "--partitions", "1", "--replication-factor", "1", "--fenced", "1,2"},
			exitFailure, "striped placement: All brokers are currently fenced."},

		// Malformed invocations: exit 2.
		{"broker id not a number", []string{"--brokers", "1:a,a:b", "--partitions", "1", "--replication-factor", "1"},
			exitUsage, `--brokers: "a:b": broker id "a" is not a non-negative integer`},
		{"empty site", []string{"--brokers", "1:", "--partitions", "1", "--replication-factor", "1"},
			exitUsage, `--brokers: "1:": empty site after ':'`},
		{"negative broker id", []string{"--brokers", "1,-2", "--partitions", "1", "--replication-factor", "1"},
			exitUsage, `--brokers: "-2": broker id "-2" is not a non-negative integer`},
		{"empty broker entry", []string{"--brokers", "1,,2", "--partitions", "1", "--replication-factor", "1"},
			exitUsage, `--brokers: "": missing broker id`},
		{"broker id above int32", []string{"--brokers", "2147483648", "--partitions", "1", "--replication-factor", "1"},
			exitUsage, `broker id "2147483648" is above 2147483647`},
		{"missing brokers", []string{"--partitions", "1", "--replication-factor", "1"},
			exitUsage, "required flag --brokers not set"},
		{"missing partitions", []string{"--brokers", "1", "--replication-factor", "1"},
			exitUsage, "required flag --partitions not set"},
		{"missing replication factor", []string{"--brokers", "1", "--partitions", "1"},
			exitUsage, "required flag --replication-factor not set"},
		{"partitions not a number", []string{"--brokers", "1", "--partitions", "x", "--replication-factor", "1"},
			exitUsage, `invalid argument "x" for "--partitions" flag`},
		{"too many partitions", []string{"--brokers", "1", "--partitions", "1000001", "--replication-factor", "1"},
			exitUsage, "--partitions 1000001: more than the limit of 1000000"},
		{"unknown format", []string{"--brokers", "1", "--partitions", "1", "--replication-factor", "1", "--format", "yaml"},
			exitUsage, `--format "yaml": must be text or json`},
		{"unknown placer", []string{"--brokers", "1", "--partitions", "1", "--replication-factor", "1", "--placer", "random"},
			exitUsage, `--placer "random": must be striped or legacy`},
		{"start index with striped", []string{"--brokers", "1", "--partitions", "1", "--replication-factor", "1", "--start-index", "0"},
			exitUsage, "--start-index applies to --placer legacy only"},
		{"shift with striped", []string{"--brokers", "1", "--partitions", "1", "--replication-factor", "1", "--shift", "0"},
			exitUsage, "--shift applies to --placer legacy only"},
		{"start partition with striped", []string{"--brokers", "1", "--partitions", "1", "--replication-factor", "1", "--start-partition", "3"},
			exitUsage, "--start-partition applies to --placer legacy only"},
		{"fenced with legacy", []string{"--placer", "legacy", "--brokers", "1,2", "--partitions", "1", "--replication-factor", "1", "--fenced", "1"},
			exitUsage, "--fenced applies to --placer striped only"},
		{"fenced broker not listed", []string{"--brokers", "1,2", "--partitions", "1", "--replication-factor", "1", "--fenced", "3"},
			exitUsage, "--fenced: broker 3 is not in --brokers"},
		{"negative start index", []string{"--placer", "legacy", "--brokers", "1,2", "--partitions", "1", "--replication-factor", "1", "--start-index", "-1"},
			exitUsage, "--start-index -1: must be from 0 to 2147483647"},
		{"partition numbers past int32", []string{"--placer", "legacy", "--brokers", "1,2", "--partitions", "2", "--replication-factor", "1", "--start-partition", "2147483647"},
			exitUsage, "--start-partition 2147483647: partition numbers would pass 2147483647"},
		{"positional argument", []string{"extra", "--brokers", "1", "--partitions", "1", "--replication-factor", "1"},
			exitUsage, `stretchsim assign takes no arguments, got "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"assign"}, tt.args...)...)
			assert.Equal(t, tt.code, code, errOut)
			assert.Empty(t, out)
			assertErrorLine(t, errOut, tt.want, tt.code == exitUsage)
		})
	}
}

// Garbage never panics and always ends in exit 1 or 2 with an error on stderr.
func TestAssignGarbageNoPanic(t *testing.T) {
	garbage := [][]string{
		{"--brokers", ":", "--partitions", "1", "--replication-factor", "1"},
		{"--brokers", ",", "--partitions", "1", "--replication-factor", "1"},
		{"--brokers", "1:a:b", "--partitions", "1", "--replication-factor", "1"},
		{"--brokers", "1:a b", "--partitions", "1", "--replication-factor", "1"},
		{"--brokers", "99999999999999999999", "--partitions", "1", "--replication-factor", "1"},
		{"--brokers", "+1", "--partitions", "1", "--replication-factor", "1"},
		{"--brokers", "0x10", "--partitions", "1", "--replication-factor", "1"},
		{"--brokers", "１", "--partitions", "1", "--replication-factor", "1"},
		{"--brokers", "1", "--partitions", "-5", "--replication-factor", "1"},
		{"--brokers", "1", "--partitions", "1", "--replication-factor", "-9223372036854775808"},
		{"--brokers", "1", "--partitions", "9223372036854775807", "--replication-factor", "1"},
		{"--brokers", "1", "--partitions", "99999999999999999999", "--replication-factor", "1"},
		{"--placer", "legacy", "--brokers", "1,2", "--partitions", "1", "--replication-factor", "3", "--start-index", "9223372036854775807"},
		{"--placer", "legacy", "--brokers", "1,2", "--partitions", "1", "--replication-factor", "1", "--shift", "-9223372036854775808"},
		{"--brokers", "1", "--partitions", "1", "--replication-factor", "1", "--fenced", ",,"},
		{"--brokers", "1", "--partitions", "1", "--replication-factor", "1", "--fenced", "1"},
		{"--brokers", "1", "--partitions", "1", "--replication-factor", "1", "--seed", "x"},
		{"--brokers"},
		{"--", "--brokers", "1"},
		{"-p", "1"},
	}
	for _, args := range garbage {
		code, _, errOut := runCLI(t, append([]string{"assign"}, args...)...)
		assert.Contains(t, []int{exitFailure, exitUsage}, code, "args %q", args)
		assert.Contains(t, errOut, "stretchsim: ", "args %q", args)
	}
}
