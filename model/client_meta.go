package model

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// metadataRequest asks a broker for the leaders of a topic's partitions (MetadataRequest).
type metadataRequest struct {
	correlation int32
	parts       []*Partition // the topic's partitions
}

// metadataResponse answers from the broker's metadata image, a leader and epoch per partition of
// the request, whose correlation id it carries.
type metadataResponse struct {
	correlation int32
	leaders     []BrokerID
	epochs      []int32
}

const metadataRPCSize = 200

// clientMeta is a client's metadata cache (Metadata + the NetworkClient's metadata updater):
// leaders per partition, refreshed on demand (errors, disconnects, unknown leaders), every
// metadata.max.age.ms, and from KIP-951 leader hints. One request is in flight at a time, to a
// broker drawn at random (leastLoadedNode has no better information here); a request unanswered
// after request.timeout.ms is abandoned and sent elsewhere.
type clientMeta struct {
	c            *Cluster
	node         NodeID
	correlation  int32 // the latest metadata request's correlation id
	parts        []*Partition
	leaders      []BrokerID
	epochs       []int32
	unknown      int // partitions whose leader is -1
	maxAge       time.Duration
	timeout      time.Duration
	backoff      time.Duration
	rnd          *sim.Stream
	conns        []*Half
	inflight     *metadataRequest
	inflightConn *Half
	wanted       bool     // an update was asked for while one was in flight or backing off
	lastRefresh  sim.Time // the last response or timeout (Metadata.lastRefreshMs)
	sent         int      // metadata requests sent
	timer        sim.Timer
	updated      func(s *sim.Sim)
	down         bool
	// load returns how attractive broker index bi is for a metadata request, lower is better,
	// or -1 if it cannot be used now (NetworkClient.leastLoadedNode: connected nodes with the
	// fewest requests in flight first, nodes in reconnect backoff never).
	load func(bi int, now sim.Time) int
}

// clientMeta events.
const (
	metaTimeout sim.Kind = iota
	metaRefresh
)

// newClientMeta makes the metadata cache of the client at node. conns are the client's connections
// to the brokers, by broker index: as in Kafka's NetworkClient, metadata requests share a broker's
// one connection with the client's produce or fetch requests, so they are read in turn with them
// (reference §2.8a).
func newClientMeta(c *Cluster, node NodeID, parts []*Partition, rnd *sim.Stream, maxAge, timeout, backoff time.Duration, conns []*Half) *clientMeta {
	m := &clientMeta{c: c, node: node, parts: parts, rnd: rnd, maxAge: maxAge, timeout: timeout, backoff: backoff,
		lastRefresh: longAgo, conns: conns}
	m.leaders, m.epochs = make([]BrokerID, len(parts)), make([]int32, len(parts))
	for i, p := range parts {
		m.leaders[i], m.epochs[i] = p.LeaderBroker(), p.meta.LeaderEpoch
		if m.leaders[i] < 0 {
			m.unknown++
		}
	}
	return m
}

// start arms the periodic refresh (metadata.max.age.ms).
func (m *clientMeta) start(s *sim.Sim) {
	s.ArmAfter(&m.timer, m.maxAge, sim.Event{H: m, Kind: metaRefresh})
}

// request asks for an update (metadata.requestUpdate). It goes out at once unless one is in
// flight or the last refresh was less than retry.backoff.ms ago (Metadata.timeToAllowUpdate).
func (m *clientMeta) request(s *sim.Sim) {
	if m.down {
		return
	}
	if m.inflight != nil {
		m.wanted = true
		return
	}
	if allowed := m.lastRefresh.Add(m.backoff); s.Now() < allowed {
		if !m.wanted || m.timer.At() > allowed {
			m.wanted = true
			s.Arm(&m.timer, sim.Event{At: allowed, H: m, Kind: metaRefresh})
		}
		return
	}
	m.wanted = false
	m.sent++
	bi := m.leastLoaded(s.Now())
	m.correlation++
	m.inflight, m.inflightConn = &metadataRequest{correlation: m.correlation, parts: m.parts}, m.conns[bi]
	m.conns[bi].Send(s, m.inflight, metadataRPCSize)
	s.ArmAfter(&m.timer, m.timeout, sim.Event{H: m, Kind: metaTimeout})
}

