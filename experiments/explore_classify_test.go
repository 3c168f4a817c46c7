package experiments

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func record(t *testing.T, msg string, s *Summary) *RunRecord {
	t.Helper()
	rec := &RunRecord{Message: msg, Summary: []byte("null")}
	if s != nil {
		data, err := json.Marshal(s)
		require.NoError(t, err)
		rec.Summary = data
	}
	return rec
}

// Each run gets the most severe finding that applies, or none.
func TestClassify(t *testing.T) {
	yes, no := true, false
	sixty, five := 60.2, 5.0
	healthy := &Summary{Invariants: InvariantsSummary{Violations: []string{}}}
	lossy := &Summary{Durability: DurabilitySummary{AckedRecordsLost: 3}}
	broken := &Summary{Durability: DurabilitySummary{AckedRecordsLost: 3},
		Invariants: InvariantsSummary{Violations: []string{"seed 4 at 41.2s: committed metadata never lost: offset 7 ..."}}}
	stuck := &Summary{Availability: AvailabilitySummary{RecoverySeconds: &sixty, Recovered: &no}}
	slow := &Summary{Availability: AvailabilitySummary{RecoverySeconds: &five, Recovered: &no}}
	recovered := &Summary{Availability: AvailabilitySummary{RecoverySeconds: &five, Recovered: &yes}}
	for _, tc := range []struct {
		name, msg string
		s         *Summary
		kind      string
		rule      string
	}{
		{"healthy", "", healthy, "", ""},
		{"recovered", "", recovered, "", ""},
		{"still recovering at the end, below the threshold", "", slow, "", ""},
		{"unrecovered", "", stuck, FindingUnrecovered, ""},
		{"lost", "", lossy, FindingAckedLoss, ""},
		{"an invariant outranks the loss", "invariant violated: ...", broken, FindingInvariant, "committed metadata never lost"},
		{"panic", "panic: runtime error: index out of range", nil, FindingPanic, ""},
		{"hang", "error: " + HangPrefix + "simulated time stuck at 3s", nil, FindingHang, ""},
		{"error", "error: open x.csv: no such file", nil, FindingError, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := classify(record(t, tc.msg, tc.s), time.Minute)
			if tc.kind == "" {
				assert.Nil(t, f)
				return
			}
			require.NotNil(t, f)
			assert.Equal(t, tc.kind, f.Kind)
			assert.Equal(t, tc.rule, f.Rule)
		})
	}
}

// The watchdog trips after its limit of events without a millisecond of simulated progress, and
// only then; progress resets its count.
func TestWatchdog(t *testing.T) {
	w := &watchdog{limit: 100}
	assert.False(t, w.observe(Progress{Now: 0, Events: 50}))
	assert.False(t, w.observe(Progress{Now: 2 * time.Millisecond, Events: 99})) // progress: window restarts at 99
	assert.False(t, w.observe(Progress{Now: 2*time.Millisecond + time.Microsecond, Events: 198}))
	assert.True(t, w.observe(Progress{Now: 2*time.Millisecond + 2*time.Microsecond, Events: 199}))
	assert.Equal(t, 2*time.Millisecond+2*time.Microsecond, w.at)
}
