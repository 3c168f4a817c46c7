//go:build !race

package experiments

// raceEnabled: see review_race_on_test.go.
const raceEnabled = false
