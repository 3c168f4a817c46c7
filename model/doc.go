// Package model is stretchsim's Kafka model: a stretch cluster's sites, network, brokers,
// KRaft controllers and clients as small state machines driven by sim events. Every figure a run
// reports comes out of these mechanisms; the reference for each rule is
// shared/reference/kafka-semantics.md, cited in the comment where the rule lives.
//
// # Walkthrough
//
// NewCluster builds a cluster from a ClusterSpec (sites, network, Kafka settings, topics,
// clients, faults) on a sim.Sim and schedules its start:
//
//	s := sim.New(seed)
//	c, err := model.NewCluster(s, spec) // spec.Producers[i].Arrivals from package workloads
//	s.RunUntil(sim.Time(10 * time.Minute))
//	violations := c.CheckInvariants(s.Now())
//
// NewCluster places each topic's replicas with package placement (Kafka's striped or legacy
// placer over a java.util.Random seeded from the run's stream "placement/<topic>"), unless the
// topic lists its replicas. What happens then, one message at a time:
//
//   - The network (package net) carries messages between nodes: NIC → shared site-pair link
//     (FIFO bandwidth) → propagation (RTT distribution, jitter, loss) → NIC, over TCP-like
//     connections that deliver in order with at most one receive window unacknowledged, so one
//     connection moves at most window/RTT. Cut paths hold segments and retransmit them with
//     exponential backoff. Brokers, controllers and clients are its endpoints.
//   - A Producer (producer.go, accumulator.go, partitioner.go, sender.go) turns open-loop
//     arrivals into per-partition batches (batch.size, linger.ms, the sticky partitioner of
//     KIP-794, buffer.memory) and Produce requests (max.in.flight, request and delivery
//     timeouts, retries with backoff, KIP-951 leader hints).
//   - A Broker (broker*.go) serves requests through num.io.threads handler threads and a disk
//     of finite bandwidth. As leader (replica.go) it appends, keeps each follower's state and
//     lastCaughtUpTimeMs, computes the high watermark, parks acks=all requests until the HW
//     passes them, and shrinks and expands the ISR through AlterPartition. As follower its
//     replica fetchers (fetcher.go) long-poll the leader in incremental fetch sessions
//     (KIP-227) and truncate on divergence (KIP-320); the leader owns its half of each
//     session (fetch_session.go), keyed by follower and fetcher id.
//   - The controllers (controller*.go) run the KRaft quorum (package kraft: elections with
//     Pre-Vote, pull replication, majority commit, check-quorum; cluster_kraft.go wires it).
//     The active one registers brokers, fences them when their heartbeats stop, elects
//     partition leaders (election.go: clean, unclean, ELR of KIP-966, preferred) and commits
//     ISR changes as metadata records (controller_state.go). Brokers read the metadata log as
//     observers and apply committed records only (broker_meta.go); every node writes snapshots
//     of its metadata image (snapshot_generator.go).
//   - Consumers (consumer.go) fetch from leaders or, with KIP-392, from a same-rack follower,
//     in incremental fetch sessions that each broker owns (consumer_session.go, KIP-227). Each
//     runs from its start to its stop (consumer_life.go: a close ends its sessions), resuming
//     from its group's committed offsets and committing its positions (consumer_group.go), and
//     records Kafka's records-lag (consumer_lag.go).
//   - Faults (faults.go, broker_faults.go) crash and restart brokers and controllers, take
//     sites down, cut, slow or degrade links. Each replica log knows what of it is on disk
//     (disk.go: Kafka's flush.messages/flush.ms and the OS writeback); a power loss
//     (broker_power.go) loses the rest when the broker next starts.
//   - Metrics (cluster_metrics.go, producer_metrics.go, durability.go) integrate partition
//     states over time, sample time series under Kafka's metric names, and count acknowledged
//     records lost; invariants.go checks design §3's invariants.
//   - Wait accounting (limits.go, limits_wire.go): each place where bytes or requests wait (a
//     full TCP window, requests unread behind a muted connection, max.in.flight, buffer.memory,
//     link and NIC queues, request threads, the disk, fetch responses cut at their size limit)
//     counts the time it had a waiter, per (mechanism, setting, where), with no event of its
//     own; Cluster.Limits ranks them. The network reports its waits through net.WaitRecorder.
//
// # Conventions
//
// Components react to one input at a time and do no I/O: no goroutines, wall clock or global
// random numbers (a test enforces it). Randomness comes from named streams of the run
// ("net/dc-a->dc-b", "producer/p1", "kraft/voter-1000", ...), so adding a component never shifts
// another's draws. Memory is O(partitions + data in flight): logs keep only the batches some
// reader still needs, and timers re-arm lazily so that stale firings do not pile up.
//
// # Packages below model
//
// What needs no model type lives in a package of its own that knows nothing of the model (a test
// enforces it):
//
//   - units: Bytes, ByteRate, BitRate, Offset; the model re-exports them under the same names.
//   - net: the network, over units and sim. The model keeps its names for net's types (net.go:
//     Network, Half, NodeID, DistSpec; ids.go: SiteID; spec.go: NetworkSpec, LinkSpec), so a
//     Broker still sends on a *Half.
//   - kraft: the KRaft quorum (voters, observers, the metadata log and its snapshots), over net.
//     The model's side of it is narrow: a Controller's voter appends its records
//     (Voter.Append) and tells it what is committed (kraft.Listener), a Broker's observer
//     hands it committed records (kraft.ObserverListener); the records and snapshot images
//     are the model's (metaRecord, ctrlState), opaque to kraft but for their size and a hash.
//     ControllerConfig embeds kraft.QuorumConfig (controller.quorum.*), and MetadataLogConfig
//     is kraft's.
//   - placement: Kafka's replica placers and java.util.Random.
//   - conf: the registry behind BrokerConfig.Set, ProducerConfig.Set and the rest (Kafka's
//     property names, validators and defaults), size parsing and "did you mean". The config
//     structs and their property tables stay here: they are made of the model's types and read
//     by its components.
package model
