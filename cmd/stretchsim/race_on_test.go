//go:build race

package main

// raceEnabled is set under the race detector, which slows a simulation about tenfold: the whole
// reviews then skip, and .ci/run runs them without it.
const raceEnabled = true
