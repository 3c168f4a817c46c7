package experiments

import (
	"slices"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/stretchsim/stretchsim/experiments/scenario"
	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/sim"
)

// Summary is a run's results (the JSON of `stretchsim run --format json`). Everything but
// WallSeconds comes from virtual time and is identical for the same scenario and seed. Counts,
// rates and latencies cover the measured window: from the warm-up to the end of the run.
type Summary struct {
	Scenario string `json:"scenario"`
	Seed     uint64 `json:"seed"`
	// Partial is set when the run was stopped (interrupted) before the end of its duration:
	// SimulatedSeconds is then the virtual time reached, short of DurationSeconds, and every
	// figure covers the measured window up to it.
	Partial          bool    `json:"partial"`
	SimulatedSeconds float64 `json:"simulated_seconds"`
	DurationSeconds  float64 `json:"duration_seconds"`
	MeasuredSeconds  float64 `json:"measured_seconds"`
	Events           uint64  `json:"events"`
	TraceDigest      string  `json:"trace_digest"`
	WallSeconds      float64 `json:"wall_seconds"`

	Produce ProduceSummary `json:"produce"`
	// Saturation compares what the producers offered over the measured window with what was
	// acknowledged: a saturated run's figures describe a backlog that grows, not a steady state.
	// With faults, what they stopped or failed counts too. Null when nothing was measured.
	Saturation   *Saturation         `json:"saturation"`
	Consume      ConsumeSummary      `json:"consume"`
	ISR          ISRSummary          `json:"isr"`
	Network      NetworkSummary      `json:"network"`
	Availability AvailabilitySummary `json:"availability"`
	Durability   DurabilitySummary   `json:"durability"`
	Controller   ControllerSummary   `json:"controller"`
	Brokers      []BrokerSummary     `json:"brokers"`
	// Faults lists the scenario's faults as scenario lines, those drawn by random_faults
	// included, so that the run replays from text.
	Faults     []string          `json:"faults"`
	Invariants InvariantsSummary `json:"invariants"`
	// Limits ranks the mechanisms that made bytes or requests wait in the measured window, most
	// binding first (issue 11; filled by the model's wait accounting).
	Limits []LimitSummary `json:"limits"`
}

// LimitSummary is one mechanism that made bytes or requests wait in the measured window, and
// where it did.
type LimitSummary struct {
	// Mechanism names what made them wait: "tcp-window", "max-in-flight", "unread-requests",
	// "buffer-memory", "compression", "link-bandwidth", "nic-bandwidth", "request-threads",
	// "disk", "fetch-max-bytes".
	Mechanism string `json:"mechanism"`
	// Setting is the Kafka or scenario setting that sets the limit, e.g.
	// "replica.socket.receive.buffer.bytes" (the follower's side) or "network.links[dc-a, dc-b].bandwidth".
	Setting string `json:"setting"`
	// Where is the site pair, broker or client where it binds: "dc-a->dc-b", "broker 4",
	// "producer checkout"; a client's connections name it, "dc-a->dc-b (consumer audit)".
	Where string `json:"where"`
	// Share is the fraction of the measured window during which it was the reason something
	// waited there.
	Share float64 `json:"share"`
}

// minLimitShare is the smallest share a limit needs to be reported: below it, the waits are noise
// of an unsaturated run (a chunk behind another on a NIC for a few µs).
const minLimitShare = 0.001

// summarizeLimits ranks the model's wait accounting, most binding first (Cluster.Limits),
// dropping the limits that bound less than minLimitShare of the measured window.
func summarizeLimits(c *model.Cluster, now sim.Time) []LimitSummary {
	out := []LimitSummary{}
	for _, l := range c.Limits(now) {
		if l.Share >= minLimitShare {
			out = append(out, LimitSummary{Mechanism: l.Mechanism, Setting: l.Setting, Where: l.Where, Share: l.Share})
		}
	}
	return out
}

