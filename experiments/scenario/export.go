package scenario

import "go.yaml.in/yaml/v3"

// Helpers for other file formats that read like a scenario file (sweep files): the same YAML
// handling and the same error order.

// JoinSorted joins errs into one error, sorted by file and line.
func JoinSorted(errs []error) error { return joinSorted(errs) }

// ResolveAlias returns n with YAML aliases followed.
func ResolveAlias(n *yaml.Node) *yaml.Node { return resolve(n) }

// IsNull reports whether n is absent or a YAML null.
func IsNull(n *yaml.Node) bool { return isNull(n) }

// KeyPath appends key to a dotted path.
func KeyPath(path, key string) string { return keyPath(path, key) }

// OrTop names the empty path "(top level)".
func OrTop(path string) string { return orTop(path) }

// Describe names what n is, for "want X, got Y" messages.
func Describe(n *yaml.Node) string { return describe(n) }

// IndexPath appends a list index to a dotted path.
func IndexPath(path string, i int) string { return indexPath(path, i) }
