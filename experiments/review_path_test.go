package experiments

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/model"
)

// long-haul as shipped takes 7.3 of its 20 MB/s: a broker reads one request per connection at
// a time and holds an acks=all one for its 50 ms commit, each request carrying one 16 KiB batch
// per partition the broker leads. Raising batch.size alone only hands the bottleneck to the
// replication window (7.3 -> 6.8 MB/s), so no recommendation measured alone keeps it; the path
// takes it first, then the replication buffers, which carry the 20 MB/s, then cuts p99 with the
// producer's connection buffers. A design that keeps up has no path.
func TestReviewPath(t *testing.T) {
	r := reviewed(t, "long-haul")
	require.True(t, r.Saturation.Saturated, "long-haul keeps up: %+v", r.Saturation)
	require.GreaterOrEqual(t, len(r.Path), 2, "path %+v", r.Path)
	first := r.Path[0]
	assert.True(t, strings.HasPrefix(first.Setting, "batch.size (producer checkout)"), "first step %q", first.Setting)
	assert.Equal(t, "unread-requests acks=all", first.Lifted)
	assert.Nil(t, recommended(r, "batch.size"), "batch.size alone does not raise the rate")
	kept := -1
	for i, s := range r.Path {
		if !s.Saturated {
			kept = i
			break
		}
	}
	require.GreaterOrEqual(t, kept, 1, "no step keeps up: %+v", r.Path)
	assert.GreaterOrEqual(t, *r.Path[kept].After, 0.95*r.Saturation.OfferedBytesPerSec)
	assert.True(t, strings.HasPrefix(r.Path[kept].Setting, "replica.socket.receive.buffer.bytes"), "step %d: %q", kept+1, r.Path[kept].Setting)
	for i, s := range r.Path {
		if i > kept {
			assert.Equal(t, figP99.name, s.Figure, "step %d after the design keeps up", i+1)
			assert.Less(t, *s.After, *s.Before)
		}
		if i > 0 && r.Path[i-1].Figure == s.Figure {
			assert.Equal(t, *r.Path[i-1].After, *s.Before, "step %d starts where the one before ended", i+1)
		}
	}

	var b bytes.Buffer
	require.NoError(t, WriteReviewText(&b, []*DesignReview{r}, ReviewOptions{}))
	assert.Contains(t, b.String(), "path to the offered 20.0 MB/s")
	assert.Contains(t, b.String(), "all together: --set 'producers[checkout].config.batch.size=")

	r = reviewed(t, "two-site")
	assert.False(t, r.Saturation.Saturated)
	assert.Empty(t, r.Path)
}

// The batch.size rule: twice the peak rate × the brokers' produce TotalTimeMs p50 over the
// topic's partitions, at the next power of two, at most 1 MiB, with max.request.size raised
// where one broker's share of the partitions' batches would not fit and buffer.memory where
// twice a batch per partition would not; only for acks=all requests waiting unread.
func TestBatchCandidates(t *testing.T) {
	base := reviewBase(t, "long-haul.yaml")
	sc, err := scenario.Parse(base.File, base.Data, base.Opts)
	require.NoError(t, err)
	review := func(commitMs float64, setting string) []change {
		s := &Summary{}
		s.Produce.BrokerTotalTimeMs = &Percentiles{P50: commitMs}
		return (&DesignReview{sc: sc, Baseline: s, Saturation: &Saturation{Saturated: true},
			Limits: []LimitSummary{{Mechanism: model.LimitUnreadRequests, Setting: setting, Where: "broker 1", Share: 1}}}).batchCandidates()
	}
	sets := func(c []change) []string {
		require.Len(t, c, 1)
		return setStrings(c[0].sets)
	}
	// 2 × 20 MB/s × 50 ms / 24 partitions = 83 kB: 128 KiB; 4 partitions a broker fit 1 MiB.
	assert.Equal(t, []string{"producers[checkout].config.batch.size=131072"}, sets(review(50, "acks=all")))
	// 500 ms: 833 kB, at most 1 MiB; 4 MiB for a broker's 4 partitions; 24 batches of 1 MiB, twice,
	// do not fit the 32 MiB buffer.memory: 64 MiB.
	assert.Equal(t, []string{"producers[checkout].config.batch.size=1048576", "producers[checkout].config.max.request.size=4194304",
		"producers[checkout].config.buffer.memory=67108864"}, sets(review(500, "acks=all")))
	c := review(50, "acks=all")
	assert.Equal(t, figThroughput.name, c[0].fig.name)
	assert.Contains(t, c[0].rec.Why, "at one request per commit time the 24 partitions carry at most 7.9 MB/s, below producer checkout's peak 20.0 MB/s")
	// A batch already that large, or no acks=all request waiting: nothing.
	assert.Empty(t, review(5, "acks=all"))
	assert.Empty(t, review(50, "acks=1"))
}

