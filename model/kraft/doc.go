// Package kraft is the KRaft quorum (reference §4.1–§4.3): the Raft protocol Kafka 4.0 runs for
// its metadata log (raft/.../KafkaRaftClient.java), as small state machines driven by sim events
// and network messages over package net's connections. The controller logic above it
// (QuorumController) is not here, nor the brokers' metadata image: package model's controller
// appends records through Voter.Append and learns what is committed through its Listener; a
// broker learns it from its Observer through an ObserverListener. The records (Record) and
// snapshot images (SnapshotImage) are the model's, opaque here but for their size and a content
// hash.
//
// Voters move between the states of Kafka 4.0's QuorumState: Unattached, Prospective (Pre-Vote,
// KIP-996), Candidate, Leader, Follower and Resigned. Elections: a voter whose election timeout
// (Unattached) or fetch timeout (Follower, controller.quorum.fetch.timeout.ms) expires becomes
// Prospective and asks for PreVotes without bumping the epoch; a majority makes it Candidate
// (epoch+1, votes for itself, asks for Votes); a majority of Votes makes it Leader. The leader
// writes a LeaderChange control entry, sends BeginQuorumEpoch, and becomes active once that entry
// is committed. Replication is pull-based: voters and observers (brokers) Fetch from the leader,
// which parks a fetch with nothing new for up to MAX_FETCH_WAIT_MS and answers it when its log
// end offset grows; the high watermark is the majority end offset (LeaderState
// .maybeUpdateHighWatermark). A leader without fetches from a majority for 1.5 × the fetch
// timeout resigns (check quorum).
//
// Files: quorum.go (the quorum and its listeners), config.go (QuorumConfig, MetadataLogConfig),
// messages.go (RPCs and constants), log.go (the log and its epoch cache), client.go (connections
// and request slots), voter.go, state.go (transitions), election.go (Vote, PreVote), leader.go
// (append, HW, check quorum), epoch.go (BeginQuorumEpoch, EndQuorumEpoch, Resigned), fetch.go,
// observer.go, invariants.go; the log's storage in log*.go.
//
// Snapshots and log cleaning (log_snapshots.go, snapshot_fetch.go, cleaner.go): every node's
// listener writes snapshots of its metadata image (the model's snapshot_generator.go); every 60 s
// each replica applies the retention rules, which may move its log start offset up to a
// snapshot; a fetch below the leader's log start offset is answered with the leader's latest
// snapshot id and the fetcher downloads it with FetchSnapshot, then fetches from its end.
//
// Modelling shortcuts: disk flushes are instant (a voter's append is durable at once, so
// "flush before fetch" costs nothing); so are snapshot writes; the voter set is static
// (controller.quorum.voters); graceful shutdown is not modelled; requests are handled the
// moment they arrive (no request queue or thread time). A timed-out request closes its
// connection, as Kafka's NetworkClient does, and is retried after
// controller.quorum.retry.backoff.ms. An observer that is redirected waits the retry backoff
// before fetching from the named leader even when that is another node (Kafka may go at once).
// As in Kafka, a Fetch request with a higher epoch moves no voter (Vote, BeginQuorumEpoch,
// EndQuorumEpoch and every response do), and a Candidate backs off before its next PreVote round
// as 4.0 does (4.1, KAFKA-18345, waits out the election timeout instead).
//
// It imports model/net, model/units and sim only; each voter draws from the run's stream
// "kraft/voter-<id>", each observer from "kraft/observer-<node>".
package kraft
