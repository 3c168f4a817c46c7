package scenario

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ApplySet sets the value at path in the scenario tree root (a YAML document, or its top
// mapping), as the CLI's --set PATH=VALUE does before the tree is decoded; sweep axes use the same
// paths.
//
// A path is keys joined by dots; after a key, [i] picks item i (from 0) of a list and [name] the
// item whose name is name (sites, topics, producers, consumers):
//
//	seed=7
//	duration=2m
//	network.inter_site.rtt=20ms
//	network.links[0].rtt=lognormal(median=12ms, p99=40ms)
//	sites[dc-c].brokers=0
//	topics[0].replication.factor=4
//	topics[orders].config.min.insync.replicas=2
//	producers[checkout].config.acks=1
//	broker.replica.lag.time.max.ms=10000
//	topics[orders].replica_assignment=[[1,2,3],[2,3,1]]
//
// Kafka property names contain dots, so at a mapping the longest key that starts the rest of the
// path wins ("replication.factor" over a key "replication"), and inside a map of Kafka properties
// (broker, controller and every config) the whole rest of the path is one property name. A key
// the file lacks is created when the scenario format has it (in a property map, any key: Set
// checks it when the tree is decoded); a list item must exist. VALUE is YAML text: a scalar is
// kept as written ("20ms", "all"), while [...] and {...} give a list or a mapping.
//
// The nodes ApplySet adds are marked with "PATH=VALUE" (markSet), so that the decoder blames a bad
// value on the --set flag rather than on a line of the file.
func ApplySet(root *yaml.Node, path, value string) error {
	if root == nil {
		return errors.New("no scenario to set a value in")
	}
	if strings.TrimSpace(path) == "" {
		return errors.New("empty path")
	}
	if strings.HasPrefix(path, ".") || strings.HasSuffix(path, ".") || strings.Contains(path, "..") {
		return fmt.Errorf("path %q has an empty key", path)
	}
	n := root
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			n.Content = []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}
		}
		n = n.Content[0]
	}
	set := path + "=" + value
	v := valueNode(value)
	markSet(v, set)
	return setIn(n, scenarioShape, path, v, set)
}

// setMark starts the LineComment markSet puts on a node. A yaml.Node has no other field to
// spare, the decoder ignores comments, and a comment survives CloneNode.
const setMark = "# --set "

// markSet marks n and its descendants as coming from the override set ("PATH=VALUE"): no line of
// the file.
func markSet(n *yaml.Node, set string) {
	n.Line, n.Column = 0, 0
	n.LineComment = setMark + set
	for _, c := range n.Content {
		markSet(c, set)
	}
}

// setOf returns the override ("PATH=VALUE") node n came from, or "" when it came from the file.
func setOf(n *yaml.Node) string {
	if n == nil || n.Line != 0 {
		return ""
	}
	set, _ := strings.CutPrefix(n.LineComment, setMark)
	return set
}

// setIn walks rest from the node n of shape sh (nil: unknown) and puts v there; the keys and
// mappings it creates are marked as coming from set.
func setIn(n *yaml.Node, sh *shape, rest string, v *yaml.Node, set string) error {
	done := ""
	for {
		n = resolve(n)
		if strings.HasPrefix(rest, "[") {
			i, after, err := selectItem(n, rest, done)
			if err != nil {
				return err
			}
			done += rest[:len(rest)-len(after)]
			if after == "" {
				n.Content[i] = v
				return nil
			}
			n, sh, rest = n.Content[i], itemShape(sh), strings.TrimPrefix(after, ".")
			continue
		}
		key, after, err := matchKey(n, sh, rest, done)
		if err != nil {
			return err
		}
		child := mappingValue(n, key)
		if after == "" {
			putKey(n, key, v)
			return nil
		}
		sub := fieldShape(sh, key)
		if child == nil {
			if sub == nil || sub.item != nil && (sub.fields == nil || strings.HasPrefix(after, "[")) {
				return fmt.Errorf("%s: no item to select with %s", keyPath(done, key), after)
			}
			if sub.fields == nil && !sub.props {
				return fmt.Errorf("%s: is a value, not a mapping: cannot set %s in it", keyPath(done, key), strings.TrimPrefix(after, "."))
			}
			child = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			markSet(child, set)
			putKey(n, key, child)
		}
		n, sh, done, rest = child, sub, keyPath(done, key), strings.TrimPrefix(after, ".")
	}
}

