package scenario

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decoder walks a scenario's YAML node tree, filling a Scenario and recording every problem
// with its line. It never stops at the first problem.
type decoder struct {
	located
	opts Options
	// suggested holds the paths an unknown key was taken for a misspelling of, so that the
	// key is not also reported missing.
	suggested map[string]bool
}

func newDecoder(file string, opts Options) *decoder {
	return &decoder{located: located{file: file, lines: map[string]where{}}, opts: opts, suggested: map[string]bool{}}
}

// errAt records err for the value n at path.
func (d *decoder) errAt(n *yaml.Node, path string, err error) {
	var w where
	if n != nil {
		w = at(nil, n)
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: w.line, Set: w.set, Path: path, Err: err})
}

func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) {
	d.errAt(n, path, fmt.Errorf(format, args...))
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// describe names what n is, for "want X, got Y" messages.
func describe(n *yaml.Node) string {
	switch {
	case isNull(n):
		return "no value"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	}
	return strconv.Quote(n.Value)
}

// handlers decode the values of a mapping's keys; each gets the value node and its path.
type handlers map[string]func(v *yaml.Node, path string)

// mapping decodes mapping n at path, in file order, through hs. A missing value (null) is an
// empty mapping. Unknown and repeated keys are errors; hint, when not nil, may explain an
// unknown key better than a spelling suggestion. It returns the keys given, with their nodes,
// or nil when n is not a mapping.
func (d *decoder) mapping(n *yaml.Node, path string, hs handlers, hint func(key string) string) map[string]*yaml.Node {
	n = resolve(n)
	seen := map[string]*yaml.Node{}
	if isNull(n) {
		return seen
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "want a mapping of keys, got %s", describe(n))
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		key, ok := d.key(k, path, seen)
		if !ok {
			continue
		}
		p := keyPath(path, key)
		h, known := hs[key]
		if !known {
			names := slices.Sorted(maps.Keys(hs))
			if s, ok := closestName(key, names); ok {
				d.suggested[keyPath(path, s)] = true
			}
			d.errAt(k, p, unknownKey(key, names, hint))
			continue
		}
		d.lines[p] = at(k, v)
		h(v, p)
	}
	return seen
}

// key checks the key node k of a mapping at path: a plain scalar, not a merge key, not repeated.
func (d *decoder) key(k *yaml.Node, path string, seen map[string]*yaml.Node) (string, bool) {
	if k.Kind != yaml.ScalarNode || isNull(k) {
		d.errorf(k, path, "a key must be a plain name, got %s", describe(k))
		return "", false
	}
	if k.Value == "<<" {
		d.errorf(k, path, "merge keys (<<) are not supported")
		return "", false
	}
	if first, dup := seen[k.Value]; dup {
		d.errorf(k, keyPath(path, k.Value), "duplicate key (first given at line %d)", first.Line)
		return "", false
	}
	seen[k.Value] = k
	return k.Value, true
}

func unknownKey(key string, known []string, hint func(string) string) error {
	if hint != nil {
		if h := hint(key); h != "" {
			return fmt.Errorf("unknown key %q: %s", key, h)
		}
	}
	if s, ok := closestName(key, known); ok {
		return fmt.Errorf("unknown key %q (did you mean %q?)", key, s)
	}
	return fmt.Errorf("unknown key %q (want one of %s)", key, strings.Join(known, ", "))
}

// valueLine is the line errors about a key's value cite: the value's own line for a scalar,
// the key's for a block, 0 for a value set by ApplySet.
func valueLine(k, v *yaml.Node) int {
	if v == nil || v.Line == 0 {
		return 0
	}
	if v.Kind == yaml.ScalarNode {
		return v.Line
	}
	return k.Line
}

// require reports each key of want missing from seen, at the line of mapping n; nothing when
// n was not a mapping (seen is nil), which is reported already.
func (d *decoder) require(n *yaml.Node, path string, seen map[string]*yaml.Node, want ...string) {
	if seen == nil {
		return
	}
	for _, k := range want {
		if _, ok := seen[k]; !ok && !d.suggested[keyPath(path, k)] {
			d.errorf(resolve(n), keyPath(path, k), "required key is missing")
		}
	}
}

// list decodes sequence n at path, calling item for each element. A missing value is an empty
// list.
func (d *decoder) list(n *yaml.Node, path string, item func(v *yaml.Node, path string, i int)) {
	n = resolve(n)
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, path, "want a list, got %s", describe(n))
		return
	}
	for i, v := range n.Content {
		v = resolve(v)
		p := indexPath(path, i)
		d.lines[p] = at(nil, v)
		item(v, p, i)
	}
}

// scalar returns the text of scalar n, or reports that n is not one.
func (d *decoder) scalar(n *yaml.Node, path, want string) (string, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || isNull(n) {
		d.errorf(n, path, "want %s, got %s", want, describe(n))
		return "", false
	}
	return n.Value, true
}

// parseAt decodes scalar n with parse, reporting its error at n.
func parseAt[T any](d *decoder, n *yaml.Node, path, want string, parse func(string) (T, error)) T {
	var zero T
	s, ok := d.scalar(n, path, want)
	if !ok {
		return zero
	}
	v, err := parse(s)
	if err != nil {
		d.errAt(resolve(n), path, err)
		return zero
	}
	return v
}
