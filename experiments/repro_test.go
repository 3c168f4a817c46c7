package experiments_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// TestReproFilesHoldInvariants replays the fault schedules that random searches found breaking an
// invariant (testdata/repro, each a complete scenario with its faults written out). Eight broke
// "committed metadata never lost": a KRaft follower took the leader's high watermark from a Fetch
// response that told it to truncate (KIP-595 moves it only on a response that does not diverge).
// One reported an acknowledged record lost: a retried batch answered as a duplicate kept the
// leader epoch of an earlier attempt on another leader, and a follower truncated on a diverging
// epoch without consulting its own epochs (AbstractFetcherThread.getOffsetTruncationState).
// `stretchsim explore` found the tenth: a follower whose ISR expansion the controller refused was
// never proposed again (a leader re-examines every partition of a fetch session on every Fetch);
// the eleventh: a clean restart shorter than the controlled shutdown left the broker down; and the
// twelfth: a partition added to a fetch session while its Fetch was in flight was never fetched;
// the thirteenth: after a power loss a replica fetched batches the model had already forgotten;
// fuzzed scenarios the fourteenth: a power loss during a controlled shutdown left the process
// running without its page cache, and a follower then read below a trimmed log (a panic); and
// the fifteenth: after unclean elections a follower that had led an epoch its leader never saw
// truncated below the leader's trimmed log (a panic). The sixteenth is a speed defect, not a
// safety one: a connection whose window acknowledgements freed a few bytes at a time carried a
// request in 32-byte chunks, a hundred times the events (TCP's sender waits for a segment). The
// seventeenth broke the durability invariant: a leader counted a follower's diverging fetch
// offset, cached in its fetch session, as the follower's log end, and expanded the ISR and raised
// the HW over records the follower did not have; the eighteenth was a false report of it, the
// check taking a broker whose metadata lagged, leading an old epoch, for the new leader.
func TestReproFilesHoldInvariants(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "repro", "*.yaml"))
	require.NoError(t, err)
	require.Len(t, files, 18)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			sc, err := scenario.Load(f, scenario.Options{})
			require.NoError(t, err)
			res, err := experiments.Run(sc)
			require.NoError(t, err)
			assert.Empty(t, res.Summary.Invariants.Violations)
			if filepath.Base(f) == "follower-led-an-epoch-its-leader-never-saw.yaml" {
				// Unclean elections with acks=1: records are lost, by the elections alone.
				assert.Positive(t, res.Summary.Controller.UncleanLeaderElections)
			} else {
				assert.Zero(t, res.Summary.Durability.AckedRecordsLost)
			}
			if a := res.Summary.Availability; a.Recovered != nil && !*a.Recovered {
				// Every partition takes writes again within a minute of the last fault (some
				// runs end sooner after it).
				assert.Less(t, *a.RecoverySeconds, 60.0, "still unwritable %.1f s after the faults", *a.RecoverySeconds)
			}
			if filepath.Base(f) == "window-refilled-a-few-bytes-at-a-time.yaml" {
				assert.Less(t, res.Summary.Events, uint64(2_000_000), "75 million when the window was refilled byte by byte")
			}
			if filepath.Base(f) == "acked-loss-after-two-leader-changes.yaml" {
				// Every replica taken out of an ISR comes back once its faults end: a follower
				// that truncated to the leader's offset alone, not its own epochs', looped on
				// the same truncation and left t-4 under-replicated to the end.
				isr := res.Summary.ISR
				assert.Equal(t, isr.Shrinks+isr.ControllerRemovals, isr.Expands)
			}
		})
	}
}
