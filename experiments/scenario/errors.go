package scenario

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is one problem in a scenario, located in its file. Parse, Load and Validate
// return the errors.Join of all of them, in file order; errors.As finds each.
type Error struct {
	File string // the scenario file; "" for a scenario built in code
	Line int    // 1-based line of the offending value; 0 when unknown (a --set value, a default)
	// Set is the --set override ("PATH=VALUE", as Options.Sets holds it) the offending value
	// came from, which Error names instead of File and Line; "" for a value of the file.
	Set  string
	Path string // the offending key, e.g. "topics[0].replication.factor"; "" for the whole file
	Err  error
}

// SetError is a --set override whose path does not fit the scenario: a malformed flag value
// rather than a bad scenario. (A well-placed value that is bad is an Error.)
type SetError struct {
	Set string // the PATH=VALUE as given
	Err error
}

func (e *SetError) Error() string { return fmt.Sprintf("--set %s: %v", e.Set, e.Err) }

func (e *SetError) Unwrap() error { return e.Err }

// Error formats the error as "file:line: path: message", leaving out what is unknown, or as
// "--set PATH=VALUE: path: message" for a value given by --set.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Set != "" {
		b.WriteString("--set " + e.Set + ": ")
	} else if e.File != "" {
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
func (e *Error) Unwrap() error { return e.Err }

// joinSorted joins errs sorted by line (unknown lines last), keeping the order of errors on one
// line; nil when errs is empty.
func joinSorted(errs []error) error {
	slices.SortStableFunc(errs, func(a, b error) int { return cmp.Compare(lineKey(a), lineKey(b)) })
	if len(errs) > MaxErrors {
		more := len(errs) - MaxErrors
		errs = append(errs[:MaxErrors:MaxErrors], fmt.Errorf("and %d more %s", more, map[bool]string{true: "error", false: "errors"}[more == 1]))
	}
	return errors.Join(errs...)
}

// MaxErrors is the most problems reported at once: the first ones, in file order, then a count.
const MaxErrors = 100

// sortedWarnings sorts warns as joinSorted sorts errors; nil when there are none.
func sortedWarnings(warns []*Error) []*Error {
	if len(warns) == 0 {
		return nil
	}
	slices.SortStableFunc(warns, func(a, b *Error) int { return cmp.Compare(lineKey(a), lineKey(b)) })
	return warns
}

// lineKey orders errors by line, unknown lines last.
func lineKey(e error) int {
	var se *Error
	if errors.As(e, &se) && se.Line > 0 {
		return se.Line
	}
	return int(^uint(0) >> 1)
}

// PrintWarnings writes each of s.Warnings to w, typically stderr, as "warning: " and its text
// ("warning: file:line: path: message").
func (s *Scenario) PrintWarnings(w io.Writer) {
	for _, warn := range s.Warnings {
		fmt.Fprintf(w, "warning: %v\n", warn)
	}
}

// located builds *Error values during validation: it knows the file and where each path is.
type located struct {
	file  string
	lines map[string]where
	errs  []error
	warns []*Error
}

// where is where a value came from: a line of the file, or a --set override.
type where struct {
	line int    // 1-based; 0 when unknown or set
	set  string // the override "PATH=VALUE"; "" for the file
}

// at returns where the value n (with key node k, or nil) came from, as valueLine locates it.
func at(k, v *yaml.Node) where {
	if s := setOf(v); s != "" {
		return where{set: s}
	}
	if k != nil {
		return where{line: valueLine(k, v)}
	}
	return where{line: v.Line}
}

// errorf records a problem at path.
func (l *located) errorf(path, format string, args ...any) {
	l.add(path, fmt.Errorf(format, args...))
}

// add records err at path; a joined error becomes one *Error per part.
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
	w := l.where(path)
	l.errs = append(l.errs, &Error{File: l.file, Line: w.line, Set: w.set, Path: path, Err: err})
}

// warnf records a warning at path: a problem that does not stop the scenario from running.
func (l *located) warnf(path, format string, args ...any) {
	w := l.where(path)
	l.warns = append(l.warns, &Error{File: l.file, Line: w.line, Set: w.set, Path: path, Err: fmt.Errorf(format, args...)})
}

// where returns where path, or its nearest ancestor the file or a --set gives, came from.
func (l *located) where(path string) where {
	for p := path; p != ""; p = parentPath(p) {
		if w, ok := l.lines[p]; ok {
			return w
		}
	}
	return where{}
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
