package experiments

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
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
	data, err := os.ReadFile(name)
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
// *ScenarioError located by line and path, and all of them are returned at once (errors.Join).
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
	s := d.scenario(root)
	if len(d.errs) > 0 {
		return nil, joinSorted(d.errs)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// ParseYAML parses data, one YAML document, into a node tree. An empty document, a YAML syntax
// error or a second document is a *ScenarioError naming file (and the line when YAML knows it).
func ParseYAML(file string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ScenarioError{File: file, Err: errors.New("empty scenario")}
		}
		return nil, yamlError(file, err)
	}
	if len(root.Content) == 0 || isNull(root.Content[0]) {
		return nil, &ScenarioError{File: file, Line: root.Line, Err: errors.New("empty scenario")}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, &ScenarioError{File: file, Line: next.Line, Err: errors.New("a scenario file holds one YAML document, found a second")}
	case !errors.Is(err, io.EOF):
		return nil, yamlError(file, err)
	}
	return &root, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a yaml.v3 syntax error into a ScenarioError with its line.
func yamlError(file string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &ScenarioError{File: file, Line: line, Err: fmt.Errorf("invalid YAML: %s", m[2])}
	}
	return &ScenarioError{File: file, Err: fmt.Errorf("invalid YAML: %s", strings.TrimPrefix(msg, "yaml: "))}
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
