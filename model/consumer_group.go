package model

import (
	"slices"

	"github.com/stretchsim/stretchsim/sim"
)

// consumerGroup is what a group coordinator keeps of one consumer group: the offsets its
// consumers committed (OffsetCommit, stored in __consumer_offsets), per partition of every topic
// they read. A consumer that starts resumes from them (OffsetFetch); one that stops commits its
// positions to them (ConsumerCoordinator.close).
//
// Modelling choices: the group's consumers never run at the same time (the scenario layer refuses
// overlaps), so there is no rebalance (JoinGroup, SyncGroup, the classic protocol's
// group.initial.rebalance.delay.ms): a consumer that starts owns every partition of its topic at
// once. Commits and offset fetches reach the group at the instant the client makes them, not a
// round trip to a coordinator broker and a write to __consumer_offsets later: a committed offset
// is at most that much early, and a consumer starting right after its predecessor stopped finds
// the predecessor's last commit, as it would once the commit is written.
type consumerGroup struct {
	id     string
	topics []*groupTopic // in the order the group's consumers first named them
}

// groupTopic is a group's offsets for one topic's partitions, by partition id.
type groupTopic struct {
	g     *consumerGroup
	parts []*Partition
	// committed is the committed offset of each partition, valid once committedOnce; before, 0,
	// the log start offset. While a consumer of the group is yet to start, committed is among
	// its partitions' readers (Partition.retainFrom): the batches a successor resumes from (or,
	// with no commit, may read from with auto.offset.reset=earliest) stay readable.
	committed []Offset
	// committedOnce: the group has committed (a commit covers every partition of the topic:
	// SubscriptionState.allConsumed).
	committedOnce bool
	// delivered is the end of the records delivered to the group's consumers, per partition: a
	// consumer that resumes below it (from a commit older than its predecessor's position)
	// delivers those records a second time. (One mark per partition: records a reset to latest
	// skipped below it would count as duplicates if a later consumer read them after all.)
	delivered []Offset
	pending   int  // consumers of the group on this topic that have not started yet
	holding   bool // committed is registered with the partitions' readers
}

// groupTopic returns the offsets of group id for the topic of parts, creating them.
func (c *Cluster) groupTopic(id string, parts []*Partition) *groupTopic {
	var g *consumerGroup
	for _, x := range c.groups {
		if x.id == id {
			g = x
			break
		}
	}
	if g == nil {
		g = &consumerGroup{id: id}
		c.groups = append(c.groups, g)
	}
	for _, gt := range g.topics {
		if gt.parts[0] == parts[0] {
			return gt
		}
	}
	n := len(parts)
	gt := &groupTopic{g: g, parts: parts, committed: make([]Offset, n), delivered: make([]Offset, n)}
	g.topics = append(g.topics, gt)
	return gt
}

// expect counts a consumer of the group that starts after time 0: until it starts, the group's
// committed offsets hold the logs.
func (gt *groupTopic) expect() {
	gt.pending++
	if !gt.holding {
		gt.holding = true
		for i, p := range gt.parts {
			p.readers = append(p.readers, &gt.committed[i])
		}
	}
}

// started counts down a consumer of the group that expect counted; once none is left to start,
// the committed offsets no longer hold the logs (the running consumer's positions do).
func (gt *groupTopic) started() {
	gt.pending--
	if gt.pending == 0 && gt.holding {
		gt.holding = false
		for i, p := range gt.parts {
			p.removeReader(&gt.committed[i])
		}
	}
}

// commit stores positions as the group's committed offsets (OffsetCommit of
// SubscriptionState.allConsumed: every partition has a position from the consumer's start on).
func (gt *groupTopic) commit(positions []Offset) {
	copy(gt.committed, positions)
	gt.committedOnce = true
}

