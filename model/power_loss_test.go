package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/sim"
)

// TestLostAckedRecordsClassified checks the durability accounting rule: acknowledged records
// (acks=all, unclean election off) that a new leader lacks are a violation, except those its own
// log lost in its last power-loss recovery, which are a finding counted apart.
func TestLostAckedRecordsClassified(t *testing.T) {
	spec := withTopic(baseSpec(siteSpecs(3, 1), 2*time.Millisecond), 1, []BrokerID{1, 2, 3})
	s, c := run(t, spec, time.Second)
	p := c.partitions[0]
	r := p.reps[1]
	for range 100 {
		r.log.append(1, 1000, 0, 0, 0) // offsets [0, 100) in epoch 0, a batch each
	}
	r.log.truncate(40)
	r.disk = &diskState{cut: offsetRange{from: 60, to: 100}} // as after a power loss
	a := ackedRange{from: 0, to: 100, epoch: 0, safe: true}
	c.lostFrom(s, r, &a) // missing [40, 100): [60, 100) lost to power, [40, 60) not
	assert.Equal(t, int64(60), c.metrics.ackedLost)
	assert.Equal(t, int64(40), c.metrics.ackedLostPower)
	v := c.CheckInvariants(s.Now())
	require.Len(t, v, 1, "the part not explained by the power loss is a violation")
	assert.Contains(t, v[0].Detail, "20 records")

	r.disk.cut = offsetRange{from: 0, to: 100}
	b := ackedRange{from: 0, to: 100, epoch: 0, safe: true}
	c.lostFrom(s, r, &b)
	assert.Len(t, c.CheckInvariants(s.Now()), 1, "a loss wholly explained by the power loss is a finding")
}

// TestPowerCrashTruncatesAtRestart: a broker crash in mode power keeps the log as it was until
// the broker starts again; log recovery then cuts it to its durable end (hardware.dirty_expire
// and dirty_writeback: what was appended in the last 30-35 s is gone), the epoch cache with it.
// A hard crash (kill -9) loses nothing.
func TestPowerCrashTruncatesAtRestart(t *testing.T) {
	for _, mode := range []CrashMode{CrashPower, CrashHard} {
		spec := withTopic(baseSpec(siteSpecs(3, 1), 2*time.Millisecond), 2, []BrokerID{2, 1, 3})
		spec = withProducer(spec, 0, arrivalsAt(100e3, 1000), nil)
		spec.Faults = []FaultSpec{{At: 60 * time.Second, Duration: 20 * time.Second, Kind: FaultBrokerCrash, Broker: 2, Mode: mode}}
		s := sim.New(1)
		c, err := NewCluster(s, spec)
		require.NoError(t, err)
		s.RunUntil(sim.Time(70 * time.Second))
		r := c.partitions[0].reps[0] // on broker 2, down since 60 s
		leoAtCrash := r.log.leo
		s.RunUntil(sim.Time(80*time.Second + time.Millisecond))
		if mode == CrashHard {
			assert.GreaterOrEqual(t, r.log.leo, leoAtCrash, "a process crash keeps the page cache")
			assert.Nil(t, r.disk, "a run without a power loss keeps no disk state")
		} else {
			// 100 records/s: the log keeps what was appended up to the last writeback tick
			// (60 s, the loss itself) less dirty_expire: 30 s.
			assert.InDelta(t, 3000, int64(r.disk.cut.from), 10, "durable end at recovery")
			assert.Equal(t, leoAtCrash, r.disk.cut.to)
		}
		s.RunUntil(sim.Time(3 * time.Minute))
		assert.Empty(t, c.CheckInvariants(s.Now()), "mode %d: min ISR 2 over three sites loses nothing acknowledged", mode)
		assert.Zero(t, c.metrics.ackedLost)
	}
}
