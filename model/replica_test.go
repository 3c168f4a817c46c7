package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/stretchsim/stretchsim/sim"
)

// TestUpdateFollowerCaughtUpRules checks Replica.updateFetchStateOrThrow (reference §2.1): a fetch
// at the leader's LEO sets lastCaughtUp to now; a fetch that covers what existed at the previous
// fetch sets it to the previous fetch time; otherwise it stays.
func TestUpdateFollowerCaughtUpRules(t *testing.T) {
	r := &Replica{leaderState: &leaderState{followers: make([]followerState, 2)}}
	f := &r.followers[1]
	*f = followerState{leo: -1, lastFetchLeaderLEO: 0}
	r.updateFollower(1, 10, 10, 1000) // at the LEO: caught up now
	assert.Equal(t, sim.Time(1000), f.lastCaughtUp)
	r.updateFollower(1, 10, 15, 2000) // behind the LEO, but has all that existed at the last fetch (10)
	assert.Equal(t, sim.Time(1000), f.lastCaughtUp, "max(lastCaughtUp, lastFetchTime=1000)")
	r.updateFollower(1, 15, 20, 3000) // has 15 = LEO at the previous fetch (time 2000)
	assert.Equal(t, sim.Time(2000), f.lastCaughtUp)
	r.updateFollower(1, 16, 30, 4000) // 16 < 20, the previous fetch's leader LEO
	assert.Equal(t, sim.Time(2000), f.lastCaughtUp)
	assert.Equal(t, Offset(30), f.lastFetchLeaderLEO)
	assert.Equal(t, Offset(16), f.leo)
}

// hwCluster builds one partition on three brokers in one site with min.insync.replicas = 2 and
// no clients, and returns the leader replica.
func hwCluster(t *testing.T) (*sim.Sim, *Replica) {
	spec := withTopic(baseSpec(siteSpecs(1, 3), time.Millisecond), 2, []BrokerID{1, 2, 3})
	s := sim.New(1)
	c, err := NewCluster(s, spec)
	require.NoError(t, err)
	s.RunUntil(sim.Time(time.Second))
	return s, c.partitions[0].reps[0]
}

// produceDirect appends one batch through the leader's produce path and returns the broker's
// handling of the request.
func produceDirect(s *sim.Sim, r *Replica, acks Acks) *delayedProduce {
	return produceBatches(s, r.broker, acks, testBatch(s, r))
}

// testBatch is a batch of 10 records for r's partition.
func testBatch(s *sim.Sim, r *Replica) batchData {
	return batchData{partition: r.p, records: 10, bytes: 1000, wire: 1000, firstAt: s.Now(), lastAt: s.Now()}
}

// produceBatches has broker b handle a Produce request with the given batches.
func produceBatches(s *sim.Sim, b *Broker, acks Acks, batches ...batchData) *delayedProduce {
	req := &produceRequest{acks: acks, timeout: 30 * time.Second, batches: batches}
	op := &delayedProduce{req: req, receivedAt: s.Now(), conn: b.cluster.net.Connect(b.node, b.node, -1, -1)}
	b.onProduce(s, op)
	return op
}

// codes returns the error codes of op's answer.
func (op *delayedProduce) codes() []ErrorCode {
	var out []ErrorCode
	for _, r := range op.resp.results {
		out = append(out, r.code)
	}
	return out
}

// TestNotEnoughReplicasAppendsNothing checks reference §2.7: with the committed ISR below
// min.insync.replicas, acks=all fails with NOT_ENOUGH_REPLICAS and nothing is appended; acks=1
// appends, but the HW stays frozen (KAFKA-15583).
func TestNotEnoughReplicasAppendsNothing(t *testing.T) {
	s, r := hwCluster(t)
	r.broker.cluster.commitISR(s, r.p, replicaSet(0).with(0))
	r.isr, r.maximal = r.p.meta.ISR, r.p.meta.ISR
	for _, f := range r.p.reps[1:] {
		f.fetchDelayedUntil = sim.Never // the followers stay out: the ISR stays below min ISR
	}
	leo, hw := r.log.leo, r.log.hw
	req := produceDirect(s, r, AcksAll)
	assert.Equal(t, []ErrorCode{ErrNotEnoughReplicas}, req.codes())
	assert.Equal(t, leo, r.log.leo, "nothing appended")
	req = produceDirect(s, r, AcksLeader)
	assert.Equal(t, []ErrorCode{ErrNone}, req.codes())
	assert.Equal(t, leo+10, r.log.leo)
	s.RunUntil(s.Now().Add(time.Second))
	assert.Equal(t, hw, r.log.hw, "HW frozen while the ISR is below min ISR")
}

