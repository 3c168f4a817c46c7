// Package workloads builds the open-loop record arrival processes that drive stretchsim's
// producers (design §3, Clients).
//
// # The open-loop model
//
// A record's intended send time (model.Record.At) is decided by the workload alone: when the
// client application hands the record to the producer. It never depends on the system under test
// — a slow broker, a full buffer.memory or a stalled connection does not delay the next arrival.
// Latency measured from the intended send time therefore includes the time a record spends
// waiting in front of a saturated producer, so it has no coordinated omission: a closed-loop
// generator that only sends after the previous send returned would stop issuing requests exactly
// when the system is slow and under-report the tail.
//
// # Processes
//
// A Spec is plain data; New turns it and one named random stream into a model.Arrivals:
//
//   - Constant: one record every 1/rate seconds, exactly, from Spec.Start on.
//   - Poisson: exponential gaps with mean 1/rate (memoryless arrivals, coefficient of
//     variation 1).
//   - OnOff: alternating On and Off windows starting with On at Spec.Start; Poisson during On at
//     rate·(On+Off)/On, so the long-run mean is the rate; nothing during Off.
//
// # Rates that change over time
//
// Spec.Profile replaces the single rate by phases (a rate held, or a linear ramp from the
// previous phase's rate, each up to an end time) or a Daily cosine between a trough and a peak.
// The arrivals stay exact by the time-change theorem: with Λ(t) = ∫₀ᵗ λ the expected number of
// records by t, the points u of a unit-rate process mapped to Λ⁻¹(u) are the points of the
// process of intensity λ. Poisson draws unit exponential gaps in u (a non-homogeneous Poisson
// process, one draw per record as for a single rate); Constant puts record k at Λ⁻¹(k). Λ⁻¹ is
// closed-form on held rates and ramps (a quadratic) and a bisection-safeguarded Newton
// iteration on the cosine. OnOff needs a single rate. When the last phase ends, every further
// record is at sim.Never. A Spec without a Profile builds the same clocks, and draws the same
// numbers, as before profiles existed.
//
// Keys are absent (the sticky partitioner chooses the partition), uniform over KeyCount ids, or
// Zipf-skewed over KeyCount ids with key 0 the hottest. A key is returned as its id; the model
// serializes and hashes it.
//
// # Determinism and cost
//
// Every draw comes from the *sim.Stream given to New, in a fixed order per record (first the
// time, then the key), so the same seed yields the same records on any machine. Next does not
// allocate: a producer calls it tens of thousands of times per simulated second.
package workloads