// AvailabilitySummary is how much of the time partitions could take acks=all writes.
// WritableFraction is nil when no partition-time was measured, MaxUnavailableSeconds when no
// producer could wait for an acknowledgement (none, or no measured time).
type AvailabilitySummary struct {
	WritableFraction        *float64 `json:"writable_fraction"`
	OfflinePartitionSeconds float64  `json:"offline_partition_seconds"`
	MaxUnavailableSeconds   *float64 `json:"max_unavailable_seconds"`
	// RecoverySeconds is the time from the end of the last fault until every partition was
	// writable again (0 if none was unwritable then), or, when some partition is still not
	// writable at the end of the run, until the end of the run, with Recovered false. Both are
	// nil when the scenario has no fault, a fault without an end (no duration), or one that
	// ends after the run.
	RecoverySeconds *float64 `json:"recovery_seconds"`
	Recovered       *bool    `json:"recovered"`
}

// DurabilitySummary counts acknowledged records lost and the exposure to losing them.
type DurabilitySummary struct {
	AckedRecordsLost int64 `json:"acked_records_lost"`
	// AckedRecordsLostPowerLoss is the part of AckedRecordsLost that the new leader had and lost
	// in a power loss (hardware.dirty_expire): a finding, never an invariant violation.
	AckedRecordsLostPowerLoss int64   `json:"acked_records_lost_power_loss"`
	IsrOnePartitionSeconds    float64 `json:"isr_one_partition_seconds"`
}

// ControllerSummary covers the KRaft control plane.
type ControllerSummary struct {
	Elections              int64   `json:"elections"`
	UnavailableSeconds     float64 `json:"unavailable_seconds"`
	BrokerFencings         int64   `json:"broker_fencings"`
	LeaderElections        int64   `json:"partition_leader_elections"`
	UncleanLeaderElections int64   `json:"unclean_leader_elections"`
}

// Percentiles are latency percentiles in milliseconds. A summary holds nil Percentiles when
// there was no sample: a latency of 0 would be a measurement.
type Percentiles struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p999"`
	Max  float64 `json:"max"`
}

// ProduceSummary covers every producer: records acknowledged, latency from each record's intended
// send time to its acknowledgement, and errors by Kafka name (each error response or client-side
// failure, retried or not). Records lost because the producer's own host failed are no Kafka
// error: they are ClientCrashedRecords, counted among FailedRecords.
type ProduceSummary struct {
	AckedRecords          int64    `json:"acked_records"`
	AckedBytes            int64    `json:"acked_bytes"`
	ThroughputBytesPerSec *float64 `json:"throughput_bytes_per_sec"`
	// AckedWireBytes and WireBytesPerSec count the acknowledged record batches as they went on
	// the wire: compressed (compression.type), RecordBatch headers included.
	AckedWireBytes  int64    `json:"acked_wire_bytes"`
	WireBytesPerSec *float64 `json:"wire_bytes_per_sec"`
	// CompressionCores is the producers' CPU time compressing batches per second: how many
	// cores compression keeps busy in the measured window (their busy time in it, whenever the
	// work was queued).
	CompressionCores     float64          `json:"compression_cores"`
	LatencyMs            *Percentiles     `json:"latency_ms"`
	FailedRecords        int64            `json:"failed_records"`
	ClientCrashedRecords int64            `json:"client_crashed_records"`
	Errors               map[string]int64 `json:"errors"`
	// BrokerTotalTimeMs is the brokers' produce request TotalTimeMs.
	BrokerTotalTimeMs *Percentiles `json:"broker_total_time_ms"`
}

