package scenario

import (
	"github.com/stretchsim/stretchsim/model"
)

// MaxReplicas bounds the partition replicas of a scenario (partitions × replication factor over
// all topics): each is a state machine with its log, so a typo in partitions cannot ask for more
// memory than a laptop has. A million is five times the partitions KRaft clusters are tested at.
const MaxReplicas = 1_000_000

// topics checks each topic: a unique name, partitions >= 1, 1 <= replication.factor <= the
// number of brokers, min.insync.replicas <= replication.factor, and a replica assignment that
// matches both and names distinct existing brokers.
func (v *validator) topics() {
	seen := map[string]int{}
	partitions, replicas := 0, 0
	for i, t := range v.s.Topics {
		p := indexPath("topics", i)
		if t.Partitions > 0 && t.ReplicationFactor > 0 {
			partitions += min(t.Partitions, MaxReplicas)
			replicas += min(t.Partitions, MaxReplicas) * min(t.ReplicationFactor, MaxReplicas)
			if replicas > MaxReplicas {
				v.errorf(p+".partitions", "%d partitions bring the scenario above %d partition replicas, the most a run holds in memory",
					t.Partitions, MaxReplicas)
				replicas = -1 << 62 // once
			}
		}
		if t.Name == "" {
			v.errorf(p+".name", "must not be empty")
		} else if j, dup := seen[t.Name]; dup {
			v.errorf(p+".name", "topic %q is already topics[%d]", t.Name, j)
		} else {
			seen[t.Name] = i
		}
		if t.Partitions < 1 {
			v.errorf(p+".partitions", "must be at least 1, got %d", t.Partitions)
		}
		v.replicationFactor(p, t)
		if t.Placement != "striped" && t.Placement != "legacy" {
			v.errorf(p+".placement", "unknown placement %q (want striped or legacy)", t.Placement)
		}
		v.add(p+".config", t.Config.Validate())
		if t.Assignment != nil {
			v.assignment(p, t)
		}
	}
	v.size(partitions, replicas)
}

func (v *validator) replicationFactor(p string, t model.TopicSpec) {
	rf := t.ReplicationFactor
	switch {
	case rf < 1:
		v.errorf(p+".replication.factor", "must be at least 1, got %d", rf)
		return
	case v.brokers > 0 && rf > v.brokers:
		v.errorf(p+".replication.factor", "%d exceeds %d %s", rf, v.brokers, plural(int64(v.brokers), "broker", "brokers"))
	}
	minISR, path, from := v.s.Broker.MinInsyncReplicas, p+".replication.factor", " (the broker default)"
	if t.Config.MinInsyncReplicas != nil {
		minISR, path, from = *t.Config.MinInsyncReplicas, p+".config.min.insync.replicas", ""
	}
	if minISR <= rf {
		return
	}
	// Kafka accepts the topic. An error when a producer would write it with acks=all (every such
	// write fails); else a warning: a topic of RF 1 under a cluster-wide min.insync.replicas of 2,
	// written with acks=1 or not at all, is a common setup.
	for i, pr := range v.s.Producers {
		if pr.Topic == t.Name && pr.Config.Acks == model.AcksAll {
			v.errorf(path, "min.insync.replicas %d%s exceeds replication.factor %d: Kafka accepts the topic, "+
				"but every acks=all write to it would fail with NOT_ENOUGH_REPLICAS (producers[%d] %s writes it with acks=all)",
				minISR, from, rf, i, pr.Name)
			return
		}
	}
	v.warnf(path, "min.insync.replicas %d%s exceeds replication.factor %d: an acks=all write to it would fail with "+
		"NOT_ENOUGH_REPLICAS (no producer here writes it with acks=all)", minISR, from, rf)
}

// assignment checks a replica_assignment against partitions and replication.factor.
func (v *validator) assignment(p string, t model.TopicSpec) {
	ap := p + ".replica_assignment"
	if len(t.Assignment) != t.Partitions {
		v.errorf(ap, "lists %d partitions, but partitions is %d", len(t.Assignment), t.Partitions)
	}
	for i, replicas := range t.Assignment {
		rp := indexPath(ap, i)
		if len(replicas) != t.ReplicationFactor {
			v.errorf(rp, "lists %d replicas, but replication.factor is %d", len(replicas), t.ReplicationFactor)
		}
		seen := map[model.BrokerID]bool{}
		for k, b := range replicas {
			switch {
			case b < 1 || int(b) > v.brokers:
				v.errorf(indexPath(rp, k), "no broker %d: broker ids are 1 to %d", b, v.brokers)
			case seen[b]:
				v.errorf(indexPath(rp, k), "broker %d is listed twice", b)
			}
			seen[b] = true
		}
	}
}

// topic checks that the topic name at path exists.
func (v *validator) topic(path, name string) {
	known := make([]string, 0, len(v.s.Topics))
	for _, t := range v.s.Topics {
		if t.Name == name {
			return
		}
		known = append(known, t.Name)
	}
	v.unknown(path, "topic", name, known)
}

// producers checks each producer: a unique name (over its Count instances too), a known site
// and topic, a positive rate and record size that Kafka would accept, and its settings.
func (v *validator) producers() {
	names := map[string]string{}
	for i, pr := range v.s.Producers {
		p := indexPath("producers", i)
		v.clientName(names, p, pr.Name, pr.Count)
		v.site(p+".site", pr.Site)
		v.topic(p+".topic", pr.Topic)
		v.workload(p, pr)
		v.compression(p, pr)
		v.add(p+".config", pr.Config.Validate())
	}
}

// clientName checks a client's name against the names taken so far (instance names included).
func (v *validator) clientName(names map[string]string, p, name string, count int) {
	if name == "" {
		v.errorf(p+".name", "must not be empty")
		return
	}
	for _, n := range InstanceNames(name, count) {
		if other, dup := names[n]; dup {
			v.errorf(p+".name", "name %q is already taken by %s", n, other)
			return
		}
		names[n] = p
	}
}

func (v *validator) consumers() {
	names := map[string]string{}
	for i, c := range v.s.Consumers {
		p := indexPath("consumers", i)
		v.clientName(names, p, c.Name, 1)
		v.site(p+".site", c.Site)
		v.topic(p+".topic", c.Topic)
		v.add(p+".config", c.Config.Validate())
		v.consumerTimes(p, c)
	}
	v.consumerGroups()
}

// plural returns one when n is 1, else many.
func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
