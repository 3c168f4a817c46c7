package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Options tune how a scenario file is read.
type Options struct {
	// Sets are "PATH=VALUE" overrides (the CLI's --set), applied in order to the YAML tree before
	// it is decoded; see ApplySet for the path syntax.
	Sets []string
	// BaseDir is the directory relative to which empirical(...) sample files are read; Load and
	// LoadFS default it to the scenario file's directory, Parse to the current directory.
	BaseDir string
	// ReadFile reads empirical sample files; default os.ReadFile (LoadFS: the file system's).
	ReadFile ReadFileFunc
}

// Load reads, decodes and validates the scenario file at name.
func Load(name string, opts Options) (*Scenario, error) {
	data, err := ReadRegularFile(name)
	if err != nil {
		return nil, err
	}
	if opts.BaseDir == "" {
		opts.BaseDir = filepath.Dir(name)
	}
	return Parse(name, data, opts)
}

// LoadFS reads, decodes and validates the scenario file name of fsys, such as scenarios.FS;
// empirical sample files are read from fsys too unless opts.ReadFile is set.
func LoadFS(fsys fs.FS, name string, opts Options) (*Scenario, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	if opts.BaseDir == "" {
		opts.BaseDir = path.Dir(name)
	}
	if opts.ReadFile == nil {
		opts.ReadFile = func(n string) ([]byte, error) { return fs.ReadFile(fsys, filepath.ToSlash(n)) }
	}
	return Parse(name, data, opts)
}

// Parse decodes and validates a scenario from data; file names it in errors. Every error is a
// *Error located by line and path, and all of them are returned at once (errors.Join).
// When the file cannot be decoded its values are not validated, so that one mistake gives one
// error.
func Parse(file string, data []byte, opts Options) (*Scenario, error) {
	root, err := ParseYAML(file, data)
	if err != nil {
		return nil, err
	}
	for _, set := range opts.Sets {
		p, value, ok := strings.Cut(set, "=")
		if !ok {
			return nil, &SetError{Set: set, Err: errors.New("want PATH=VALUE")}
		}
		if err := ApplySet(root, p, value); err != nil {
			return nil, &SetError{Set: set, Err: err}
		}
	}
	return DecodeNode(file, root, opts)
}

// DecodeNode decodes and validates a scenario from its YAML tree, as ParseYAML returns it and
// ApplySet changes it. A sweep parses its base file once and decodes a changed copy (CloneNode)
// per grid point.
func DecodeNode(file string, root *yaml.Node, opts Options) (*Scenario, error) {
	d := newDecoder(file, opts)
	if d.longValues(root, ""); len(d.errs) > 0 {
		return nil, joinSorted(d.errs)
	}
	s := d.scenario(root)
	if len(d.errs) > 0 {
		return nil, joinSorted(d.errs)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// MaxValueLength is the longest scalar a scenario may hold. The longest real values are
// distributions and file names, well under a hundred characters; a ten-million-digit number would
// take the number parsers quadratic time and fill every error message.
const MaxValueLength = 4096

// longValues reports every scalar longer than MaxValueLength under n, by its path, before
// anything is decoded.
func (d *decoder) longValues(n *yaml.Node, path string) {
	n = resolve(n)
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			d.longValues(c, path)
		}
	case yaml.ScalarNode:
		if len(n.Value) > MaxValueLength {
			d.errorf(n, orTop(path), "a value of %d characters: at most %d", len(n.Value), MaxValueLength)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			d.longValues(c, indexPath(path, i))
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if len(k.Value) > MaxValueLength {
				d.errorf(k, orTop(path), "a key of %d characters: at most %d", len(k.Value), MaxValueLength)
				continue
			}
			d.longValues(n.Content[i+1], keyPath(path, k.Value))
		}
	}
}

// ParseYAML parses data, one YAML document, into a node tree. An empty document, a YAML syntax
// error or a second document is an *Error naming file (and the line when YAML knows it).
func ParseYAML(file string, data []byte) (*yaml.Node, error) {
	root, err := parseDocument(data)
	if err == nil {
		return root, nil
	}
	var se *Error
	if errors.As(err, &se) {
		se.File = file
		return nil, se
	}
	return nil, yamlError(file, data, err)
}

