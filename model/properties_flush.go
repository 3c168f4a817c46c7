package model

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/stretchsim/stretchsim/model/conf"
)

// Kafka's log flush settings (disk.go models what they do). Kafka declares them as LONGs whose
// default, Long.MAX_VALUE, means "never: leave it to the OS" (TopicConfig FLUSH_MESSAGES_INTERVAL_DOC,
// FLUSH_MS_DOC; LogConfig.java:241-244,272-275). A millisecond value too large for a
// time.Duration (about 292 years) is kept as NeverFlush.

// longMax is Java's Long.MAX_VALUE as Kafka prints it.
var longMax = strconv.FormatInt(math.MaxInt64, 10)

// flushMsProp is a LONG *.ms flush interval: at least lo, NeverFlush beyond what a Duration
// holds; nullable admits "null" (UnsetFlush), for log.flush.interval.ms.
func flushMsProp[C any](name, doc string, lo int64, nullable bool, f func(*C) *time.Duration) conf.Property[C] {
	return conf.Property[C]{
		Name: name, Doc: doc,
		Get: func(c *C) string { return flushMsText(*f(c)) },
		Set: func(c *C, s string) error {
			if nullable && strings.EqualFold(s, "null") {
				*f(c) = UnsetFlush
				return nil
			}
			d, err := parseFlushMs(name, s, lo)
			if err == nil {
				*f(c) = d
			}
			return err
		},
		Check: func(c *C) error {
			if d := *f(c); !(nullable && d == UnsetFlush) {
				return checkFlushMs(d, lo)
			}
			return nil
		},
	}
}

// flushMsText prints a flush interval as Kafka does.
func flushMsText(d time.Duration) string {
	switch d {
	case NeverFlush:
		return longMax
	case UnsetFlush:
		return "null"
	}
	return strconv.FormatInt(d.Milliseconds(), 10)
}

// parseFlushMs parses Kafka milliseconds of at least lo; NeverFlush when a Duration cannot hold them.
func parseFlushMs(name, s string, lo int64) (time.Duration, error) {
	v, err := conf.ParseNumber(name, s, conf.UnitMillis)
	if err == nil {
		err = conf.AtLeastLong(lo).Check(v)
	}
	if err != nil {
		return 0, err
	}
	if v > math.MaxInt64/int64(time.Millisecond) {
		return NeverFlush, nil
	}
	return time.Duration(v) * time.Millisecond, nil
}

func checkFlushMs(d time.Duration, lo int64) error {
	if d == NeverFlush {
		return nil
	}
	return conf.AtLeastLong(lo).Check(d.Milliseconds())
}

// brokerFlushProps are the broker defaults of the topic flush settings and the flusher's period.
func brokerFlushProps() []conf.Property[BrokerConfig] {
	return []conf.Property[BrokerConfig]{
		conf.NumProp("log.flush.interval.messages", "default for topics: fsync a log once this many records are unflushed; Long.MAX_VALUE: leave it to the OS",
			conf.UnitCount, conf.AtLeastLong(1).Check,
			func(c *BrokerConfig) int64 { return c.LogFlushIntervalMessages },
			func(c *BrokerConfig, v int64) { c.LogFlushIntervalMessages = v }),
		// Kafka gives log.flush.interval.ms no validator; a negative value flushes at every
		// flusher run, as 0 does, so stretchsim asks for 0.
		flushMsProp("log.flush.interval.ms", "default for topics: the log flusher fsyncs a log unflushed this long; null: log.flush.scheduler.interval.ms",
			0, true, func(c *BrokerConfig) *time.Duration { return &c.LogFlushInterval }),
		// A period <= 0 makes Kafka's scheduler throw at start-up (scheduleAtFixedRate).
		flushMsProp("log.flush.scheduler.interval.ms", "period of the log flusher that applies flush.ms; Long.MAX_VALUE: it never runs",
			1, false, func(c *BrokerConfig) *time.Duration { return &c.LogFlushSchedulerInterval }),
	}
}

// topicFlushProps are flush.messages and flush.ms; unset, they inherit the broker defaults.
func topicFlushProps() []conf.Property[TopicConfig] {
	return []conf.Property[TopicConfig]{
		conf.NumProp("flush.messages", "fsync the log once this many records are unflushed (1: every append); Long.MAX_VALUE: leave it to the OS",
			conf.UnitCount, conf.AtLeastLong(1).Check,
			func(c *TopicConfig) int64 {
				if c.FlushMessages == nil {
					return math.MaxInt64
				}
				return *c.FlushMessages
			},
			func(c *TopicConfig, v int64) { c.FlushMessages = &v }),
		{
			Name: "flush.ms",
			Doc:  "the log flusher (every log.flush.scheduler.interval.ms) fsyncs a log unflushed this long; Long.MAX_VALUE: leave it to the OS",
			Get: func(c *TopicConfig) string {
				if c.FlushInterval == nil {
					return longMax
				}
				return flushMsText(*c.FlushInterval)
			},
			Set: func(c *TopicConfig, s string) error {
				d, err := parseFlushMs("flush.ms", s, 0)
				if err == nil {
					c.FlushInterval = &d
				}
				return err
			},
			Check: func(c *TopicConfig) error {
				if c.FlushInterval == nil {
					return nil
				}
				return checkFlushMs(*c.FlushInterval, 0)
			},
		},
	}
}
