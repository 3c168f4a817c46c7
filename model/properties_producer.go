package model

import (
	"errors"
	"fmt"
	"time"
)

// maxInFlightForIdempotence is ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE.
const maxInFlightForIdempotence = 5

var producerProps = newRegistry("producer", []property[ProducerConfig]{
	acksProp(),
	boolProp("enable.idempotence", "sequence numbers per partition: retries never duplicate or reorder; needs acks=all",
		func(c *ProducerConfig) *bool { return &c.EnableIdempotence }),
	msProp("linger.ms", "a batch waits up to this long to fill before it is sent",
		atLeastLong(0), func(c *ProducerConfig) *time.Duration { return &c.Linger }),
	bytesProp("batch.size", "a batch is sent once it holds this many bytes",
		atLeast(0), func(c *ProducerConfig) *Bytes { return &c.BatchSize }),
	bytesProp("buffer.memory", "bytes of unsent records the producer holds before send blocks",
		atLeastLong(0), func(c *ProducerConfig) *Bytes { return &c.BufferMemory }),
	intProp("max.in.flight.requests.per.connection", "unacknowledged Produce requests per broker connection",
		atLeast(1), func(c *ProducerConfig) *int { return &c.MaxInFlight }),
	bytesProp("max.request.size", "largest Produce request (and record) the producer sends",
		atLeast(0), func(c *ProducerConfig) *Bytes { return &c.MaxRequestSize }),
	msProp("request.timeout.ms", "a Produce request unanswered for this long fails (and is the broker's acks=all wait)",
		atLeast(1), func(c *ProducerConfig) *time.Duration { return &c.RequestTimeout }),
	msProp("delivery.timeout.ms", "a record not acknowledged this long after send fails; >= linger.ms + request.timeout.ms",
		atLeast(0), func(c *ProducerConfig) *time.Duration { return &c.DeliveryTimeout }),
	intProp("retries", "retries of a failed batch, within delivery.timeout.ms",
		atLeast(0), func(c *ProducerConfig) *int { return &c.Retries }),
	msProp("retry.backoff.ms", "first backoff before a retry, doubled per attempt",
		atLeastLong(0), func(c *ProducerConfig) *time.Duration { return &c.RetryBackoff }),
	msProp("reconnect.backoff.ms", "wait before reconnecting to a broker after a connection failed",
		atLeastLong(0), func(c *ProducerConfig) *time.Duration { return &c.ReconnectBackoff }),
	msProp("reconnect.backoff.max.ms", "cap of the exponential reconnect backoff",
		atLeastLong(0), func(c *ProducerConfig) *time.Duration { return &c.ReconnectBackoffMax }),
	msProp("retry.backoff.max.ms", "cap of the exponential retry backoff",
		atLeastLong(0), func(c *ProducerConfig) *time.Duration { return &c.RetryBackoffMax }),
	msProp("metadata.max.age.ms", "metadata is refreshed at least this often",
		atLeastLong(0), func(c *ProducerConfig) *time.Duration { return &c.MetadataMaxAge }),
	msProp("max.block.ms", "longest send blocks on a full buffer.memory before it fails",
		atLeastLong(0), func(c *ProducerConfig) *time.Duration { return &c.MaxBlock }),
	bufferProp("receive.buffer.bytes", "producer socket receive buffer; -1: OS autotuning",
		func(c *ProducerConfig) *Bytes { return &c.ReceiveBuffer }),
	bufferProp("send.buffer.bytes", "producer socket send buffer, with the broker's socket.receive.buffer.bytes the window of its Produce connection; -1: OS autotuning",
		func(c *ProducerConfig) *Bytes { return &c.SendBuffer }),
	boolProp("partitioner.ignore.keys", "use the sticky partitioner even for keyed records",
		func(c *ProducerConfig) *bool { return &c.PartitionerIgnoreKeys }),
}, map[string]unmodelled{
	"compression.type":                         {simulated: "none"},
	"partitioner.adaptive.partitioning.enable": {simulated: "true"},
	"partitioner.availability.timeout.ms":      {simulated: "0"},
	"transactional.id":                         {why: "transactions"},
	"partitioner.class":                        {why: "keyed records use murmur2, keyless ones the sticky partitioner"},
	"bootstrap.servers":                        {why: "a producer connects to the brokers of its scenario"},
	"key.serializer":                           {why: "record sizes come from the producer's record_size"},
	"value.serializer":                         {why: "record sizes come from the producer's record_size"},
})

func acksProp() property[ProducerConfig] {
	return property[ProducerConfig]{
		name: "acks",
		doc:  "acknowledgement the leader waits for: 0 none, 1 its own append, all the whole ISR",
		get:  func(c *ProducerConfig) string { return c.Acks.String() },
		set: func(c *ProducerConfig, s string) error {
			switch s {
			case "all", "-1":
				c.Acks = AcksAll
			case "0":
				c.Acks = AcksNone
			case "1":
				c.Acks = AcksLeader
			default:
				return fmt.Errorf("acks %q: want all, -1, 0 or 1", s)
			}
			return nil
		},
		check: func(c *ProducerConfig) error {
			if c.Acks != AcksAll && c.Acks != AcksNone && c.Acks != AcksLeader {
				return fmt.Errorf("%d: want -1 (all), 0 or 1", c.Acks)
			}
			return nil
		},
	}
}

