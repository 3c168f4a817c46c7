package conf

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"
)

// sizeUnits are the units ParseBytes accepts: binary (powers of 1024, as model.Bytes prints them)
// and SI (powers of 1000, as disk and network vendors count).
var sizeUnits = map[string]int64{
	"": 1, "B": 1,
	"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40,
	"kB": 1e3, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
}

const sizeUnitList = "B, KiB, MiB, GiB, TiB (powers of 1024) or kB, MB, GB, TB (powers of 1000)"

// ParseBytes parses a size: a whole number of bytes ("16384", "-1") or a number with a unit,
// binary KiB, MiB, GiB, TiB or SI kB (also KB), MB, GB, TB, or B ("64KiB", "1MB" = 1,000,000,
// "1.5KiB" = 1536). One space may separate the number from the unit (CutUnit). The result must be
// a whole number of bytes within int64. It reads back every model.Bytes.String output.
func ParseBytes(s string) (int64, error) {
	num, unit := SplitNumber(strings.TrimSpace(s))
	if num == "" {
		return 0, fmt.Errorf("%q is not a size: want a number of bytes with an optional unit, e.g. \"64KiB\" or \"16384\"", s)
	}
	unit, err := CutUnit(s, unit)
	if err != nil {
		return 0, err
	}
	mult, ok := sizeUnits[unit]
	if !ok {
		return 0, fmt.Errorf("%q: unknown size unit %q (want %s)", s, unit, sizeUnitList)
	}
	v, ok := new(big.Rat).SetString(num)
	if !ok {
		return 0, fmt.Errorf("%q is not a size: %q is not a number", s, num)
	}
	v.Mul(v, new(big.Rat).SetInt64(mult))
	if !v.IsInt() {
		return 0, fmt.Errorf("%q is not a whole number of bytes", s)
	}
	if !v.Num().IsInt64() {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	return v.Num().Int64(), nil
}

// ErrUnitSpace is the error of CutUnit.
var ErrUnitSpace = errors.New("put at most one space between a number and its unit")

// CutUnit returns the unit of the quantity s given rest, the text that follows its number. The
// rule for every quantity a scenario or a Kafka property holds (sizes, durations, rates,
// bandwidths): the unit follows the number directly ("10ms") or after exactly one space
// ("10 ms"); more space, or a tab, is an error.
func CutUnit(s, rest string) (string, error) {
	unit := strings.TrimPrefix(rest, " ")
	if r, _ := utf8.DecodeRuneInString(unit); unicode.IsSpace(r) {
		return "", fmt.Errorf("%q: %w", s, ErrUnitSpace)
	}
	return unit, nil
}

// SplitNumber splits s into a leading decimal number (an optional sign, digits, and optionally a
// point followed by digits) and the rest. num is "" when s does not start with such a number.
func SplitNumber(s string) (num, rest string) {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	if digits() == 0 {
		return "", s
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return "", s
		}
	}
	return s[:i], s[i:]
}
