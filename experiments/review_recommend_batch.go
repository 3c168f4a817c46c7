package experiments

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/stretchsim/stretchsim/model"
)

// maxRecommendedBatch bounds a recommended batch.size: a batch larger than the broker's
// message.max.bytes (1048588 by default, LogConfig) is refused with MESSAGE_TOO_LARGE, and the
// producer splits it and sends it again (Sender.completeBatch).
const maxRecommendedBatch = 1 << 20

// batchCandidates: acks=all requests wait unread at the brokers (an unread-requests limit
// binds). A broker reads one request per connection at a time (reference §2.8a) and holds an
// acks=all request until its records commit, about a round trip to the farthest follower: the
// brokers' produce TotalTimeMs p50 (over all produce requests: acks=1 ones too, which wait for
// no commit). A request carries at most one batch.size batch per partition
// (RecordAccumulator.drain), so the producer moves at most partitions × batch.size per commit
// time over all its connections. Raise batch.size to twice the peak rate × that commit time
// over the topic's partitions, at the next power of two (at most 1 MiB, message.max.bytes), and
// max.request.size with it where one broker's share of that would not fit in a request, and
// buffer.memory where a batch of that size for every partition would not fit twice
// (RecordAccumulator allocates batch.size from buffer.memory for each new batch).
func (r *DesignReview) batchCandidates() []change {
	unread := false
	for _, l := range r.Limits {
		unread = unread || (l.Mechanism == model.LimitUnreadRequests && l.Setting == "acks=all")
	}
	b := r.Baseline
	if !unread || b == nil || b.Produce.BrokerTotalTimeMs == nil || b.Produce.BrokerTotalTimeMs.P50 <= 0 {
		return nil
	}
	commit := b.Produce.BrokerTotalTimeMs.P50 / 1000
	fig := figP99
	if r.Saturation != nil && r.Saturation.Saturated {
		fig = figThroughput
	}
	brokers := 0
	for _, s := range r.sc.Sites {
		brokers += s.Brokers
	}
	var sets []Setting
	var names []string
	var why string
	value := int64(0)
	for _, p := range r.sc.Producers {
		partitions := 0
		for _, t := range r.sc.Topics {
			if t.Name == p.Topic {
				partitions = t.Partitions
			}
		}
		if p.Config.Acks != model.AcksAll || partitions == 0 {
			continue
		}
		rate := peakBytesPerSec(p, r.sc.Duration)
		need := 2 * rate * commit / float64(partitions)
		v := min(nextPow2(int64(math.Ceil(need))), maxRecommendedBatch)
		if v <= int64(p.Config.BatchSize) {
			continue
		}
		at := "producers[" + p.Name + "].config."
		sets = append(sets, Setting{Path: at + "batch.size", Value: strconv.FormatInt(v, 10)})
		// One broker leads about partitions/brokers of them: its request carries that many
		// batches, within max.request.size.
		perBroker := int64(math.Ceil(float64(partitions)/float64(max(brokers, 1)))) * v
		if perBroker > int64(p.Config.MaxRequestSize) {
			sets = append(sets, Setting{Path: at + "max.request.size", Value: strconv.FormatInt(nextPow2(perBroker), 10)})
		}
		if all := 2 * int64(partitions) * v; all > int64(p.Config.BufferMemory) {
			sets = append(sets, Setting{Path: at + "buffer.memory", Value: strconv.FormatInt(nextPow2(all), 10)})
		}
		names = append(names, p.Name)
		if v > value {
			value = v
			why = fmt.Sprintf("a broker reads one request per connection at a time and holds an acks=all request until it commits (%.0f ms, the brokers' produce TotalTimeMs p50); a request carries one %d-byte batch per partition, so at one request per commit time the %d partitions carry at most %s, below producer %s's peak %s",
				commit*1000, p.Config.BatchSize, partitions, FormatRate(float64(partitions)*float64(p.Config.BatchSize)/commit), p.Name, FormatRate(rate))
		}
	}
	if len(sets) == 0 {
		return nil
	}
	return []change{{fig: fig, sets: sets, rec: Recommendation{
		Setting: "batch.size (producer " + strings.Join(names, ", ") + ")", Value: strconv.FormatInt(value, 10),
		Why: why, Figure: fig.name + " (baseline)"}}}
}
