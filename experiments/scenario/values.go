package scenario

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/stretchsim/stretchsim/model"
	"github.com/stretchsim/stretchsim/model/conf"
)

// ParseBytes parses a size: a whole number of bytes ("16384") or a number with a binary unit
// (KiB, MiB, GiB, TiB: powers of 1024) or an SI unit (kB or KB, MB, GB, TB: powers of 1000), e.g.
// "1KiB" = 1024, "1MB" = 1,000,000, "64KB" = 64,000. Its canonical form is model.Bytes.String.
func ParseBytes(s string) (model.Bytes, error) {
	b, err := conf.ParseBytes(s)
	return model.Bytes(b), err
}

// ParseDuration parses a duration in Go's syntax: a number and a unit ns, us (or µs), ms, s, m or
// h, possibly several ("1m30s"), e.g. "10ms", "1.5s", "250us"; one space may separate a number
// from its unit ("10 ms", conf.CutUnit). "0" needs no unit; any other plain number is an error
// naming the units, because the scenario cannot guess whether "30" means seconds or
// milliseconds. Its canonical form is time.Duration.String.
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if t == "0" {
		return 0, nil
	}
	joined, err := joinUnits(s, t)
	if err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(joined)
	if err == nil {
		return d, nil
	}
	if _, ferr := strconv.ParseFloat(t, 64); ferr == nil && !strings.ContainsAny(t, "xXpPiInN_") {
		return 0, fmt.Errorf("%q has no unit: write e.g. \"%ss\" or \"%sms\"", s, t, t)
	}
	return 0, fmt.Errorf("%q is not a duration: want a number and a unit (ns, us, ms, s, m, h), e.g. \"250ms\" or \"1m30s\", within ±292 years", s)
}

// joinUnits removes from the duration t the one space conf.CutUnit allows between each number
// and its unit ("1m 30s" keeps its space, which time.ParseDuration then rejects).
func joinUnits(s, t string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		if (t[i] == ' ' || t[i] == '\t') && i > 0 && (isDigit(t[i-1]) || t[i-1] == '.') {
			if _, err := conf.CutUnit(s, t[i:]); err != nil {
				return "", err
			}
			if i+1 < len(t) && !isDigit(t[i+1]) && t[i+1] != '.' {
				continue
			}
		}
		b.WriteByte(t[i])
	}
	return b.String(), nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// byteRatePrefixes are the multipliers ParseByteRate accepts before "B/s".
var byteRatePrefixes = map[string]float64{
	"": 1, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
	"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40,
}

// bitRatePrefixes are the multipliers ParseBitRate accepts before "bps" or "bit/s".
var bitRatePrefixes = map[string]float64{"": 1, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}

// Unlimited is the text of a bandwidth or throughput without limit: ParseBitRate and
// ParseByteRate read it as +Inf, which the model treats as no limit.
const Unlimited = "unlimited"

// ParseByteRate parses a throughput in bytes per second: a number, an optional SI (k, M, G, T:
// powers of 1000) or binary (Ki, Mi, Gi, Ti: powers of 1024) prefix and "B/s", e.g. "20MB/s" =
// 20e6, "1GiB/s" = 2^30, with at most one space before the unit ("20 MB/s", conf.CutUnit). "0"
// needs no unit; "unlimited" (Unlimited) is +Inf. Its canonical form is FormatByteRate.
func ParseByteRate(s string) (model.ByteRate, error) {
	if strings.TrimSpace(s) == Unlimited {
		return model.ByteRate(math.Inf(1)), nil
	}
	v, err := parseScaled(s, "byte rate", []string{"B/s"}, byteRatePrefixes, `"20MB/s" or "1GiB/s"`)
	if err != nil && strings.HasSuffix(strings.TrimSpace(s), "bps") {
		return 0, fmt.Errorf("%w (bps is bits per second; a throughput is in bytes: B/s)", err)
	}
	return model.ByteRate(v), err
}