// ConsumeSummary covers every consumer: records read and end-to-end latency (intended send time
// to arrival at the consumer), then each consumer on its own.
type ConsumeSummary struct {
	Consumers             int      `json:"consumers"` // consumer instances in the scenario
	Records               int64    `json:"records"`
	ThroughputBytesPerSec *float64 `json:"throughput_bytes_per_sec"`
	// WireBytesPerSec counts the batches read as the Fetch responses carried them (compressed
	// when stored compressed); ThroughputBytesPerSec counts them uncompressed.
	WireBytesPerSec *float64 `json:"wire_bytes_per_sec"`
	// DecompressionCores is the consumers' CPU time decompressing per second of the measured
	// window (their busy time in it).
	DecompressionCores float64      `json:"decompression_cores"`
	EndToEndLatencyMs  *Percentiles `json:"end_to_end_latency_ms"`
	// DuplicateRecords counts the records among Records delivered before to a consumer of the
	// same group (re-read from a commit older than the position its predecessor reached).
	DuplicateRecords int64             `json:"duplicate_records"`
	ByConsumer       []ConsumerSummary `json:"by_consumer"`
}

// ConsumerSummary is one consumer's figures. Records, DuplicateRecords, RecordsLagMax and the
// latency cover the measured window; SkippedRecords and the catch-up are events of the
// consumer's start, wherever it falls.
type ConsumerSummary struct {
	Name         string   `json:"name"`
	Group        string   `json:"group"`
	Site         string   `json:"site"`
	StartSeconds float64  `json:"start_seconds"`
	StopSeconds  *float64 `json:"stop_seconds"` // nil: it runs to the end
	Records      int64    `json:"records"`
	// DuplicateRecords counts the records delivered before to a consumer of its group.
	DuplicateRecords int64 `json:"duplicate_records"`
	// SkippedRecords counts the records auto.offset.reset=latest jumped over at its start
	// (its group had no committed offset): never delivered, nor counted in the latency.
	SkippedRecords int64 `json:"skipped_records"`
	// RecordsLagMax is Kafka's records-lag-max over the measured window: the largest lag of a
	// partition, the high watermark a Fetch response carried less the consumer's position once
	// it consumed the response; nil when it consumed no response then.
	RecordsLagMax *int64 `json:"records_lag_max"`
	// CatchUpSinceSeconds is when the consumer last began to catch up: its start, or when its
	// host came back after a site outage; nil when it never started. CatchUpSeconds is the time
	// from then to the first Fetch response after which every partition of its topic had
	// reported a lag of 0 since; nil, with CaughtUp false, when that never happened by the end
	// of the run.
	CatchUpSinceSeconds *float64     `json:"catch_up_since_seconds"`
	CatchUpSeconds      *float64     `json:"catch_up_seconds"`
	CaughtUp            bool         `json:"caught_up"`
	EndToEndLatencyMs   *Percentiles `json:"end_to_end_latency_ms"`
	// NoOffset is set when it started with auto.offset.reset=none and a partition without a
	// committed offset: KafkaConsumer.poll throws NoOffsetForPartitionException and it read
	// nothing.
	NoOffset bool `json:"no_offset"`
}

// ISRSummary counts ISR changes committed for the leaders' own AlterPartition requests
// (IsrShrinksPerSec, IsrExpandsPerSec), the ISR removals the controller makes itself when it
// fences a broker, shuts it down or sees it register again (no shrink for Kafka's meter), and
// the partition-seconds spent in each ISR state.
type ISRSummary struct {
	Shrinks                         int64   `json:"shrinks"`
	ControllerRemovals              int64   `json:"controller_removals"`
	Expands                         int64   `json:"expands"`
	UnderReplicatedPartitionSeconds float64 `json:"under_replicated_partition_seconds"`
	UnderMinIsrPartitionSeconds     float64 `json:"under_min_isr_partition_seconds"`
	AtMinIsrPartitionSeconds        float64 `json:"at_min_isr_partition_seconds"`
	IsrOnePartitionSeconds          float64 `json:"isr_one_partition_seconds"`
}

// NetworkSummary is the traffic between sites, what a cloud bill charges for.
type NetworkSummary struct {
	CrossSiteBytes CrossSiteBytes `json:"cross_site_bytes"`
}

