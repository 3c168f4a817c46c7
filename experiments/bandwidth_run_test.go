package experiments_test

import (
	"testing"

	"github.com/stretchsim/stretchsim/scenarios"
)

// "unlimited" bandwidths and hardware throughputs run: the model takes +Inf for no limit.
func TestRunUnlimited(t *testing.T) {
	runJSON(t, scenarios.Default, "network.intra_site.bandwidth=unlimited", "network.inter_site.bandwidth=unlimited",
		"hardware.cpu_bytes_per_second=unlimited", "hardware.disk_write_bandwidth=unlimited")
}
