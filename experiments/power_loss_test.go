package experiments_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments"
	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/scenarios"
)

// runPowerLoss runs scenarios/power-loss.yaml with the given overrides and the invariant checker
// on: RF 3 over three broker sites, min.insync.replicas=1, acks=all; dc-a (every leader, and
// the producer) is cut from dc-b and dc-c from 30 s to 120 s, so the ISRs shrink to the leader
// after replica.lag.time.max.ms, and loses power from 100 s to 160 s.
func runPowerLoss(t *testing.T, sets ...string) experiments.Summary {
	t.Helper()
	sc, err := scenario.LoadFS(scenarios.FS, "power-loss.yaml", scenario.Options{Sets: sets})
	require.NoError(t, err)
	res, err := experiments.Run(sc)
	require.NoError(t, err)
	sum := res.Summary
	assert.Empty(t, sum.Invariants.Violations, "a power loss is a finding, never a violation")
	assert.Equal(t, int64(3), sum.ISR.Shrinks, "every ISR shrank to its leader on dc-a before the power loss")
	assert.Positive(t, sum.Produce.AckedRecords)
	return sum
}

// TestPowerLossLosesAckedRecords: the leaders kept acknowledging alone (ISR = [leader], min ISR
// 1) and their logs lose what the OS had not written back: the records appended after
// (last writeback tick − dirty_expire) = 70 s, at 500 records/s. The broker returns as the last
// ISR member and leads again (a clean election, ELR off): those acknowledged records are lost,
// all of them to the power loss. A site outage without power loss loses nothing.
func TestPowerLossLosesAckedRecords(t *testing.T) {
	sum := runPowerLoss(t)
	d := sum.Durability
	assert.Greater(t, d.AckedRecordsLost, int64(10_000), "about 30 s or more of acknowledged records")
	assert.LessOrEqual(t, d.AckedRecordsLost, int64(35_500), "no more than was appended after 70 s")
	assert.Equal(t, d.AckedRecordsLost, d.AckedRecordsLostPowerLoss)
	assert.Zero(t, sum.Controller.UncleanLeaderElections, "ELR off: the returning broker is still in the ISR and leads cleanly")

	dark := runPowerLoss(t, "faults[1].power_loss=false")
	assert.Zero(t, dark.Durability.AckedRecordsLost, "a site going dark keeps its page cache: nothing lost")
}

// TestPowerLossELR runs the same schedule with eligible.leader.replicas.enable on and off. The
// rule found in Kafka's PartitionChangeBuilder (useLastKnownLeaderInBalancedRecovery, its only
// mode) and ReplicationControlManager: when the leader is fenced its ISR [leader] empties (ELR
// on) into ELR [leader], lastKnownElr [leader]; the broker's unclean-shutdown registration
// (handleBrokerUncleanShutdown) takes it out of the ELR but not out of lastKnownElr; once
// unfenced it is elected as the last known leader, flagged unclean (RECOVERING). With ELR off the
// ISR is never emptied and it is elected cleanly. Either way the log it recovered is
// authoritative: the same records are lost, but only ELR reports the election as unclean.
func TestPowerLossELR(t *testing.T) {
	off := runPowerLoss(t, "controller.eligible.leader.replicas.enable=false")
	on := runPowerLoss(t, "controller.eligible.leader.replicas.enable=true")
	assert.Positive(t, off.Durability.AckedRecordsLost)
	assert.Equal(t, off.Durability.AckedRecordsLost, on.Durability.AckedRecordsLost)
	assert.Equal(t, on.Durability.AckedRecordsLost, on.Durability.AckedRecordsLostPowerLoss)
	assert.Zero(t, off.Controller.UncleanLeaderElections)
	assert.Equal(t, int64(3), on.Controller.UncleanLeaderElections, "one last-known-leader election per partition")
	assert.Equal(t, int64(3), on.ISR.ControllerRemovals, "ELR on: fencing empties the ISRs")
	assert.Zero(t, off.ISR.ControllerRemovals, "ELR off: the last ISR member stays in the ISR")
}

// TestPowerLossFlushMessagesOne: with flush.messages=1 Kafka fsyncs after every append, so the
// same power loss loses nothing.
func TestPowerLossFlushMessagesOne(t *testing.T) {
	sum := runPowerLoss(t, "topics[orders].config.flush.messages=1")
	assert.Zero(t, sum.Durability.AckedRecordsLost)
}