// CrossSiteBytes is the total and, per ordered site pair ("dc-a->dc-b"), the bytes sent.
type CrossSiteBytes struct {
	Total int64            `json:"total"`
	Pairs map[string]int64 `json:"pairs"`
}

// BrokerSummary is one broker's counters over the measured window.
type BrokerSummary struct {
	ID                    int32    `json:"id"`
	Site                  string   `json:"site"`
	Leaders               int      `json:"leaders"`
	IsrShrinks            int64    `json:"isr_shrinks"`
	IsrExpands            int64    `json:"isr_expands"`
	ProduceRequests       int64    `json:"produce_requests"`
	FailedProduceRequests int64    `json:"failed_produce_requests"`
	BytesInPerSec         *float64 `json:"bytes_in_per_sec"`
	ReplicationBytesIn    *float64 `json:"replication_bytes_in_per_sec"`
}

// InvariantsSummary lists invariant violations found by the checker (design §3), with seed and
// virtual time.
type InvariantsSummary struct {
	Checked    bool     `json:"checked"`
	Violations []string `json:"violations"`
}

// counters are the cumulative counters read at the warm-up, subtracted at the end.
type counters struct {
	brokers   []model.BrokerMetrics
	crossSite []int64
}

func snapshot(c *model.Cluster) counters {
	var k counters
	for _, b := range c.Brokers() {
		k.brokers = append(k.brokers, b.Metrics())
	}
	k.crossSite = slices.Clone(c.Network().Bytes)
	return k
}

func summarize(sc *scenario.Scenario, s *sim.Sim, c *model.Cluster, w counters) Summary {
	// The window measured runs from the warm-up to now: the scenario's duration, or less when the
	// run was stopped early (then possibly nothing).
	measured := max(s.Now()-sim.Time(sc.Warmup), 0).Seconds()
	sum := Summary{Scenario: sc.Name, Seed: sc.Seed, SimulatedSeconds: s.Now().Seconds(),
		DurationSeconds: sc.Duration.Seconds(), MeasuredSeconds: measured, Events: s.Events()}
	sum.Produce = summarizeProduce(c, s.Now(), measured)
	if measured > 0 {
		sum.Saturation = saturationOver(sc, &sum, sc.Warmup, max(time.Duration(s.Now()), sc.Warmup))
	}
	sum.Consume = summarizeConsume(c, s.Now(), measured)
	sum.Consume.ByConsumer = summarizeConsumers(sc, c)
	sum.ISR, sum.Brokers = summarizeBrokers(sc, c, w, measured)
	sum.ISR.ControllerRemovals = c.ControllerISRRemovals()
	st := c.StateSeconds(s.Now())
	sum.ISR.UnderReplicatedPartitionSeconds = st.UnderReplicated
	sum.ISR.UnderMinIsrPartitionSeconds = st.UnderMinISR
	sum.ISR.AtMinIsrPartitionSeconds = st.AtMinISR
	sum.ISR.IsrOnePartitionSeconds = st.ISROne
	sum.Network = summarizeNetwork(sc, c, w)
	sum.Availability = summarizeAvailability(s, c, &sum.Produce)
	sum.Availability.RecoverySeconds, sum.Availability.Recovered = recovery(sc, s, c)
	r := c.Resilience(s.Now())
	sum.Durability = DurabilitySummary{AckedRecordsLost: r.AckedRecordsLost, AckedRecordsLostPowerLoss: r.AckedRecordsLostPower,
		IsrOnePartitionSeconds: r.ISROnePartitionSeconds}
	sum.Controller = ControllerSummary{Elections: r.ControllerElections, UnavailableSeconds: r.ControllerUnavailable,
		BrokerFencings: r.Fencings, LeaderElections: r.LeaderElections, UncleanLeaderElections: r.UncleanLeaderElections}
	sum.Faults = []string{}
	for _, f := range sc.Faults {
		sum.Faults = append(sum.Faults, f.YAML())
	}
	sum.Limits = summarizeLimits(c, s.Now())
	sum.Invariants.Checked = true
	sum.Invariants.Violations = []string{}
	for _, v := range c.CheckInvariants(s.Now()) {
		sum.Invariants.Violations = append(sum.Invariants.Violations, v.String())
	}
	return sum
}

