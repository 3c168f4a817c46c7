package experiments

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ScenarioError is one problem in a scenario, located in its file. Parse, Load and Validate
// return the errors.Join of all of them, in file order; errors.As finds each.
type ScenarioError struct {
	File string // the scenario file; "" for a scenario built in code
	Line int    // 1-based line of the offending value; 0 when unknown (a --set value, a default)
	Path string // the offending key, e.g. "topics[0].replication.factor"; "" for the whole file
	Err  error
}

// SetError is a --set override whose path does not fit the scenario: a malformed flag value
// rather than a bad scenario. (A well-placed value that is bad is a ScenarioError.)
type SetError struct {
	Set string // the PATH=VALUE as given
	Err error
}

func (e *SetError) Error() string { return fmt.Sprintf("--set %s: %v", e.Set, e.Err) }

func (e *SetError) Unwrap() error { return e.Err }

// Error formats the error as "file:line: path: message", leaving out what is unknown.
func (e *ScenarioError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		b.WriteString("line " + strconv.Itoa(e.Line) + ": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ScenarioError) Unwrap() error { return e.Err }

// joinSorted joins errs sorted by line (unknown lines last), keeping the order of errors on one
// line; nil when errs is empty.
func joinSorted(errs []error) error {
	key := func(e error) int {
		var se *ScenarioError
		if errors.As(e, &se) && se.Line > 0 {
			return se.Line
		}
		return int(^uint(0) >> 1)
	}
	slices.SortStableFunc(errs, func(a, b error) int { return cmp.Compare(key(a), key(b)) })
	return errors.Join(errs...)
}

// located builds ScenarioErrors during validation: it knows the file and where each path is.
type located struct {
	file  string
	lines map[string]int
	errs  []error
}

// errorf records a problem at path.
func (l *located) errorf(path, format string, args ...any) {
	l.add(path, fmt.Errorf(format, args...))
}

// add records err at path; a joined error becomes one ScenarioError per part.
func (l *located) add(path string, err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			l.add(path, e)
		}
		return
	}
	l.errs = append(l.errs, &ScenarioError{File: l.file, Line: l.line(path), Path: path, Err: err})
}

// line returns the line of path, or of its nearest ancestor the file gives.
func (l *located) line(path string) int {
	for p := path; p != ""; p = parentPath(p) {
		if n, ok := l.lines[p]; ok {
			return n
		}
	}
	return 0
}

// parentPath drops the last element of a path: "a.b[2]" → "a.b", "a.b" → "a". Dotted Kafka keys
// lose one dotted part at a time, which reaches the enclosing map all the same.
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i >= 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

// indexPath returns path[i].
func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// keyPath returns path.key, or key at the top.
func keyPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
