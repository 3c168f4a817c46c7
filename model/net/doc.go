// Package net is the network a stretchsim cluster runs on (design §3): nodes at sites, each with
// a full-duplex NIC, the paths between ordered pairs of sites, and TCP connections. Every byte
// goes through the sender's NIC, then, between sites, the link of that site pair (shared FIFO by
// all traffic crossing it), then propagation (a round-trip time distribution, jitter, loss),
// then the receiver's NIC. A connection delivers whole messages in order with at most one
// receive window unacknowledged, so one connection moves at most window/RTT; a receiver that
// mutes a connection leaves what arrives unread in its receive buffer, as a Kafka broker does
// between a request and its response. Faults cut, slow or degrade paths and take nodes down; a
// cut path holds segments, which TCP retransmits with Linux's backoff.
//
// Files: network.go (nodes, paths and their faults), conn.go (connections: Half, which queue
// their messages in sim.FIFOs), network_fault.go (loss recovery, node faults), timeline.go (NICs
// and links serving bytes in arrival order), dist.go (RTT distributions), spec.go (the network a
// scenario describes).
//
// It knows nothing of Kafka: an endpoint is whatever implements Endpoint (the model's brokers,
// controllers and clients), a message is an opaque value with a wire size, and the time bytes and
// requests wait is reported to a WaitRecorder (the model's wait accounting). Each path draws from
// the run's streams "net/<from>-><to>" (and its "/jitter" and "/loss"). It imports model/units
// and sim only.
package net
