//go:build race

package model

// raceDetector is true in a build with the race detector, which runs the model several times
// slower.
const raceDetector = true