// summarizeAvailability reads the availability figures. Writable partition-time is a property
// of the partitions, defined whenever partition-time was measured, whether or not anything was
// written; the longest wait for an ack needs a record that waited: with none acknowledged,
// failed or still waiting it has no sample.
func summarizeAvailability(s *sim.Sim, c *model.Cluster, p *ProduceSummary) AvailabilitySummary {
	r := c.Resilience(s.Now())
	waited := r.MaxUnavailableSeconds > 0 || p.AckedRecords+p.FailedRecords > 0
	return AvailabilitySummary{
		WritableFraction:        figure(r.WritableFraction, c.PartitionSeconds(s.Now()) > 0),
		OfflinePartitionSeconds: r.OfflinePartitionSeconds,
		MaxUnavailableSeconds:   figure(r.MaxUnavailableSeconds, waited),
	}
}

// recovery measures how long after the end of its last fault the cluster took to have every
// partition writable again (see AvailabilitySummary.RecoverySeconds).
func recovery(sc *scenario.Scenario, s *sim.Sim, c *model.Cluster) (*float64, *bool) {
	end, ok := scenario.FaultsEnd(sc.Faults)
	if !ok || sim.Time(end) > s.Now() {
		return nil, nil
	}
	since, all := c.AllWritableSince()
	until := s.Now()
	if all {
		until = max(since, sim.Time(end))
	}
	secs := until.Sub(sim.Time(end)).Seconds()
	return &secs, &all
}

// percentiles returns the percentiles of h, in µs, as milliseconds; nil when h is empty.
func percentiles(h *hdrhistogram.Histogram) *Percentiles {
	if h.TotalCount() == 0 {
		return nil
	}
	ms := func(q float64) float64 { return float64(h.ValueAtQuantile(q)) / 1000 }
	return &Percentiles{P50: ms(50), P90: ms(90), P99: ms(99), P999: ms(99.9), Max: float64(h.Max()) / 1000}
}

// figure returns &v, or nil when v is not defined (no samples, no time measured): null in JSON,
// "n/a" in the text report.
func figure(v float64, defined bool) *float64 {
	if !defined {
		return nil
	}
	return &v
}

func summarizeProduce(c *model.Cluster, now sim.Time, measured float64) ProduceSummary {
	ps := ProduceSummary{Errors: map[string]int64{}}
	lat := hdrhistogram.New(1, 3_600_000_000, 3)
	for _, p := range c.Producers() {
		m := p.Metrics()
		ps.AckedRecords += m.AckedRecords
		ps.AckedBytes += m.AckedBytes
		ps.AckedWireBytes += m.AckedWireBytes
		ps.CompressionCores += p.CompressCPU(now).Seconds()
		ps.FailedRecords += m.FailedRecords
		ps.ClientCrashedRecords += m.ClientCrashedRecords
		lat.Merge(m.Latency)
		for code, n := range m.Errors {
			if n > 0 {
				ps.Errors[model.ErrorCode(code).String()] += n
			}
		}
	}
	ps.ThroughputBytesPerSec = rate(ps.AckedBytes, measured)
	ps.WireBytesPerSec = rate(ps.AckedWireBytes, measured)
	if measured > 0 {
		ps.CompressionCores /= measured
	}
	ps.LatencyMs = percentiles(lat)
	ps.BrokerTotalTimeMs = percentiles(c.ProduceTotalTime())
	return ps
}

