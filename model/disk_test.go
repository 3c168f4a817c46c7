package model

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/sim"
)

// osOnly is Kafka's default: no flush of its own, Linux's writeback.
var osOnly = flushPolicy{messages: 1<<63 - 1, interval: NeverFlush, check: NeverFlush,
	expire: DefaultDirtyExpire, writeback: DefaultDirtyWriteback}

// TestDurableEndOSWriteback checks the page-cache rule from first principles: the OS writes back,
// at each dirty_writeback tick, what is at least dirty_expire old. So at a power loss, every record
// younger than dirty_expire is lost, every record older than dirty_expire + dirty_writeback
// survives, and exactly the records appended up to (last tick − dirty_expire) survive.
func TestDurableEndOSWriteback(t *testing.T) {
	for _, loss := range []time.Duration{10 * time.Second, 60 * time.Second, 62300 * time.Millisecond, 97450 * time.Millisecond} {
		var d diskState
		step := 100 * time.Millisecond
		leo := Offset(0)
		for at := time.Duration(0); at < loss; at += step {
			leo++
			d.appended(leo, sim.Time(at), &osOnly)
		}
		d.losePower(sim.Time(loss), &osOnly)
		lastTick := loss / DefaultDirtyWriteback * DefaultDirtyWriteback
		want := Offset(0) // records appended at or before lastTick - expire: at = (i-1)*step for record i
		if cut := lastTick - DefaultDirtyExpire; cut >= 0 {
			want = Offset(cut/step) + 1
		}
		assert.Equal(t, want, d.recoverTo, "loss at %v", loss)
		atMost := Offset(0) // the records at least dirty_expire old: at <= loss - expire
		if loss >= DefaultDirtyExpire {
			atMost = Offset((loss-DefaultDirtyExpire)/step) + 1
		}
		assert.LessOrEqual(t, d.recoverTo, atMost, "loss at %v: a record younger than dirty_expire survived", loss)
		oldest := Offset((loss-DefaultDirtyExpire-DefaultDirtyWriteback)/step) + 1 // records at <= loss-expire-writeback
		if loss > DefaultDirtyExpire+DefaultDirtyWriteback {
			assert.GreaterOrEqual(t, d.recoverTo, oldest, "loss at %v: a record older than dirty_expire + dirty_writeback was lost", loss)
		}
	}
}

// TestDurableEndFlushMessagesOne: flush.messages=1 fsyncs after every append (UnifiedLog.append),
// so a power loss loses nothing.
func TestDurableEndFlushMessagesOne(t *testing.T) {
	pol := osOnly
	pol.messages = 1
	var d diskState
	for i := range 1000 {
		d.appended(Offset(i+1), sim.Time(time.Duration(i)*time.Millisecond), &pol)
		require.Equal(t, Offset(i+1), d.durable())
	}
	d.losePower(sim.Time(time.Second), &pol)
	assert.Equal(t, Offset(1000), d.recoverTo)
}

// TestDurableEndProcessCrashKeepsPageCache: a process crash leaves the page cache to the OS, which
// goes on writing it back; a clean shutdown flushes the log.
func TestDurableEndProcessCrashKeepsPageCache(t *testing.T) {
	var d diskState
	d.appended(10, 0, &osOnly)
	d.stop(sim.Time(time.Second), false, 10, &osOnly)
	assert.Equal(t, Offset(0), d.durableAt(sim.Time(29*time.Second), &osOnly))
	assert.Equal(t, Offset(10), d.durableAt(sim.Time(30*time.Second), &osOnly))

	var c diskState
	c.appended(10, 0, &osOnly)
	c.stop(sim.Time(time.Second), true, 10, &osOnly)
	assert.Equal(t, Offset(10), c.durable())
}

