package model

import (
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

// consumerLife runs a consumer's start and stop (ConsumerSpec.Start, Stop) and the close's
// timeout.
type consumerLife struct {
	c           *Consumer
	start, stop time.Duration // ConsumerSpec.Start, Stop
	timer       sim.Timer     // the close's timeout
}

// Consumer lifecycle events.
const (
	consumerStart        sim.Kind = iota // ConsumerSpec.Start
	consumerStop                         // ConsumerSpec.Stop
	consumerCloseTimeout                 // the close's wait for its sessions to close is over
)

// closeTimeout is KafkaConsumer.close()'s timeout (ConsumerUtils.DEFAULT_CLOSE_TIMEOUT_MS).
const closeTimeout = 30 * time.Second

// Handle starts or stops the consumer, or ends a close that waited too long.
func (l *consumerLife) Handle(s *sim.Sim, ev *sim.Event) {
	switch ev.Kind {
	case consumerStart:
		l.c.begin(s)
	case consumerStop:
		l.c.close(s)
	case consumerCloseTimeout:
		l.c.finishClose(s)
	}
}

// scheduleStop arranges the consumer's close at its stop time, if it has one.
func (c *Consumer) scheduleStop(s *sim.Sim) {
	if c.life.stop > 0 {
		s.Schedule(sim.Event{At: sim.Time(c.life.stop), H: &c.life, Kind: consumerStop})
	}
}

// scheduleStart arranges the consumer's start; one that starts with the cluster begins now, in
// Cluster.start, as consumers always did.
func (c *Consumer) scheduleStart(s *sim.Sim) {
	if c.life.start > 0 {
		s.Schedule(sim.Event{At: sim.Time(c.life.start), H: &c.life, Kind: consumerStart})
		return
	}
	c.begin(s)
}

// begin starts the consumer: it takes its positions from its group (resume), registers them as
// its partitions' readers and fetches. A consumer whose host is down starts when it is back.
func (c *Consumer) begin(s *sim.Sim) {
	if c.state != consumerNew {
		return
	}
	if c.down {
		c.startWhenUp = true
		return
	}
	c.state = consumerRunning
	now := s.Now()
	if c.expected {
		c.group.started()
	}
	c.lag.begin(now)
	if !c.resume() {
		c.state, c.metrics.NoOffset = consumerFailed, true
		return
	}
	for i, p := range c.parts {
		// Its position, and the least offset an outstanding Fetch lists: a Fetch it sent before
		// its position moved on (one to a node it then left) may still reach a broker that reads
		// from there.
		c.sentPos[i] = c.pos[i]
		p.readers = append(p.readers, &c.pos[i], &c.out[i].from)
	}
	c.holds = true
	c.nextCommit = now.Add(c.cfg.AutoCommitInterval) // reset at assignment (ConsumerCoordinator.onJoinComplete)
	c.meta.start(s)
	c.poll(s)
}

// close is KafkaConsumer.close() (ClassicKafkaConsumer.java:1116): ConsumerCoordinator.close
// (ConsumerCoordinator.java:976) commits the positions with enable.auto.commit
// (maybeAutoCommitOffsetsSync), then Fetcher.close closes the fetch session on every broker the
// consumer has one with and can reach (Fetcher.maybeCloseFetchSessions, Fetcher.java:122;
// AbstractFetch.prepareCloseFetchSessionRequests, AbstractFetch.java:376: a Fetch of session
// epoch FINAL_EPOCH, after which the broker keeps nothing of the session) and waits for the
// answers, at most request.timeout.ms and the close's 30 s (ClassicKafkaConsumer.java:1133),
// before the connections close. Responses to Fetches
// still outstanding are not consumed. A consumer whose host is down can reach no one: it closes
// without a commit, and the brokers keep its sessions (as Kafka does, until evicted).
func (c *Consumer) close(s *sim.Sim) {
	switch c.state {
	case consumerNew:
		c.state = consumerClosed
		if c.expected {
			c.group.started() // it never will
		}
		return
	case consumerFailed:
		c.state = consumerClosed
		return
	case consumerClosing, consumerClosed:
		return
	}
	c.state = consumerClosing
	now := s.Now()
	if !c.down && c.cfg.EnableAutoCommit {
		c.group.commit(c.pos)
	}
	c.meta.setDown(s, true) // no more metadata requests
	for _, n := range c.nodes {
		n.timeout.Stop()
		n.wake.Stop()
		n.inflight = false
		n.req = n.req.giveUp() // an outstanding Fetch's answer is not consumed
		if !c.down && n.session && now >= n.reconnectAt {
			n.closeSession(s, now)
			c.closing++
		}
	}
	if c.closing == 0 {
		c.finishClose(s)
		return
	}
	s.ArmAfter(&c.life.timer, min(c.cfg.RequestTimeout, closeTimeout), sim.Event{H: &c.life, Kind: consumerCloseTimeout})
}

// closeSession sends the node's broker a Fetch that closes the consumer's session there.
func (n *consumerNode) closeSession(s *sim.Sim, now sim.Time) {
	c := n.c
	n.final = &fetchRequest{client: c.node, final: true, full: true, sentAt: now, gen: n.req.gen}
	n.conn.Send(s, n.final, fetchOverhead)
}

// onSessionClosed counts the answer to a closing Fetch, or its loss; the close ends when every
// session is closed.
func (n *consumerNode) onSessionClosed(s *sim.Sim) {
	if n.final == nil {
		return
	}
	n.final = nil
	c := n.c
	if c.closing--; c.closing == 0 {
		c.finishClose(s)
	}
}

// finishClose ends the close: the connections close (NetworkClient.close), and whatever they
// still carry is dropped.
func (c *Consumer) finishClose(_ *sim.Sim) {
	if c.state == consumerClosed {
		return
	}
	c.state = consumerClosed
	c.life.timer.Stop()
	for _, n := range c.nodes {
		n.final = nil
		n.conn.Close()
		n.release()
	}
	c.closing = 0
	// Its positions held the logs until now: a Fetch it gave up at the close may still have
	// been on its way, unread, until the connections closed (what a broker read, it holds).
	if c.holds {
		c.holds = false
		for i, p := range c.parts {
			p.removeReader(&c.pos[i])
			p.removeReader(&c.out[i].from)
		}
	}
}
