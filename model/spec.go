package model

import (
	"time"

	"github.com/stretchsim/stretchsim/model/net"
)

// ClusterSpec is everything a run needs to build a cluster: topology, network, Kafka settings,
// hardware, topics and clients. It is plain data; experiments builds it from a scenario file and
// model.NewCluster turns it into state machines wired to a sim.Sim.
type ClusterSpec struct {
	Sites      []SiteSpec
	Network    NetworkSpec
	Broker     BrokerConfig
	Controller ControllerConfig
	Hardware   HardwareSpec
	Topics     []TopicSpec
	Producers  []ProducerSpec
	Consumers  []ConsumerSpec
	// MetricsInterval is how often time series are sampled (default 1s).
	MetricsInterval time.Duration
	// Warmup is excluded from summary statistics.
	Warmup time.Duration
	// Faults are scheduled in virtual time.
	Faults []FaultSpec
}

// LinkSpec describes the path between two sites (or within one) (net.LinkSpec).
type LinkSpec = net.LinkSpec

// PairLinkSpec overrides the inter-site default for one pair of sites (net.PairLinkSpec).
type PairLinkSpec = net.PairLinkSpec

// NetworkSpec is the network of design §3 (net.NetworkSpec).
type NetworkSpec = net.NetworkSpec

// BufferCaps are the hosts' caps on the socket buffers Kafka sets (net.BufferCaps).
type BufferCaps = net.BufferCaps

// HardwareSpec holds the broker resources Kafka has no property for. They bound how fast one
// broker can serve requests, so that it can saturate.
type HardwareSpec struct {
	// RequestCPUTime is the I/O-thread time to handle one request, excluding per-byte work.
	RequestCPUTime time.Duration
	// CPUBytesPerSecond is the per-thread rate at which request bytes are processed (checksums,
	// copying); 0: unlimited.
	CPUBytesPerSecond ByteRate
	// DiskWriteBandwidth is the broker's log append throughput, shared FIFO by all appends;
	// 0: unlimited.
	DiskWriteBandwidth ByteRate
	// DirtyExpire is the OS's vm.dirty_expire_centisecs: a page written by Kafka (into the page
	// cache, never fsynced by default) is written back to disk once it is this old. Linux: 30s.
	DirtyExpire time.Duration
	// DirtyWriteback is vm.dirty_writeback_centisecs: the OS's writeback runs this often and
	// writes back the pages older than DirtyExpire. Linux: 5s; 0 disables periodic writeback (then
	// only Kafka's own flushes make data durable). Only a power loss loses what is not yet written
	// back (disk.go).
	DirtyWriteback time.Duration
	// RmemMax and WmemMax are every host's net.core.rmem_max and net.core.wmem_max, brokers' and
	// clients': the most a socket buffer Kafka sets (a *.buffer.bytes other than -1) gets
	// (net.BufferCaps). Linux: 212992 bytes each; 0: no cap.
	RmemMax, WmemMax Bytes
	// Codecs overrides, per codec, the speed of compression and decompression on one core of a
	// broker or client (scenario key hardware.compression); a zero field keeps the documented
	// default for the codec's level (DefaultCodecRates).
	Codecs [NumCodecs]CodecRates
}

// Linux's page-cache writeback defaults (Documentation/admin-guide/sysctl/vm.rst).
const (
	DefaultDirtyExpire    = 30 * time.Second // vm.dirty_expire_centisecs = 3000
	DefaultDirtyWriteback = 5 * time.Second  // vm.dirty_writeback_centisecs = 500
)

// DefaultHardware returns a server-class broker: 20µs of CPU per request, 1 GB/s per-thread byte
// processing, 1 GB/s of sequential log writes, Linux's default page-cache writeback and socket
// buffer caps.
func DefaultHardware() HardwareSpec {
	return HardwareSpec{RequestCPUTime: 20 * time.Microsecond, CPUBytesPerSecond: 1e9, DiskWriteBandwidth: 1e9,
		DirtyExpire: DefaultDirtyExpire, DirtyWriteback: DefaultDirtyWriteback,
		RmemMax: net.DefaultBufferMax, WmemMax: net.DefaultBufferMax}
}

// TopicSpec is one topic. Assignment, when set, is the replica list of every partition (as
// kafka-topics --replica-assignment takes it) and overrides Placement.
type TopicSpec struct {
	Name              string
	Partitions        int
	ReplicationFactor int
	Placement         string // "striped" (KRaft, default) or "legacy"
	Assignment        [][]BrokerID
	Config            TopicConfig
}

// ProducerSpec is one producer client: where it runs, what it writes and its Kafka settings.
type ProducerSpec struct {
	Name     string
	Site     SiteID
	Topic    string
	Arrivals Arrivals // the open-loop record arrivals (package workloads builds them)
	Config   ProducerConfig
	// CompressionRatio is how compressible the records are, per codec (scenario key
	// compression_ratio): needed for the producer's compression.type and for the codec of any
	// topic that recompresses its batches.
	CompressionRatio CompressionRatios
}

// ConsumerSpec is one consumer client reading every partition of a topic, as its group's only
// member, from Start until Stop.
type ConsumerSpec struct {
	Name  string
	Site  SiteID
	Topic string
	// Start is when the consumer starts (0: with the cluster); Stop when it closes (0: never).
	// Invariant: Stop is 0 or after Start. The consumers of one group (Config.GroupID, or Name
	// when empty) do not run at the same time: the group rebalance protocol is not modelled.
	Start, Stop time.Duration
	Config      ConsumerConfig
}

// Group returns the consumer's group: group.id, or its name when group.id is not set.
func (cs *ConsumerSpec) Group() string {
	if cs.Config.GroupID != "" {
		return cs.Config.GroupID
	}
	return cs.Name
}

// Record is one record a client application hands to the producer.
type Record struct {
	At     int64 // intended send time, virtual nanoseconds since the start of the run
	Size   Bytes // serialized size, key and value and record overhead included
	Key    uint64
	HasKey bool // false: the sticky partitioner picks the partition
}

// Arrivals is an open-loop arrival process. Next returns the records in time order; it is called
// lazily, so a process may draw its numbers on demand from its own stream.
type Arrivals interface {
	Next() Record
}
