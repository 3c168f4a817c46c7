package scenario

import (
	"maps"
	"slices"
)

// shape is the structure of a part of a scenario file, as ApplySet needs it to create keys the
// file does not have yet.
type shape struct {
	fields map[string]*shape // a mapping with these keys
	props  bool              // a map of Kafka properties: any key, whole
	item   *shape            // a list of these
	// value is set on a shape that may also be a scalar, next to a list (item) or a mapping
	// (fields): a producer's rate.
	value bool
}

// leaf is a scalar.
var leaf = &shape{}

// props is a map of Kafka properties.
var props = &shape{props: true}

func listOf(item *shape) *shape { return &shape{item: item} }

// mapOf is a mapping whose keys are leaves unless given in sub.
func mapOf(leaves []string, sub map[string]*shape) *shape {
	s := &shape{fields: map[string]*shape{}}
	for _, k := range leaves {
		s.fields[k] = leaf
	}
	maps.Copy(s.fields, sub)
	return s
}

// fieldNames returns the keys of a mapping shape, sorted.
func (s *shape) fieldNames() []string {
	if s == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(s.fields))
}

func linkShape(between bool) *shape {
	sub := map[string]*shape{}
	if between {
		sub["between"] = listOf(leaf)
	}
	return mapOf([]string{"rtt", "jitter", "bandwidth", "loss"}, sub)
}

// rateShape is a producer's rate: a value ("20MB/s"), a list of phases, or {daily: {...}}
// (scenario_decode_rate.go).
var rateShape = &shape{
	item:   mapOf([]string{"until", "rate", "ramp_to"}, nil),
	fields: map[string]*shape{"daily": mapOf([]string{"trough", "peak", "peak_at", "start_at", "period"}, nil)},
	value:  true,
}

// scenarioShape is the structure of a scenario file (design §4); the decoder's keys, which a
// test keeps in step with it.
var scenarioShape = mapOf(
	[]string{"name", "seed", "duration", "warmup", "metrics_interval"},
	map[string]*shape{
		"sites": listOf(mapOf([]string{"name", "brokers", "controllers"},
			map[string]*shape{"racks": listOf(leaf)})),
		"network": mapOf(nil, map[string]*shape{
			"intra_site": linkShape(false),
			"inter_site": linkShape(false),
			"links":      listOf(linkShape(true)),
		}),
		"broker":     props,
		"controller": props,
		"hardware": mapOf([]string{"request_cpu_time", "cpu_bytes_per_second", "disk_write_bandwidth", "dirty_expire", "dirty_writeback",
			"rmem_max", "wmem_max"},
			map[string]*shape{"compression": codecsOf(mapOf([]string{"compress", "decompress"}, nil))}),
		"topics": listOf(mapOf([]string{"name", "partitions", "replication.factor", "placement"},
			map[string]*shape{"replica_assignment": listOf(listOf(leaf)), "config": props})),
		"producers": listOf(mapOf([]string{"name", "site", "topic", "record_size", "arrival", "on", "off",
			"keys", "key_count", "zipf_s", "count"}, map[string]*shape{"rate": rateShape, "config": props, "compression_ratio": codecsOf(leaf)})),
		"consumers": listOf(mapOf([]string{"name", "site", "topic", "start", "stop"}, map[string]*shape{"config": props})),
		"faults": listOf(mapOf([]string{"at", "type", "duration", "broker", "mode", "site", "power_loss", "one_way", "rtt",
			"bandwidth", "rate"}, map[string]*shape{"groups": listOf(listOf(leaf)), "between": listOf(leaf)})),
		"random_faults": mapOf([]string{"count", "seed", "duration", "start", "end"}, map[string]*shape{"kinds": listOf(leaf)}),
	})

// codecsOf is a mapping from each codec's name (gzip, snappy, lz4, zstd) to a value of shape item.
func codecsOf(item *shape) *shape {
	s := &shape{fields: map[string]*shape{}}
	for _, c := range []string{"gzip", "snappy", "lz4", "zstd"} {
		s.fields[c] = item
	}
	return s
}
