package conf

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Range bounds the Kafka value of a numeric property, both ends included: milliseconds, seconds,
// bytes or a count.
type Range struct{ Min, Max int64 }

// AtLeast is ConfigDef.Range.atLeast on a Kafka INT: at least min, at most Integer.MAX_VALUE.
func AtLeast(min int64) Range { return Range{min, math.MaxInt32} }

// AtLeastLong is ConfigDef.Range.atLeast on a Kafka LONG: at least min, at most Long.MAX_VALUE.
func AtLeastLong(min int64) Range { return Range{min, math.MaxInt64} }

// Check reports why v is outside r; nil if it is inside.
func (r Range) Check(v int64) error {
	if v < r.Min {
		return fmt.Errorf("must be at least %d, got %d", r.Min, v)
	}
	if v > r.Max {
		return fmt.Errorf("must be at most %d, got %d", r.Max, v)
	}
	return nil
}

// Unit is how a numeric property's text maps to its Kafka value.
type Unit uint8

// The units of numeric properties.
const (
	UnitCount   Unit = iota // a plain integer
	UnitMillis              // a plain integer of milliseconds (*.ms)
	UnitSeconds             // a plain integer of seconds (*.seconds)
	UnitBytes               // a plain integer of bytes, or a size string ("64KiB")
)

// NumProp is a numeric property whose Kafka value get reads and put stores; check reports why a
// value is out of range. The text is parsed by ParseNumber in unit u.
func NumProp[C any](name, doc string, u Unit, check func(int64) error, get func(*C) int64, put func(*C, int64)) Property[C] {
	return Property[C]{
		Name: name, Doc: doc,
		Get: func(c *C) string { return strconv.FormatInt(get(c), 10) },
		Set: func(c *C, s string) error {
			v, err := ParseNumber(name, s, u)
			if err == nil {
				err = check(v)
			}
			if err != nil {
				return err
			}
			put(c, v)
			return nil
		},
		Check: func(c *C) error { return check(get(c)) },
	}
}

// MsProp is a *.ms property kept as a time.Duration. The range is capped so that the duration
// cannot overflow.
func MsProp[C any](name, doc string, r Range, f func(*C) *time.Duration) Property[C] {
	r.Max = min(r.Max, math.MaxInt64/int64(time.Millisecond))
	return NumProp(name, doc, UnitMillis, r.Check,
		func(c *C) int64 { return f(c).Milliseconds() },
		func(c *C, v int64) { *f(c) = time.Duration(v) * time.Millisecond })
}

// SecondsProp is a *.seconds property kept as a time.Duration, capped as MsProp is.
func SecondsProp[C any](name, doc string, r Range, f func(*C) *time.Duration) Property[C] {
	r.Max = min(r.Max, math.MaxInt64/int64(time.Second))
	return NumProp(name, doc, UnitSeconds, r.Check,
		func(c *C) int64 { return int64(*f(c) / time.Second) },
		func(c *C, v int64) { *f(c) = time.Duration(v) * time.Second })
}

// BytesProp is a size property (*.bytes, batch.size, buffer.memory, max.request.size) kept in a
// field of an integer type B counting bytes.
func BytesProp[C any, B ~int64](name, doc string, r Range, f func(*C) *B) Property[C] {
	return NumProp(name, doc, UnitBytes, r.Check,
		func(c *C) int64 { return int64(*f(c)) },
		func(c *C, v int64) { *f(c) = B(v) })
}

// IntProp is a count property.
func IntProp[C any](name, doc string, r Range, f func(*C) *int) Property[C] {
	return NumProp(name, doc, UnitCount, r.Check,
		func(c *C) int64 { return int64(*f(c)) },
		func(c *C, v int64) { *f(c) = int(v) })
}

// BufferProp is a socket buffer size in bytes, kept in a field of an integer type B: -1 leaves it
// to the OS (autotuning), any other value must be positive. Kafka's ConfigDef admits 0, but the
// JVM then refuses the socket option when the connection is set up, so stretchsim refuses it at
// once.
func BufferProp[C any, B ~int64](name, doc string, f func(*C) *B) Property[C] {
	r := AtLeast(-1)
	return NumProp(name, doc, UnitBytes,
		func(v int64) error {
			if v == 0 {
				return errors.New("must be -1 (the OS default) or positive, got 0")
			}
			return r.Check(v)
		},
		func(c *C) int64 { return int64(*f(c)) },
		func(c *C, v int64) { *f(c) = B(v) })
}

// BoolProp is a BOOLEAN property: "true" or "false", any case (Kafka's ConfigDef).
func BoolProp[C any](name, doc string, f func(*C) *bool) Property[C] {
	return Property[C]{
		Name: name, Doc: doc,
		Get: func(c *C) string { return strconv.FormatBool(*f(c)) },
		Set: func(c *C, s string) error {
			v, err := ParseBool(s)
			if err == nil {
				*f(c) = v
			}
			return err
		},
	}
}

// ParseBool parses a Kafka BOOLEAN: "true" or "false", any case.
func ParseBool(s string) (bool, error) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, nil
	case strings.EqualFold(s, "false"):
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean: want true or false", s)
}

// ParseNumber parses the text s of numeric property name as Kafka does (a decimal integer), and
// also size strings (ParseBytes) for unit UnitBytes. A duration given to a *.ms or *.seconds
// property ("5s") is an error that says what to write instead.
func ParseNumber(name, s string, u Unit) (int64, error) {
	if u == UnitBytes {
		return ParseBytes(s)
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err == nil {
		return v, nil
	}
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	if d, derr := time.ParseDuration(strings.Replace(s, " ", "", 1)); derr == nil && (u == UnitMillis || u == UnitSeconds) {
		if u == UnitMillis {
			return 0, fmt.Errorf("%q is not a whole number: %s is in milliseconds (write %d for %s)", s, name, d.Milliseconds(), d)
		}
		return 0, fmt.Errorf("%q is not a whole number: %s is in seconds (write %d for %s)", s, name, int64(d/time.Second), d)
	}
	return 0, fmt.Errorf("%q is not a whole number", s)
}