// matchKey finds the key of mapping n (or of its shape sh) that starts rest, the longest one,
// and returns it with what follows it in rest ("", ".more" or "[sel]...").
func matchKey(n *yaml.Node, sh *shape, rest, done string) (key, after string, err error) {
	if isNull(n) && sh != nil && (sh.fields != nil || sh.props) {
		*n = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column}
	}
	if n.Kind == yaml.SequenceNode {
		return "", "", fmt.Errorf("%s: is a list: select an item first, e.g. %s[0].%s", orTop(done), done, rest)
	}
	if n.Kind != yaml.MappingNode {
		return "", "", fmt.Errorf("%s: is %s, not a mapping: cannot set %s in it", orTop(done), describe(n), rest)
	}
	if sh != nil && sh.props {
		if strings.ContainsAny(rest, "[]") {
			return "", "", fmt.Errorf("%s: %q is not a Kafka property name", orTop(done), rest)
		}
		return rest, "", nil
	}
	candidates := sh.fieldNames()
	for i := 0; i+1 < len(n.Content); i += 2 {
		candidates = append(candidates, resolve(n.Content[i]).Value)
	}
	for _, c := range candidates {
		if c != "" && len(c) > len(key) && (rest == c || strings.HasPrefix(rest, c+".") || strings.HasPrefix(rest, c+"[")) {
			key = c
		}
	}
	if key == "" {
		first, _, _ := strings.Cut(rest, ".")
		first, _, _ = strings.Cut(first, "[")
		return "", "", fmt.Errorf("%s: %w", orTop(done), unknownKey(first, sh.fieldNames(), nil))
	}
	return key, rest[len(key):], nil
}

// selectItem finds the item of list n that the selector starting rest ("[2]" or "[name]") picks.
func selectItem(n *yaml.Node, rest, done string) (int, string, error) {
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return 0, "", fmt.Errorf("%s: unclosed [ in %q", orTop(done), rest)
	}
	sel, after := rest[1:end], rest[end+1:]
	if after != "" && after[0] != '.' && after[0] != '[' {
		return 0, "", fmt.Errorf("%s%s: want . or [ after ], got %q", done, rest[:end+1], after)
	}
	if isNull(n) || n.Kind != yaml.SequenceNode {
		return 0, "", fmt.Errorf("%s: is %s, not a list: cannot select [%s]", orTop(done), describe(n), sel)
	}
	if i, err := strconv.Atoi(sel); err == nil && sel == strconv.Itoa(i) {
		if i < 0 || i >= len(n.Content) {
			return 0, "", fmt.Errorf("%s: no item %d (the list has %d)", done, i, len(n.Content))
		}
		return i, after, nil
	}
	var names []string
	for i, item := range n.Content {
		if v := mappingValue(item, "name"); v != nil && resolve(v).Kind == yaml.ScalarNode {
			if resolve(v).Value == sel {
				return i, after, nil
			}
			names = append(names, resolve(v).Value)
		}
	}
	if len(names) == 0 {
		return 0, "", fmt.Errorf("%s: items have no names: select one by index, e.g. %s[0]", done, done)
	}
	return 0, "", fmt.Errorf("%s: no item named %q (have %s)", done, sel, strings.Join(names, ", "))
}

// putKey sets key to v in mapping n, appending the key, marked as v is, when n lacks it.
func putKey(n *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if resolve(n.Content[i]).Value == key {
			n.Content[i+1] = v
			return
		}
	}
	k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, LineComment: v.LineComment}
	n.Content = append(n.Content, k, v)
}

func fieldShape(sh *shape, key string) *shape {
	if sh == nil || sh.fields == nil {
		return nil
	}
	return sh.fields[key]
}

func itemShape(sh *shape) *shape {
	if sh == nil {
		return nil
	}
	return sh.item
}

func orTop(path string) string {
	if path == "" {
		return "(top level)"
	}
	return path
}

// valueNode turns a --set value into a node: a YAML list or mapping when it is one, else a string
// scalar holding the text exactly.
func valueNode(value string) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(value), &doc); err == nil && len(doc.Content) == 1 {
		if c := doc.Content[0]; c.Kind == yaml.SequenceNode || c.Kind == yaml.MappingNode {
			return c
		}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}
}
