package model

import (
	"errors"
	"fmt"

	"github.com/stretchsim/stretchsim/model/kraft"
	"github.com/stretchsim/stretchsim/model/net"
	"github.com/stretchsim/stretchsim/model/placement"
	"github.com/stretchsim/stretchsim/sim"
)

// Cluster is a whole simulated deployment: the network, the brokers, the controller, the
// partitions and the clients, wired to one sim.Sim.
type Cluster struct {
	spec       *ClusterSpec
	topo       *Topology
	net        *Network
	brokers    []*Broker // index = id-1
	partitions []*Partition
	topics     map[string][]*Partition
	producers  []*Producer
	consumers  []*Consumer
	groups     []*consumerGroup // consumer groups, in the order their consumers are listed
	lastPID    int32            // the last producer id handed out (InitProducerId)
	warmup     sim.Time
	seed       uint64
	metrics    clusterMetrics

	controllers []*Controller
	quorum      *kraft.Quorum
	sim         *sim.Sim
	faultLog    []faultRecord
	fstate      faultState // what the active faults hold (faults_compose.go)
	limits      limitBook  // the wait accounting (limits.go)
}

// NewCluster builds the cluster of spec on s and schedules its start at the current time. It
// returns an error for a spec it cannot build (the scenario layer validates first, so this is a
// second line of defence, not the user's error report).
func NewCluster(s *sim.Sim, spec ClusterSpec) (*Cluster, error) {
	topo, err := NewTopology(spec.Sites)
	if err != nil {
		return nil, err
	}
	c := &Cluster{spec: &spec, topo: topo, warmup: sim.Time(spec.Warmup), seed: s.Seed(), topics: map[string][]*Partition{}}
	names := make([]string, len(topo.Sites))
	for i, st := range topo.Sites {
		names[i] = st.Name
	}
	c.net = net.New(s, spec.Network, names)
	c.limits.warmup = c.warmup
	c.limitLinks()
	c.addBrokers()
	c.sim = s
	c.addControllers(s)
	if err := c.addTopics(s); err != nil {
		return nil, err
	}
	if err := c.addClients(s); err != nil {
		return nil, err
	}
	c.metrics.init(c, s)
	c.startControlPlane(s)
	c.scheduleFaults(s)
	c.start(s)
	return c, nil
}

func (c *Cluster) addBrokers() {
	nic := c.spec.Network.IntraSite.Bandwidth
	for _, bi := range c.topo.Brokers {
		b := &Broker{ID: bi.ID, Site: bi.Site, Rack: bi.Rack, cfg: &c.spec.Broker, hw: &c.spec.Hardware, cluster: c}
		b.node = c.net.AddNode(bi.Site, nic, b)
		b.io.free = max(c.spec.Broker.NumIOThreads, 1)
		if r := c.spec.Hardware.DiskWriteBandwidth; r > 0 {
			b.disk.nsPerByte = 1e9 / float64(r)
		}
		c.limitBroker(b)
		c.brokers = append(c.brokers, b)
	}
}

// addTopics places every topic's replicas and creates the partitions with replicas[0] leading
// and every replica in the ISR, as a freshly created topic is.
func (c *Cluster) addTopics(s *sim.Sim) error {
	var errs []error
	keepDurable := c.powerLossScheduled()
	for _, t := range c.spec.Topics {
		assign, err := c.place(s, t)
		if err != nil {
			errs = append(errs, fmt.Errorf("topic %s: %w", t.Name, err))
			continue
		}
		ts := c.newTopicState(t, keepDurable)
		// A topic's partitions are consecutive in c.partitions (groupTopic.lag relies on it).
		for i, replicas := range assign {
			c.addPartition(t, ts, PartitionID(i), replicas)
		}
	}
	return errors.Join(errs...)
}