// parseDocument parses data as ParseYAML does. Its errors are an *Error without a file,
// or a yaml.v3 syntax error.
func parseDocument(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{Err: errors.New("empty scenario")}
		}
		return nil, err
	}
	if len(root.Content) == 0 || isNull(root.Content[0]) {
		return nil, &Error{Line: root.Line, Err: errors.New("empty scenario")}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, &Error{Line: next.Line, Err: errors.New("a scenario file holds one YAML document, found a second")}
	case !errors.Is(err, io.EOF):
		return nil, err
	}
	if n := expandedSize(&root, map[*yaml.Node]int{}); n > MaxExpandedNodes {
		return nil, &Error{Line: root.Line, Err: fmt.Errorf("the YAML aliases expand to more than %d values (a scenario has a few thousand): refused", MaxExpandedNodes)}
	}
	return &root, nil
}

// MaxExpandedNodes bounds the size of a scenario document with its aliases expanded: nested
// aliases (a billion-laughs document) would make a few kilobytes decode into gigabytes.
const MaxExpandedNodes = 1_000_000

// expandedSize returns the number of nodes of n with every alias expanded, computed once per node
// (the document is a DAG), saturating above MaxExpandedNodes.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int) int {
	if n == nil {
		return 0
	}
	if v, ok := memo[n]; ok {
		return v
	}
	memo[n] = MaxExpandedNodes + 1 // an alias cycle counts as too large
	size := 1
	if n.Kind == yaml.AliasNode {
		size += expandedSize(n.Alias, memo)
	}
	for _, c := range n.Content {
		size += expandedSize(c, memo)
		if size > MaxExpandedNodes {
			break
		}
	}
	size = min(size, MaxExpandedNodes+1)
	memo[n] = size
	return size
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns the yaml.v3 syntax error err of data into an Error located at the
// offending line.
//
// yaml.v3 cannot say that line itself: its message cites the line of the error's context (where
// the flow mapping or the plain scalar being read began, not where the problem is) when it has
// one, counts from 0 for parser errors but from 1 for scanner errors, and gives no line at all
// when that context is on the first line. So the line is found from the input instead: it is the
// first line L such that lines 1..L alone fail with the very same error. A parser stops at its
// first error, so any prefix holding the offending line fails as the whole file does, while a
// shorter one parses, or fails differently (a flow mapping legitimately spread over several
// lines, cut short). An unclosed "{" is thus reported on its own line, a bad indentation or a tab
// on the line that has it.
func yamlError(file string, data []byte, err error) error {
	msg, from := strings.TrimPrefix(err.Error(), "yaml: "), 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		msg = m[2]
		from, _ = strconv.Atoi(m[1])
	}
	return &Error{File: file, Line: offendingLine(data, err, from), Err: fmt.Errorf("invalid YAML: %s", msg)}
}

// offendingLine returns the first line L (from 1) such that the first L lines of data fail to
// parse with err, by binary search: it takes O(log lines) parses. The line yaml.v3 cites, from,
// is where the error's context began or one line before it, so no earlier line can be L.
func offendingLine(data []byte, err error, from int) int {
	var ends []int // ends[i]: the length of lines 1..i+1
	for end := 0; end < len(data); {
		if next := bytes.IndexByte(data[end:], '\n'); next < 0 {
			end = len(data)
		} else {
			end += next + 1
		}
		ends = append(ends, end)
	}
	if len(ends) == 0 {
		return 0
	}
	want := err.Error()
	lo := min(max(from, 1), len(ends))
	i, _ := slices.BinarySearchFunc(ends[lo-1:], want, func(end int, want string) int {
		if _, perr := parseDocument(data[:end]); perr != nil && perr.Error() == want {
			return 1
		}
		return -1
	})
	return min(lo+i, len(ends))
}

// CloneNode returns a deep copy of the tree n, aliases pointing into the copy where they
// pointed into n.
func CloneNode(n *yaml.Node) *yaml.Node {
	copies := map[*yaml.Node]*yaml.Node{}
	var clone func(n *yaml.Node) *yaml.Node
	clone = func(n *yaml.Node) *yaml.Node {
		if n == nil {
			return nil
		}
		if c, ok := copies[n]; ok {
			return c
		}
		c := *n
		copies[n] = &c
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, child := range n.Content {
			c.Content[i] = clone(child)
		}
		c.Alias = clone(n.Alias)
		return &c
	}
	return clone(n)
}
