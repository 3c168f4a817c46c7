package scenario

import (
	"time"

	"github.com/stretchsim/stretchsim/model"
)

// Scenario is one scenario file, decoded: plain data mirroring the file's keys (design §4). Parse
// and Load fill it and validate it; Spec turns it into the model's ClusterSpec. Kafka settings
// hold Kafka's defaults where the file is silent.
type Scenario struct {
	// File names the scenario in error messages ("scenarios/three-site.yaml"); "" for one built
	// in code.
	File string
	// Name is the scenario's name (key name); default: the file name without its extension.
	Name string
	// Seed is the run's random seed (key seed); default 1.
	Seed uint64
	// Duration is the virtual time simulated (key duration, required, > 0).
	Duration time.Duration
	// Warmup is the leading part of the run excluded from summary statistics (key warmup,
	// default 0, below Duration).
	Warmup time.Duration
	// MetricsInterval is how often time series are sampled (key metrics_interval, default 1s).
	MetricsInterval time.Duration
	// Sites are the sites in file order; site i has model.SiteID(i) (key sites, required; each
	// with name and brokers, controllers defaulting to 0, racks to the site name).
	Sites []model.SiteSpec
	// Network is the network between and within the sites (key network).
	Network Network
	// Broker holds the broker properties, Kafka's defaults overridden by the key broker.
	Broker model.BrokerConfig
	// Controller holds the KRaft controller properties (key controller).
	Controller model.ControllerConfig
	// Hardware holds the broker resources Kafka has no property for (key hardware; default
	// model.DefaultHardware()). A file gives its throughputs as positive byte rates or
	// "unlimited" (+Inf).
	Hardware model.HardwareSpec
	// Topics are the topics in file order (key topics).
	Topics []model.TopicSpec
	// Producers are the producer clients in file order (key producers).
	Producers []Producer
	// Consumers are the consumer clients in file order (key consumers).
	Consumers []Consumer
	// Faults are the scheduled faults in file order (key faults), then those drawn by
	// RandomFaults.
	Faults []Fault
	// RandomFaults draws faults from a seed (key random_faults), or nil.
	RandomFaults *RandomFaults

	// Warnings are the problems that do not stop the scenario from running (a normal RTT whose
	// draws below zero are clamped, a scenario too large to run quickly), each located as an
	// error is, in file order. Validate sets them; PrintWarnings writes them.
	Warnings []*Error

	// lines maps a path ("topics[0].replication.factor") to where its value came from, a line
	// of File or a --set override, so that Validate can locate its errors; nil for a scenario
	// built in code.
	lines map[string]where
}

// Network is the key network: the intra-site path, the default inter-site path, and per-pair
// overrides. A zero field of a model.LinkSpec means "not given" (see model.NetworkSpec): a file
// cannot give a zero bandwidth, and writes "unlimited" (+Inf) for no limit.
type Network struct {
	IntraSite model.LinkSpec // key intra_site: rtt, jitter, bandwidth (each node's NIC), loss
	InterSite model.LinkSpec // key inter_site: the default for every pair of distinct sites
	Links     []Link         // key links: overrides for named pairs, both directions
}

// Link is one item of network.links: the path between two named sites. Fields left zero inherit
// Network.InterSite's.
type Link struct {
	Between [2]string // key between: two distinct site names
	model.LinkSpec
}

// Producer is one item of producers: an open-loop producer client. The workload fields are the
// parameters package workloads builds the record arrivals from.
type Producer struct {
	Name  string // key name, required, unique
	Site  string // key site: the site it runs at
	Topic string // key topic: the topic it writes
	// Rate is the send rate of each of the Count instances (key rate, required), when the file
	// gives one rate; zero when it gives a Profile.
	Rate Rate
	// Profile is the rate when it changes over the run (key rate as a list of phases or as
	// {daily: ...}), or nil. Whatever needs "the producer's rate" asks MeanBytesPerSec.
	Profile *RateProfile
	// RecordSize is each record's size, key and value and overhead (key record_size, required).
	RecordSize model.Bytes
	// Arrival is the arrival process (keys arrival, on, off).
	Arrival Arrival
	// Keys is how records are keyed (keys keys, key_count, zipf_s).
	Keys Keys
	// Count is the number of identical instances of this producer (key count, default 1), each
	// with its own random stream.
	Count int
	// Config holds the producer properties (key config), post-processed as KafkaProducer does.
	Config model.ProducerConfig
	// CompressionRatio is how compressible the records are (key compression_ratio).
	CompressionRatio CompressionRatio
}

