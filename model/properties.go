package model

import (
	"fmt"
	"slices"
	"strings"
)

// PropertyDoc documents one Kafka property that stretchsim models, for help texts and the README.
type PropertyDoc struct {
	Name    string // Kafka's property name, e.g. "replica.lag.time.max.ms"
	Default string // the default as Kafka prints it: "30000", "all", "null"
	Doc     string // one line: what the property does in the model
}

// property is one row of a registry: a Kafka property of config struct C, read and written in
// Kafka's text form.
type property[C any] struct {
	name string
	doc  string
	// get returns the current value as Kafka prints it.
	get func(c *C) string
	// set parses Kafka's text form, checks its range and stores it.
	set func(c *C, value string) error
	// check reports why the current value is out of range (for Validate); nil: any value is fine.
	check func(c *C) error
}

// unmodelled is a Kafka property that stretchsim accepts only at the value it simulates.
type unmodelled struct {
	// simulated is the value the model behaves as (Kafka's default), accepted as a no-op;
	// "" means every value is refused.
	simulated string
	// why says what stretchsim does instead, for the error message.
	why string
}

// registry is the table of the Kafka properties of one config struct.
type registry[C any] struct {
	kind   string // "broker", "producer", ... for error messages
	props  []property[C]
	byName map[string]int
	other  map[string]unmodelled
}

func newRegistry[C any](kind string, props []property[C], other map[string]unmodelled) *registry[C] {
	r := &registry[C]{kind: kind, props: props, byName: make(map[string]int, len(props)), other: other}
	for i, p := range props {
		if _, dup := r.byName[p.name]; dup {
			panic("model: property " + p.name + " registered twice") // programmer error
		}
		r.byName[p.name] = i
	}
	return r
}

// set sets property key of c from its Kafka text value (both trimmed of spaces, as Kafka does).
func (r *registry[C]) set(c *C, key, value string) error {
	key, value = strings.TrimSpace(key), strings.TrimSpace(value)
	if i, ok := r.byName[key]; ok {
		return r.props[i].set(c, value)
	}
	if u, ok := r.other[key]; ok {
		if u.simulated != "" && strings.EqualFold(value, u.simulated) {
			return nil
		}
		if u.simulated != "" {
			return fmt.Errorf("%s=%s is not modelled by stretchsim (it simulates %s=%s)", key, value, key, u.simulated)
		}
		return fmt.Errorf("%s is not modelled by stretchsim (%s)", key, u.why)
	}
	return r.unknown(key)
}

func (r *registry[C]) unknown(key string) error {
	if s, ok := ClosestName(key, r.names()); ok {
		return fmt.Errorf("unknown %s property %q (did you mean %q?)", r.kind, key, s)
	}
	return fmt.Errorf("unknown %s property %q", r.kind, key)
}

// names returns the modelled property names, in table order.
func (r *registry[C]) names() []string {
	out := make([]string, len(r.props))
	for i, p := range r.props {
		out[i] = p.name
	}
	return out
}

// check runs every property's range check on c, in table order.
func (r *registry[C]) check(c *C) []error {
	var errs []error
	for _, p := range r.props {
		if p.check == nil {
			continue
		}
		if err := p.check(c); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p.name, err))
		}
	}
	return errs
}

// docs returns the documentation of every property, with defaults read from def.
func (r *registry[C]) docs(def C) []PropertyDoc {
	out := make([]PropertyDoc, len(r.props))
	for i, p := range r.props {
		out[i] = PropertyDoc{Name: p.name, Default: p.get(&def), Doc: p.doc}
	}
	return out
}

// ClosestName returns the candidate nearest to name by edit distance, if it is near enough to be
// a likely typo: at most a third of the name's length away (2 for short names). A candidate that
// contains the name, when the name has at least 4 bytes, also counts ("lag.time" finds
// "replica.lag.time.max.ms"). Candidates are tried in sorted order, so ties break the same way
// on every run. It backs every "did you mean" in model and experiments.
func ClosestName(name string, candidates []string) (string, bool) {
	sorted := slices.Sorted(slices.Values(candidates))
	best, bestD := "", -1
	for _, c := range sorted {
		if d := editDistance(strings.ToLower(name), strings.ToLower(c)); bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if bestD >= 0 && bestD <= max(2, len(name)/3) {
		return best, true
	}
	for _, c := range sorted {
		if len(name) >= 4 && strings.Contains(c, name) {
			return c, true
		}
	}
	return "", false
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
