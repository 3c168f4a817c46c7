package sim

import "time"

// Time is virtual time: nanoseconds since the start of a run. It never comes from the wall clock.
type Time int64

// Never is a time later than any event; a timer armed at Never does not fire.
const Never Time = 1<<63 - 1

// Add returns t advanced by d, saturating at Never: a timeout of years is never, not a wrap
// into the past.
func (t Time) Add(d time.Duration) Time {
	if d > 0 && t > Never-Time(d) {
		return Never
	}
	return t + Time(d)
}

// Sub returns the span t-u.
func (t Time) Sub(u Time) time.Duration { return time.Duration(t - u) }

// Seconds returns t in seconds since the start of the run.
func (t Time) Seconds() float64 { return float64(t) / 1e9 }

// Millis returns t in milliseconds since the start of the run, as Kafka counts its *Ms fields.
func (t Time) Millis() int64 { return int64(t) / 1e6 }

// String formats t as a duration since the start of the run, e.g. "1m30.5s".
func (t Time) String() string {
	if t == Never {
		return "never"
	}
	return time.Duration(t).String()
}