// ParseBitRate parses a bandwidth in bits per second: a number, an optional SI prefix (k, M, G,
// T: powers of 1000) and "bps" or "bit/s", e.g. "10Gbps" = 10e9, "100Mbps", "1Gbit/s", with at
// most one space before the unit ("10 Gbps", conf.CutUnit). "0" needs no unit; "unlimited"
// (Unlimited) is +Inf. Its canonical form is FormatBitRate.
func ParseBitRate(s string) (model.BitRate, error) {
	if strings.TrimSpace(s) == Unlimited {
		return model.BitRate(math.Inf(1)), nil
	}
	v, err := parseScaled(s, "bandwidth", []string{"bps", "bit/s"}, bitRatePrefixes, `"10Gbps" or "100Mbit/s"`)
	if err != nil && strings.HasSuffix(strings.TrimSpace(s), "B/s") {
		return 0, fmt.Errorf("%w (a bandwidth is in bits per second: 1GB/s is 8Gbps)", err)
	}
	return model.BitRate(v), err
}

// FormatByteRate returns the canonical text of r, which ParseByteRate reads back to exactly r:
// model.ByteRate.String ("20MB/s") when that is exact, else the shortest exact decimal in B/s.
func FormatByteRate(r model.ByteRate) string {
	return formatExact(float64(r), r.String(), "B/s", func(s string) (float64, error) {
		v, err := ParseByteRate(s)
		return float64(v), err
	})
}

// FormatBitRate returns the canonical text of r, which ParseBitRate reads back to exactly r:
// model.BitRate.String ("10Gbps") when that is exact, else the shortest exact decimal in bps.
func FormatBitRate(r model.BitRate) string {
	return formatExact(float64(r), r.String(), "bps", func(s string) (float64, error) {
		v, err := ParseBitRate(s)
		return float64(v), err
	})
}

// formatExact returns pretty if parse reads it back to v, else v's shortest round-trip decimal
// followed by unit; Unlimited for +Inf.
func formatExact(v float64, pretty, unit string, parse func(string) (float64, error)) string {
	if math.IsInf(v, 1) {
		return Unlimited
	}
	if back, err := parse(pretty); err == nil && back == v {
		return pretty
	}
	return strconv.FormatFloat(v, 'g', -1, 64) + unit
}

// parseScaled parses a number followed by prefix+suffix, one of suffixes with one of prefixes.
func parseScaled(s, what string, suffixes []string, prefixes map[string]float64, example string) (float64, error) {
	t := strings.TrimSpace(s)
	if t == "0" {
		return 0, nil
	}
	num, rest := splitFloat(t)
	if num == "" {
		return 0, fmt.Errorf("%q is not a %s: want a number and a unit, e.g. %s", s, what, example)
	}
	rest, err := conf.CutUnit(s, rest)
	if err != nil {
		return 0, err
	}
	for _, suf := range suffixes {
		p, ok := strings.CutSuffix(rest, suf)
		if !ok {
			continue
		}
		mult, ok := prefixes[p]
		if !ok {
			break
		}
		return exactFloat(s, num, mult)
	}
	if rest == "" {
		return 0, fmt.Errorf("%q has no unit: want e.g. %s", s, example)
	}
	return 0, fmt.Errorf("%q: unknown %s unit %q (want e.g. %s)", s, what, rest, example)
}

// exactFloat returns num × mult rounded once to the nearest float64, so that a decimal text
// maps to the same float whatever its prefix.
func exactFloat(s, num string, mult float64) (float64, error) {
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return 0, fmt.Errorf("%q: %q is not a number", s, num)
	}
	m := new(big.Rat)
	m.SetFloat64(mult)
	f, _ := r.Mul(r, m).Float64()
	if math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	return f, nil
}

// maxExponent bounds the decimal exponent splitFloat accepts, so that exact arithmetic on it
// stays cheap; float64 has no finite value beyond 1e309 anyway.
const maxExponent = 400

// splitFloat splits s into a leading decimal number (conf.SplitNumber's, then an optional
// exponent of at most 3 digits) and the rest. num is "" when s does not start with a number.
func splitFloat(s string) (num, rest string) {
	num, rest = conf.SplitNumber(s)
	if num == "" || rest == "" || (rest[0] != 'e' && rest[0] != 'E') {
		return num, rest
	}
	i := 1
	if i < len(rest) && (rest[i] == '-' || rest[i] == '+') {
		i++
	}
	start := i
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if n := i - start; n == 0 || n > 3 {
		return "", s
	}
	if e, _ := strconv.Atoi(rest[start:i]); e > maxExponent {
		return "", s
	}
	return s[:len(num)+i], rest[i:]
}