// Set sets one producer property from its Kafka name and text value (*.ms in milliseconds, sizes
// in bytes or as "64KiB", acks as all, -1, 0 or 1), checking its range. The defaults that depend on
// which properties were given are PostProcess's; rules between properties are Validate's.
func (c *ProducerConfig) Set(key, value string) error { return producerProps.set(c, key, value) }

// Properties documents the producer properties Set accepts, with Kafka 4's defaults.
func (ProducerConfig) Properties() []PropertyDoc { return producerProps.docs(DefaultProducerConfig()) }

// PostProcess applies what Kafka's producer derives from the properties a user gave, in
// ProducerConfig.postProcessAndValidateIdempotenceConfigs and KafkaProducer.configureDeliveryTimeout
// (reference §5.1); given reports whether the user set a key. Call it after the Sets and before
// Validate:
//
//   - idempotence not given and acks 0 or 1, or retries 0: idempotence is disabled;
//   - delivery.timeout.ms not given and below linger.ms + request.timeout.ms: it is raised to that
//     sum (Kafka logs a warning).
//
// What Kafka refuses (idempotence given true with acks 0/1, delivery.timeout.ms given too small,
// more than 5 requests in flight with idempotence on) is left for Validate to report.
func (c *ProducerConfig) PostProcess(given func(key string) bool) {
	if c.EnableIdempotence && !given("enable.idempotence") && (c.Acks != AcksAll || c.Retries == 0) {
		c.EnableIdempotence = false
	}
	if floor := c.deliveryFloor(); c.DeliveryTimeout < floor && !given("delivery.timeout.ms") {
		c.DeliveryTimeout = floor
	}
}

// Validate reports every problem of c at once: values out of range, and the configurations
// Kafka's producer refuses with a ConfigException: idempotence with acks other than all, with
// retries 0, or with more than 5 requests in flight, and delivery.timeout.ms below linger.ms +
// request.timeout.ms.
func (c ProducerConfig) Validate() error {
	errs := producerProps.check(&c)
	if c.EnableIdempotence {
		if c.Acks != AcksAll {
			errs = append(errs, fmt.Errorf("enable.idempotence=true needs acks=all, got acks=%s (set enable.idempotence=false to use acks=%s)", c.Acks, c.Acks))
		}
		if c.Retries == 0 {
			errs = append(errs, errors.New("enable.idempotence=true needs retries > 0"))
		}
		// Kafka 4 refuses this even when idempotence is only on by default (it used to disable it).
		if c.MaxInFlight > maxInFlightForIdempotence {
			errs = append(errs, fmt.Errorf("max.in.flight.requests.per.connection (%d) must be at most %d with idempotence enabled (set enable.idempotence=false)",
				c.MaxInFlight, maxInFlightForIdempotence))
		}
	}
	if c.BatchSize > c.BufferMemory {
		// BufferPool.allocate refuses any request above buffer.memory, and every new batch asks
		// for batch.size: every send() would fail.
		errs = append(errs, fmt.Errorf("batch.size (%d) must not exceed buffer.memory (%d): no batch could be allocated",
			c.BatchSize, c.BufferMemory))
	}
	if floor := c.deliveryFloor(); c.DeliveryTimeout < floor {
		errs = append(errs, fmt.Errorf("delivery.timeout.ms (%d) must be at least linger.ms + request.timeout.ms (%d)",
			c.DeliveryTimeout.Milliseconds(), floor.Milliseconds()))
	}
	return errors.Join(errs...)
}

// CheckRecordSize is KafkaProducer.ensureValidRecordSize for a record of size bytes, counted with
// its batch's header as Kafka's upper-bound estimate counts it: above max.request.size or
// buffer.memory every such record fails with RecordTooLargeException.
func (c ProducerConfig) CheckRecordSize(size Bytes) error {
	switch n := size + recordBatchOverhead; {
	case n > c.MaxRequestSize:
		return fmt.Errorf("%v with its %d-byte batch header exceeds max.request.size %v: Kafka would refuse every record (RecordTooLargeException)",
			size, recordBatchOverhead, c.MaxRequestSize)
	case n > c.BufferMemory:
		return fmt.Errorf("%v with its %d-byte batch header exceeds buffer.memory %v: Kafka would refuse every record (RecordTooLargeException)",
			size, recordBatchOverhead, c.BufferMemory)
	}
	return nil
}

// deliveryFloor is linger.ms + request.timeout.ms, capped at Integer.MAX_VALUE ms as
// KafkaProducer.configureDeliveryTimeout caps it.
func (c *ProducerConfig) deliveryFloor() time.Duration {
	const capDur = (1<<31 - 1) * time.Millisecond
	if c.Linger >= capDur || c.RequestTimeout >= capDur-c.Linger {
		return capDur
	}
	return c.Linger + c.RequestTimeout
}
