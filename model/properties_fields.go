package model

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// intRange bounds the Kafka value of a numeric property: milliseconds, seconds, bytes or a count.
type intRange struct{ min, max int64 }

// atLeast is ConfigDef.Range.atLeast on a Kafka INT; atLeastLong on a LONG.
func atLeast(min int64) intRange     { return intRange{min, math.MaxInt32} }
func atLeastLong(min int64) intRange { return intRange{min, math.MaxInt64} }

func (r intRange) check(v int64) error {
	if v < r.min {
		return fmt.Errorf("must be at least %d, got %d", r.min, v)
	}
	if v > r.max {
		return fmt.Errorf("must be at most %d, got %d", r.max, v)
	}
	return nil
}

// numUnit is how a numeric property's text maps to its Kafka value.
type numUnit uint8

const (
	unitCount   numUnit = iota // a plain integer
	unitMillis                 // a plain integer of milliseconds (*.ms)
	unitSeconds                // a plain integer of seconds (*.seconds)
	unitBytes                  // a plain integer of bytes, or a size string ("64KiB")
)

// numProp is a numeric property whose Kafka value get reads and put stores; check reports why a
// value is out of range.
func numProp[C any](name, doc string, u numUnit, check func(int64) error, get func(*C) int64, put func(*C, int64)) property[C] {
	return property[C]{
		name: name, doc: doc,
		get: func(c *C) string { return strconv.FormatInt(get(c), 10) },
		set: func(c *C, s string) error {
			v, err := parseKafkaNumber(name, s, u)
			if err == nil {
				err = check(v)
			}
			if err != nil {
				return err
			}
			put(c, v)
			return nil
		},
		check: func(c *C) error { return check(get(c)) },
	}
}

// msProp is a *.ms property kept as a time.Duration. The range is capped so that the duration
// cannot overflow.
func msProp[C any](name, doc string, r intRange, f func(*C) *time.Duration) property[C] {
	r.max = min(r.max, math.MaxInt64/int64(time.Millisecond))
	return numProp(name, doc, unitMillis, r.check,
		func(c *C) int64 { return f(c).Milliseconds() },
		func(c *C, v int64) { *f(c) = time.Duration(v) * time.Millisecond })
}

// secondsProp is a *.seconds property kept as a time.Duration.
func secondsProp[C any](name, doc string, r intRange, f func(*C) *time.Duration) property[C] {
	r.max = min(r.max, math.MaxInt64/int64(time.Second))
	return numProp(name, doc, unitSeconds, r.check,
		func(c *C) int64 { return int64(*f(c) / time.Second) },
		func(c *C, v int64) { *f(c) = time.Duration(v) * time.Second })
}

// bytesProp is a size property (*.bytes, batch.size, buffer.memory, max.request.size).
func bytesProp[C any](name, doc string, r intRange, f func(*C) *Bytes) property[C] {
	return numProp(name, doc, unitBytes, r.check,
		func(c *C) int64 { return int64(*f(c)) },
		func(c *C, v int64) { *f(c) = Bytes(v) })
}

// intProp is a count property.
func intProp[C any](name, doc string, r intRange, f func(*C) *int) property[C] {
	return numProp(name, doc, unitCount, r.check,
		func(c *C) int64 { return int64(*f(c)) },
		func(c *C, v int64) { *f(c) = int(v) })
}

// bufferProp is a socket buffer size: -1 leaves it to the OS (autotuning), any other value must
// be positive. Kafka's ConfigDef admits 0, but the JVM then refuses the socket option when the
// connection is set up, so stretchsim refuses it at once.
func bufferProp[C any](name, doc string, f func(*C) *Bytes) property[C] {
	r := atLeast(-1)
	return numProp(name, doc, unitBytes,
		func(v int64) error {
			if v == 0 {
				return errors.New("must be -1 (the OS default) or positive, got 0")
			}
			return r.check(v)
		},
		func(c *C) int64 { return int64(*f(c)) },
		func(c *C, v int64) { *f(c) = Bytes(v) })
}

// boolProp is a BOOLEAN property: "true" or "false", any case (Kafka's ConfigDef).
func boolProp[C any](name, doc string, f func(*C) *bool) property[C] {
	return property[C]{
		name: name, doc: doc,
		get: func(c *C) string { return strconv.FormatBool(*f(c)) },
		set: func(c *C, s string) error {
			v, err := parseKafkaBool(s)
			if err == nil {
				*f(c) = v
			}
			return err
		},
	}
}

func parseKafkaBool(s string) (bool, error) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, nil
	case strings.EqualFold(s, "false"):
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean: want true or false", s)
}

// parseKafkaNumber parses the text of a numeric property as Kafka does (a decimal integer), and
// also size strings for byte properties.
func parseKafkaNumber(name, s string, u numUnit) (int64, error) {
	if u == unitBytes {
		b, err := ParseBytes(s)
		return int64(b), err
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err == nil {
		return v, nil
	}
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	if d, derr := time.ParseDuration(strings.Replace(s, " ", "", 1)); derr == nil && (u == unitMillis || u == unitSeconds) {
		if u == unitMillis {
			return 0, fmt.Errorf("%q is not a whole number: %s is in milliseconds (write %d for %s)", s, name, d.Milliseconds(), d)
		}
		return 0, fmt.Errorf("%q is not a whole number: %s is in seconds (write %d for %s)", s, name, int64(d/time.Second), d)
	}
	return 0, fmt.Errorf("%q is not a whole number", s)
}