func summarizeConsume(c *model.Cluster, now sim.Time, measured float64) ConsumeSummary {
	cs := ConsumeSummary{Consumers: len(c.Consumers())}
	lat := hdrhistogram.New(1, 3_600_000_000, 3)
	var bytes, wire int64
	for _, k := range c.Consumers() {
		m := k.Metrics()
		cs.Records += m.Records
		cs.DuplicateRecords += m.Duplicates
		bytes += m.Bytes
		wire += m.WireBytes
		cs.DecompressionCores += k.DecompressCPU(now).Seconds()
		lat.Merge(m.EndToEnd)
	}
	cs.ThroughputBytesPerSec = rate(bytes, measured)
	cs.WireBytesPerSec = rate(wire, measured)
	if measured > 0 {
		cs.DecompressionCores /= measured
	}
	cs.EndToEndLatencyMs = percentiles(lat)
	return cs
}

// summarizeConsumers reads each consumer's figures, in scenario order.
func summarizeConsumers(sc *scenario.Scenario, c *model.Cluster) []ConsumerSummary {
	out := []ConsumerSummary{}
	for i, k := range c.Consumers() {
		spec := &sc.Consumers[i]
		m := k.Metrics()
		cs := ConsumerSummary{Name: k.Name, Group: spec.Group(), Site: spec.Site, StartSeconds: spec.Start.Seconds(),
			Records: m.Records, DuplicateRecords: m.Duplicates, SkippedRecords: m.Skipped,
			EndToEndLatencyMs: percentiles(m.EndToEnd), NoOffset: m.NoOffset}
		if spec.Stops(sc.Duration) {
			cs.StopSeconds = figure(spec.Stop.Seconds(), true)
		}
		if lag, ok := k.RecordsLagMax(); ok {
			cs.RecordsLagMax = &lag
		}
		since, at, ok := k.CatchUp()
		if k.Started() {
			cs.CatchUpSinceSeconds = figure(since.Seconds(), true)
		}
		if ok {
			cs.CatchUpSeconds, cs.CaughtUp = figure(at.Sub(since).Seconds(), true), true
		}
		out = append(out, cs)
	}
	return out
}

func summarizeBrokers(sc *scenario.Scenario, c *model.Cluster, w counters, measured float64) (ISRSummary, []BrokerSummary) {
	var isr ISRSummary
	leaders := map[model.BrokerID]int{}
	for _, p := range c.Partitions() {
		leaders[p.LeaderBroker()]++
	}
	var out []BrokerSummary
	for i, b := range c.Brokers() {
		m, m0 := b.Metrics(), w.brokers[i]
		isr.Shrinks += m.IsrShrinks - m0.IsrShrinks
		isr.Expands += m.IsrExpands - m0.IsrExpands
		out = append(out, BrokerSummary{
			ID: int32(b.ID), Site: sc.Sites[b.Site].Name, Leaders: leaders[b.ID],
			IsrShrinks: m.IsrShrinks - m0.IsrShrinks, IsrExpands: m.IsrExpands - m0.IsrExpands,
			ProduceRequests:       m.ProduceRequests - m0.ProduceRequests,
			FailedProduceRequests: m.FailedProduceRequests - m0.FailedProduceRequests,
			BytesInPerSec:         rate(m.BytesIn-m0.BytesIn, measured),
			ReplicationBytesIn:    rate(m.ReplicationBytesIn-m0.ReplicationBytesIn, measured),
		})
	}
	return isr, out
}

// rate is n per second over seconds, undefined (nil) over no time.
func rate(n int64, seconds float64) *float64 {
	return figure(float64(n)/seconds, seconds > 0)
}

func summarizeNetwork(sc *scenario.Scenario, c *model.Cluster, w counters) NetworkSummary {
	n := c.Network()
	sites := n.Sites()
	cb := CrossSiteBytes{Pairs: map[string]int64{}}
	for from := range sites {
		for to := range sites {
			if from == to {
				continue
			}
			b := n.Bytes[from*sites+to] - w.crossSite[from*sites+to]
			cb.Total += b
			cb.Pairs[sc.Sites[from].Name+"->"+sc.Sites[to].Name] = b
		}
	}
	return NetworkSummary{CrossSiteBytes: cb}
}