// A design without a next step names its most binding limit among those the review shows (1%
// or more), a producer's full buffer.memory (the backlog's symptom) aside.
func TestNoStepWhy(t *testing.T) {
	r := &DesignReview{Saturation: &Saturation{Saturated: true}, Limits: []LimitSummary{
		{Mechanism: model.LimitBufferMemory, Setting: "buffer.memory", Where: "producer checkout", Share: 1},
		{Mechanism: model.LimitLinkBandwidth, Setting: "network.inter_site.bandwidth", Where: "dc-a->dc-b", Share: 1}}}
	assert.Equal(t, "no change tried bettered the acknowledged rate or lifted the most binding limit, link-bandwidth network.inter_site.bandwidth (dc-a->dc-b)", r.noStepWhy())
	r.Limits = []LimitSummary{{Mechanism: model.LimitNICBandwidth, Setting: "network.intra_site.bandwidth", Where: "broker 1 (out)", Share: 0.002}}
	assert.Equal(t, "no change tried bettered the acknowledged rate", r.noStepWhy(), "a 0.2% limit the review does not show")
}

// trimPath ends a path at its best point: the highest rate while saturated, then the lowest p99
// once it keeps up (kept only when 5% better), and drops a path that gains too little.
func TestTrimPath(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	rate := func(before, after float64, saturated bool) PathStep {
		return PathStep{Recommendation: Recommendation{Figure: figThroughput.name, Before: f(before), After: f(after)}, Saturated: saturated}
	}
	p99 := func(before, after float64) PathStep {
		return PathStep{Recommendation: Recommendation{Figure: figP99.name, Before: f(before), After: f(after)}}
	}
	base := &Summary{}
	base.Produce.ThroughputBytesPerSec = f(7.3e6)
	base.Produce.LatencyMs = &Percentiles{P99: 500}

	lift, carry := rate(7.3e6, 6.8e6, true), rate(6.8e6, 20e6, false)
	assert.Nil(t, trimPath([]PathStep{lift, rate(6.8e6, 7.4e6, true)}, true, base), "7.4 is not 5% above 7.3")
	assert.Len(t, trimPath([]PathStep{lift, rate(6.8e6, 9e6, true), rate(9e6, 8e6, true)}, true, base), 2, "ends at the highest rate")
	assert.Len(t, trimPath([]PathStep{lift, carry}, true, base), 2)
	assert.Len(t, trimPath([]PathStep{lift, carry, p99(3961, 414)}, true, base), 3)
	assert.Len(t, trimPath([]PathStep{lift, carry, p99(3961, 4100)}, true, base), 2, "a worse p99 is cut off")
	assert.Len(t, trimPath([]PathStep{lift, carry, p99(3961, 3900)}, true, base), 2, "less than 5% better")

	assert.Len(t, trimPath([]PathStep{p99(500, 600), p99(600, 300)}, false, base), 2)
	assert.Nil(t, trimPath([]PathStep{p99(500, 300)}, false, base), "one step is a recommendation")
	assert.Nil(t, trimPath([]PathStep{p99(500, 600), p99(600, 490)}, false, base), "less than 5% better than the baseline")
	assert.Nil(t, trimPath(nil, true, base))
}

// The text says what did not run, what was cut short, and why a path is empty or ends saturated.
func TestReviewTextSaysWhatDidNotRun(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	text := func(r *DesignReview) string {
		var b bytes.Buffer
		writeRecommendationsText(&b, r)
		writePathText(&b, r)
		return b.String()
	}
	sat := &Saturation{Saturated: true, OfferedBytesPerSec: 20e6}
	r := &DesignReview{Saturation: sat}
	assert.Contains(t, text(r), "not run (--no-recommend")
	assert.NotContains(t, text(r), "path to", "no path is printed when none was looked for")

	r = &DesignReview{Saturation: sat, recommendCut: true, Recommendations: []Recommendation{{Setting: "batch.size", Value: "1", Before: f(1), After: f(2)}}}
	assert.Contains(t, text(r), "1. batch.size = 1")
	assert.Contains(t, text(r), "interrupted: the changes after these were not tried")
	assert.NotContains(t, text(r), "none:")

	r = &DesignReview{Saturation: sat, recommended: true, pathed: true, pathNote: "the changes tried gained less than 5% over the baseline's acknowledged rate"}
	assert.Contains(t, text(r), "none found: the changes tried gained less than 5%")

	step := PathStep{Recommendation: Recommendation{Setting: "batch.size", Value: "131072", Figure: figThroughput.name, Before: f(7e6), After: f(9e6),
		Sets: []string{"a=1", "b=2"}}, Saturated: true}
	later := step
	later.Sets = []string{"a=3"}
	r.Path, r.pathNote = []PathStep{step, later}, "stopped after 4 steps"
	out := text(r)
	assert.Contains(t, out, "path toward the offered 20.0 MB/s")
	assert.Contains(t, out, "still saturated: stopped after 4 steps")
	assert.Contains(t, out, "all together: --set 'b=2' --set 'a=3'", "each path once, at its last value")
}
