//go:build race

package experiments_test

// raceEnabled is set when the tests run under the race detector, which slows a simulation
// about tenfold: the searches over hundreds of runs then skip, and .ci/run runs them without it.
const raceEnabled = true
