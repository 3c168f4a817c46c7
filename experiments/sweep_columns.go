package experiments

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"

	"github.com/stretchsim/stretchsim/experiments/scenario"
)

// column is one column of a sweep's tables taken from the summaries: a dotted path of JSON keys
// ("produce.latency_ms.p99").
type column struct {
	name    string
	numeric bool // aggregated in points.csv
	mapOf   bool // a map of counts: name is the map's path, expanded to one column per key
}

// summaryFigures lists the columns of Summary in JSON order, read from its type: every scalar
// field by its json key, nested structs with dotted names, maps of counts as one slot each
// (produce.errors, network.cross_site_bytes.pairs), lists (brokers, faults, invariant
// violations) left to runs.jsonl. Left out too: scenario and seed (columns of their own in the
// tables) and wall_seconds (wall-clock time differs from run to run).
func summaryFigures() []column {
	var out []column
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for f := range t.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			path := prefix + name
			if prefix == "" && (name == "scenario" || name == "seed" || name == "wall_seconds") {
				continue
			}
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			switch ft.Kind() {
			case reflect.Struct:
				walk(ft, path+".")
			case reflect.Map:
				out = append(out, column{name: path, numeric: true, mapOf: true})
			case reflect.Slice, reflect.Array:
			case reflect.String, reflect.Bool:
				out = append(out, column{name: path})
			default:
				out = append(out, column{name: path, numeric: true})
			}
		}
	}
	walk(reflect.TypeFor[Summary](), "")
	return out
}

// flattenSummary returns the scalar figures of a summary's JSON by dotted path, numbers as
// written in the JSON; a null figure and the items of lists are left out. ok is false when the
// summary is null.
func flattenSummary(raw json.RawMessage) (cells map[string]string, ok bool) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil || v == nil {
		return nil, false
	}
	cells = map[string]string{}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				walk(c, scenario.KeyPath(path, k))
			}
		case json.Number:
			cells[path] = x.String()
		case bool:
			cells[path] = "false"
			if x {
				cells[path] = "true"
			}
		case string:
			cells[path] = x
		}
	}
	walk(v, "")
	return cells, true
}

// columns expands the figures' map slots into one column per key in seen (the dotted paths
// found in any row), in key order.
func columns(figs []column, seen map[string]bool) []column {
	var out []column
	for _, f := range figs {
		if !f.mapOf {
			out = append(out, f)
			continue
		}
		var keys []string
		for k := range seen {
			if rest, ok := strings.CutPrefix(k, f.name+"."); ok {
				keys = append(keys, rest)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			out = append(out, column{name: f.name + "." + k, numeric: true, mapOf: true})
		}
	}
	return out
}

// cell returns the value of column f in row: a count a map lacks is 0, a null figure empty.
func cell(f column, row map[string]string) string {
	v, ok := row[f.name]
	if !ok && f.mapOf && row != nil {
		return "0"
	}
	return v
}