// lag is the group's lag as kafka-consumer-groups.sh --describe shows it, summed over the
// partitions: the log end offset (ListOffsets latest, the high watermark for read_uncommitted)
// less the committed offset; ok is false before the group's first commit. latest is every
// partition's latestOffset, by Partition.idx; a topic's partitions are consecutive there
// (Cluster.addTopics).
func (gt *groupTopic) lag(latest []Offset) (sum int64, ok bool) {
	if !gt.committedOnce {
		return 0, false
	}
	first := gt.parts[0].idx
	for i, l := range latest[first : first+len(gt.parts)] {
		sum += int64(max(l-gt.committed[i], 0))
	}
	return sum, true
}

// latestOffset is ListOffsets with the latest timestamp for read_uncommitted: the leader's high
// watermark. A partition without a leader answers nothing in Kafka until one is elected; the
// model takes the highest high watermark of its replicas, the one a clean election's leader
// reaches.
func (p *Partition) latestOffset() Offset {
	if l := p.meta.Leader; l >= 0 {
		return p.reps[l].log.hw
	}
	var hw Offset
	for _, r := range p.reps {
		hw = max(hw, r.log.hw)
	}
	return hw
}

// removeReader takes o out of the partition's readers.
func (p *Partition) removeReader(o *Offset) {
	if i := slices.Index(p.readers, o); i >= 0 {
		p.readers = slices.Delete(p.readers, i, i+1)
	}
}

// resume gives the consumer its starting positions (ConsumerCoordinator.java:912, an OffsetFetch
// through ConsumerUtils.refreshCommittedOffsets; then SubscriptionState.resetInitializingPositions,
// :781, and OffsetFetcher.resetPositionsIfNeeded): the group's committed offset where it has
// one, else auto.offset.reset's: latest, the high watermark (ListOffsets, taken at the instant
// of the start: Kafka's lookup takes a round trip to the leader, in which a few more records may
// arrive that Kafka would skip and the model delivers); earliest, the log start offset, 0 (the
// model deletes no log segment). With none and no committed offset it reports false:
// KafkaConsumer.poll throws NoOffsetForPartitionException and the consumer reads nothing.
func (c *Consumer) resume() bool {
	gt := c.group
	for i, p := range c.parts {
		switch {
		case gt.committedOnce:
			c.pos[i] = gt.committed[i]
		case c.cfg.AutoOffsetReset == OffsetResetEarliest:
			c.pos[i] = 0
		case c.cfg.AutoOffsetReset == OffsetResetLatest:
			c.pos[i] = p.latestOffset()
			c.metrics.Skipped += int64(max(c.pos[i]-gt.delivered[i], 0))
		default:
			return false
		}
	}
	return true
}

// autoCommit is ConsumerCoordinator.maybeAutoCommitOffsetsAsync (ConsumerCoordinator.java:1157)
// with enable.auto.commit: the positions (SubscriptionState.allConsumed) are committed every
// auto.commit.interval.ms from the consumer's start. The consumer's poll loop wakes for each
// deadline (timeToNextPoll, :543), but positions move only when a Fetch
// response is consumed, so the commits due up to now are made here, before the next response is
// consumed: each would have committed the positions as they are now.
func (c *Consumer) autoCommit(now sim.Time) {
	if !c.cfg.EnableAutoCommit || now < c.nextCommit {
		return
	}
	c.group.commit(c.pos)
	iv := sim.Time(c.cfg.AutoCommitInterval)
	if iv <= 0 { // auto.commit.interval.ms=0: at every poll
		c.nextCommit = now
		return
	}
	c.nextCommit += ((now-c.nextCommit)/iv + 1) * iv
}

// countDuplicates counts the records [from, end) of partition i delivered before to a consumer
// of the group, and moves the group's delivered end.
func (c *Consumer) countDuplicates(i int, from, end Offset) int64 {
	d := &c.group.delivered[i]
	dup := max(min(end, *d)-from, 0)
	*d = max(*d, end)
	return int64(dup)
}
