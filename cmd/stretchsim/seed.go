package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// seedValue is the --seed flag of run: an unsigned 64-bit integer. It exists for its error
// message, which names the flag and the accepted range instead of strconv's "invalid syntax".
type seedValue struct{ v *uint64 }

func (s seedValue) String() string { return strconv.FormatUint(*s.v, 10) }
func (s seedValue) Type() string   { return "uint64" }

func (s seedValue) Set(text string) error {
	n, err := strconv.ParseUint(strings.TrimSpace(text), 10, 64)
	if err != nil {
		// pflag prefixes this with the flag and the value: invalid argument "-1" for "--seed" flag.
		return fmt.Errorf("want a whole number from 0 to %d", uint64(math.MaxUint64))
	}
	*s.v = n
	return nil
}

// setsSeed reports whether the --set override set (PATH=VALUE) sets the scenario's seed.
func setsSeed(set string) bool {
	p, _, _ := strings.Cut(set, "=")
	return strings.TrimSpace(p) == "seed"
}