// TestDurableEndMatchesNaive compares the lazy durable end with a naive replay of every flusher
// tick (both flushers, flush.messages, flush.ms) over random append schedules and settings.
func TestDurableEndMatchesNaive(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	pick := func(ds ...time.Duration) time.Duration { return ds[rnd.IntN(len(ds))] }
	for trial := range 300 {
		pol := flushPolicy{
			messages:  []int64{1<<63 - 1, 1, 7, 50}[rnd.IntN(4)],
			interval:  pick(NeverFlush, 0, 2*time.Second, 700*time.Millisecond),
			check:     pick(NeverFlush, time.Second, 300*time.Millisecond),
			expire:    pick(0, 3*time.Second, 30*time.Second),
			writeback: pick(0, time.Second, 5*time.Second),
		}
		var d diskState
		n := naiveDisk{pol: pol}
		now, leo := sim.Time(0), Offset(0)
		for range 200 {
			now += sim.Time(rnd.Int64N(int64(800 * time.Millisecond)))
			leo += Offset(1 + rnd.IntN(5))
			d.appended(leo, now, &pol)
			n.append(leo, now)
			require.Equal(t, n.durable(), d.durable(), "trial %d %+v at %v", trial, pol, now)
		}
		end := now + sim.Time(rnd.Int64N(int64(40*time.Second)))
		n.runTo(end)
		require.Equal(t, n.durable(), d.durableAt(end, &pol), "trial %d %+v at %v", trial, pol, end)
	}
}

// naiveDisk replays every tick of both flushers in time order.
type naiveDisk struct {
	pol     flushPolicy
	appends []struct {
		at  sim.Time
		leo Offset
	}
	recovery, written   Offset
	lastFlush, osT, kT  sim.Time
	osStarted, kStarted bool
}

func (n *naiveDisk) durable() Offset { return max(n.recovery, n.written) }

func (n *naiveDisk) leoAt(t sim.Time) Offset {
	var leo Offset
	for _, a := range n.appends {
		if a.at <= t {
			leo = a.leo
		}
	}
	return leo
}

// runTo applies every tick at or before t: OS ticks first at equal times.
func (n *naiveDisk) runTo(t sim.Time) {
	for {
		os, k := sim.Never, sim.Never
		if n.pol.writeback > 0 {
			os = n.osT
			if n.osStarted {
				os += sim.Time(n.pol.writeback)
			}
		}
		if n.pol.check != NeverFlush {
			k = n.kT
			if n.kStarted {
				k += sim.Time(n.pol.check)
			}
		}
		switch {
		case os <= k && os <= t:
			n.osT, n.osStarted = os, true
			if cut := os - sim.Time(n.pol.expire); cut >= 0 {
				n.written = max(n.written, n.leoAt(cut))
			}
		case k < os && k <= t:
			n.kT, n.kStarted = k, true
			if n.pol.interval != NeverFlush && k-n.lastFlush >= sim.Time(n.pol.interval) {
				if leo := n.leoAt(k); leo > n.recovery {
					n.recovery, n.lastFlush = leo, k
				}
			}
		default:
			return
		}
	}
}

func (n *naiveDisk) append(leo Offset, at sim.Time) {
	n.runTo(at)
	n.appends = append(n.appends, struct {
		at  sim.Time
		leo Offset
	}{at, leo})
	if int64(leo-n.recovery) >= n.pol.messages {
		n.recovery, n.lastFlush = leo, at
	}
}

// TestAppendedDoesNotAllocate: the hot path allocates nothing per append once a log's few runs
// exist (the simulator is benchmarked).
func TestAppendedDoesNotAllocate(t *testing.T) {
	var d diskState
	now, leo := sim.Time(0), Offset(0)
	step := func() {
		now += sim.Time(time.Millisecond)
		leo++
		d.appended(leo, now, &osOnly)
	}
	for range 100_000 {
		step()
	}
	assert.Zero(t, testing.AllocsPerRun(10_000, step))
	assert.LessOrEqual(t, len(d.runs)-d.head, 8, "runs stay few")
}
