package scenario

import (
	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/model"
)

// Placements are the values of topics[].placement: the KRaft StripedReplicaPlacer (default) and
// the legacy rack-aware assignReplicasToBrokers.
var placements = []string{"striped", "legacy"}

func (d *decoder) topics(n *yaml.Node, path string) []model.TopicSpec {
	var out []model.TopicSpec
	d.list(n, path, func(v *yaml.Node, p string, _ int) {
		t := model.TopicSpec{Placement: placements[0]}
		seen := d.mapping(v, p, handlers{
			"name":               func(v *yaml.Node, p string) { t.Name = d.str(v, p) },
			"partitions":         func(v *yaml.Node, p string) { t.Partitions = d.integer(v, p) },
			"replication.factor": func(v *yaml.Node, p string) { t.ReplicationFactor = d.integer(v, p) },
			"placement":          func(v *yaml.Node, p string) { t.Placement = placements[d.enum(v, p, placements)] },
			"replica_assignment": func(v *yaml.Node, p string) { t.Assignment = d.assignment(v, p) },
			"config":             func(v *yaml.Node, p string) { d.props(v, p, t.Config.Set) },
		}, topicHint)
		d.require(v, p, seen, "name")
		if seen["replica_assignment"] == nil {
			d.require(v, p, seen, "partitions", "replication.factor")
		} else {
			inferShape(&t, seen)
		}
		out = append(out, t)
	})
	return out
}

// inferShape fills partitions and replication.factor from a replica assignment when the file
// leaves them out, as kafka-topics --replica-assignment does.
func inferShape(t *model.TopicSpec, seen map[string]*yaml.Node) {
	if len(t.Assignment) == 0 {
		return
	}
	if seen["partitions"] == nil {
		t.Partitions = len(t.Assignment)
	}
	if seen["replication.factor"] == nil {
		t.ReplicationFactor = len(t.Assignment[0])
	}
}

func topicHint(key string) string {
	if isProperty(key, model.TopicConfig{}.Properties()) {
		return "it is a topic property: put it under config:"
	}
	return ""
}

// assignment decodes replica_assignment: one list of broker ids per partition.
func (d *decoder) assignment(n *yaml.Node, path string) [][]model.BrokerID {
	var out [][]model.BrokerID
	d.list(n, path, func(v *yaml.Node, p string, _ int) {
		var replicas []model.BrokerID
		d.list(v, p, func(v *yaml.Node, p string, _ int) {
			replicas = append(replicas, model.BrokerID(d.integer(v, p)))
		})
		out = append(out, replicas)
	})
	return out
}