// CompressionRatio is a producer's compression_ratio: the compressed size of a batch's records
// over their uncompressed size, one number for any codec or one per codec. Nothing assumes a
// ratio: a codec the producer or its topic compresses with must have one.
type CompressionRatio struct {
	Given    bool                    // the key is in the file
	PerCodec bool                    // given per codec ({lz4: 0.5}), not as one number
	Set      [model.NumCodecs]bool   // per codec: a ratio was given for it
	Ratios   model.CompressionRatios // per codec
}

// ArrivalKind is a producer's arrival process.
type ArrivalKind uint8

// Arrival processes; Poisson is the default.
const (
	ArrivalPoisson  ArrivalKind = iota // "poisson": exponential gaps
	ArrivalConstant                    // "constant": one record every 1/rate
	ArrivalOnOff                       // "onoff": Poisson during On windows, nothing during Off
)

var arrivalNames = []string{ArrivalPoisson: "poisson", ArrivalConstant: "constant", ArrivalOnOff: "onoff"}

// String returns the scenario spelling: "poisson", "constant" or "onoff".
func (k ArrivalKind) String() string { return enumName(arrivalNames, int(k)) }

// Arrival is a producer's arrival process and its parameters.
type Arrival struct {
	Kind ArrivalKind   // key arrival, default poisson
	On   time.Duration // key on: length of an On window (onoff only), default 1s
	Off  time.Duration // key off: length of an Off window (onoff only), default 1s
}

// KeyKind is how a producer keys its records.
type KeyKind uint8

// Key distributions; KeysNone is the default.
const (
	KeysNone    KeyKind = iota // "none": no key, the sticky partitioner picks the partition
	KeysUniform                // "uniform": uniform over Count keys
	KeysZipf                   // "zipf": Zipf-skewed over Count keys, key 0 the hottest
)

var keyNames = []string{KeysNone: "none", KeysUniform: "uniform", KeysZipf: "zipf"}

// String returns the scenario spelling: "none", "uniform" or "zipf".
func (k KeyKind) String() string { return enumName(keyNames, int(k)) }

// Keys is a producer's key distribution and its parameters.
type Keys struct {
	Kind  KeyKind // key keys, default none
	Count int     // key key_count: distinct keys (uniform, zipf), default 1000
	ZipfS float64 // key zipf_s: the Zipf exponent s > 1 (zipf only), default 1.1
}

// Defaults of the producer workload keys.
const (
	DefaultOnOffWindow = time.Second
	DefaultKeyCount    = 1000
	DefaultZipfS       = 1.1
)

// Consumer is one item of consumers: a consumer reading every partition of a topic, the only
// running member of its group (config group.id, default its name) from Start until Stop.
type Consumer struct {
	Name  string // key name, required, unique
	Site  string // key site
	Topic string // key topic
	// Start is when the consumer starts, from the start of the run (key start, default 0): before
	// it, it sends nothing. It resumes from its group's committed offsets, or where
	// auto.offset.reset says.
	Start time.Duration
	// Stop is when it closes (key stop, default never; HasStop is set when the key is given),
	// committing its positions with enable.auto.commit. Invariant after Validate: Start < Stop.
	Stop    time.Duration
	HasStop bool
	Config  model.ConsumerConfig // key config: consumer properties
}

// Group returns the consumer's group: config group.id, or the consumer's name.
func (c *Consumer) Group() string {
	if c.Config.GroupID != "" {
		return c.Config.GroupID
	}
	return c.Name
}

// Stops reports whether the consumer stops within a run of duration d.
func (c *Consumer) Stops(d time.Duration) bool { return c.HasStop && c.Stop < d }

func enumName(names []string, i int) string {
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return "unknown"
}
