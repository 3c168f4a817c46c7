// Package units holds the quantities the model counts in and shares with the packages below it:
// sizes in bytes, throughputs and log offsets. It imports nothing of stretchsim; package model
// re-exports its types under the same names (model.Bytes is units.Bytes).
package units

import (
	"fmt"
	"strconv"
)

// Bytes is a size in bytes.
type Bytes int64

// Binary size units.
const (
	KiB Bytes = 1 << 10
	MiB Bytes = 1 << 20
	GiB Bytes = 1 << 30
)

// String formats b exactly, with the largest binary unit that divides it ("16KiB", "1000").
func (b Bytes) String() string {
	for _, u := range []struct {
		n    Bytes
		name string
	}{{GiB, "GiB"}, {MiB, "MiB"}, {KiB, "KiB"}} {
		if b != 0 && b%u.n == 0 {
			return strconv.FormatInt(int64(b/u.n), 10) + u.name
		}
	}
	return strconv.FormatInt(int64(b), 10)
}

// Offset is a record's position in a log (a partition's, or the KRaft metadata log): offsets
// start at 0 and are dense.
type Offset int64

// ByteRate is a throughput in bytes per second (SI: "20MB/s" is 20e6 bytes per second).
type ByteRate float64

// String formats r in SI units per second, e.g. "20MB/s".
func (r ByteRate) String() string { return siFormat(float64(r), "B/s") }

// BitRate is a link or NIC bandwidth in bits per second ("10Gbps" is 10e9).
type BitRate float64

// String formats r in SI units, e.g. "10Gbps".
func (r BitRate) String() string { return siFormat(float64(r), "bps") }

// BytesPerSecond converts a bandwidth to bytes per second.
func (r BitRate) BytesPerSecond() float64 { return float64(r) / 8 }

func siFormat(v float64, unit string) string {
	for _, p := range []struct {
		f float64
		s string
	}{{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if v >= p.f {
			return strconv.FormatFloat(v/p.f, 'g', -1, 64) + p.s + unit
		}
	}
	return fmt.Sprintf("%s%s", strconv.FormatFloat(v, 'g', -1, 64), unit)
}