// Handle retries a timed-out request or refreshes periodically.
func (m *clientMeta) Handle(s *sim.Sim, ev *sim.Event) {
	if m.down {
		return
	}
	if ev.Kind == metaTimeout {
		m.inflight, m.lastRefresh = nil, s.Now() // Metadata.failedUpdate
	}
	m.request(s)
}

// onResponse updates leaders whose epoch is not older than what the client knows.
func (m *clientMeta) onResponse(s *sim.Sim, resp *metadataResponse) {
	if m.inflight == nil || resp.correlation != m.inflight.correlation || m.down {
		return
	}
	m.inflight, m.lastRefresh = nil, s.Now()
	for i := range m.leaders {
		m.hint(i, resp.leaders[i], resp.epochs[i])
	}
	if m.wanted {
		m.wanted = false
		m.request(s) // waits retry.backoff.ms
	} else {
		s.ArmAfter(&m.timer, m.maxAge, sim.Event{H: m, Kind: metaRefresh})
	}
	if m.updated != nil {
		m.updated(s)
	}
}

// connReset forgets a metadata request in flight on c, a connection the client has just reset
// itself: the request went with it (NetworkClient.handleDisconnections →
// metadataUpdater.handleServerDisconnect), so the next update may go out at once.
func (m *clientMeta) connReset(c *Half) {
	if m.inflight != nil && m.inflightConn == c {
		m.inflight = nil
		m.timer.Stop()
	}
}

// hint applies a leader for partition i if its epoch is at least the known one (KIP-951
// Metadata.updatePartitionLeadership). A leader of -1 only clears a leader of an older epoch.
func (m *clientMeta) hint(i int, leader BrokerID, epoch int32) bool {
	if epoch < m.epochs[i] || (epoch == m.epochs[i] && leader == m.leaders[i]) {
		return false
	}
	if (m.leaders[i] < 0) != (leader < 0) {
		if leader < 0 {
			m.unknown++
		} else {
			m.unknown--
		}
	}
	m.leaders[i], m.epochs[i] = leader, epoch
	return true
}

// setDown stops (or resumes) the cache with its client.
func (m *clientMeta) setDown(s *sim.Sim, down bool) {
	m.down = down
	m.inflight, m.wanted = nil, false
	m.timer.Stop()
	if !down {
		m.request(s)
	}
}

// onMetadataRequest answers a client from the broker's image.
// epoch is the connection's, from Mute.
func (b *Broker) onMetadataRequest(s *sim.Sim, c *Half, epoch int64, req *metadataRequest) {
	resp := &metadataResponse{correlation: req.correlation, leaders: make([]BrokerID, len(req.parts)), epochs: make([]int32, len(req.parts))}
	for i, p := range req.parts {
		st := b.image.parts.get(p.idx)
		resp.leaders[i], resp.epochs[i] = -1, st.leaderEpoch
		if st.leader >= 0 {
			resp.leaders[i] = p.Replicas[st.leader]
		}
	}
	c.Reply(s, epoch, resp, metadataRPCSize+8*Bytes(len(resp.leaders)))
}

// leastLoaded picks the broker for the next metadata request: the lowest load, starting the scan
// at a random broker so that ties spread (leastLoadedNode's random offset).
func (m *clientMeta) leastLoaded(now sim.Time) int {
	n := len(m.conns)
	start := m.rnd.IntN(n)
	if m.load == nil {
		return start
	}
	best, bestLoad := start, -1
	for k := range n {
		bi := (start + k) % n
		l := m.load(bi, now)
		if l >= 0 && (bestLoad < 0 || l < bestLoad) {
			best, bestLoad = bi, l
		}
	}
	return best
}
