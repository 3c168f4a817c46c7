// Package scenarios holds the example scenario files, embedded into the binary: the built-in
// default that `stretchsim run` uses when given no file, and the layouts the README walks
// through. Every file parses and validates (a test checks it).
package scenarios

import "embed"

// FS holds every *.yaml file of this directory, by its base name.
//
//go:embed *.yaml
var FS embed.FS

// Default is the name in FS of the scenario stretchsim runs when given no file.
const Default = "default.yaml"