func (c *Cluster) place(s *sim.Sim, t TopicSpec) ([][]BrokerID, error) {
	if len(t.Assignment) > 0 {
		return t.Assignment, c.checkAssignment(t)
	}
	// Kafka's controller draws from new Random(); a run draws from a java.util.Random seeded from
	// its own stream so that the layout is reproducible.
	rnd := placement.NewJavaRandom(int64(s.Stream("placement/" + t.Name).Uint64()))
	var (
		layout [][]placement.BrokerID
		err    error
	)
	if t.Placement == "legacy" {
		layout, err = placement.AssignLegacy(c.topo.PlacementBrokers(), t.Partitions, t.ReplicationFactor,
			placement.LegacyOptions{StartIndex: -1, Shift: -1, StartPartition: -1}, rnd)
	} else {
		layout, err = placement.PlaceStriped(c.topo.PlacementBrokers(), t.Partitions, t.ReplicationFactor, rnd)
	}
	if err != nil {
		return nil, err
	}
	return brokerLayout(layout), nil
}

// brokerLayout converts a placer's replica lists to the model's broker ids, one new slice per
// partition as the placers allocate them.
func brokerLayout(layout [][]placement.BrokerID) [][]BrokerID {
	out := make([][]BrokerID, len(layout))
	for i, rs := range layout {
		out[i] = make([]BrokerID, len(rs))
		for j, b := range rs {
			out[i][j] = BrokerID(b)
		}
	}
	return out
}

func (c *Cluster) checkAssignment(t TopicSpec) error {
	for i, rs := range t.Assignment {
		seen := map[BrokerID]bool{}
		for _, b := range rs {
			if b < 1 || int(b) > len(c.brokers) || seen[b] {
				return fmt.Errorf("replica_assignment[%d]: broker %d is unknown or repeated", i, b)
			}
			seen[b] = true
		}
	}
	return nil
}

// powerLossScheduled reports whether any fault of the run is a power loss: only then can a log
// go back to its durable end, below what every replica has appended.
func (c *Cluster) powerLossScheduled() bool {
	for _, f := range c.spec.Faults {
		if f.Mode == CrashPower && f.Kind == FaultBrokerCrash || f.PowerLoss && f.Kind == FaultSiteOutage {
			return true
		}
	}
	return false
}

// newTopicState returns the settings topic t's partitions share.
func (c *Cluster) newTopicState(t TopicSpec, keepDurable bool) *topicState {
	ts := &topicState{name: t.Name, unclean: c.spec.Broker.UncleanLeaderElectionEnable, keepDurable: keepDurable,
		flush: c.flushPolicy(t.Config)}
	if t.Config.UncleanLeaderElectionEnable != nil {
		ts.unclean = *t.Config.UncleanLeaderElectionEnable
	}
	if t.Config.Compression.Fixed {
		levels := DefaultCompressionLevels()
		if t.Config.CompressionLevels != nil {
			levels = *t.Config.CompressionLevels
		}
		ts.recompress = &topicCodec{t.Config.Compression, levels.level(t.Config.Compression.Codec)}
	}
	return ts
}

func (c *Cluster) addPartition(t TopicSpec, ts *topicState, id PartitionID, replicas []BrokerID) {
	p := &Partition{topicState: ts, ID: id, Replicas: replicas, idx: len(c.partitions)}
	minISR := c.spec.Broker.MinInsyncReplicas
	if t.Config.MinInsyncReplicas != nil {
		minISR = *t.Config.MinInsyncReplicas
	}
	p.minISR = int32(min(minISR, len(replicas)))
	// AbstractFetcherManager.getFetcherId: abs(31 * topic.hashCode + partition) % num.replica.fetchers
	h := 31*int64(placement.JavaStringHashCode(t.Name)) + int64(id)
	p.fetcherID = abs32(int32(h)) % int32(max(c.spec.Broker.NumReplicaFetchers, 1))
	all := replicaSet(1<<len(replicas) - 1)
	p.meta = PartitionMeta{Leader: 0, ISR: all}
	for pos, bid := range replicas {
		b := c.brokers[bid-1]
		r := &Replica{p: p, pos: int32(pos), broker: b}
		if ts.keepDurable {
			r.disk = &diskState{}
		}
		p.reps = append(p.reps, r)
		b.replicas = append(b.replicas, r)
	}
	c.partitions = append(c.partitions, p)
	c.topics[t.Name] = append(c.topics[t.Name], p)
}

