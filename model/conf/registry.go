// Package conf is the machinery behind Kafka's property names: a Registry of the properties of one
// config struct, each read and written in Kafka's text form with Kafka's validators (ConfigDef's
// ranges, BOOLEAN parsing, *.ms and *.seconds integers) and documented with Kafka's default; the
// sizes ("64KiB", "1MB") and the number-and-unit syntax a scenario shares with them; and the
// "did you mean" suggestion for a misspelt name.
//
// It knows nothing of the model: not which properties exist nor what they do. Package model
// declares its config structs and their property tables with the constructors here; a field of a
// named integer type (model.Bytes) is reached through BytesProp's type parameter.
package conf

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

// Property is one row of a Registry: a Kafka property of config struct C, read and written in
// Kafka's text form.
type Property[C any] struct {
	Name string // Kafka's property name
	Doc  string // one line: what the property does in the model
	// Get returns the current value as Kafka prints it.
	Get func(c *C) string
	// Set parses Kafka's text form, checks its range and stores it.
	Set func(c *C, value string) error
	// Check reports why the current value is out of range (for Validate); nil: any value is fine.
	Check func(c *C) error
}

// Unmodelled is a Kafka property that stretchsim accepts only at the value it simulates.
type Unmodelled struct {
	// Simulated is the value the model behaves as (Kafka's default), accepted as a no-op;
	// "" means every value is refused.
	Simulated string
	// Why says what stretchsim does instead, for the error message.
	Why string
}

// Registry is the table of the Kafka properties of one config struct C. Build it once with
// NewRegistry; it is read-only afterwards.
type Registry[C any] struct {
	kind   string // "broker", "producer", ... for error messages
	props  []Property[C]
	byName map[string]int
	other  map[string]Unmodelled
}

// NewRegistry returns the registry of props, in that order, and of other, the Kafka properties
// stretchsim does not model, by name; kind ("broker", "producer", ...) names C in error messages.
// It panics if a name is in props twice, a programmer error.
func NewRegistry[C any](kind string, props []Property[C], other map[string]Unmodelled) *Registry[C] {
	r := &Registry[C]{kind: kind, props: props, byName: make(map[string]int, len(props)), other: other}
	for i, p := range props {
		if _, dup := r.byName[p.Name]; dup {
			panic("conf: property " + p.Name + " registered twice") // programmer error
		}
		r.byName[p.Name] = i
	}
	return r
}

// Set sets property key of c from its Kafka text value (both trimmed of spaces, as Kafka does).
// An unmodelled property is accepted, as a no-op, only at its simulated value; the error for an
// unknown name suggests the closest known one (ClosestName).
func (r *Registry[C]) Set(c *C, key, value string) error {
	key, value = strings.TrimSpace(key), strings.TrimSpace(value)
	if i, ok := r.byName[key]; ok {
		return r.props[i].Set(c, value)
	}
	if u, ok := r.other[key]; ok {
		if u.Simulated != "" && strings.EqualFold(value, u.Simulated) {
			return nil
		}
		if u.Simulated != "" {
			return fmt.Errorf("%s=%s is not modelled by stretchsim (it simulates %s=%s)", key, value, key, u.Simulated)
		}
		return fmt.Errorf("%s is not modelled by stretchsim (%s)", key, u.Why)
	}
	return r.unknown(key)
}

func (r *Registry[C]) unknown(key string) error {
	if s, ok := ClosestName(key, r.names()); ok {
		return fmt.Errorf("unknown %s property %q (did you mean %q?)", r.kind, key, s)
	}
	return fmt.Errorf("unknown %s property %q", r.kind, key)
}

// names returns the modelled property names, in table order.
func (r *Registry[C]) names() []string {
	out := make([]string, len(r.props))
	for i, p := range r.props {
		out[i] = p.Name
	}
	return out
}

// Check runs every property's range check on c, in table order, and returns every failure,
// prefixed with the property's name.
func (r *Registry[C]) Check(c *C) []error {
	var errs []error
	for _, p := range r.props {
		if p.Check == nil {
			continue
		}
		if err := p.Check(c); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p.Name, err))
		}
	}
	return errs
}

// Docs returns the documentation of every property, in table order, with defaults read from def.
func (r *Registry[C]) Docs(def C) []PropertyDoc {
	out := make([]PropertyDoc, len(r.props))
	for i, p := range r.props {
		out[i] = PropertyDoc{Name: p.Name, Default: p.Get(&def), Doc: p.Doc}
	}
	return out
}

// ClosestName returns the candidate nearest to name by edit distance, if it is near enough to be
// a likely typo: at most a third of the name's length away (2 for short names). A candidate that
// contains the name, when the name has at least 4 bytes, also counts ("lag.time" finds
// "replica.lag.time.max.ms"). Candidates are tried in sorted order, so ties break the same way
// on every run. It backs every "did you mean" of stretchsim, for property names and scenario keys.
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
