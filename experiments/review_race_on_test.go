//go:build race

package experiments

// raceEnabled is set when the tests run under the race detector, which slows a simulation about
// tenfold (as experiments_test's raceEnabled): the tests that run whole reviews then skip.
const raceEnabled = true