// flushPolicy resolves a topic's flush settings over the broker defaults, with the OS's
// writeback from the hardware.
func (c *Cluster) flushPolicy(t TopicConfig) flushPolicy {
	b, h := c.spec.Broker, c.spec.Hardware
	pol := flushPolicy{messages: b.LogFlushIntervalMessages, interval: b.FlushInterval(),
		check: b.LogFlushSchedulerInterval, expire: max(h.DirtyExpire, 0), writeback: max(h.DirtyWriteback, 0)}
	if t.FlushMessages != nil {
		pol.messages = *t.FlushMessages
	}
	if t.FlushInterval != nil {
		pol.interval = *t.FlushInterval
	}
	if pol.messages <= 0 {
		pol.messages = 1<<63 - 1 // a spec built in code without the settings: Kafka's default
	}
	if pol.check <= 0 {
		pol.check = NeverFlush
	}
	return pol
}

// abs32 is Kafka's Utils.abs: MIN_VALUE maps to 0.
func abs32(x int32) int32 {
	if x == -1<<31 {
		return 0
	}
	if x < 0 {
		return -x
	}
	return x
}

// start makes every partition's first replica leader, starts the followers' fetchers, the
// ISR-expiration tasks, and the clients.
func (c *Cluster) start(s *sim.Sim) {
	now := s.Now()
	for _, p := range c.partitions {
		p.reps[0].becomeLeader(now, 0, p.meta.ISR, 0)
	}
	for _, p := range c.partitions {
		leader := p.reps[0].broker
		for _, r := range p.reps[1:] {
			r.leaderEpoch = 0
			r.broker.fetcherFor(leader, int(p.fetcherID)).add(r)
		}
	}
	for _, b := range c.brokers {
		for _, f := range b.fetchers {
			if f != nil {
				f.send(s)
			}
		}
	}
	for _, b := range c.brokers {
		s.Arm(&b.isrTimer, sim.Event{At: now, H: b, Kind: brokerISRExpiry})
	}
	for _, p := range c.producers {
		p.start(s)
		p.meta.start(s)
	}
	// Stops first: a consumer that stops when the next of its group starts has committed by then.
	for _, k := range c.consumers {
		k.scheduleStop(s)
	}
	for _, k := range c.consumers {
		k.scheduleStart(s)
	}
}

func (c *Cluster) brokerIndex(id BrokerID) int { return int(id) - 1 }

func (c *Cluster) brokerRack(id BrokerID) string { return c.brokers[c.brokerIndex(id)].Rack }

// truncationOffset is AbstractFetcherThread.getOffsetTruncationState: where a follower truncates
// when the leader answers with a diverging epoch and its end offset. The follower looks the epoch
// up in its own leader-epoch cache: if it has that epoch, it truncates to the smaller of the two
// end offsets; if not, to the end of its largest epoch below it, and the next Fetch, carrying that
// epoch, asks again. It never truncates above its own log end.
func (r *Replica) truncationOffset(leaderEpoch int32, leaderEnd Offset) Offset {
	epoch, end := r.log.endOffsetFor(leaderEpoch)
	switch {
	case epoch < 0: // no epoch at or below the leader's: the leader's end offset is all there is
		return min(leaderEnd, r.log.leo)
	case epoch != leaderEpoch:
		return min(end, r.log.leo)
	default:
		return min(end, leaderEnd, r.log.leo)
	}
}

// truncate cuts a follower's log to a new leader's (KIP-101/KIP-320), and its producer state
// with it.
func (c *Cluster) truncate(_ *sim.Sim, r *Replica, to Offset) {
	r.log.truncate(to)
	c.touch(r.p)
	r.disk.truncate(r.log.leo)
	r.forgetAbove(r.log.leo)
}
