package model

import "github.com/stretchsim/stretchsim/sim"

// crash takes the broker down. A hard crash resets its connections (peers see the reset at
// once); a silent one leaves peers to their timeouts; a clean one first runs the controlled
// shutdown (reference §4.4) and stops when the controller allows it; a power loss is silent and
// loses what the logs do not yet have on disk (broker_power.go).
func (b *Broker) crash(s *sim.Sim, mode CrashMode) {
	if mode == CrashPower {
		b.cutPower(s) // even if the process is already down: the page cache goes with the power
		mode = CrashSilent
	}
	if b.down {
		return
	}
	switch mode {
	case CrashClean:
		b.lifecycle.stopping = true
		b.lifecycle.timer.Stop()
		b.lifecycle.send(s)
	case CrashSilent:
		b.cluster.net.SetNodeDown(b.node, true)
		b.stop(s, false)
	default:
		b.cluster.net.ResetNode(s, b.node)
		b.stop(s, false)
	}
}

// finishControlledShutdown stops the broker once the controller says it leads nothing. When the
// fault that shut it down has already ended (a clean restart shorter than the controlled
// shutdown), the process starts again as soon as it has exited: a restart stops, then starts.
func (b *Broker) finishControlledShutdown(s *sim.Sim) {
	b.cluster.net.ResetNode(s, b.node)
	b.stop(s, true)
	if !b.cluster.held(b) {
		b.restart(s)
	}
}

// stop ends the broker process: all in-memory state goes (leadership, purgatories, fetchers,
// sessions); the logs and the metadata log stay on disk.
func (b *Broker) stop(s *sim.Sim, clean bool) {
	b.down = true
	b.lifecycle.stop(clean)
	b.alter.inflight, b.alter.queued = nil, nil
	b.alter.channel.close()
	b.isrTimer.Stop()
	b.purgatory.timer.Stop() // timers are stopped, never replaced: their generations must go on
	b.purgatory.ops, b.purgatory.head = nil, 0
	b.io.queue.Reset()
	b.io.life++
	for _, r := range b.replicas { // the Fetches read and not yet run are gone (Broker.holdReads)
		if r.readers != nil {
			r.readers.queued = noHold
		}
	}
	b.io.track(s.Now())
	b.observer.Crash(s)
	for _, f := range b.fetchers {
		if f != nil {
			f.stop()
		}
	}
	b.fetchers = nil
	b.dropLeaderSessions(s.Now())
	for _, cs := range b.consumerSessions {
		cs.close() // FetchSessionCache is in memory: a consumer's next Fetch finds no session
	}
	b.consumerSessions = nil
	for _, r := range b.replicas {
		r.disk.stop(s.Now(), clean, r.log.leo, &r.p.flush)
		r.leader, r.readers = false, nil
		b.cluster.touch(r.p)
		if r.leaderState != nil {
			r.pending, r.produces = alterNone, produceWaiters{}
		}
	}
	b.cluster.onBrokerLiveness(s, b)
}

// stop ends a fetcher with its broker's process: its partitions leave the session on both ends,
// its timers stop and its connection closes.
func (f *fetcher) stop() {
	for _, e := range f.parts {
		e.removed = true
		e.r.session = nil
	}
	f.parts, f.changed, f.forget = nil, nil, nil
	f.backoff.Stop()
	f.timeout.Stop()
	f.inflight = false
	f.conn.Close()
}

// restart starts the broker process again: it registers with the controller (as a clean or
// unclean restart), replays the metadata log, and its replicas take their roles once it has
// caught up with its own registration.
func (b *Broker) restart(s *sim.Sim) {
	if !b.down {
		return
	}
	b.cluster.net.SetNodeDown(b.node, false)
	b.cluster.net.ResetNode(s, b.node) // a restarted host answers old connections with a reset
	b.down = false
	b.ready = false
	b.recoverLogs(s)
	for _, r := range b.replicas {
		r.disk.start(s.Now(), r.log.leo, &r.p.flush)
	}
	b.io.free = max(b.cfg.NumIOThreads, 1)
	b.snapshots.reset(s.Now())
	b.observer.Restart(s)
	b.lifecycle.send(s)
	b.cluster.onBrokerLiveness(s, b)
}

// becomeReady runs once the restarted broker's metadata reaches its registration: replicas are
// reconciled with the image and the ISR-expiration task starts (ReplicaManager startup).
func (b *Broker) becomeReady(s *sim.Sim) {
	if b.ready || b.down {
		return
	}
	b.ready = true
	for _, r := range b.replicas {
		st := b.image.parts.get(r.p.idx)
		r.leaderEpoch = -1 // force the metadata's roles
		b.cluster.touch(r.p)
		b.reconcile(s, r, st)
	}
	s.Arm(&b.isrTimer, sim.Event{At: s.Now(), H: b, Kind: brokerISRExpiry})
}
