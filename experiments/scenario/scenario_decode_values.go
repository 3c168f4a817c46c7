package scenario

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/stretchsim/stretchsim/model"
)

func (d *decoder) str(n *yaml.Node, path string) string {
	s, _ := d.scalar(n, path, "a name")
	return s
}

func (d *decoder) integer(n *yaml.Node, path string) int {
	return parseAt(d, n, path, "a whole number", func(s string) (int, error) {
		v, err := strconv.ParseInt(s, 10, 32)
		if err != nil {
			return 0, fmt.Errorf("%q is not a whole number", s)
		}
		return int(v), nil
	})
}

func (d *decoder) float(n *yaml.Node, path string) float64 {
	return parseAt(d, n, path, "a number", func(s string) (float64, error) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%q is not a finite number", s)
		}
		return v, nil
	})
}

func (d *decoder) boolean(n *yaml.Node, path string) bool {
	return parseAt(d, n, path, "true or false", func(s string) (bool, error) {
		switch s {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return false, fmt.Errorf("%q is not a boolean: want true or false", s)
	})
}

func (d *decoder) duration(n *yaml.Node, path string) time.Duration {
	return parseAt(d, n, path, "a duration", ParseDuration)
}

func (d *decoder) dist(n *yaml.Node, path string) model.DistSpec {
	return parseAt(d, n, path, "a duration or a distribution", func(s string) (model.DistSpec, error) {
		return ParseDist(s, d.opts.BaseDir, d.opts.ReadFile)
	})
}

func (d *decoder) bytes(n *yaml.Node, path string) model.Bytes {
	return parseAt(d, n, path, "a size", ParseBytes)
}

// positiveBytes decodes a size that must be positive: zero or a negative size is an error.
func (d *decoder) positiveBytes(n *yaml.Node, path string) model.Bytes {
	return parseAt(d, n, path, "a size", func(s string) (model.Bytes, error) {
		v, err := ParseBytes(s)
		if err == nil {
			err = checkPositive(s, float64(v), "")
		}
		return v, err
	})
}

// bandwidth decodes the bandwidth of a link or a NIC, positive or "unlimited" (+Inf); or, when
// fault is true, the bandwidth a fault sets, positive and finite. Zero is an error, not a way to
// say "unlimited".
func (d *decoder) bandwidth(n *yaml.Node, path string, fault bool) model.BitRate {
	return parseAt(d, n, path, "a bandwidth", func(s string) (model.BitRate, error) {
		v, err := ParseBitRate(s)
		switch {
		case err != nil:
		case !fault:
			err = checkPositive(s, float64(v), noLimitHint)
		case math.IsInf(float64(v), 1):
			err = fmt.Errorf("%q: a bandwidth fault sets a finite bandwidth, e.g. \"100Mbps\"", s)
		default:
			err = checkPositive(s, float64(v), " (to cut the link, use a partition fault)")
		}
		return v, err
	})
}

// throughput decodes a byte rate of the broker hardware: positive, or "unlimited" (+Inf).
func (d *decoder) throughput(n *yaml.Node, path string) model.ByteRate {
	return parseAt(d, n, path, "a byte rate", func(s string) (model.ByteRate, error) {
		v, err := ParseByteRate(s)
		if err == nil {
			err = checkPositive(s, float64(v), noLimitHint)
		}
		return v, err
	})
}

// rate decodes a producer rate, which must be positive.
func (d *decoder) rate(n *yaml.Node, path string) Rate {
	return parseAt(d, n, path, "a rate", func(s string) (Rate, error) {
		r, err := ParseRate(s)
		if err == nil {
			err = checkPositive(s, r.BytesPerSec+r.RecordsPerSec, "")
		}
		return r, err
	})
}

var noLimitHint = fmt.Sprintf(" (for no limit write %q)", Unlimited)

// checkPositive checks the value v of the text s, a rate or a bandwidth. Its error quotes s as
// written, then hint.
func checkPositive(s string, v float64, hint string) error {
	if v > 0 {
		return nil
	}
	return fmt.Errorf("%q must be positive%s", s, hint)
}

// enum returns the index of n's value in names, reporting an unknown value.
func (d *decoder) enum(n *yaml.Node, path string, names []string) int {
	return parseAt(d, n, path, "one of "+strings.Join(names, ", "), func(s string) (int, error) {
		for i, name := range names {
			if s == name {
				return i, nil
			}
		}
		if c, ok := closestName(s, names); ok {
			return 0, fmt.Errorf("unknown value %q (did you mean %q?)", s, c)
		}
		return 0, fmt.Errorf("unknown value %q (want one of %s)", s, strings.Join(names, ", "))
	})
}

// names decodes a list of names.
func (d *decoder) names(n *yaml.Node, path string) []string {
	var out []string
	d.list(n, path, func(v *yaml.Node, p string, _ int) { out = append(out, d.str(v, p)) })
	return out
}

// props decodes a map of Kafka properties, handing each key and text value to set and reporting
// its error at the value. It returns the keys given (Kafka's originals()).
func (d *decoder) props(n *yaml.Node, path string, set func(key, value string) error) map[string]bool {
	given := map[string]bool{}
	n = resolve(n)
	if isNull(n) {
		return given
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "want a mapping of Kafka properties, got %s", describe(n))
		return given
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		key, ok := d.key(k, path, seen)
		if !ok {
			continue
		}
		p := keyPath(path, key)
		d.lines[p] = at(k, v)
		given[key] = true
		if v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode {
			d.errorf(v, p, "want a property value, got %s (write Kafka property names whole, e.g. \"replica.lag.time.max.ms: 30000\")", describe(v))
			continue
		}
		value := v.Value
		if isNull(v) {
			value = ""
		}
		if err := set(key, value); err != nil {
			d.errAt(v, p, err)
		}
	}
	return given
}
