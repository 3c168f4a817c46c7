package experiments

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ParseAxisFlag parses the text of an --axis flag, PATH=V1,V2,..., into an axis. The values are
// split at the commas outside brackets, so that a value keeps its own commas:
// "lognormal(median=12ms, p99=40ms)", "[1,2,3]" and "{at: 30s, type: controller-crash}" are one
// value each (inside brackets, quoted YAML strings may hold brackets). A backslash takes the
// character after it literally: "\," is a comma inside a value, "\\" a backslash. Each value is
// then exactly what --set PATH= would take. Spaces around a value are dropped; an empty value is
// an error, and so are unbalanced brackets.
func ParseAxisFlag(text string) (Axis, error) {
	path, list, ok := strings.Cut(text, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" {
		return Axis{}, errors.New("want PATH=V1,V2 (values separated by commas)")
	}
	if err := checkAxisPath(path); err != nil {
		return Axis{}, err
	}
	values, err := SplitAxisValues(list)
	if err != nil {
		return Axis{}, err
	}
	return Axis{Path: path, Values: values}, nil
}

// tableColumns are the columns runs.csv and points.csv have besides the axes and the figures.
var tableColumns = []string{"point", "replication", "seed", "key", "status", "message", "ok", "failed", "invalid"}

// checkAxisPath refuses an axis whose column would clash with one of the tables' own: above all
// seed, which a sweep sets per replication (S + r).
func checkAxisPath(path string) error {
	if slices.Contains(tableColumns, path) {
		if path == "seed" {
			return errors.New("seed cannot be an axis: replication r runs with seed S + r, so more seeds are more replications (or set seed: N for another S)")
		}
		return fmt.Errorf("%s cannot be an axis: it is a column of the results tables", path)
	}
	return nil
}

// SplitAxisValues splits an --axis value list as ParseAxisFlag does.
func SplitAxisValues(list string) ([]string, error) {
	var (
		out   []string
		cur   strings.Builder
		stack []rune // open brackets
		quote rune   // the open quote, or 0
	)
	closing := map[rune]rune{')': '(', ']': '[', '}': '{'}
	flush := func() error {
		v := strings.TrimSpace(cur.String())
		if v == "" {
			return fmt.Errorf("value %d is empty (a comma too many?)", len(out)+1)
		}
		out = append(out, v)
		cur.Reset()
		return nil
	}
	runes := []rune(list)
	for i := 0; i < len(runes); i++ {
		c := runes[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\\':
			if i+1 == len(runes) {
				return nil, errors.New(`a backslash at the end: write \\ for a backslash, \, for a comma`)
			}
			i++
			cur.WriteRune(runes[i])
			continue
		case (c == '\'' || c == '"') && len(stack) > 0:
			quote = c // YAML flow text: a quoted string may hold brackets
		case c == '(' || c == '[' || c == '{':
			stack = append(stack, c)
		case closing[c] != 0:
			if len(stack) == 0 || stack[len(stack)-1] != closing[c] {
				return nil, fmt.Errorf("unbalanced %q in value %d", c, len(out)+1)
			}
			stack = stack[:len(stack)-1]
		case c == ',' && len(stack) == 0:
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		cur.WriteRune(c)
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed %c in value %d", quote, len(out)+1)
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("unclosed %q in value %d", stack[len(stack)-1], len(out)+1)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}
