// Package scenario reads scenario files and turns them into the model's cluster specs
// (design §4); it is the only package that knows the file format. Package experiments runs the
// scenarios it loads; sweeps and replications change their values through ApplySet.
//
// A scenario file is YAML. Parse (or Load, LoadFS) decodes it by walking the YAML node tree, so
// that every problem — an unknown key, a malformed value, a replication factor above the broker
// count — is an *Error naming the file, the line and the path of the value:
//
//	scenario.yaml:14: topics[0].replication.factor: 4 exceeds 3 brokers
//
// and all of them are reported at once. A value given by --set (ApplySet) is blamed on the flag
// instead of a line: "--set topics[0].replication.factor=4: topics[0].replication.factor: ...".
// Problems that do not stop a run (a normal RTT often clamped at zero, a scenario too large to
// run quickly) are Scenario.Warnings, located the same way. Kafka settings (broker, controller, and each topic's,
// producer's and consumer's config) use Kafka's property names and units and go through the
// model's property registry (model.BrokerConfig.Set and friends), so that properties pasted from
// server.properties or a producer config work as they are.
//
// Values have parsers of their own, each the inverse of a canonical form: ParseBytes ("64KiB",
// "1MB"), ParseByteRate ("20MB/s"), ParseBitRate ("10Gbps"), ParseDuration ("250ms"),
// ParseDist ("lognormal(median=12ms, p99=40ms)") and ParseRate ("5000 records/s"). In all of
// them a unit follows its number directly or after one space ("10 ms"). A producer's rate may
// also be a RateProfile: a list of phases or {daily: {...}} (scenario_decode_rate.go).
//
// ApplySet changes one value of the YAML tree before it is decoded, by a path such as
// topics[orders].config.min.insync.replicas: the CLI's --set and the sweep axes use it.
//
// Scenario.Validate checks the decoded scenario as a whole, and Scenario.Spec builds the
// model.ClusterSpec a run needs.
package scenario
