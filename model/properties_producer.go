package model

import (
	"errors"
	"fmt"
	"time"

	"github.com/stretchsim/stretchsim/model/conf"
)

// maxInFlightForIdempotence is ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE.
const maxInFlightForIdempotence = 5

var producerProps = conf.NewRegistry("producer", append([]conf.Property[ProducerConfig]{
	acksProp(),
	conf.BoolProp("enable.idempotence", "sequence numbers per partition: retries never duplicate or reorder; needs acks=all",
		func(c *ProducerConfig) *bool { return &c.EnableIdempotence }),
	conf.MsProp("linger.ms", "a batch waits up to this long to fill before it is sent",
		conf.AtLeastLong(0), func(c *ProducerConfig) *time.Duration { return &c.Linger }),
	conf.BytesProp("batch.size", "a batch is sent once it holds this many bytes",
		conf.AtLeast(0), func(c *ProducerConfig) *Bytes { return &c.BatchSize }),
	conf.BytesProp("buffer.memory", "bytes of unsent records the producer holds before send blocks",
		conf.AtLeastLong(0), func(c *ProducerConfig) *Bytes { return &c.BufferMemory }),
	conf.IntProp("max.in.flight.requests.per.connection", "unacknowledged Produce requests per broker connection",
		conf.AtLeast(1), func(c *ProducerConfig) *int { return &c.MaxInFlight }),
	conf.BytesProp("max.request.size", "largest Produce request (and record) the producer sends",
		conf.AtLeast(0), func(c *ProducerConfig) *Bytes { return &c.MaxRequestSize }),
	conf.MsProp("request.timeout.ms", "a Produce request unanswered for this long fails (and is the broker's acks=all wait)",
		conf.AtLeast(1), func(c *ProducerConfig) *time.Duration { return &c.RequestTimeout }),
	conf.MsProp("delivery.timeout.ms", "a record not acknowledged this long after send fails; >= linger.ms + request.timeout.ms",
		conf.AtLeast(0), func(c *ProducerConfig) *time.Duration { return &c.DeliveryTimeout }),
	conf.IntProp("retries", "retries of a failed batch, within delivery.timeout.ms",
		conf.AtLeast(0), func(c *ProducerConfig) *int { return &c.Retries }),
	conf.MsProp("retry.backoff.ms", "first backoff before a retry, doubled per attempt",
		conf.AtLeastLong(0), func(c *ProducerConfig) *time.Duration { return &c.RetryBackoff }),
	conf.MsProp("reconnect.backoff.ms", "wait before reconnecting to a broker after a connection failed",
		conf.AtLeastLong(0), func(c *ProducerConfig) *time.Duration { return &c.ReconnectBackoff }),
	conf.MsProp("reconnect.backoff.max.ms", "cap of the exponential reconnect backoff",
		conf.AtLeastLong(0), func(c *ProducerConfig) *time.Duration { return &c.ReconnectBackoffMax }),
	conf.MsProp("retry.backoff.max.ms", "cap of the exponential retry backoff",
		conf.AtLeastLong(0), func(c *ProducerConfig) *time.Duration { return &c.RetryBackoffMax }),
	conf.MsProp("metadata.max.age.ms", "metadata is refreshed at least this often",
		conf.AtLeastLong(0), func(c *ProducerConfig) *time.Duration { return &c.MetadataMaxAge }),
	conf.MsProp("max.block.ms", "longest send blocks on a full buffer.memory before it fails",
		conf.AtLeastLong(0), func(c *ProducerConfig) *time.Duration { return &c.MaxBlock }),
	conf.BufferProp("receive.buffer.bytes", "producer socket receive buffer, cut to the hosts' net.core.rmem_max (hardware.rmem_max); -1: OS autotuning",
		func(c *ProducerConfig) *Bytes { return &c.ReceiveBuffer }),
	conf.BufferProp("send.buffer.bytes", "producer socket send buffer, with the broker's socket.receive.buffer.bytes the window of its Produce connection; cut to the hosts' net.core.wmem_max (hardware.wmem_max); -1: OS autotuning",
		func(c *ProducerConfig) *Bytes { return &c.SendBuffer }),
	conf.BoolProp("partitioner.ignore.keys", "use the sticky partitioner even for keyed records",
		func(c *ProducerConfig) *bool { return &c.PartitionerIgnoreKeys }),
}, producerCompressionProps()...), map[string]conf.Unmodelled{
	"partitioner.adaptive.partitioning.enable": {Simulated: "true"},
	"partitioner.availability.timeout.ms":      {Simulated: "0"},
	"transactional.id":                         {Why: "transactions"},
	"partitioner.class":                        {Why: "keyed records use murmur2, keyless ones the sticky partitioner"},
	"bootstrap.servers":                        {Why: "a producer connects to the brokers of its scenario"},
	"key.serializer":                           {Why: "record sizes come from the producer's record_size"},
	"value.serializer":                         {Why: "record sizes come from the producer's record_size"},
})

func acksProp() conf.Property[ProducerConfig] {
	return conf.Property[ProducerConfig]{
		Name: "acks",
		Doc:  "acknowledgement the leader waits for: 0 none, 1 its own append, all the whole ISR",
		Get:  func(c *ProducerConfig) string { return c.Acks.String() },
		Set: func(c *ProducerConfig, s string) error {
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
		Check: func(c *ProducerConfig) error {
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
func (c *ProducerConfig) Set(key, value string) error { return producerProps.Set(c, key, value) }

// Properties documents the producer properties Set accepts, with Kafka 4's defaults.
func (ProducerConfig) Properties() []conf.PropertyDoc {
	return producerProps.Docs(DefaultProducerConfig())
}

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
	errs := producerProps.Check(&c)
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