// TestAcksAllCompletesAtHW checks reference §2.7: acks=all completes when the HW reaches the
// batch's end, i.e. when every ISR follower has fetched it.
func TestAcksAllCompletesAtHW(t *testing.T) {
	s, r := hwCluster(t)
	req := produceDirect(s, r, AcksAll)
	assert.False(t, req.done)
	s.RunUntil(s.Now().Add(50 * time.Millisecond))
	require.True(t, req.done)
	assert.Equal(t, []ErrorCode{ErrNone}, req.codes())
	assert.Equal(t, r.log.leo, r.log.hw)
}

// TestHWMatchesNaiveRule compares maybeIncrementHW with reference §2.6 computed directly: the
// HW is the minimum LEO over the maximal ISR and the caught-up eligible replicas, never
// decreasing, and frozen while the committed ISR is below min ISR.
func TestHWMatchesNaiveRule(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 5).Draw(t, "rf")
		leo := Offset(rapid.Int64Range(0, 100).Draw(t, "leo"))
		ids := make([]BrokerID, n)
		regs := make([]brokerReg, n)
		for i := range ids {
			ids[i], regs[i] = BrokerID(i+1), brokerReg{registered: true}
		}
		r := &Replica{leaderState: &leaderState{followers: make([]followerState, n)}, p: &Partition{minISR: int32(rapid.IntRange(1, n).Draw(t, "minISR")),
			Replicas: ids},
			broker: &Broker{cfg: &BrokerConfig{ReplicaLagTimeMax: 30 * time.Second}, cluster: &Cluster{},
				image: ctrlState{brokers: regs}}}
		r.log.leo = leo
		r.log.hw = Offset(rapid.Int64Range(0, int64(leo)).Draw(t, "hw"))
		r.isr = replicaSet(rapid.Uint64Range(0, 1<<n-1).Draw(t, "isr")).with(0)
		r.maximal = r.isr | replicaSet(rapid.Uint64Range(0, 1<<n-1).Draw(t, "pending"))
		now := sim.Time(100 * time.Second)
		for i := 1; i < n; i++ {
			r.followers[i] = followerState{leo: Offset(rapid.Int64Range(-1, int64(leo)).Draw(t, "fleo")),
				lastCaughtUp: now - sim.Time(rapid.Int64Range(0, 60).Draw(t, "ago"))*sim.Time(time.Second)}
		}
		want := r.log.hw
		if r.isr.size() >= int(r.p.minISR) {
			naive := leo
			for i := 1; i < n; i++ {
				f := r.followers[i]
				caught := f.leo == leo || now-f.lastCaughtUp <= sim.Time(30*time.Second)
				if (r.maximal.has(i) || caught) && f.leo < naive {
					naive = f.leo
				}
			}
			want = max(want, naive)
		}
		r.maybeIncrementHW(now)
		if r.log.hw != want {
			t.Fatalf("HW %d, naive rule %d", r.log.hw, want)
		}
	})
}

// TestAcksAllWaitsForEveryPartitionOfARequest checks reference §2.7: an acks=all request is
// answered only when every partition in it has reached its required offset. Partition 0's ISR is
// its leader alone (min.insync.replicas=1), so its HW rises at its append; partition 1, later in
// the same request, must still hold the response until its followers have fetched.
func TestAcksAllWaitsForEveryPartitionOfARequest(t *testing.T) {
	spec := withTopic(baseSpec(siteSpecs(1, 3), time.Millisecond), 1, []BrokerID{1, 2, 3}, []BrokerID{1, 2, 3})
	s := sim.New(1)
	c, err := NewCluster(s, spec)
	require.NoError(t, err)
	s.RunUntil(sim.Time(time.Second))
	r0, r1 := c.partitions[0].reps[0], c.partitions[1].reps[0]
	for _, f := range r0.p.reps[1:] {
		f.fetchDelayedUntil = sim.Never // partition 0's followers stall and leave its ISR
	}
	produceDirect(s, r0, AcksLeader)
	s.RunUntil(sim.Time(60 * time.Second)) // replica.lag.time.max.ms = 30 s, checked every 15 s
	require.Equal(t, replicaSet(0).with(0), r0.p.meta.ISR, "partition 0's ISR is its leader alone")
	hw1 := r1.log.hw
	req := produceBatches(s, r0.broker, AcksAll, testBatch(s, r0), testBatch(s, r1))
	require.Equal(t, r0.log.leo, r0.log.hw, "partition 0 is committed at once")
	require.Equal(t, hw1, r1.log.hw, "partition 1 waits for its followers")
	assert.False(t, req.done, "the response waits for partition 1")
	s.RunUntil(s.Now().Add(50 * time.Millisecond))
	assert.True(t, req.done)
	assert.Equal(t, []ErrorCode{ErrNone, ErrNone}, req.codes())
	assert.Equal(t, r1.log.leo, r1.log.hw)
}
